"""Counting distinct persons for published statistics, in one GROUP BY query.

The cells of a published table must add up (a year is the sum of its quarters, the region the sum
of its countries, all persons the sum of the sexes), so that a table can be protected as a whole
(enlace.core.disclosure). Distinct persons do not add up across cells when one person has records
in several of them, so each person is counted once per calendar year and category, in the cell of
their FIRST record of that year (its country, quarter, and the person's age group on that date).
A cell of a quarter then reads "persons whose first such record of the year was in that quarter",
and its year reads "distinct persons in the year".

Everything happens in the database (a window function numbering each person's records of the
year, then a GROUP BY over the first ones): only counts leave, never a person or a row.
"""

import datetime as dt
import json
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractQuarter, ExtractYear
from django.db.models.functions.window import RowNumber
from django.db.models.lookups import LessThan, LessThanOrEqual

# Age groups of every count (the returns module's figures use the same): children under 12,
# adolescents 12-17 (UN CRC: under 18 is a child), then adults by broad band.
AGE_GROUPS = ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 59), (60, 200))
UNKNOWN_AGE = "unknown"


def age_group_code(low: int, high: int) -> str:
    return f"{low}+" if high >= 200 else f"{low}-{high}"


AGE_GROUP_CODES = (*(age_group_code(lo, hi) for lo, hi in AGE_GROUPS), UNKNOWN_AGE)


class _TextDatePart:
    """On SQLite, Django's Extract* call back into Python for every row (django_date_extract
    and friends), which is slow over millions of rows. Dates and datetimes are stored there as
    ISO text ("YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS[.ffffff]") in the connection's time zone, so a
    part is a native substr() of it, unless a datetime must first be moved to another time zone
    (then Django's own function). Other databases: Django's native EXTRACT (an integer)."""

    start: int
    length: int

    def _text_part(self, compiler: Any, connection: Any) -> tuple[str, list[Any]] | None:
        lhs = self.lhs  # type: ignore[attr-defined]
        if isinstance(lhs.output_field, DateTimeField):
            tzname = self.get_tzname()  # type: ignore[attr-defined]
            if tzname is not None and tzname != connection.timezone_name:
                return None
        sql, params = compiler.compile(lhs)
        return f"CAST(substr({sql}, {self.start}, {self.length}) AS INTEGER)", list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self._text_part(compiler, connection) or self.as_sql(  # type: ignore[attr-defined]
            compiler, connection, **extra
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # EXTRACT gives a numeric there (PostgreSQL 14+): the age's arithmetic and the GROUP BY
        # keys are cheaper as integers.
        sql, params = self.as_sql(compiler, connection, **extra)  # type: ignore[attr-defined]
        return f"CAST({sql} AS integer)", params


class Year(_TextDatePart, ExtractYear):
    start, length = 1, 4


class Month(_TextDatePart, ExtractMonth):
    start, length = 6, 2


class Day(_TextDatePart, ExtractDay):
    start, length = 9, 2


class Quarter(_TextDatePart, ExtractQuarter):
    start, length = 6, 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        month = self._text_part(compiler, connection)
        if month is None:
            return self.as_sql(compiler, connection, **extra)
        return f"(({month[0]} + 2) / 3)", month[1]


class _NoIndexOrder(Func):
    """The same value; on SQLite written `+value`, which keeps the planner from walking an index
    of it to hand the window its rows in order. For a person reached through a join (the case
    of an art. 36 log), that walk reads every row of the joined table (every case) to find the
    few that have a log; sorting the log's own rows is much cheaper."""

    arity = 1
    template = "%(expressions)s"

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="+%(expressions)s", **extra)


class DaysBetween(Func):
    """Whole days from the first date (or datetime) to the second; NULL when either is."""

    output_field = IntegerField()
    arity = 2

    def __init__(self, start: Any, end: Any) -> None:
        super().__init__(end, start)  # the templates subtract the second from the first

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(%(expressions)s AS date))",
            arg_joiner=" AS date) - CAST(",
            **extra,
        )


def age_years(*, on: str, born: str, estimated: str, reported: str) -> Case:
    """Age in whole years on the date `on`: from the date of birth when known, else from the
    estimated age as reported (plus the calendar years since it was reported); NULL if neither."""
    by_birth = (
        Year(on)
        - Year(born)
        - Case(
            When(LessThan(Month(on), Month(born)), then=Value(1)),
            When(
                Q(LessThanOrEqual(Month(on), Month(born))) & Q(LessThan(Day(on), Day(born))),
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )
    )
    by_estimate = F(estimated) + Case(
        When(Q(**{f"{reported}__isnull": False}), then=Year(on) - Year(reported)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return Case(
        When(Q(**{f"{born}__isnull": False}), then=by_birth),
        When(Q(**{f"{estimated}__isnull": False}), then=by_estimate),
        default=None,
        output_field=IntegerField(),
    )


def _age_group_sql(column: str) -> str:
    whens = " ".join(
        f"WHEN {column} <= {high} THEN '{age_group_code(low, high)}'" for low, high in AGE_GROUPS
    )
    return f"CASE {whens} ELSE '{UNKNOWN_AGE}' END"


def first_of_year_counts(
    qs: QuerySet[Any],
    *,
    person: str,
    on: str,
    dims: Mapping[str, Combinable | F | Value | Func | Case],
    age: Case | None = None,
    partition: Iterable[str] = (),
    flags: Mapping[str, Q] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    histogram: str | None = None,
) -> list[dict[str, Any]]:
    """Distinct persons of `qs` by `dims` (plus "year" and "quarter" of the date field `on`), each
    person counted in the cell of their first record of the calendar year (for each value of the
    `partition` dims, e.g. the case type). With `flags` (name → condition), one count per flag,
    each over the records meeting it (a person counts in every flag some record of theirs meets):
    the keys of the rows are the dims and "persons", or the dims and each flag's name. With
    `age` (age_years()), also "age_group" (AGE_GROUP_CODES) on the date of the record. One query.
    Records with `on` NULL are left out; `since`/`until` keep the whole calendar years they fall
    in (read in the WHERE, through an index where there is one: the same cells as counting every
    year and keeping those years, since a person's first record of a year is in that year).
    `histogram` names a dim (e.g. days to close) that is not a key of the rows but the cell's
    histogram of it: (value, persons) pairs sorted by value (None first), "persons" their sum.
    One row per cell instead of one per cell and value (far fewer rows to read; a median is
    read from the histogram); not with `flags`."""
    if histogram is not None and (flags or histogram not in dims):
        raise ValueError(histogram)
    qs = qs.filter(**{f"{on}__isnull": False}).order_by()
    if since is not None:
        qs = qs.filter(**{f"{on}__year__gte": since.year})
    if until is not None:
        qs = qs.filter(**{f"{on}__year__lte": until.year})
    year = Year(on)
    keys = {f"k_{name}": expr for name, expr in dims.items()}
    keys["k_year"] = year
    keys["k_quarter"] = Quarter(on)
    ages = {"a_years": age} if age is not None else {}
    who = _NoIndexOrder(F(person)) if "__" in person else F(person)
    parts: list[Any] = [who, year, *(dims[name] for name in partition)]
    order = [F(on).asc(), F("pk").asc()]
    numbers: dict[str, Any] = {}
    conditions: dict[str, Any] = {}
    if flags:
        for i, condition in enumerate(flags.values()):
            flag = Case(
                When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
            conditions[f"f_{i}"] = flag
            numbers[f"r_{i}"] = Window(RowNumber(), partition_by=[*parts, flag], order_by=order)
    connection = connections[qs.db]
    distinct_on = not flags and connection.vendor == "postgresql"
    if distinct_on:
        # PostgreSQL keeps each partition's first row with DISTINCT ON, cheaper than numbering
        # every row (a WindowAgg) and filtering (about 30 % less CPU over 1M cases).
        firsts = ["p_who", "k_year", *(f"k_{name}" for name in partition)]
        inner = (
            qs.annotate(**keys, **ages, p_who=who)
            .values(*keys, *ages, "p_who")
            .order_by(*firsts, F(on).asc(), F("pk").asc())
            .distinct(*firsts)
        )
    else:
        if not flags:
            numbers["r_0"] = Window(RowNumber(), partition_by=parts, order_by=order)
        inner = qs.annotate(**keys, **ages, **conditions, **numbers).values(
            *keys, *ages, *conditions, *numbers
        )
    sql, params = inner.query.sql_with_params()
    q = connection.ops.quote_name
    columns = [q(k) for k in keys]
    if age is not None:  # the group computed once per record above, named here
        columns.append(f"{_age_group_sql(q('a_years'))} AS {q('k_age_group')}")
    grouped = [q(k) for k in [*keys, *(["k_age_group"] if age is not None else [])]]
    group = ", ".join(grouped)
    if flags:
        sums = ", ".join(
            f"SUM(CASE WHEN {q(f'f_{i}')} = 1 AND {q(f'r_{i}')} = 1 THEN 1 ELSE 0 END)"
            for i in range(len(flags))
        )
        where = " OR ".join(f"{q(f'r_{i}')} = 1" for i in range(len(flags)))
        names = list(flags)
    else:
        sums, names = f"COUNT(*) AS {q('n')}", ["persons"]
        where = "1 = 1" if distinct_on else f"{q('r_0')} = 1"
    # Only quoted names of this function and the ORM's own compiled SQL; values stay parameters.
    outer = (
        f"SELECT {', '.join(columns)}, {sums} FROM ({sql}) AS firsts "  # nosec B608 # identifiers from the code, values passed as parameters  # noqa: S608
        f"WHERE {where} GROUP BY {group}"
    )
    fields = [k[2:] for k in keys] + (["age_group"] if age is not None else []) + names
    if histogram is not None:
        # The cells by value above, then one row per cell: its persons and its histogram as a
        # JSON array of [value, persons] (a native aggregate on each database). The sum cast:
        # PostgreSQL's SUM of a bigint is a numeric (a Decimal in Python).
        h, n = q(f"k_{histogram}"), q("n")
        cell = ", ".join(k for k in grouped if k != h)
        pairs = (
            f"json_agg(json_build_array({h}, {n}))"
            if connection.vendor == "postgresql"
            else f"json_group_array(json_array({h}, {n}))"
        )
        outer = (
            f"SELECT {cell}, CAST(SUM({n}) AS BIGINT), {pairs} FROM ({outer}) AS cells "  # nosec B608 # the same identifiers  # noqa: S608
            f"GROUP BY {cell}"
        )
        fields = [f for f in fields if f not in (histogram, "persons")] + ["persons", histogram]
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    out = [dict(zip(fields, row, strict=True)) for row in rows]
    if histogram is not None:
        for r in out:
            pairs = r[histogram]
            if isinstance(pairs, str):  # SQLite: the JSON text; psycopg parses it
                pairs = json.loads(pairs)
            r[histogram] = tuple(sorted(map(tuple, pairs), key=_none_first))
    return out


def _none_first(pair: tuple[Any, int]) -> tuple[bool, Any]:
    return (pair[0] is not None, pair[0] or 0)


T = TypeVar("T")


def count_threads(using: str = "default") -> int:
    """How many threads run_counts() may use on the database `using`: the setting
    ENLACE_COUNT_THREADS (default 2; 1 = one after the other), but 1 whenever other connections
    would not see what this one sees: inside a transaction of the caller (atomic block, or
    autocommit off: a test's transaction, uncommitted rows) or on an in-memory SQLite database."""
    wanted = int(getattr(settings, "ENLACE_COUNT_THREADS", 2))
    connection = connections[using]
    if wanted <= 1 or connection.in_atomic_block or not connection.get_autocommit():
        return 1
    if isinstance(connection, SQLiteWrapper) and connection.is_in_memory_db():
        return 1
    return wanted


def run_counts(jobs: Sequence[Callable[[], T]], *, using: str = "default") -> list[T]:
    """The results of `jobs` (independent read-only queries, e.g. first_of_year_counts calls),
    in their order. With count_threads() > 1 they run on that many worker threads, each on its
    own database connection (Django's are per thread), closed when the thread is done: the
    drivers (sqlite3, psycopg) release the GIL while the database works, so the queries use the
    machine's cores. Jobs are taken in order: put the longest first. An exception of a job is
    raised here, once every thread has stopped."""
    threads = min(count_threads(using), len(jobs))
    if threads <= 1:
        return [job() for job in jobs]
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []
    pending = iter(enumerate(jobs))
    lock = threading.Lock()

    def work() -> None:
        try:
            while not errors:
                with lock:
                    item = next(pending, None)
                if item is None:
                    return
                i, job = item
                results[i] = job()
        except BaseException as exc:  # re-raised by the calling thread
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, name=f"counts-{n}") for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise errors[0]
    return results
