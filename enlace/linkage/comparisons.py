"""The Fellegi-Sunter comparisons, written once and evaluated twice.

Each level has a SQL condition (for Splink on DuckDB or Spark) and a Python predicate (for the
online :class:`~enlace.linkage.scoring.Scorer`). Both read the same normalised columns, so a
pair gets the same level in batch and online. ``tests/test_consistency.py`` checks this.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz.distance import JaroWinkler

from enlace.linkage.dates import date_level
from enlace.linkage.normalize import NormalizedRecord

__all__ = [
    "COMPARISONS",
    "GIVEN_DIFFERS_COLUMN",
    "GIVEN_DIFFERS_SQL",
    "TABLE_COLUMNS",
    "Comparison",
    "Dialect",
    "Level",
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
            label = self.classify(a, b)
            for i, level in enumerate(self.levels):
                if level.label == label:
                    return i
        for i, level in enumerate(self.levels):
            if level.test(a, b):
                return i
        return len(self.levels) - 1

    def splink_dict(self, dialect: Dialect) -> dict[str, object]:
        sql = _Sql(dialect)
        levels: list[dict[str, object]] = []
        for level in self.levels:
            entry: dict[str, object] = {
                "sql_condition": level.sql(sql),
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


def _null(col: str) -> Callable[[_Sql], str]:
    return lambda s: f'"{col}_l" IS NULL OR "{col}_r" IS NULL'


_L, _R = "_l", "_r"


def c(col: str, side: str) -> str:
    return f'"{col}{side}"'


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
            "exact",
            lambda s: f"{c('gn_ph', _L)} = {c('gn_ph', _R)}",
            lambda a, b: a.given_ph == b.given_ph,
            0.70,
            0.002,
        ),
        Level(
            "one_contains_other",
            lambda s: (
                f"{s.contains_all(c('gn_ph', _L), c('gn_ph', _R))} OR "
                f"{s.contains_all(c('gn_ph', _R), c('gn_ph', _L))}"
            ),
            lambda a, b: set(a.given_ph) <= set(b.given_ph) or set(b.given_ph) <= set(a.given_ph),
            0.15,
            0.004,
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
)


def _given_differs_sql(s: _Sql) -> str:
    return (
        f'("gn_ph_l" IS NOT NULL AND "gn_ph_r" IS NOT NULL '
        f"AND NOT {s.has_any(c('gn_ph', _L), c('gn_ph', _R))} "
        f"AND NOT coalesce({s.jw(c('gn_str', _L), c('gn_str', _R))} >= 0.9, false) "
        f"AND NOT coalesce({s.jw(s.elem(c('gn', _L), 1), s.elem(c('gn', _R), 1))} >= 0.9, false) "
        f"AND NOT {_swapped_sql(s)} AND NOT {_same_full_date_sql(s)})"
    )


def _given_differs(a: Rec, b: Rec) -> bool:
    """Different given names (not swapped with the surnames, and not born the same day)."""
    return bool(
        a.given_ph
        and b.given_ph
        and not set(a.given_ph) & set(b.given_ph)
        and not jw(a.given_str, b.given_str) >= 0.9
        and not jw(_first(a.given), _first(b.given)) >= 0.9
        and not _swapped(a, b)
        and not _same_full_date(a, b)
    )


# The test as DuckDB SQL, and a column name for it (model.estimate_u computes it once per pair).
GIVEN_DIFFERS_SQL = _given_differs_sql(_Sql("duckdb"))
GIVEN_DIFFERS_COLUMN = '"enlace_given_differs"'

# Surnames, mother's name, birth place and nationality are shared by siblings. When the given
# names differ, their agreement only shows that two people are relatives, so they count as not
# compared (weight 0) instead of adding evidence that would outweigh the given-name mismatch.
# Two exceptions: names swapped between the given-name and surname fields, and the same full
# birth date (siblings are born on different days except twins; a registry that recorded
# another given name, e.g. a baptism or used name, keeps the date).

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
            "two_shared",
            lambda s: f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 2",
            lambda a, b: _common(a.surnames_ph, b.surnames_ph) >= 2,
            0.70,
            0.0005,
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
            "one_shared_other_missing",
            lambda s: (
                f"{s.n_common(c('sn_ph', _L), c('sn_ph', _R))} >= 1 AND "
                f"({s.size(c('sn_ph', _L))} = 1 OR {s.size(c('sn_ph', _R))} = 1)"
            ),
            lambda a, b: (
                _common(a.surnames_ph, b.surnames_ph) >= 1
                and (len(a.surnames_ph) == 1 or len(b.surnames_ph) == 1)
            ),
            0.18,
            0.004,
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
    "Partial birth dates: exact, day/month swap or typo, same year, within one year",
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
            "within_1_year",
            lambda s: 'abs("b_year_l" - "b_year_r") <= 1',
            _date_test("within_1_year"),
            0.07,
            0.03,
        ),
        Level("different", lambda s: "ELSE", lambda a, b: True, 0.03, 0.9535),
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
        Level(
            "two_shared",
            lambda s: f"{s.n_common(c('mo_ph', _L), c('mo_ph', _R))} >= 2",
            lambda a, b: _common(a.mother_ph, b.mother_ph) >= 2,
            0.17,
            0.003,
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
)

COMPARISONS: tuple[Comparison, ...] = (
    GIVEN,
    SURNAMES,
    BIRTH_DATE,
    SEX,
    BIRTH_PLACE,
    NATIONALITY,
    MOTHER,
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
    "bp",
    "nat",
    "mo_ph",
    "mo_str",
    "bk",
)

LIST_COLUMNS = frozenset({"gn", "gn_ph", "sn", "sn_ph", "mo_ph", "bk"})
INT_COLUMNS = frozenset({"b_year", "b_month", "b_day"})


def _full_date(rec: Rec) -> str | None:
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
        "dob": _full_date(rec),
        "bp": rec.birth_place or None,
        "nat": rec.nationality or None,
        "mo_ph": lst(rec.mother_ph),
        "mo_str": rec.mother_str or None,
        "bk": lst(sorted(keys)),
    }
