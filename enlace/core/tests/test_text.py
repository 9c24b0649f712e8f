"""Text helpers of enlace.core.text."""


def test_words_pattern_finds_names_whatever_their_case_and_accents():
    from enlace.core.text import words_pattern

    pattern = words_pattern(["Pérez", "Nuñez", "Ana"])
    text = "perez PEREZ Pérez Peréz Nunez NÚÑEZ Anabel ana Ána Peres"
    assert pattern.sub("[…]", text) == "[…] […] […] […] […] […] Anabel […] […] Peres"
