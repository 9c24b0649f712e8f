"""Lists that stay fast when what a reader may see is a union: "my office's records, or those
shared with it".

Written as one `WHERE owner = X OR id IN (granted)` the database can use no index for the
order and sorts or scans the whole scope for every page (and again for the count). A
BranchedQuerySet remembers branches — filters whose union is exactly the queryset, each one
index-friendly on its own (`owner = X` walks the index on (owner, created DESC)). A page is then
the top of each branch merged: each branch gives the ids of its first offset+limit rows in the
list's order, and one last query orders those few candidates and cuts the page. Every row of
the true page is among its branch's first offset+limit, so the page is exact, and the database's
own ordering (collation included) decides it. Counts add the branches (each bounded), without
counting a row twice.

The branches only make the reads cheaper: the queryset itself keeps the whole filter, so a
branch never widens what is visible (a branch row is a row of the queryset).
"""

from functools import reduce
from operator import or_
from typing import Any, Self, TypeVar

from django.db.models import Model, Q, QuerySet

M = TypeVar("M", bound=Model)

# Above this many rows counts stop and say "more than": the pages past it are not offered.
COUNT_LIMIT = 1_000
# Deeper than this the candidates would be a long list of ids: a plain OFFSET is as good.
MERGE_LIMIT = 2_000


class BranchedQuerySet(QuerySet[M]):
    """A queryset that knows the branches whose union it is (see the module docstring)."""

    _branches: tuple[Q, ...] = ()
    # Which conditions of the WHERE clause are the scope (their positions): a branch query
    # leaves them out, or the database would see `owner = X` twice, square its selectivity and
    # sort a whole office where walking the index would stop after a page.
    _scope_span: tuple[int, int] | None = None

    def _clone(self) -> Self:  # type: ignore[misc]  # Django's, missing from the stubs
        clone = super()._clone()  # type: ignore[misc]
        clone._branches = self._branches
        clone._scope_span = self._scope_span
        return clone

    def scoped(self, scope: Any, branches: list[Q]) -> Self:
        """Filter by `scope`, read through `branches` (whose union must be exactly `scope`)."""
        before = len(self.query.where.children)
        clone = self.filter(scope)
        clone._branches = tuple(branches) if len(branches) > 1 else ()
        clone._scope_span = (before, len(clone.query.where.children)) if clone._branches else None
        return clone

    def with_branches(self, branches: list[Q] | None) -> Self:
        """The same rows read another way: with no branches, the plain query."""
        clone = self._chain()  # type: ignore[attr-defined]
        clone._branches = tuple(branches or ())
        if not clone._branches:
            clone._scope_span = None
        return clone

    @property
    def branches(self) -> tuple[Q, ...]:
        return self._branches


def _branch(qs: QuerySet[Any], branch: Q) -> QuerySet[Any]:
    """The rows of one branch: the list's filters and the branch, without the whole scope (a
    part of it). Rows still go through the whole scope when they are loaded (page_of)."""
    span = getattr(qs, "_scope_span", None)
    if span is not None:
        qs = qs._chain()  # type: ignore[attr-defined]
        del qs.query.where.children[span[0] : span[1]]
    return qs.filter(branch)


def _ordering(qs: QuerySet[Any]) -> list[str]:
    order = list(qs.query.order_by or qs.model._meta.ordering or [])
    if not any(o.lstrip("-") in ("pk", "id") for o in order):
        order.append("pk")  # a total order, or two queries may disagree on a page's edge
    return order


def branches_of(qs: Any) -> tuple[Q, ...]:
    branches = getattr(qs, "branches", ())
    # Slices, DISTINCT or combined queries would change what a branch means: read plainly.
    if len(branches) < 2 or qs.query.is_sliced or qs.query.combinator or qs.query.distinct:
        return ()
    return tuple(branches)


def _candidates(qs: QuerySet[Any], branches: tuple[Q, ...], top: int) -> set[Any]:
    """The ids of the first `top` rows of each branch, in the list's order."""
    order = _ordering(qs)
    found: set[Any] = set()
    for branch in branches:
        found.update(_branch(qs, branch).order_by(*order).values_list("pk", flat=True)[:top])
    return found


def page_of(qs: QuerySet[M], offset: int, limit: int) -> list[M]:
    """Rows offset..offset+limit of the list, in its order."""
    branches = branches_of(qs)
    if not branches or offset + limit > MERGE_LIMIT:
        return list(qs[offset : offset + limit])
    candidates = _candidates(qs, branches, offset + limit)
    if not candidates:
        return []
    return list(qs.filter(pk__in=candidates).order_by(*_ordering(qs))[offset : offset + limit])


def top_ids(qs: QuerySet[Any], limit: int) -> list[Any]:
    """The ids of the first `limit` rows of the list, in its order: several short lists of one
    page (a dashboard) can then load their rows in one query."""
    branches = branches_of(qs)
    if branches:
        qs = qs.filter(pk__in=_candidates(qs, branches, limit))
    return list(qs.order_by(*_ordering(qs)).values_list("pk", flat=True)[:limit])


def bounded_count(qs: QuerySet[Any], limit: int | None = None) -> tuple[int, bool]:
    """(rows, exact): the number of rows, or `limit` (COUNT_LIMIT) and False when there are
    more."""
    limit = COUNT_LIMIT if limit is None else limit
    branches = branches_of(qs)
    parts = [qs] if not branches else _disjoint(qs, branches)
    total = 0
    for part in parts:
        total += part.order_by()[: limit + 1 - total].count()
        if total > limit:
            return limit, False
    return total, True


def _disjoint(qs: QuerySet[Any], branches: tuple[Q, ...]) -> list[QuerySet[Any]]:
    """Each branch without the rows of the branches before it: counted once each."""
    return [
        _branch(qs, branch).exclude(reduce(or_, branches[:i])) if i else _branch(qs, branch)
        for i, branch in enumerate(branches)
    ]
