"""Reads of associations and projects.

Public reads (the directory, association and municipality pages, the API) take no actor: they
show listed associations only, and an association's contact data only where it marked it
public (present.py). Staff reads take the actor and are scoped by rules.editable: an
association out of reach is a 404, as a missing one."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.core.filters import bound_filters
from enlace.core.lookups import get_or_404
from enlace.core.models import Municipality

from . import rules
from .filters import AssociationFilter
from .models import Association, Project

ASSOCIATION_RELATED = (
    "residence_country",
    "origin_country",
    "origin_municipality",
    "origin_municipality__country",
)
PROJECT_RELATED = ("municipality", "municipality__country", "currency", "association")


# Public ---------------------------------------------------------------------------------------


def public_associations() -> QuerySet[Association]:
    """Every association listed in the public directory."""
    return Association.objects.filter(listed=True).select_related(*ASSOCIATION_RELATED)


def directory(params: Mapping[str, Any], *, allow_empty: bool = True) -> QuerySet[Association]:
    """The directory filtered by `params` (ValidationFailed, 400, on a malformed filter)."""
    return bound_filters(
        AssociationFilter, params, public_associations(), allow_empty=allow_empty
    ).qs.order_by("name", "id")


def public_association_get(association_id: Any) -> Association:
    """A listed association; missing, unlisted and malformed ids are the same 404."""
    return get_or_404(public_associations(), association_id)


def public_projects(association: Association) -> QuerySet[Project]:
    return (
        association.projects.select_related(*PROJECT_RELATED)
        .prefetch_related("co_funding")
        .order_by("-created", "id")
    )


def municipality_get(municipality_id: Any) -> Municipality:
    """A municipality by its id ("SV-1407"); unknown or malformed ids are a 404."""
    found = (
        Municipality.objects.select_related("country")
        .filter(pk=str(municipality_id).upper()[:16])
        .first()
    )
    if found is None:
        raise Http404
    return found


@dataclass
class Totals:
    """What the projects serving a municipality add up to."""

    projects: int = 0
    budgets: list[tuple[str, Decimal]] = field(default_factory=list)  # (currency, sum)
    women: int = 0
    men: int = 0
    other: int = 0

    @property
    def beneficiaries(self) -> int:
        return self.women + self.men + self.other


def municipality_projects(municipality: Municipality) -> QuerySet[Project]:
    """Projects serving the municipality, of listed associations."""
    return (
        Project.objects.filter(municipality=municipality, association__listed=True)
        .select_related(*PROJECT_RELATED)
        .prefetch_related("co_funding")
        .order_by("-created", "id")
    )


def municipality_totals(projects: QuerySet[Project]) -> Totals:
    """Budgets by currency and beneficiaries by sex, over the projects (cancelled ones left
    out), in two queries."""
    live = projects.exclude(status="cancelled").order_by()
    sums = live.aggregate(
        n=Count("id"),
        women=Sum("beneficiaries_women"),
        men=Sum("beneficiaries_men"),
        other=Sum("beneficiaries_other"),
    )
    budgets = (
        live.filter(budget__isnull=False)
        .values_list("currency_id")
        .annotate(total=Sum("budget"))
        .order_by("currency_id")
    )
    return Totals(
        projects=sums["n"] or 0,
        budgets=[(code, total) for code, total in budgets],
        women=sums["women"] or 0,
        men=sums["men"] or 0,
        other=sums["other"] or 0,
    )


def municipality_associations(municipality: Municipality) -> QuerySet[Association]:
    """Listed associations from the municipality."""
    return public_associations().filter(origin_municipality=municipality).order_by("name", "id")


def origin_countries() -> QuerySet[Any]:
    """Countries of origin of listed associations (the directory's choices), with counts."""
    return (
        Association.objects.filter(listed=True)
        .values("origin_country_id")
        .annotate(n=Count("id"))
        .order_by("origin_country_id")
    )


# Staff ----------------------------------------------------------------------------------------


def association_list(*, actor: Actor) -> QuerySet[Association]:
    """The associations the actor may edit (its own for a representative, all for
    moderators)."""
    return (
        Association.objects.filter(rules.editable(actor))
        .select_related(*ASSOCIATION_RELATED)
        .annotate(project_count=Count("projects"))
        .order_by("name", "id")
    )


def association_for_edit(*, actor: Actor, association_id: Any) -> Association:
    """An association the actor may edit, else 404."""
    return get_or_404(
        Association.objects.filter(rules.editable(actor)).select_related(*ASSOCIATION_RELATED),
        association_id,
    )


def project_for_edit(*, actor: Actor, project_id: Any) -> Project:
    """A project of an association the actor may edit, else 404."""
    scope = Association.objects.filter(rules.editable(actor)).values("pk")
    return get_or_404(
        Project.objects.filter(association__in=scope)
        .select_related(*PROJECT_RELATED)
        .prefetch_related("co_funding"),
        project_id,
    )
