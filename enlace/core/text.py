"""Text helpers shared by search and exports."""

import re
import unicodedata


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces: 'JOSÉ  Pérez' -> 'jose perez'."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


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
