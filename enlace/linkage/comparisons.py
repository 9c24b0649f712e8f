"""The Fellegi-Sunter comparisons, written once and evaluated twice.

Each level has a SQL condition (for Splink on DuckDB or Spark) and a Python predicate (for the
online :class:`~enlace.linkage.scoring.Scorer`). Both read the same normalised columns, so a
pair gets the same level in batch and online. ``tests/test_scoring.py`` checks this.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from enlace.linkage.dates import FAR_YEARS, date_level
from enlace.linkage.normalize import NormalizedRecord, frequent_names

__all__ = [
    "COMPARISONS",
    "GIVEN_DIFFERS_COLUMN",
    "GIVEN_DIFFERS_INLINE_SQL",
    "GIVEN_DIFFERS_MACRO",
    "GIVEN_DIFFERS_SQL",
    "PAIR_SUBEXPRESSIONS",
    "TABLE_COLUMNS",
    "WITHIN_ONE_EDIT_COLUMN",
    "WITHIN_ONE_EDIT_SQL",
    "Comparison",
    "Dialect",
    "Level",
    "duckdb_macros",
    "frequent_given",
    "frequent_mother",
    "frequent_surnames",
    "full_date",
    "given_differs_sql_reading",
    "given_letters",
    "read_pair_columns",
    "record_to_row",
]

Dialect = Literal["duckdb", "spark"]
Rec = NormalizedRecord
Test = Callable[[Rec, Rec], bool]


def jw(a: str, b: str) -> float:
    """Jaro-Winkler similarity (prefix weight 0.1), same numbers as DuckDB's and Splink's."""
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


def _first(xs: Sequence[str]) -> str:
    return xs[0] if xs else ""


def _common(a: Sequence[str], b: Sequence[str]) -> int:
    return len(set(a) & set(b))


def _two_similar(a: Sequence[str], b: Sequence[str]) -> bool:
    """Both surnames match someone's, allowing typos, in either order."""
    if len(a) < 2 or len(b) < 2:
        return False
    return (jw(a[0], b[0]) >= 0.88 and jw(a[1], b[1]) >= 0.88) or (
        jw(a[0], b[1]) >= 0.88 and jw(a[1], b[0]) >= 0.88
    )


def _max_jw_pairs(a: Sequence[str], b: Sequence[str]) -> float:
    return max((jw(x, y) for x in a[:2] for y in b[:2]), default=0.0)


# --- given names typed with one slip ---------------------------------------------------------
# Clerks and relatives drop, add or change one letter of a given name, or swap two: Matín,
# Gulio, Franciso, Naatlia, Gorge. On the phonetic keys (b/v, s/z/c, ll/y, h-, j/g, x/j and
# ç/ss are already one sound there) one such slip is one edit (optimal string alignment).
# Names shorter than four letters are left out (Ana / Ada / Eva), and so are masculine and
# feminine forms of one name, which differ only in a final vowel or an added -a (Juan / Juana,
# Paulo / Paula, Mario / María, Gabriel / Gabriela): they are brothers and sisters.
_TYPO_MIN_LONGER = 4
_TYPO_MIN_SHORTER = 3


def _stem(name: str) -> str:
    return name[:-1] if name[-1:] in ("a", "e", "i", "o", "u") else name


def _name_typo(x: str, y: str) -> bool:
    """Two different name keys one slip apart, not a masculine/feminine pair."""
    return (
        max(len(x), len(y)) >= _TYPO_MIN_LONGER
        and min(len(x), len(y)) >= _TYPO_MIN_SHORTER
        and _stem(x) != _stem(y)
        and OSA.distance(x, y, score_cutoff=1) <= 1
    )


def _covered(xs: Sequence[str], ys: Sequence[str]) -> bool:
    return all(any(x == y or _name_typo(x, y) for y in ys) for x in xs)


def _names_within_one_edit(a: Sequence[str], b: Sequence[str]) -> bool:
    """Every given name of one side equals, or is one slip from, a given name of the other."""
    return bool(a and b) and (_covered(a, b) or _covered(b, a))


NAMES_WITHIN_ONE_EDIT_MACRO = "enlace_names_within_one_edit"


def _within_one_edit_expr(s: _Sql, a: str, b: str) -> str:
    """SQL of :func:`_names_within_one_edit` on two list columns (or macro parameters)."""

    def typo(x: str, y: str) -> str:
        lx, ly = f"length({x})", f"length({y})"
        vowel = "IN ('a', 'e', 'i', 'o', 'u')"
        # _stem(x) = _stem(y) for two different keys, without regular expressions.
        same_stem = (
            f"((left({x}, {lx} - 1) = {y} AND right({x}, 1) {vowel} AND right({y}, 1) NOT {vowel})"
            f" OR (left({y}, {ly} - 1) = {x} AND right({y}, 1) {vowel} "
            f"AND right({x}, 1) NOT {vowel}) OR ({lx} = {ly} "
            f"AND left({x}, {lx} - 1) = left({y}, {ly} - 1) AND right({x}, 1) {vowel} "
            f"AND right({y}, 1) {vowel}))"
        )
        lev = f"levenshtein({x}, {y})"
        if s.dialect == "spark":  # no Damerau-Levenshtein: one adjacent swap spelt out
            swap = (
                f"exists(sequence(1, {lx} - 1), i -> concat(substr({x}, 1, i - 1), "
                f"substr({x}, i + 1, 1), substr({x}, i, 1), substr({x}, i + 2)) = {y})"
            )
        else:
            swap = f"damerau_levenshtein({x}, {y}) <= 1"
        # CASE, cheapest tests first: most pairs of names are far apart and stop at the lengths;
        # Damerau-Levenshtein (slow in DuckDB) only where a swap is possible (Levenshtein 2).
        return (
            f"({x} = {y} OR CASE WHEN abs({lx} - {ly}) > 1 "
            f"OR greatest({lx}, {ly}) < {_TYPO_MIN_LONGER} "
            f"OR least({lx}, {ly}) < {_TYPO_MIN_SHORTER} THEN false "
            f"WHEN {lev} <= 1 THEN NOT {same_stem} "
            f"WHEN {lx} = {ly} AND {lev} = 2 THEN {swap} AND NOT {same_stem} "
            "ELSE false END)"
        )

    def covered(xs: str, ys: str) -> str:
        if s.dialect == "spark":
            return f"forall({xs}, x -> exists({ys}, y -> {typo('x', 'y')}))"
        return (
            f"list_bool_and(list_transform({xs}, lambda x: "
            f"list_bool_or(list_transform({ys}, lambda y: {typo('x', 'y')}))))"
        )

    return f"coalesce({covered(a, b)} OR {covered(b, a)}, false)"


def given_letters(rec: Rec) -> int | None:
    """The letters of the record's given names (phonetic keys) as bits: a to z, then one bit
    for anything else. None without given names."""
    return _letter_bits(rec.given_ph) if rec.given_ph else None


@lru_cache(maxsize=1 << 16)
def _letter_bits(names: tuple[str, ...]) -> int:
    bits = 0
    for name in names:
        for ch in name:
            bits |= 1 << (ord(ch) - 97 if "a" <= ch <= "z" else 26)
    return bits


def _within_one_edit_sql(s: _Sql) -> str:
    a, b = c("gn_ph", _L), c("gn_ph", _R)
    test = (
        f"{NAMES_WITHIN_ONE_EDIT_MACRO}({a}, {b})"
        if s.dialect == "duckdb"
        else _within_one_edit_expr(s, a, b)
    )
    # A cheap necessary condition first: if every name of one side is one slip from a name of
    # the other, that side has at most one letter per name that the other side lacks.
    la, lb = c("gn_bits", _L), c("gn_bits", _R)
    fits = f"bit_count({la} & ~{lb}) <= {s.size(a)} OR bit_count({lb} & ~{la}) <= {s.size(b)}"
    return f"CASE WHEN {fits} THEN {test} ELSE false END"


class _Sql:
    """The few SQL functions the levels need, per backend (lists are 1-based here)."""

    def __init__(self, dialect: Dialect) -> None:
        self.dialect = dialect

    def has_any(self, a: str, b: str) -> str:
        if self.dialect == "spark":
            return f"arrays_overlap({a}, {b})"
        return f"list_has_any({a}, {b})"

    def contains_all(self, a: str, b: str) -> str:
        if self.dialect == "spark":
            return f"(size(array_except({b}, {a})) = 0)"
        return f"list_has_all({a}, {b})"

    def n_common(self, a: str, b: str) -> str:
        if self.dialect == "spark":
            return f"size(array_intersect({a}, {b}))"
        return f"len(list_intersect({a}, {b}))"

    def size(self, a: str) -> str:
        return f"size({a})" if self.dialect == "spark" else f"len({a})"

    def jw(self, a: str, b: str) -> str:
        if self.dialect == "spark":
            return f"jaro_winkler({a}, {b})"
        return f"jaro_winkler_similarity({a}, {b})"

    def intersect(self, a: str, b: str) -> str:
        if self.dialect == "spark":
            return f"array_intersect({a}, {b})"
        return f"list_intersect({a}, {b})"

    def elem(self, a: str, i: int) -> str:
        return f"try_element_at({a}, {i})" if self.dialect == "spark" else f"{a}[{i}]"


@dataclass(frozen=True)
class Level:
    """One agreement level: label, SQL condition builder, Python predicate, default m/u."""

    label: str
    sql: Callable[[_Sql], str]
    test: Test
    m: float = 0.0
    u: float = 0.0
    is_null: bool = False


@dataclass(frozen=True)
class Comparison:
    """One field's comparison: an ordered list of levels, the first that holds wins."""

    name: str
    description: str
    levels: tuple[Level, ...]
    # Optional fast path returning the level label directly (must agree with the tests).
    classify: Callable[[Rec, Rec], str] | None = None

    def level_index(self, a: Rec, b: Rec) -> int:
        if self.classify is not None:
            return self.label_index(self.classify(a, b))
        return self.level_index_by_tests(a, b)

    def label_index(self, label: str) -> int:
        for i, level in enumerate(self.levels):
            if level.label == label:
                return i
        raise ValueError(f"{self.name} has no level {label!r}")

    def level_index_by_tests(self, a: Rec, b: Rec) -> int:
        """The level from the predicates, in order (the reference for ``classify``)."""
        for i, level in enumerate(self.levels):
            if level.test(a, b):
                return i
        return len(self.levels) - 1

    def splink_dict(self, dialect: Dialect) -> dict[str, object]:
        sql = _Sql(dialect)
        levels: list[dict[str, object]] = []
        for level in self.levels:
            entry: dict[str, object] = {
                "sql_condition": _quote_for(dialect, level.sql(sql)),
                "label_for_charts": level.label,
            }
            if level.is_null:
                entry["is_null_level"] = True
            else:
                entry["m_probability"] = level.m
                entry["u_probability"] = level.u
            levels.append(entry)
        return {
            "output_column_name": self.name,
            "comparison_description": self.description,
            "comparison_levels": levels,
        }


_DOUBLE_QUOTED = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')


def _quote_for(dialect: Dialect, sql: str) -> str:
    """Identifiers are written "col_l"; Spark SQL reads double quotes as string literals, so
    they become `col_l` there (the levels contain no string literals)."""
    if dialect == "spark":
        return _DOUBLE_QUOTED.sub(r"`\1`", sql)
    return sql


def _null(col: str) -> Callable[[_Sql], str]:
    return lambda s: f'"{col}_l" IS NULL OR "{col}_r" IS NULL'


_L, _R = "_l", "_r"


def c(col: str, side: str) -> str:
    return f'"{col}{side}"'


# --- frequent names (a two-bin term-frequency adjustment) ------------------------------------
# "Same given name" or "same surname" says less when the name is María, José, Silva or
# Hernández (``data/frequent_names.txt``): such agreements get their own, lower-weighted
# levels, learnt by the model like the others.
FREQUENT_GIVEN, FREQUENT_SURNAMES = frequent_names()


def frequent_given(rec: Rec) -> tuple[str, ...]:
    """The record's given names (phonetic keys) that are among the most frequent."""
    return tuple(g for g in rec.given_ph if g in FREQUENT_GIVEN)


def frequent_surnames(rec: Rec) -> tuple[str, ...]:
    """The record's surnames (phonetic keys) that are among the most frequent."""
    return tuple(x for x in rec.surnames_ph if x in FREQUENT_SURNAMES)


FREQUENT_NAMES = FREQUENT_GIVEN | FREQUENT_SURNAMES


def frequent_mother(rec: Rec) -> tuple[str, ...]:
    """The words of the mother's name (phonetic keys) that are among the most frequent given
    names or surnames (a mother's name holds both)."""
    return tuple(x for x in rec.mother_ph if x in FREQUENT_NAMES)


def _all_frequent(xs: Sequence[str] | set[str], names: frozenset[str]) -> bool:
    return bool(xs) and all(x in names for x in xs)


def _shared_all_frequent_sql(s: _Sql, col: str, fq: str) -> str:
    """SQL: the names the two sides share are all frequent (and there is at least one):
    the frequent ones of the left side that the right side has are all that they share."""
    shared = s.n_common(c(col, _L), c(col, _R))
    return f"coalesce({shared} > 0 AND {s.n_common(c(fq, _L), c(col, _R))} = {shared}, false)"


def _given_shared_frequent_sql(s: _Sql) -> str:
    return _shared_all_frequent_sql(s, "gn_ph", "gn_fq")


def _surnames_shared_frequent_sql(s: _Sql) -> str:
    return _shared_all_frequent_sql(s, "sn_ph", "sn_fq")


def _given_shared_frequent(a: Rec, b: Rec) -> bool:
    return _all_frequent(set(a.given_ph) & set(b.given_ph), FREQUENT_GIVEN)


def _surnames_shared_frequent(a: Rec, b: Rec) -> bool:
    return _all_frequent(set(a.surnames_ph) & set(b.surnames_ph), FREQUENT_SURNAMES)


# --- fast paths for the online scorer: the same levels in one pass (tests check agreement) --


def _classify_given(a: Rec, b: Rec) -> str:
    ga, gb = a.given_ph, b.given_ph
    if not ga or not gb:
        return "null"
    sa, sb = set(ga), set(gb)
    if ga == gb:
        return "exact_frequent" if _all_frequent(sa, FREQUENT_GIVEN) else "exact"
    if sa <= sb or sb <= sa:
        frequent = _all_frequent(sa & sb, FREQUENT_GIVEN)
        return "one_contains_other_frequent" if frequent else "one_contains_other"
    if _names_within_one_edit(ga, gb):
        return "within_one_edit"
    if sa & sb:
        return "some_name_shared"
    if jw(a.given_str, b.given_str) >= 0.9 or jw(_first(a.given), _first(b.given)) >= 0.9:
        return "similar"
    if _swapped(a, b):
        return "swapped_with_surnames"
    return "different"


def _classify_surnames(a: Rec, b: Rec) -> str:
    sa, sb = a.surnames_ph, b.surnames_ph
    if not sa or not sb or _given_differs(a, b):
        return "null_or_given_names_differ"
    shared = set(sa) & set(sb)
    n = len(shared)
    if n >= 2:
        return "two_shared_frequent" if _all_frequent(shared, FREQUENT_SURNAMES) else "two_shared"
    if _two_similar(a.surnames, b.surnames):
        return "two_similar"
    if n >= 1:
        if len(sa) == 1 or len(sb) == 1:
            if _all_frequent(shared, FREQUENT_SURNAMES):
                return "one_shared_other_missing_frequent"
            return "one_shared_other_missing"
        return "one_shared"
    if _max_jw_pairs(a.surnames, b.surnames) >= 0.88:
        return "similar"
    if _swapped(a, b):
        return "swapped_with_given"
    return "different"


def _classify_place(a: Rec, b: Rec) -> str:
    if not a.birth_place or not b.birth_place or _given_differs(a, b):
        return "null_or_given_names_differ"
    if a.birth_place == b.birth_place:
        return "exact"
    return "similar" if jw(a.birth_place, b.birth_place) >= 0.88 else "different"


def _classify_nationality(a: Rec, b: Rec) -> str:
    if not a.nationality or not b.nationality or _given_differs(a, b):
        return "null_or_given_names_differ"
    return "exact" if a.nationality == b.nationality else "different"


def _classify_mother(a: Rec, b: Rec) -> str:
    ma, mb = a.mother_ph, b.mother_ph
    if not ma or not mb or _given_differs(a, b):
        return "null_or_given_names_differ"
    if ma == mb:
        return "exact"
    n = len(set(ma) & set(mb))
    if n >= 2:
        if _both_add(ma, mb):
            return "two_words_each_adds"
        if _all_frequent(set(ma) & set(mb), FREQUENT_NAMES):
            return "two_words_frequent"
        return "two_shared"
    if jw(a.mother_str, b.mother_str) >= 0.9:
        return "similar"
    return "one_shared" if n >= 1 else "different"


def _both_add(a: Sequence[str], b: Sequence[str]) -> bool:
    """Each side has a word the other lacks (neither name holds all of the other's words)."""
    sa, sb = set(a), set(b)
    return not (sa <= sb or sb <= sa)


def _classify_sex(a: Rec, b: Rec) -> str:
    if not a.sex or not b.sex:
        return "null"
    return "exact" if a.sex == b.sex else "different"


# --- given names -------------------------------------------------------------------------


def _swapped_sql(s: _Sql) -> str:
    """Given names typed in the surname field and the other way round (on either side)."""
    return (
        f"coalesce({s.has_any(c('gn_ph', _L), c('sn_ph', _R))} "
        f"AND {s.has_any(c('sn_ph', _L), c('gn_ph', _R))}, false)"
    )


def _swapped(a: Rec, b: Rec) -> bool:
    return bool(set(a.given_ph) & set(b.surnames_ph) and set(a.surnames_ph) & set(b.given_ph))


def _same_full_date_sql(s: _Sql) -> str:
    # Reads "dob" (the full date as text), not b_year/b_month/b_day: Splink then still trains
    # the family comparisons in an EM session blocked on the birth date columns.
    return 'coalesce("dob_l" = "dob_r", false)'


def _same_full_date(a: Rec, b: Rec) -> bool:
    return (
        a.birth_day is not None
        and a.birth_year == b.birth_year
        and a.birth_month == b.birth_month
        and a.birth_day == b.birth_day
    )


GIVEN = Comparison(
    "given_names",
    "Given names after nickname resolution, compared on phonetic keys",
    (
        Level("null", _null("gn_ph"), lambda a, b: not a.given_ph or not b.given_ph, is_null=True),
        Level(
            "exact_frequent",
            lambda s: f"{c('gn_ph', _L)} = {c('gn_ph', _R)} AND {_given_shared_frequent_sql(s)}",
            lambda a, b: a.given_ph == b.given_ph and _given_shared_frequent(a, b),
            0.30,
            0.0015,
        ),
        Level(
            "exact",
            lambda s: f"{c('gn_ph', _L)} = {c('gn_ph', _R)}",
            lambda a, b: a.given_ph == b.given_ph,
            0.40,
            0.0005,
        ),
        Level(
            "one_contains_other_frequent",
            lambda s: (
                f"({s.contains_all(c('gn_ph', _L), c('gn_ph', _R))} OR "
                f"{s.contains_all(c('gn_ph', _R), c('gn_ph', _L))}) AND "
                f"{_given_shared_frequent_sql(s)}"
            ),
            lambda a, b: (
                (set(a.given_ph) <= set(b.given_ph) or set(b.given_ph) <= set(a.given_ph))
                and _given_shared_frequent(a, b)
            ),
            0.06,
            0.0019,
        ),
        Level(
            "one_contains_other",
            lambda s: (
                f"{s.contains_all(c('gn_ph', _L), c('gn_ph', _R))} OR "
                f"{s.contains_all(c('gn_ph', _R), c('gn_ph', _L))}"
            ),
            lambda a, b: set(a.given_ph) <= set(b.given_ph) or set(b.given_ph) <= set(a.given_ph),
            0.09,
            0.002,
        ),
        Level(
            "within_one_edit",
            _within_one_edit_sql,
            lambda a, b: _names_within_one_edit(a.given_ph, b.given_ph),
            0.04,
            0.003,
        ),
        Level(
            "some_name_shared",
            lambda s: s.has_any(c("gn_ph", _L), c("gn_ph", _R)),
            lambda a, b: bool(set(a.given_ph) & set(b.given_ph)),
            0.04,
            0.03,
        ),
        Level(
            "similar",
            lambda s: (
                f"{s.jw(c('gn_str', _L), c('gn_str', _R))} >= 0.9 OR "
                f"{s.jw(s.elem(c('gn', _L), 1), s.elem(c('gn', _R), 1))} >= 0.9"
            ),
            lambda a, b: (
                jw(a.given_str, b.given_str) >= 0.9 or jw(_first(a.given), _first(b.given)) >= 0.9
            ),
            0.07,
            0.01,
        ),
        Level("swapped_with_surnames", _swapped_sql, _swapped, 0.01, 0.0005),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.04, 0.9535),
    ),
    classify=_classify_given,
)


# The columns the "given names differ" test reads (both sides).
_GIVEN_DIFFERS_ARGS = tuple(
    f"{col}{side}"
    for col in ("gn_ph", "gn_str", "gn", "sn_ph", "dob", "yr", "mon", "doc", "sex", "gn_bits")
    for side in (_L, _R)
)
GIVEN_DIFFERS_MACRO = "enlace_given_differs"


def _given_differs_sql(s: _Sql) -> str:
    """The test in the level SQL. On DuckDB a macro call (see :func:`duckdb_macros`): Splink
    runs sqlglot's CNF normalisation on every level at each EM session, and the inline
    expression, repeated in four comparisons, took about a second per session."""
    if s.dialect == "duckdb":
        args = ", ".join(f'"{a}"' for a in _GIVEN_DIFFERS_ARGS)
        return f"{GIVEN_DIFFERS_MACRO}({args})"
    return _given_differs_expr(s)


def duckdb_macros() -> list[str]:
    """SQL to run on a DuckDB connection before Splink uses Enlace's comparisons there."""
    params = ", ".join(_GIVEN_DIFFERS_ARGS)
    expr = _given_differs_expr(_Sql("duckdb"))
    return [
        f"CREATE OR REPLACE MACRO {NAMES_WITHIN_ONE_EDIT_MACRO}(a, b) AS "
        f"({_within_one_edit_expr(_Sql('duckdb'), 'a', 'b')})",
        f"CREATE OR REPLACE MACRO {GIVEN_DIFFERS_MACRO}({params}) AS ({expr})",
        f"CREATE OR REPLACE MACRO {DOCUMENTS_WITHIN_MACRO}(a, b, k, n) AS "
        f"({_documents_within_expr(_Sql('duckdb'), 'a', 'b', 'k', 'n')})",
    ]


def _given_differs_expr(s: _Sql) -> str:
    # coalesce(): NULL (e.g. a missing year) means "no".
    return (
        f'coalesce(("gn_ph_l" IS NOT NULL AND "gn_ph_r" IS NOT NULL '
        f"AND NOT ({s.contains_all(c('gn_ph', _L), c('gn_ph', _R))} "
        f"OR {s.contains_all(c('gn_ph', _R), c('gn_ph', _L))}) "
        f"AND NOT {_within_one_edit_sql(s)} "
        f"AND NOT coalesce({s.jw(c('gn_str', _L), c('gn_str', _R))} >= 0.9, false) "
        f"AND NOT coalesce({s.jw(s.elem(c('gn', _L), 1), s.elem(c('gn', _R), 1))} >= 0.9, false) "
        f"AND NOT {_swapped_sql(s)} "
        f'AND NOT ({_same_full_date_sql(s)} AND NOT coalesce("sex_l" <> "sex_r", false)) '
        f"AND NOT {_same_document_sql(s)}) "
        f'OR ("gn_ph_l" <> "gn_ph_r" AND abs("yr_l" - "yr_r") > 1 AND NOT {_swapped_sql(s)} '
        f"AND NOT {_same_document_sql(s)}) "
        f'OR ("gn_ph_l" <> "gn_ph_r" AND {_months_conflict_sql(s)} AND NOT {_swapped_sql(s)} '
        f"AND NOT {_same_document_sql(s)}), "
        "false)"
    )


def _months_conflict_sql(s: _Sql) -> str:
    # Days compared on the full dates ("dob"): "b_day" would stop Splink from training the
    # family comparisons in the EM session blocked on the birth date (as "yr", "mon" copy
    # b_year, b_month).
    day_l, day_r = 'substr("dob_l", 9, 2)', 'substr("dob_r", 9, 2)'
    mon_l, mon_r = 'substr("dob_l", 6, 2)', 'substr("dob_r", 6, 2)'
    return (
        '"yr_l" = "yr_r" AND "mon_l" <> "mon_r" '
        f"AND NOT coalesce({day_l} = {day_r} OR ({mon_l} = {day_r} AND {day_l} = {mon_r}), false)"
    )


def _months_conflict(a: Rec, b: Rec) -> bool:
    """Born the same year in different months (both known), and not a day/month swap or a
    slip in the month (the same day): siblings born the same year, not one person."""
    if a.birth_year is None or a.birth_year != b.birth_year:
        return False
    if a.birth_month is None or b.birth_month is None or a.birth_month == b.birth_month:
        return False
    if a.birth_day is not None and b.birth_day is not None:
        swapped = a.birth_month == b.birth_day and a.birth_day == b.birth_month
        return not (a.birth_day == b.birth_day or swapped)
    return True


def _sex_differs(a: Rec, b: Rec) -> bool:
    return bool(a.sex and b.sex and a.sex != b.sex)


def _same_document_sql(s: _Sql) -> str:
    return f"coalesce({s.has_any(c('doc', _L), c('doc', _R))}, false)"


def _same_document(a: Rec, b: Rec) -> bool:
    return bool(set(a.documents) & set(b.documents))


# The last pair tested and its result: four comparisons ask for the same pair in a row. One
# tuple, replaced atomically, so concurrent threads never see a mixed entry.
_LAST_GIVEN_DIFFERS: tuple[object, object, bool] = (None, None, False)


def _given_differs(a: Rec, b: Rec) -> bool:
    """Different given names (not swapped with the surnames, and not born the same day)."""
    global _LAST_GIVEN_DIFFERS
    last = _LAST_GIVEN_DIFFERS
    if last[0] is a and last[1] is b:
        return last[2]
    result = _given_differs_uncached(a, b)
    _LAST_GIVEN_DIFFERS = (a, b, result)
    return result


def _one_contains_other(a: Sequence[str], b: Sequence[str]) -> bool:
    sa, sb = set(a), set(b)
    return sa <= sb or sb <= sa


def _given_differs_uncached(a: Rec, b: Rec) -> bool:
    return bool(
        a.given_ph
        and b.given_ph
        and not _one_contains_other(a.given_ph, b.given_ph)
        and not _names_within_one_edit(a.given_ph, b.given_ph)
        and not jw(a.given_str, b.given_str) >= 0.9
        and not jw(_first(a.given), _first(b.given)) >= 0.9
        and not _swapped(a, b)
        and not (_same_full_date(a, b) and not _sex_differs(a, b))
        and not _same_document(a, b)
    ) or bool(
        a.given_ph != b.given_ph
        and (
            (
                a.birth_year is not None
                and b.birth_year is not None
                and abs(a.birth_year - b.birth_year) > 1
            )
            or _months_conflict(a, b)
        )
        and not _swapped(a, b)
        and not _same_document(a, b)
    )


# The test as DuckDB SQL, and a column name for it (model.estimate_u computes it once per pair).
GIVEN_DIFFERS_SQL = _given_differs_sql(_Sql("duckdb"))
GIVEN_DIFFERS_COLUMN = '"enlace_given_differs"'
# The same for the one-slip test, which both the given-names level and the test above read:
# on a million random pairs (model.estimate_u) it is the costliest expression.
WITHIN_ONE_EDIT_SQL = _within_one_edit_sql(_Sql("duckdb"))
WITHIN_ONE_EDIT_COLUMN = '"enlace_within_one_edit"'


def given_differs_sql_reading(within_column: str) -> str:
    """The "given names differ" test in DuckDB SQL, reading the one-slip test from a column."""
    expr = _given_differs_expr(_Sql("duckdb"))
    if WITHIN_ONE_EDIT_SQL not in expr:  # pragma: no cover - the two are built together
        raise RuntimeError("the given-names test no longer calls the one-slip test")
    return expr.replace(WITHIN_ONE_EDIT_SQL, within_column)


def _pair_subexpressions() -> tuple[tuple[str, str], ...]:
    s = _Sql("duckdb")
    gl, gr = c("gn_ph", _L), c("gn_ph", _R)
    return (
        (WITHIN_ONE_EDIT_SQL, WITHIN_ONE_EDIT_COLUMN),
        (f"{s.contains_all(gl, gr)} OR {s.contains_all(gr, gl)}", '"enlace_gn_contains"'),
        (_swapped_sql(s), '"enlace_swapped"'),
        (s.jw(c("gn_str", _L), c("gn_str", _R)), '"enlace_jw_gs"'),
        (s.jw(s.elem(c("gn", _L), 1), s.elem(c("gn", _R), 1)), '"enlace_jw_g1"'),
        # Asked by up to five levels in a row (most random pairs fall through all of them).
        (s.n_common(c("sn_ph", _L), c("sn_ph", _R)), '"enlace_sn_common"'),
        (s.n_common(c("mo_ph", _L), c("mo_ph", _R)), '"enlace_mo_common"'),
    )


# The "given names differ" test inline (not the macro call), for queries that read its parts
# from columns.
GIVEN_DIFFERS_INLINE_SQL = _given_differs_expr(_Sql("duckdb"))

# Sub-expressions that the "given names differ" test and the given-names levels share, as
# (DuckDB SQL, column name): model.estimate_u computes each once per pair, and the level SQL
# then reads the columns (:func:`read_pair_columns`).
PAIR_SUBEXPRESSIONS = _pair_subexpressions()


def read_pair_columns(sql: str) -> str:
    """DuckDB level SQL reading the columns of :data:`PAIR_SUBEXPRESSIONS` (and the "given
    names differ" test from its column) instead of computing them again."""
    sql = sql.replace(GIVEN_DIFFERS_SQL, GIVEN_DIFFERS_COLUMN)
    for expr, column in PAIR_SUBEXPRESSIONS:
        sql = sql.replace(expr, column)
    return sql


# Surnames, mother's name, birth place and nationality are shared by siblings. When the given
# names differ, their agreement only shows that two people are relatives, so they count as not
# compared (weight 0) instead of adding evidence that would outweigh the given-name mismatch.
# "Differ" includes sharing one name while each has another ("María José" / "María Isabel",
# "Daniel José" / "José Rubén"): Latin families reuse María and José across siblings, while
# one person's records drop or add a name rather than swap one. It also includes given names
# that are not identical ("José Javier" / "Javier", "José" / "Josefina") with birth years more
# than one year apart, or born the same year in different months (both months known, not a
# day/month swap nor the same day: "Guadalupe 2016-09-16" / "Rosa Guadalupe 2016-05-14"):
# a sibling, rather than the same person with a wrong year or month.
# Three exceptions: names swapped between the given-name and surname fields, the same full
# birth date (siblings are born on different days except twins; a registry that recorded
# another given name, e.g. a baptism or used name, keeps the date), and a shared identity
# document number (siblings never share one; numbers one edit apart might be a family's
# passports issued together, so only an exact one counts).

# --- surnames ----------------------------------------------------------------------------

SURNAMES = Comparison(
    "surnames",
    "Surnames as a set of phonetic keys: order-free (Brazilian order), one may be missing",
    (
        Level(
            "null_or_given_names_differ",
            lambda s: f"{_null('sn_ph')(s)} OR {_given_differs_sql(s)}",
            lambda a, b: not a.surnames_ph or not b.surnames_ph or _given_differs(a, b),
            is_null=True,
        ),
        Level(
            "two_shared_frequent",
            lambda s: (
                f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 2 AND "
                f"{_surnames_shared_frequent_sql(s)}"
            ),
            lambda a, b: (
                _common(a.surnames_ph, b.surnames_ph) >= 2 and _surnames_shared_frequent(a, b)
            ),
            0.20,
            0.0005,
        ),
        Level(
            "two_shared",
            lambda s: f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 2",
            lambda a, b: _common(a.surnames_ph, b.surnames_ph) >= 2,
            0.50,
            0.0003,
        ),
        Level(
            "two_similar",
            lambda s: (
                "coalesce(("
                + " AND ".join(
                    f"{s.jw(s.elem(c('sn', _L), i), s.elem(c('sn', _R), j))} >= 0.88"
                    for i, j in ((1, 1), (2, 2))
                )
                + ") OR ("
                + " AND ".join(
                    f"{s.jw(s.elem(c('sn', _L), i), s.elem(c('sn', _R), j))} >= 0.88"
                    for i, j in ((1, 2), (2, 1))
                )
                + "), false)"
            ),
            lambda a, b: _two_similar(a.surnames, b.surnames),
            0.05,
            0.001,
        ),
        Level(
            "one_shared_other_missing_frequent",
            lambda s: (
                f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 1 AND "
                f"({s.size(c('sn_ph', _L))} = 1 OR {s.size(c('sn_ph', _R))} = 1) AND "
                f"{_surnames_shared_frequent_sql(s)}"
            ),
            lambda a, b: (
                _common(a.surnames_ph, b.surnames_ph) >= 1
                and (len(a.surnames_ph) == 1 or len(b.surnames_ph) == 1)
                and _surnames_shared_frequent(a, b)
            ),
            0.08,
            0.003,
        ),
        Level(
            "one_shared_other_missing",
            lambda s: (
                f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 1 AND "
                f"({s.size(c('sn_ph', _L))} = 1 OR {s.size(c('sn_ph', _R))} = 1)"
            ),
            lambda a, b: (
                _common(a.surnames_ph, b.surnames_ph) >= 1
                and (len(a.surnames_ph) == 1 or len(b.surnames_ph) == 1)
            ),
            0.10,
            0.001,
        ),
        Level(
            "one_shared",
            lambda s: f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 1",
            lambda a, b: _common(a.surnames_ph, b.surnames_ph) >= 1,
            0.07,
            0.03,
        ),
        Level(
            "similar",
            lambda s: (
                "greatest("
                + ", ".join(
                    s.jw(s.elem(c("sn", _L), i), s.elem(c("sn", _R), j))
                    for i in (1, 2)
                    for j in (1, 2)
                )
                + ") >= 0.88"
            ),
            lambda a, b: _max_jw_pairs(a.surnames, b.surnames) >= 0.88,
            0.03,
            0.01,
        ),
        Level("swapped_with_given", _swapped_sql, _swapped, 0.01, 0.0005),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.02, 0.955),
    ),
    classify=_classify_surnames,
)

# --- birth date --------------------------------------------------------------------------


def _date_test(label: str) -> Test:
    return lambda a, b: (
        date_level(
            a.birth_year, a.birth_month, a.birth_day, b.birth_year, b.birth_month, b.birth_day
        )
        == label
    )


def _both_days(s: _Sql) -> str:
    return '"b_day_l" IS NOT NULL AND "b_day_r" IS NOT NULL'


BIRTH_DATE = Comparison(
    "birth_date",
    "Partial birth dates: exact, day/month swap or typo, same year, two full dates that differ, "
    "within one year",
    (
        Level("null", _null("b_year"), _date_test("null"), is_null=True),
        Level(
            "exact",
            lambda s: (
                f'"b_year_l" = "b_year_r" AND {_both_days(s)} '
                'AND "b_month_l" = "b_month_r" AND "b_day_l" = "b_day_r"'
            ),
            _date_test("exact"),
            0.72,
            0.0005,
        ),
        Level(
            "day_month_swap_or_typo",
            lambda s: (
                f'"b_year_l" = "b_year_r" AND {_both_days(s)} '
                'AND (("b_month_l" = "b_day_r" AND "b_day_l" = "b_month_r") '
                'OR "b_month_l" = "b_month_r" OR "b_day_l" = "b_day_r")'
            ),
            _date_test("day_month_swap_or_typo"),
            0.05,
            0.004,
        ),
        Level(
            "same_year_compatible",
            lambda s: (
                '"b_year_l" = "b_year_r" AND ("b_day_l" IS NULL OR "b_day_r" IS NULL) '
                'AND ("b_month_l" IS NULL OR "b_month_r" IS NULL OR "b_month_l" = "b_month_r") '
                'AND ("b_day_l" IS NULL OR "b_day_r" IS NULL OR "b_day_l" = "b_day_r")'
            ),
            _date_test("same_year_compatible"),
            0.13,
            0.012,
        ),
        Level(
            "full_dates_differ",
            lambda s: (
                f'{_both_days(s)} AND abs("b_year_l" - "b_year_r") <= 1 '
                'AND NOT ("b_month_l" = "b_month_r" AND "b_day_l" = "b_day_r")'
            ),
            _date_test("full_dates_differ"),
            0.02,
            0.02,
        ),
        Level(
            "within_1_year",
            lambda s: 'abs("b_year_l" - "b_year_r") <= 1',
            _date_test("within_1_year"),
            0.07,
            0.03,
        ),
        Level(
            "within_5_years",
            lambda s: f'abs("b_year_l" - "b_year_r") <= {FAR_YEARS}',
            _date_test("within_5_years"),
            0.02,
            0.12,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.01, 0.8335),
    ),
    classify=lambda a, b: date_level(
        a.birth_year, a.birth_month, a.birth_day, b.birth_year, b.birth_month, b.birth_day
    ),
)

# --- the rest ------------------------------------------------------------------------------

SEX = Comparison(
    "sex",
    "Sex",
    (
        Level("null", _null("sex"), lambda a, b: not a.sex or not b.sex, is_null=True),
        Level("exact", lambda s: '"sex_l" = "sex_r"', lambda a, b: a.sex == b.sex, 0.97, 0.5),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.03, 0.5),
    ),
    classify=_classify_sex,
)

BIRTH_PLACE = Comparison(
    "birth_place",
    "Birth place (folded text)",
    (
        Level(
            "null_or_given_names_differ",
            lambda s: f"{_null('bp')(s)} OR {_given_differs_sql(s)}",
            lambda a, b: not a.birth_place or not b.birth_place or _given_differs(a, b),
            is_null=True,
        ),
        Level(
            "exact",
            lambda s: '"bp_l" = "bp_r"',
            lambda a, b: a.birth_place == b.birth_place,
            0.80,
            0.05,
        ),
        Level(
            "similar",
            lambda s: f"{s.jw(c('bp', _L), c('bp', _R))} >= 0.88",
            lambda a, b: jw(a.birth_place, b.birth_place) >= 0.88,
            0.08,
            0.02,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.12, 0.93),
    ),
    classify=_classify_place,
)

NATIONALITY = Comparison(
    "nationality",
    "Nationality (ISO code when recognised)",
    (
        Level(
            "null_or_given_names_differ",
            lambda s: f"{_null('nat')(s)} OR {_given_differs_sql(s)}",
            lambda a, b: not a.nationality or not b.nationality or _given_differs(a, b),
            is_null=True,
        ),
        Level(
            "exact",
            lambda s: '"nat_l" = "nat_r"',
            lambda a, b: a.nationality == b.nationality,
            0.92,
            0.4,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.08, 0.6),
    ),
    classify=_classify_nationality,
)

MOTHER = Comparison(
    "mother_name",
    "Mother's name as a set of phonetic keys",
    (
        Level(
            "null_or_given_names_differ",
            lambda s: f"{_null('mo_ph')(s)} OR {_given_differs_sql(s)}",
            lambda a, b: not a.mother_ph or not b.mother_ph or _given_differs(a, b),
            is_null=True,
        ),
        Level(
            "exact",
            lambda s: f"{c('mo_ph', _L)} = {c('mo_ph', _R)}",
            lambda a, b: a.mother_ph == b.mother_ph,
            0.60,
            0.001,
        ),
        # A mother's name is often known in part ("Ana Ferreira" for Ana Barbosa Ferreira) or
        # grows a husband's surname (in Brazil a bride commonly adds it: "Ana Barbosa" becomes
        # "Ana Barbosa Ferreira"); then one name holds every word of the other. Two words in
        # common while each name has a word the other lacks ("Ana Barbosa Ferreira" / "Ana
        # Fernanda Rodrigues Ferreira", "Verónica Vega da Silva" / "Verónica Adriana Vega
        # Hernández") is more often two women sharing a frequent given name and surname (the
        # mothers of a cousin or of a namesake): a level of its own, weighed by training.
        Level(
            "two_words_each_adds",
            lambda s: (
                f"{s.n_common(c('mo_ph', _L), c('mo_ph', _R))} >= 2 "
                f"AND NOT {s.contains_all(c('mo_ph', _L), c('mo_ph', _R))} "
                f"AND NOT {s.contains_all(c('mo_ph', _R), c('mo_ph', _L))}"
            ),
            lambda a, b: (
                _common(a.mother_ph, b.mother_ph) >= 2 and _both_add(a.mother_ph, b.mother_ph)
            ),
            0.03,
            0.0013,
        ),
        # "Maria Ana", "Maria Oliveira": words that thousands of mothers share say less
        # (Winkler's frequency adjustment, as for the person's own names).
        Level(
            "two_words_frequent",
            lambda s: (
                f"{s.n_common(c('mo_ph', _L), c('mo_ph', _R))} >= 2 "
                f"AND {_shared_all_frequent_sql(s, 'mo_ph', 'mo_fq')}"
            ),
            lambda a, b: (
                _common(a.mother_ph, b.mother_ph) >= 2
                and _all_frequent(set(a.mother_ph) & set(b.mother_ph), FREQUENT_NAMES)
            ),
            0.06,
            0.0012,
        ),
        Level(
            "two_shared",
            lambda s: f"{s.n_common(c('mo_ph', _L), c('mo_ph', _R))} >= 2",
            lambda a, b: _common(a.mother_ph, b.mother_ph) >= 2,
            0.08,
            0.0005,
        ),
        Level(
            "similar",
            lambda s: f"{s.jw(c('mo_str', _L), c('mo_str', _R))} >= 0.9",
            lambda a, b: jw(a.mother_str, b.mother_str) >= 0.9,
            0.08,
            0.01,
        ),
        Level(
            "one_shared",
            lambda s: f"{s.n_common(c('mo_ph', _L), c('mo_ph', _R))} >= 1",
            lambda a, b: _common(a.mother_ph, b.mother_ph) >= 1,
            0.08,
            0.06,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.07, 0.926),
    ),
    classify=_classify_mother,
)

# --- identity documents ---------------------------------------------------------------------

DOCUMENTS_WITHIN_MACRO = "enlace_documents_within"
# Two edits (e.g. two digits swapped) only count on numbers at least this long.
_TWO_EDITS_MIN_LENGTH = 7


def _documents_within_expr(s: _Sql, a: str, b: str, k: str, n: str) -> str:
    """Some number of ``a`` is at most ``k`` edits (Levenshtein) from some number of ``b``,
    both at least ``n`` characters long."""
    test = f"length(x) >= {n} AND length(y) >= {n} AND levenshtein(x, y) <= {k}"
    if s.dialect == "spark":
        return f"coalesce(exists({a}, x -> exists({b}, y -> {test})), false)"
    return (
        f"coalesce(list_bool_or(list_transform({a}, lambda x: list_bool_or(list_transform({b}, "
        f"lambda y: {test})))), false)"
    )


def _documents_within_sql(k: int, n: int) -> Callable[[_Sql], str]:
    def sql(s: _Sql) -> str:
        a, b = c("doc", _L), c("doc", _R)
        if s.dialect == "duckdb":
            return f"{DOCUMENTS_WITHIN_MACRO}({a}, {b}, {k}, {n})"
        return _documents_within_expr(s, a, b, str(k), str(n))

    return sql


def _documents_within(a: Rec, b: Rec, k: int, n: int) -> bool:
    return any(
        len(x) >= n and len(y) >= n and Levenshtein.distance(x, y, score_cutoff=k) <= k
        for x in a.documents
        for y in b.documents
    )


def _classify_documents(a: Rec, b: Rec) -> str:
    if not a.documents or not b.documents:
        return "null"
    if _same_document(a, b):
        return "exact"
    if _documents_within(a, b, 1, 0):
        return "one_edit"
    if _documents_within(a, b, 2, _TWO_EDITS_MIN_LENGTH):
        return "two_edits"
    return "different"


DOCUMENTS = Comparison(
    "document_number",
    "Identity document numbers (any shared, or within one or two edits)",
    (
        Level("null", _null("doc"), lambda a, b: not a.documents or not b.documents, is_null=True),
        Level(
            "exact",
            lambda s: s.has_any(c("doc", _L), c("doc", _R)),
            _same_document,
            0.90,
            0.00001,
        ),
        Level(
            "one_edit",
            _documents_within_sql(1, 0),
            lambda a, b: _documents_within(a, b, 1, 0),
            0.05,
            0.0001,
        ),
        Level(
            "two_edits",
            _documents_within_sql(2, _TWO_EDITS_MIN_LENGTH),
            lambda a, b: _documents_within(a, b, 2, _TWO_EDITS_MIN_LENGTH),
            0.02,
            0.001,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.03, 0.99889),
    ),
    classify=_classify_documents,
)

COMPARISONS: tuple[Comparison, ...] = (
    GIVEN,
    SURNAMES,
    BIRTH_DATE,
    SEX,
    BIRTH_PLACE,
    NATIONALITY,
    MOTHER,
    DOCUMENTS,
)

# Columns of the table Splink reads (one row per normalised record).
TABLE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "gn",
    "gn_ph",
    "gn_str",
    "sn",
    "sn_ph",
    "sex",
    "b_year",
    "b_month",
    "b_day",
    "dob",
    "yr",
    "mon",
    "bp",
    "nat",
    "mo_ph",
    "mo_str",
    "doc",
    "gn_fq",
    "sn_fq",
    "mo_fq",
    "gn_bits",
    "bk",
)

# gn_fq / sn_fq: the record's given names / surnames that are among the most frequent
# (derived from gn_ph / sn_ph, so that the SQL of the frequent-name levels stays cheap).
# mo_fq: the same for the words of the mother's name (frequent given names and surnames).
LIST_COLUMNS = frozenset(
    {"gn", "gn_ph", "sn", "sn_ph", "mo_ph", "doc", "gn_fq", "sn_fq", "mo_fq", "bk"}
)
# "yr" and "mon" copy b_year and b_month for the sibling test in the family comparisons:
# Splink then still trains them in the EM session blocked on b_year/b_month/b_day.
INT_COLUMNS = frozenset({"b_year", "b_month", "b_day", "yr", "mon", "gn_bits"})


def full_date(rec: Rec) -> str | None:
    """``YYYY-MM-DD`` when the birth date is known to the day, else None."""
    if rec.birth_year is None or rec.birth_month is None or rec.birth_day is None:
        return None
    return f"{rec.birth_year:04d}-{rec.birth_month:02d}-{rec.birth_day:02d}"


def record_to_row(rec: Rec, keys: Sequence[str] = ()) -> dict[str, object]:
    """The SQL row of a normalised record; empty values become NULL (the null levels)."""

    def lst(xs: Sequence[str]) -> list[str] | None:
        return list(xs) if xs else None

    return {
        "unique_id": rec.id,
        "gn": lst(rec.given),
        "gn_ph": lst(rec.given_ph),
        "gn_str": rec.given_str or None,
        "sn": lst(rec.surnames),
        "sn_ph": lst(rec.surnames_ph),
        "sex": rec.sex or None,
        "b_year": rec.birth_year,
        "b_month": rec.birth_month,
        "b_day": rec.birth_day,
        "dob": full_date(rec),
        "yr": rec.birth_year,
        "mon": rec.birth_month,
        "bp": rec.birth_place or None,
        "nat": rec.nationality or None,
        "mo_ph": lst(rec.mother_ph),
        "mo_str": rec.mother_str or None,
        "doc": lst(rec.documents),
        "gn_fq": lst(frequent_given(rec)),
        "gn_bits": given_letters(rec),
        "sn_fq": lst(frequent_surnames(rec)),
        "mo_fq": lst(frequent_mother(rec)),
        "bk": lst(sorted(keys)),
    }
