"""Normalisation rules, one test per rule, plus property tests."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from enlace.linkage.normalize import (
    NormalizedRecord,
    canonical_given_names,
    fold,
    nicknames,
    normalize_record,
    phonetic,
    split_full_name,
)


def test_case_and_accent_folding() -> None:
    assert fold("  JOSÉ   Ñúñez-Álvarez ") == "jose nunez alvarez"
    assert fold("O'Higgins") == "ohiggins"


def test_two_surnames_and_particles() -> None:
    rec = normalize_record(
        {
            "id": "1",
            "given_names": "María",
            "first_surname": "de la Cruz",
            "second_surname": "dos Santos",
        }
    )
    assert rec.surnames == ("cruz", "santos")


def test_hyphenated_surname_gives_two_surnames() -> None:
    rec = normalize_record({"id": "1", "given_names": "Ana", "first_surname": "Pérez-Gómez"})
    assert rec.surnames == ("perez", "gomez")


def test_full_name_in_one_field() -> None:
    assert split_full_name("Jesús Alberto Pérez Gómez") == ("jesus alberto", "perez gomez")
    rec = normalize_record({"id": "1", "given_names": "Juan de la Cruz López"})
    assert rec.given == ("juan",)
    assert rec.surnames == ("cruz", "lopez")


def test_brazilian_order_keeps_same_surname_set() -> None:
    a = normalize_record(
        {"id": "1", "given_names": "João", "first_surname": "Silva", "second_surname": "Santos"}
    )
    b = normalize_record(
        {"id": "2", "given_names": "Joao", "first_surname": "Santos", "second_surname": "Silva"}
    )
    assert set(a.surnames_ph) == set(b.surnames_ph)


def test_surname_pushed_into_given_names_by_foreign_form() -> None:
    rec = normalize_record({"id": "1", "given_names": "Jesus Perez", "first_surname": "Gomez"})
    assert rec.given == ("jesus",)
    assert rec.surnames == ("perez", "gomez")


def test_nicknames() -> None:
    assert canonical_given_names("Chuy") == ("jesus",)
    assert canonical_given_names("Pepe") == ("jose",)
    assert canonical_given_names("Lupe") == ("guadalupe",)
    assert canonical_given_names("Paco") == canonical_given_names("Pancho") == ("francisco",)
    assert canonical_given_names("Ma. de los Ángeles") == ("maria", "angeles")


def test_nickname_targets_are_not_nicknames() -> None:
    table = nicknames()
    for canonical in table.values():
        for name in canonical:
            assert name not in table, name


def test_phonetic_equivalences() -> None:
    pairs = [
        ("vasquez", "basquez"),  # b/v
        ("gonzalez", "gonsales"),  # s/z
        ("cecilia", "sesilia"),  # c/s
        ("guillermo", "guiyermo"),  # ll/y
        ("hernandez", "ernandez"),  # silent h
        ("jimenez", "gimenez"),  # j/g
        ("ximena", "jimena"),  # x/j
        ("quintero", "kintero"),  # qu/k
        ("carvalho", "carvallo"),  # pt lh / es ll
    ]
    for a, b in pairs:
        assert phonetic(a) == phonetic(b), (a, b)
    assert phonetic("garcia") != phonetic("gracia")


def test_sex_and_nationality() -> None:
    rec = normalize_record({"id": "1", "sex": "Femenino", "nationality": "hondureña"})
    assert rec.sex == "f"
    assert rec.nationality == "hn"


def test_to_dict_round_trip() -> None:
    rec = normalize_record(
        {"id": "7", "given_names": "Lupita", "first_surname": "Ríos", "birth_date": "2001-03"}
    )
    data = rec.to_dict()
    assert isinstance(data["given"], list)
    assert NormalizedRecord.from_dict(data) == rec


_LATIN = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúüñç ÁÉÍÓÚÑ-'.", max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "given_names",
                "first_surname",
                "second_surname",
                "sex",
                "birth_date",
                "birth_place",
                "nationality",
                "mother_name",
                "age",
            ]
        ),
        st.text(max_size=40),
    )
)
def test_normalize_never_crashes(raw: dict[str, str]) -> None:
    rec = normalize_record({"id": "x", **raw})
    assert isinstance(rec.to_dict(), dict)


@settings(max_examples=200, deadline=None)
@given(_LATIN, _LATIN)
def test_normalize_is_accent_insensitive(given_names: str, surname: str) -> None:
    def strip(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))

    a = normalize_record({"id": "1", "given_names": given_names, "first_surname": surname})
    b = normalize_record(
        {"id": "1", "given_names": strip(given_names).upper(), "first_surname": strip(surname)}
    )
    assert a == b


@settings(max_examples=200, deadline=None)
@given(_LATIN)
def test_canonical_given_names_idempotent(text: str) -> None:
    once = canonical_given_names(text)
    assert canonical_given_names(" ".join(once)) == once


def test_document_numbers() -> None:
    from enlace.linkage.normalize import document_numbers

    assert document_numbers("AB-123 456; g.1234567 | 000000, 12") == ("AB123456", "G1234567")
    assert document_numbers("Ñ 12345\n  ") == ("N12345",)  # folded like names
    assert document_numbers("") == ()
    rec = normalize_record({"id": "1", "document_number": "mx 0123-4567"})
    assert rec.documents == ("MX01234567",)
    assert NormalizedRecord.from_dict(rec.to_dict()) == rec
    # A record stored before documents were normalised still loads (no documents).
    stored = rec.to_dict()
    del stored["documents"]
    assert NormalizedRecord.from_dict(stored).documents == ()


def test_fold_fast_path_equals_the_full_unicode_fold() -> None:
    """Latin letters are folded through a per-letter table; same result as the full fold."""
    import random

    from enlace.linkage.normalize import _fold, _fold_unicode

    rng = random.Random(11)
    chars = [chr(c) for c in range(0x20, 0x250)] + ["’", "\u0301", "ʼ", "ﬁ", "·"]
    samples = ["José María", "CONCEIÇÃO", "Ŀlorenç", "Łukasz Øster", "Müller-Straße", "ǅemal"]
    samples += ["".join(rng.choice(chars) for _ in range(rng.randint(1, 12))) for _ in range(5000)]
    for text in samples:
        assert _fold(text) == _fold_unicode(text), text
