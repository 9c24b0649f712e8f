"""Text helpers shared by search and exports."""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: 'JOSÉ  Pérez' -> 'jose perez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _variants() -> dict[str, str]:
    """Each unaccented letter → itself and every Latin letter that folds to it ('e' → 'eéèêë…')."""
    found: dict[str, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = fold(char)
        if len(base) == 1 and base.isalpha() and base != char.casefold():
            found[base] = found.get(base, base) + char + char.upper()
    return found


_VARIANTS = _variants()


def words_pattern(words: list[str]) -> "re.Pattern[str]":
    """A pattern matching any of `words` as whole words, whatever their case and accents:
    "Pérez" also finds "PEREZ" and "perez", "Nuñez" finds "Nunez" (how names are retyped)."""

    def loose(word: str) -> str:
        return "".join(
            f"[{re.escape(_VARIANTS[c])}]" if c in _VARIANTS else re.escape(c) for c in fold(word)
        )

    return re.compile(r"\b(?:" + "|".join(loose(w) for w in words) + r")\b", re.IGNORECASE)


# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """Prefix text that a spreadsheet would take for a formula with an apostrophe. Text that
    already starts with apostrophes before such a character gets one more, so that reading
    back (spreadsheet_unsafe) always gives the text written, whatever it was."""
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def spreadsheet_unsafe(value: str) -> str:
    """The text spreadsheet_safe was given: one neutralising apostrophe removed."""
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


# XML 1.0 cannot hold these control characters, and reads a carriage return back as a line feed;
# OOXML (ECMA-376 Part 1, ST_Xstring) writes them as _xHHHH_, and a literal "_xHHHH_" in the
# text as "_x005F_xHHHH_" so it reads back unchanged.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_OOXML_ESCAPE_LIKE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_OOXML_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_escape(text: str) -> str:
    text = _OOXML_ESCAPE_LIKE.sub(r"_x005F_\1", text)
    return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_unescape(text: str) -> str:
    return _OOXML_ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
