"""Reads of the good practices library. The public library (search_practices, published_get)
shows published practices only and needs no actor; the staff pages read through the actor's
reach (enlace.practices.rules): missing and forbidden are the same 404."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Value, When
from django.http import Http404

from enlace.accounts.actor import Actor
from enlace.core.lookups import get_or_404, uuid_or_404

from . import rules, search
from .models import (
    Attachment,
    Practice,
    PracticeTargetGroup,
    PracticeTheme,
    PracticeTranslation,
    Question,
    Status,
)


def _with_details(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("author_office", "author").prefetch_related(
        "translations",
        "themes",
        "target_groups",
        "countries",
        "gcm_objectives",
        Prefetch("attachments", queryset=Attachment.objects.order_by("created")),
    )


def _for_rows(qs: QuerySet[Practice]) -> QuerySet[Practice]:
    return qs.select_related("author_office").prefetch_related(
        "translations", "themes", "countries"
    )


def search_practices(
    q: str = "", filters: Mapping[str, Any] | None = None, language: str = "es"
) -> QuerySet[Practice]:
    """Published practices matching the search `q` (every word, in any language version;
    accents, case and word forms ignored: enlace.practices.search) and the `filters` (country:
    an ISO code, theme, target_group, gcm: an objective's number), those written in or
    translated into `language` first, the newest first."""
    filters = filters or {}
    qs = Practice.objects.filter(status=Status.PUBLISHED)
    if filters.get("country"):
        qs = qs.filter(countries__code=str(filters["country"]).upper())
    if filters.get("theme"):
        qs = qs.filter(
            Exists(PracticeTheme.objects.filter(practice=OuterRef("pk"), theme=filters["theme"]))
        )
    if filters.get("target_group"):
        qs = qs.filter(
            Exists(
                PracticeTargetGroup.objects.filter(
                    practice=OuterRef("pk"), group=filters["target_group"]
                )
            )
        )
    if filters.get("gcm"):
        qs = qs.filter(gcm_objectives__number=int(filters["gcm"]))
    if q:
        match = search.text_matches(q)
        if match is not None:
            qs = qs.filter(match)
    translated = PracticeTranslation.objects.filter(practice=OuterRef("pk"), language=language)
    qs = qs.annotate(
        in_language=Case(
            When(language=language, then=Value(0)),
            When(Exists(translated), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return _for_rows(qs.order_by("in_language", "-published_at", "-id"))


def published_get(*, practice_id: UUID | str) -> Practice:
    """A published practice with everything its public page shows (else 404)."""
    return get_or_404(_with_details(Practice.objects.filter(status=Status.PUBLISHED)), practice_id)


def published_attachment(*, practice_id: UUID | str, attachment_id: UUID | str) -> Attachment:
    """A file of a published practice (else 404): public like the practice."""
    found = Attachment.objects.filter(
        pk=uuid_or_404(attachment_id),
        practice_id=uuid_or_404(practice_id),
        practice__status=Status.PUBLISHED,
    ).first()
    if found is None:
        raise Http404
    return found


def practice_list(*, actor: Actor) -> QuerySet[Practice]:
    """Every practice whose staff page the actor may open."""
    reach = rules.reach(actor)
    if reach is None:
        return Practice.objects.none()
    return _for_rows(Practice.objects.filter(reach))


def my_practices(*, actor: Actor) -> QuerySet[Practice]:
    """The practices of the actor's office, the last changed first."""
    if not rules.may_submit(actor):
        return Practice.objects.none()
    return _for_rows(
        Practice.objects.filter(author_office=actor.office).order_by("-modified", "-id")
    )


def review_queue(*, actor: Actor) -> QuerySet[Practice]:
    """The submitted practices waiting for a reviewer, the longest waiting first."""
    if not rules.is_reviewer(actor):
        return Practice.objects.none()
    return _for_rows(
        Practice.objects.filter(status=Status.SUBMITTED).order_by("submitted_at", "id")
    )


def practice_get(*, actor: Actor, practice_id: UUID | str) -> Practice:
    """A practice the actor may open on the staff pages (else 404)."""
    practice = (
        _with_details(practice_list(actor=actor))
        .prefetch_related("reviews__reviewer")
        .filter(pk=uuid_or_404(practice_id))
        .first()
    )
    if practice is None:
        raise Http404
    return practice


def attachment_get(
    *, actor: Actor, practice_id: UUID | str, attachment_id: UUID | str
) -> Attachment:
    practice = practice_get(actor=actor, practice_id=practice_id)
    found = practice.attachments.filter(pk=uuid_or_404(attachment_id)).first()
    if found is None:
        raise Http404
    return found


def questions(*, actor: Actor, practice: Practice) -> QuerySet[Question]:
    """The questions sent to the practice's author: its office only."""
    if not rules.sees_questions(actor, practice):
        return Question.objects.none()
    return practice.questions.order_by("-created")
