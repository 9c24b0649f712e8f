"""Normalisation of person records for Latin American names.

Everything here is deterministic and pure: the same input dict always gives the same
:class:`NormalizedRecord`, so the app can store the normalised form next to the raw record.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from enlace.linkage.dates import PartialDate, estimate_birth_from_age, parse_date

__all__ = [
    "AGNOMES",
    "PARTICLES",
    "NormalizedRecord",
    "canonical_given_names",
    "document_numbers",
    "fold",
    "frequent_names",
    "given_name_lexicon",
    "nicknames",
    "nicknames_by_sex",
    "normalize_record",
    "phonetic",
    "split_full_name",
]

# Articles and prepositions inside compound names ("de la Cruz", "dos Santos", "Ortega y Gasset").
PARTICLES = frozenset(
    {"de", "del", "la", "las", "los", "da", "das", "do", "dos", "di", "du", "van", "von", "y", "e"}
)

# Portuguese and Spanish generational suffixes (agnomes) written after the surnames: "João
# Carlos Silva Filho", "Pedro Alves Neto", "José Júnior". They tell a son from his father or
# grandfather, not a family (Wikipedia (pt) "Agnome"; Wikipedia (en) "Portuguese name",
# section "Agnomen"): never read as a nickname ("Neto" is not a slip of "Beto").
AGNOMES = frozenset(
    {"filho", "filha", "neto", "neta", "bisneto", "bisneta", "sobrinho", "sobrinha", "junior", "jr"}
)

# Letters that NFKD does not decompose into an ASCII base letter plus a combining mark.
_EXTRA_FOLD = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_EXTRA_FOLD_MULTI = {"ß": "ss", "æ": "ae", "œ": "oe"}
_SPACES = re.compile(r"\s+")


# Names, places and dates repeat a lot in a registry: the string functions below are cached
# per distinct value (bounded, so a long-running process does not grow without limit).
_CACHE_SIZE = 1 << 17


def fold(text: object) -> str:
    """Lower-case, strip accents, turn punctuation into spaces and collapse whitespace.

    Apostrophes join (O'Brien -> obrien); hyphens and dots separate (Pérez-Gómez, Ma.).
    Idempotent: ``fold(fold(x)) == fold(x)``.
    """
    if text is None:
        return ""
    return _fold(str(text))


_ASCII_KEEP = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=_CACHE_SIZE)
def _fold(s: str) -> str:
    if not s.isascii():
        # Fast path for Latin letters (José, SÃO, Conceição): each folds on its own to ASCII
        # (see _LATIN_FOLD), so the text folds like its ASCII transliteration.
        t = s.translate(_LATIN_FOLD)
        if t.isascii():
            s = t
    if s.isascii():
        # Fast path, same result: ASCII has nothing to decompose.
        s = s.lower().replace("'", "").replace("`", "")
        return _ASCII_KEEP.sub(" ", s).strip()
    return _fold_unicode(s)


def _fold_unicode(s: str) -> str:
    # Two rounds because case folding can produce new decomposable characters.
    for _ in range(2):
        s = unicodedata.normalize("NFKD", s)
        s = "".join(ch for ch in s if not unicodedata.combining(ch))
        s = s.casefold()
    s = s.translate(_EXTRA_FOLD)
    for src, dst in _EXTRA_FOLD_MULTI.items():
        s = s.replace(src, dst)
    s = s.replace("'", "").replace("’", "").replace("`", "")
    s = "".join(ch if ch.isalnum() else " " for ch in s)
    # Some alphanumerics (e.g. superscripts, ligatures) only fold on a further pass.
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).casefold()
    s = "".join(ch if ch.isalnum() else " " for ch in s)
    return _SPACES.sub(" ", s).strip()


def _latin_fold_table() -> dict[int, str]:
    """Latin-1 and Latin Extended-A/B letters -> what the full fold makes of each alone, when
    that is plain ASCII letters or digits (a precomposed letter decomposes on its own; combining
    marks, which would attach to a neighbour, lie outside this range). Others: no entry."""
    table: dict[int, str] = {}
    for code in range(0x80, 0x250):
        folded = _fold_unicode(chr(code))
        # Checked between two letters too: "Ŀ" folds to "l" alone but to "l " inside a word.
        in_word = _fold_unicode(f"a{chr(code)}a")
        if folded.isascii() and folded.isalnum() and in_word == f"a{folded}a":
            table[code] = folded
        elif not folded and in_word == "a a":
            table[code] = " "
    return table


_LATIN_FOLD = _latin_fold_table()


def _read_data_lines(name: str) -> list[str]:
    text = (
        resources.files("enlace.linkage")
        .joinpath("data")
        .joinpath(name)
        .read_text(encoding="utf-8")
    )
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def nicknames() -> dict[str, tuple[str, ...]]:
    """Nickname/hypocorism -> canonical given names, from ``data/nicknames.csv`` (the first
    reading listed: the one used when the person's sex is not known)."""
    return _nickname_tables()[0]


@cache
def nicknames_by_sex() -> dict[tuple[str, str], tuple[str, ...]]:
    """(nickname, sex) -> canonical given names, for the nicknames whose readings belong to one
    sex each (Chelo: Consuelo for a woman, Marcelo for a man); sex is "f" or "m"."""
    return _nickname_tables()[1]


@cache
def _nickname_tables() -> tuple[dict[str, tuple[str, ...]], dict[tuple[str, str], tuple[str, ...]]]:
    table: dict[str, tuple[str, ...]] = {}
    by_sex: dict[tuple[str, str], tuple[str, ...]] = {}
    for row in csv.DictReader(_read_data_lines("nicknames.csv")):
        key = fold(row["nickname"])
        canonical = tuple(fold(row["canonical"]).split())
        sex = (row.get("sex") or "").strip()
        if not key:
            continue
        if sex:
            by_sex.setdefault((key, sex), canonical)
        elif key not in table:
            table[key] = canonical
    return table, by_sex


@cache
def given_name_lexicon() -> frozenset[str]:
    """Folded given names known to be given names (data file plus nickname targets)."""
    names = {tok for line in _read_data_lines("given_names.txt") for tok in fold(line).split()}
    for canonical in (*nicknames().values(), *nicknames_by_sex().values()):
        names.update(canonical)
    return frozenset(names)


@cache
def frequent_names() -> tuple[frozenset[str], frozenset[str]]:
    """Phonetic keys of the region's most frequent given names and surnames
    (``data/frequent_names.txt``): a match on one of these alone is weak evidence."""
    given: set[str] = set()
    surnames: set[str] = set()
    for line in _read_data_lines("frequent_names.txt"):
        kind, name = line.split(maxsplit=1)
        (given if kind == "given" else surnames).add(phonetic(fold(name)))
    return frozenset(given), frozenset(surnames)


# --- phonetic key for Spanish and Portuguese -------------------------------------------------

_PH_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ph", "f"),
        (r"[cs]h", "\x01"),  # ch / sh: kept apart as one sound
        (r"lh|ll", "y"),  # Portuguese lh, Spanish ll -> y (yeísmo)
        (r"nh", "n"),  # Portuguese nh = ñ (already folded to n)
        (r"g(?=[ei])", "j"),  # ge, gi -> j
        (r"gu(?=[ei])", "g"),  # gue, gui -> g
        (r"qu", "k"),
        (r"c(?=[ei])", "s"),  # ce, ci -> s (seseo)
        (r"[cq]", "k"),
        (r"z", "s"),
        (r"x", "j"),  # México / Méjico, Ximena / Jimena, Xavier / Javier
        (r"[vw]", "b"),
        (r"h", ""),  # silent h
        (r"y(?![aeiou])", "i"),
        (r"nb", "mb"),
        (r"(.)\1+", r"\1"),
        (r"\x01", "ch"),
    )
)


@lru_cache(maxsize=_CACHE_SIZE)
def phonetic(token: str) -> str:
    """Phonetic key of one folded token (b/v, s/z/c, ll/y, silent h, j/g, x/j, qu/k)."""
    s = token
    for pattern, repl in _PH_RULES:
        s = pattern.sub(repl, s)
    return s


# --- names -------------------------------------------------------------------------------------


def _units(tokens: Iterable[str]) -> list[list[str]]:
    """Group tokens into name units: particles attach to the next word (de la cruz)."""
    units: list[list[str]] = []
    pending: list[str] = []
    for tok in tokens:
        if tok in PARTICLES:
            pending.append(tok)
        else:
            units.append([*pending, tok])
            pending = []
    if pending:
        if units:
            units[-1].extend(pending)
        else:
            units.append(pending)
    return units


def _core(unit: Sequence[str]) -> list[str]:
    core = [t for t in unit if t not in PARTICLES]
    return core or list(unit)


def _dedupe(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def canonical_given_names(text: object, sex: str = "") -> tuple[str, ...]:
    """Folded given names with particles dropped and nicknames replaced by canonical names.

    ``sex`` ("f", "m" or "" when unknown) picks the reading of a nickname whose readings belong
    to one sex each (Chelo: Consuelo or Marcelo; see :func:`nicknames_by_sex`)."""
    return _canonical_given_names(fold(text), sex)


@lru_cache(maxsize=_CACHE_SIZE)
def _canonical_given_names(folded: str, sex: str = "") -> tuple[str, ...]:
    table = nicknames()
    by_sex = nicknames_by_sex() if sex else {}
    out: list[str] = []
    for tok in folded.split():
        if tok in PARTICLES:
            continue
        reading = by_sex.get((tok, sex)) or table.get(tok) or _misspelt_nickname(tok, sex)
        out.extend(reading or (tok,))
    return _dedupe(out)


# A nickname is often written down by ear, or typed with one slip, like any name: "Rfaa" for
# Rafa (Rafael), "Meom" for Memo (Guillermo), "Tmre" for Tere (Teresa), "Loaa" for Lola
# (Dolores), "Cheep" for Chepe (José). An unknown word of four letters or more that is one slip
# (a letter dropped, added or changed, or two swapped) from nicknames of four letters or more
# that all read as one name, and from no known given name (a typo of a full name is the
# comparison's "within one edit" level), is read as that name.
_MISSPELT_MIN = 4
# Hypocorisms of several names at once that the nickname list therefore leaves out: each is a
# word in its own right, not a slip of a listed one ("Naldo" for Reinaldo, Ronaldo or Arnaldo
# is not "Nando" mistyped).
_UNRESOLVED_HYPOCORISMS = frozenset({"naldo"})


@cache
def _nickname_keys() -> tuple[str, ...]:
    keys = {k for k in nicknames() if len(k) >= _MISSPELT_MIN}
    keys.update(k for k, _ in nicknames_by_sex() if len(k) >= _MISSPELT_MIN)
    return tuple(sorted(keys))


@cache
def _lexicon_keys() -> tuple[str, ...]:
    return tuple(sorted(given_name_lexicon()))


def _one_slip(word: str, choices: Sequence[str]) -> list[str]:
    found = process.extract(word, choices, scorer=OSA.distance, score_cutoff=1, limit=None)
    return [choice for choice, _, _ in found]


@lru_cache(maxsize=_CACHE_SIZE)
def _misspelt_nickname(tok: str, sex: str = "") -> tuple[str, ...] | None:
    """The reading of the nicknames one slip from ``tok`` when they agree (None otherwise)."""
    if len(tok) < _MISSPELT_MIN or not tok.isalpha():
        return None
    lexicon = given_name_lexicon()
    if tok in lexicon or tok in AGNOMES or tok in _UNRESOLVED_HYPOCORISMS:
        return None
    near = _one_slip(tok, _nickname_keys())
    if not near:
        return None
    table, by_sex = nicknames(), nicknames_by_sex()
    readings = {by_sex.get((key, sex)) or table.get(key) for key in near}
    readings.discard(None)
    if len(readings) != 1 or _one_slip(tok, _lexicon_keys()):
        return None
    return readings.pop()


def _is_given(unit: Sequence[str]) -> bool:
    if len(unit) != 1:
        return False
    tok = unit[0]
    return tok in given_name_lexicon() or tok in nicknames()


def split_full_name(text: object) -> tuple[str, str]:
    """Split a full name typed in one field into (given names, surnames), both folded.

    The first word and the known given names (or nicknames) after it are given names; the
    rest are surnames. With no surname left, the last two words (one if only two) become surnames.
    """
    units = _units(fold(text).split())
    if len(units) < 2:
        return " ".join(" ".join(u) for u in units), ""
    # The first word is a given name even when unknown or mistyped ("Leitcia Mariana García").
    lead = 1
    for unit in units[1:]:
        if not _is_given(unit):
            break
        lead += 1
    n = len(units)
    k = max(1, n - 2) if lead == n else min(lead, n - 1)
    given = " ".join(" ".join(u) for u in units[:k])
    surnames = " ".join(" ".join(u) for u in units[k:])
    return given, surnames


_SEX = {
    "m": "m",
    "h": "m",
    "v": "m",
    "male": "m",
    "masculino": "m",
    "hombre": "m",
    "varon": "m",
    "homem": "m",
    "f": "f",
    "female": "f",
    "femenino": "f",
    "feminino": "f",
    "mujer": "f",
    "mulher": "f",
}

# Country names, demonyms and codes seen in the region -> ISO 3166-1 alpha-2 (lower case).
_COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "mx": ("mexico", "mexicana", "mexicano", "mex", "mejico"),
    "gt": ("guatemala", "guatemalteca", "guatemalteco", "gtm"),
    "hn": ("honduras", "hondurena", "hondureno", "hnd"),
    "sv": ("el salvador", "salvador", "salvadorena", "salvadoreno", "slv"),
    "ni": ("nicaragua", "nicaraguense", "nic"),
    "cr": ("costa rica", "costarricense", "cri"),
    "pa": ("panama", "panamena", "panameno", "pan"),
    "co": ("colombia", "colombiana", "colombiano", "col"),
    "ve": ("venezuela", "venezolana", "venezolano", "ven"),
    "ec": ("ecuador", "ecuatoriana", "ecuatoriano", "ecu"),
    "pe": ("peru", "peruana", "peruano", "per"),
    "bo": ("bolivia", "boliviana", "boliviano", "bol"),
    "cl": ("chile", "chilena", "chileno", "chl"),
    "ar": ("argentina", "argentino", "arg"),
    "uy": ("uruguay", "uruguaya", "uruguayo", "ury"),
    "py": ("paraguay", "paraguaya", "paraguayo", "pry"),
    "br": ("brasil", "brazil", "brasilena", "brasileno", "brasileira", "brasileiro", "bra"),
    "cu": ("cuba", "cubana", "cubano", "cub"),
    "ht": ("haiti", "haitiana", "haitiano", "hti"),
    "do": ("republica dominicana", "dominicana", "dominicano", "dom"),
    "us": ("estados unidos", "usa", "eeuu", "united states"),
}
_COUNTRY = {alias: code for code, aliases in _COUNTRY_ALIASES.items() for alias in aliases}
_COUNTRY.update({code: code for code in _COUNTRY_ALIASES})


@lru_cache(maxsize=4096)
def _country(text: str) -> str:
    folded = fold(text)
    return _COUNTRY.get(folded, folded)


@dataclass(frozen=True, slots=True)
class NormalizedRecord:
    """A person record in comparable form; what the scorer and the blocking keys read."""

    id: str
    given: tuple[str, ...] = ()
    given_ph: tuple[str, ...] = ()
    surnames: tuple[str, ...] = ()
    surnames_ph: tuple[str, ...] = ()
    sex: str = ""
    birth_year: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    birth_precision: str = "none"
    birth_place: str = ""
    nationality: str = ""
    mother: tuple[str, ...] = ()
    mother_ph: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()

    @property
    def given_str(self) -> str:
        return " ".join(self.given)

    @property
    def mother_str(self) -> str:
        return " ".join(self.mother)

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict (tuples become lists); inverse of :meth:`from_dict`."""
        # Every field is flat (str, int, None or a tuple of str): no need for asdict's deep copy,
        # which cost most of a relink's time per person.
        out: dict[str, Any] = {}
        for key in self.__dataclass_fields__:
            value = getattr(self, key)
            out[key] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NormalizedRecord:
        """Rebuild a record stored with :meth:`to_dict`."""
        kwargs: dict[str, Any] = {}
        for name in cls.__dataclass_fields__:
            if name not in data:
                continue
            value = data[name]
            kwargs[name] = tuple(value) if isinstance(value, list) else value
        return cls(**kwargs)


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from pandas
        return ""
    return str(value)


def _birth(raw: Mapping[str, Any]) -> PartialDate:
    date = parse_date(_text(raw, "birth_date"))
    if date.year is None and _text(raw, "age").strip():
        return estimate_birth_from_age(_text(raw, "age"), _text(raw, "age_reported_on"))
    return date


Units = tuple[tuple[str, ...], ...]


@lru_cache(maxsize=_CACHE_SIZE)
def _field_units(text: str) -> Units:
    return tuple(tuple(u) for u in _units(_fold(text).split())) if text else ()


@lru_cache(maxsize=_CACHE_SIZE)
def _given_block(units: Units, sex: str = "") -> tuple[tuple[str, ...], tuple[str, ...]]:
    given = _canonical_given_names(" ".join(" ".join(u) for u in units), sex)
    return given, _dedupe(phonetic(t) for t in given)


@lru_cache(maxsize=_CACHE_SIZE)
def _surname_block(units: Units) -> tuple[tuple[str, ...], tuple[str, ...]]:
    surnames = _dedupe(tok for unit in units for tok in _core(unit))
    return surnames, _dedupe(phonetic(t) for t in surnames)


@lru_cache(maxsize=_CACHE_SIZE)
def _mother_block(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    mother = _canonical_given_names(_fold(text)) if text else ()
    return mother, _dedupe(phonetic(t) for t in mother)


@lru_cache(maxsize=4096)
def _sex(text: str) -> str:
    return _SEX.get(_fold(text), "") if text else ""


_DOCUMENT_SEPARATORS = re.compile(r"[;,|\n]+")
_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# Shorter numbers are too easily shared by chance to count as evidence.
MIN_DOCUMENT_LENGTH = 5


@lru_cache(maxsize=_CACHE_SIZE)
def document_numbers(text: str) -> tuple[str, ...]:
    """Identity document numbers (passport, national ID, consular ID...) in comparable form.

    Several numbers may be given separated by ``;``, ``,``, ``|`` or new lines. Letters are
    upper-cased, spaces, dots and dashes dropped ("AB-123 456" = "AB123456"); numbers shorter
    than :data:`MIN_DOCUMENT_LENGTH` and placeholders made of one repeated character
    ("000000", "AAAAAA") are left out. Sorted, without repeats.
    """
    out = set()
    for part in _DOCUMENT_SEPARATORS.split(text):
        number = _NOT_ALNUM.sub("", _fold(part).upper())
        if len(number) >= MIN_DOCUMENT_LENGTH and len(set(number)) > 1:
            out.add(number)
    return tuple(sorted(out))


def normalize_record(raw: Mapping[str, Any]) -> NormalizedRecord:
    """Normalise one raw record (keys as in the CSV input; all but ``id`` optional).

    Optional extra keys ``age`` and ``age_reported_on`` (ISO date) give an estimated birth
    year when ``birth_date`` is empty; ``document_number`` holds identity document numbers
    (see :func:`document_numbers`).
    """
    given_text = _text(raw, "given_names")
    first_units = _field_units(_text(raw, "first_surname"))
    second_units = _field_units(_text(raw, "second_surname"))

    if not first_units and not second_units:
        given_text, first_text = split_full_name(given_text)
        first_units = _field_units(first_text)

    given_units = list(_field_units(given_text))
    surname_units = [*first_units, *second_units]

    # A foreign form (First / Middle / Last) pushes the paternal surname into the given names:
    # "Jesus Perez" + "Gomez". Move a trailing unknown word back when only one surname is left.
    if len(given_units) >= 2 and len(surname_units) == 1 and not _is_given(given_units[-1]):
        surname_units.insert(0, given_units.pop())

    sex = _sex(_text(raw, "sex"))
    given, given_ph = _given_block(tuple(given_units), sex)
    surnames, surnames_ph = _surname_block(tuple(surname_units))
    mother, mother_ph = _mother_block(_text(raw, "mother_name"))
    birth = _birth(raw)

    return NormalizedRecord(
        id=_text(raw, "id"),
        given=given,
        given_ph=given_ph,
        surnames=surnames,
        surnames_ph=surnames_ph,
        sex=sex,
        birth_year=birth.year,
        birth_month=birth.month,
        birth_day=birth.day,
        birth_precision=birth.precision,
        birth_place=_fold(_text(raw, "birth_place")),
        nationality=_country(_text(raw, "nationality")),
        mother=mother,
        mother_ph=mother_ph,
        documents=document_numbers(_text(raw, "document_number")),
    )
