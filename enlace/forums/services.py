"""Writes to the forums: forums, meetings and agenda items (the secretariat), each country's
position (its national focal points), the regional position's drafts, circulation, comments,
endorsements and adoption, and the commitments' statuses by country.

Every service checks who may act (Http404 when not: forbidden looks like missing), locks the
edited row and compares the version its caller saw (StaleEdit, 409), checks the workflow step
(TransitionNotAllowed, 409), validates its input (ValidationFailed, 400), writes and audits in
one transaction, and tells the inbox.

A new draft of a circulated regional position RESETS every country's answer to pending: an
endorsement is of a text, and a country that endorsed draft 2 has not endorsed draft 3. The
previous answers stay in the audit trail, and the focal points are told the text changed.
"""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.access import roles
from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record, diff_fields
from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.core.models import Country
from enlace.core.validation import check_text, lock_for_edit, parse_date
from enlace.inbox.models import Kind
from enlace.inbox.services import notify

from . import rules
from .models import (
    AgendaItem,
    Commitment,
    CommitmentStatus,
    CountryPosition,
    Decision,
    Endorsement,
    Forum,
    Meeting,
    PositionStatus,
    Progress,
    RegionalComment,
    RegionalPosition,
    RegionalStatus,
)

TEXT_LIMIT = 20000
NOTE_LIMIT = 500

# Steps of a country position: step → (statuses it may be taken from, status it leads to).
POSITION_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((PositionStatus.DRAFT,), PositionStatus.SUBMITTED),
    "endorse": ((PositionStatus.SUBMITTED,), PositionStatus.ENDORSED),
    "reopen": ((PositionStatus.SUBMITTED,), PositionStatus.DRAFT),
}
POSITION_FIXED = _("This position can no longer be changed: return it to draft first.")
ENDORSED_FINAL = _("An endorsed position is final.")
ADOPTED_FINAL = _("The regional position is adopted: it can no longer be changed.")
NOT_OPEN = _("The regional position is not open for endorsement.")
NOT_ALL_ENDORSED = _("Every member country must endorse the regional position before adoption.")
NO_MEMBERS = _("The forum has no member countries to endorse the position.")
STEP_UNKNOWN = _("This step does not exist.")


def _audit(actor: Actor, obj: Any, action: str, changes: dict[str, Any] | None = None) -> None:
    change_record(actor=actor, obj=obj, owner_office=actor.office, action=action, changes=changes)


def _bump(obj: Any, fields: list[str]) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version", "modified"])


def _country(field: str, code: Any) -> Country:
    country = Country.objects.filter(pk=str(code or "").upper()[:2]).first()
    if country is None:
        raise ValidationFailed({field: [_("Choose a country.")]})
    return country


def _item_link(item: AgendaItem) -> str:
    return reverse("forums:item", kwargs={"agenda_item_id": item.pk})


def _focal_offices(countries: Iterable[str]) -> list[Office]:
    return list(
        Office.objects.filter(
            country_id__in=list(countries),
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles.NATIONAL_FOCAL_POINTS,
        ).distinct()
    )


def _tell_focal_points(kind: str, regional: RegionalPosition, countries: Iterable[str]) -> None:
    for office in _focal_offices(countries):
        notify(
            kind=kind,
            office=office,
            roles=roles.NATIONAL_FOCAL_POINTS,
            params={"reference": regional.item.title, "count": regional.draft_number},
            link=_item_link(regional.item),
        )


def _tell_secretariat(kind: str, regional: RegionalPosition, actor: Actor) -> None:
    for office in Office.objects.filter(kind=Office.Kind.SECRETARIAT, is_active=True):
        notify(
            kind=kind,
            office=office,
            roles=roles.FORUM_SECRETARIAT,
            params={
                "reference": regional.item.title,
                "office": actor.office.name if actor.office else "",
            },
            link=_item_link(regional.item),
        )


# Forums, meetings, agenda items (the secretariat) ----------------------------------------


@transaction.atomic
def forum_create(
    *, actor: Actor, name: Any, kind: Any, description: Any = "", members: Iterable[Any] = ()
) -> Forum:
    """Add a forum and the countries that take part in its regional position."""
    if not rules.manages_forums(actor):
        raise Http404
    name = check_text("name", name, limit=200, required=True).strip()
    if kind not in Forum.Kind.values:
        raise ValidationFailed({"kind": [_("Choose a kind of forum.")]})
    description = check_text("description", description, limit=TEXT_LIMIT)
    countries = [_country("members", code) for code in members]
    if Forum.objects.filter(name=name).exists():
        raise ValidationFailed({"name": [_("A forum with this name exists already.")]})
    forum = Forum.objects.create(
        name=name, kind=kind, description=description, created_by=actor.user
    )
    forum.members.set(countries)
    _audit(actor, forum, "forum_create", {"name": [None, name]})
    return forum


@transaction.atomic
def meeting_create(
    *,
    actor: Actor,
    forum: Forum,
    title: Any,
    country: Any,
    starts_on: Any,
    ends_on: Any = None,
    city: Any = "",
) -> Meeting:
    """Add a meeting to a forum."""
    if not rules.manages_forums(actor):
        raise Http404
    title = check_text("title", title, limit=200, required=True).strip()
    city = check_text("city", city, limit=120).strip()
    place = _country("country", country)
    start = parse_date("starts_on", starts_on)
    if start is None:
        raise ValidationFailed({"starts_on": [_("This field is required.")]})
    end = parse_date("ends_on", ends_on) or start
    if end < start:
        raise ValidationFailed({"ends_on": [_("The meeting cannot end before it starts.")]})
    meeting = Meeting.objects.create(
        forum=forum,
        title=title,
        city=city,
        country=place,
        starts_on=start,
        ends_on=end,
        created_by=actor.user,
    )
    _audit(actor, meeting, "meeting_create", {"title": [None, title]})
    return meeting


@transaction.atomic
def item_create(
    *, actor: Actor, meeting: Meeting, title: Any, description: Any = "", order: Any = None
) -> AgendaItem:
    """Add an item to a meeting's agenda (last, unless an order is given)."""
    if not rules.manages_forums(actor):
        raise Http404
    title = check_text("title", title, limit=200, required=True).strip()
    description = check_text("description", description, limit=TEXT_LIMIT)
    if order in (None, ""):
        position = meeting.items.count() + 1
    else:
        try:
            position = int(order)
        except (TypeError, ValueError):
            position = 0
        if not 1 <= position <= 999:
            raise ValidationFailed({"order": [_("Enter a whole number from 1 to 999.")]})
    item = AgendaItem.objects.create(
        meeting=meeting,
        title=title,
        description=description,
        order=position,
        created_by=actor.user,
    )
    _audit(actor, item, "item_create", {"title": [None, title]})
    return item


# Country positions (national focal points) ------------------------------------------------


@transaction.atomic
def position_save(
    *,
    actor: Actor,
    item: AgendaItem,
    country: str,
    text: Any,
    is_public: Any = False,
    version: Any = None,
) -> CountryPosition:
    """Write a country's position on an item (a draft), or change its draft."""
    if not rules.speaks_for(actor, country):
        raise Http404
    text = check_text("text", text, limit=TEXT_LIMIT, required=True)
    public = is_public in (True, "on", "true", "1", "yes")
    existing = CountryPosition.objects.filter(item=item, country_id=country).first()
    if existing is None:
        try:
            with transaction.atomic():
                position = CountryPosition.objects.create(
                    item=item,
                    country_id=country,
                    text=text,
                    is_public=public,
                    author=actor.user,
                    created_by=actor.user,
                )
        except IntegrityError as exc:  # written at the same moment by another focal point
            raise StaleEdit from exc
        _audit(actor, position, "position_create", {"status": [None, position.status]})
        return position
    position = lock_for_edit(CountryPosition.objects.all(), existing.pk, version)
    if position.status != PositionStatus.DRAFT:
        raise TransitionNotAllowed(POSITION_FIXED)
    before = {"text": position.text, "is_public": position.is_public}
    position.text, position.is_public, position.author = text, public, actor.user
    _bump(position, ["text", "is_public", "author"])
    _audit(
        actor, position, "position_update", diff_fields(before, {"text": text, "is_public": public})
    )
    return position


@transaction.atomic
def position_step(
    *, actor: Actor, position: CountryPosition, step: str, version: Any
) -> CountryPosition:
    """Submit a draft, endorse a submitted position (final) or return it to draft."""
    if not rules.speaks_for(actor, position.country_id):
        raise Http404
    if step not in POSITION_STEPS:
        raise TransitionNotAllowed(STEP_UNKNOWN)
    locked = lock_for_edit(CountryPosition.objects.all(), position.pk, version)
    allowed_from, to = POSITION_STEPS[step]
    if locked.status not in allowed_from:
        raise TransitionNotAllowed(
            ENDORSED_FINAL if locked.status == PositionStatus.ENDORSED else POSITION_FIXED
        )
    before = locked.status
    locked.status = to
    _bump(locked, ["status"])
    _audit(actor, locked, f"position_{step}", {"status": [before, to]})
    return locked


# The regional position (the secretariat drafts; focal points comment and answer) ----------


@transaction.atomic
def regional_save(
    *, actor: Actor, item: AgendaItem, text: Any, version: Any = None
) -> RegionalPosition:
    """Write the regional position's draft. A new text of a circulated position is a new draft:
    every answer goes back to pending and the member countries' focal points are told."""
    if not rules.drafts_regional(actor):
        raise Http404
    text = check_text("text", text, limit=TEXT_LIMIT, required=True)
    existing = RegionalPosition.objects.filter(item=item).first()
    if existing is None:
        try:
            with transaction.atomic():
                regional = RegionalPosition.objects.create(
                    item=item, text=text, created_by=actor.user
                )
        except IntegrityError as exc:
            raise StaleEdit from exc
        _audit(actor, regional, "regional_create", {"draft_number": [None, 1]})
        return regional
    regional = lock_for_edit(RegionalPosition.objects.all(), existing.pk, version)
    if regional.status == RegionalStatus.ADOPTED:
        raise TransitionNotAllowed(ADOPTED_FINAL)
    if text == regional.text:
        return regional
    before = regional.draft_number
    regional.text = text
    if regional.status == RegionalStatus.CONSULTATION:
        regional.draft_number += 1
        reset = list(regional.endorsements.exclude(decision=Decision.PENDING))
        for endorsement in reset:
            _audit(
                actor,
                endorsement,
                "endorsement_reset",
                {"decision": [endorsement.decision, Decision.PENDING]},
            )
        regional.endorsements.update(
            decision=Decision.PENDING,
            decided_by=None,
            decided_at=None,
            note="",
            draft_number=regional.draft_number,
        )
        # Every answer's version moves on, so a page showing the old draft cannot endorse the new.
        for endorsement in regional.endorsements.all():
            endorsement.version += 1
            endorsement.save(update_fields=["version"])
        members = regional.endorsements.values_list("country_id", flat=True)
        _tell_focal_points(Kind.FORUM_DRAFT_CHANGED, regional, members)
    _bump(regional, ["text", "draft_number"])
    _audit(actor, regional, "regional_update", {"draft_number": [before, regional.draft_number]})
    return regional


@transaction.atomic
def regional_circulate(
    *, actor: Actor, regional: RegionalPosition, version: Any
) -> RegionalPosition:
    """Open the draft for endorsement by the forum's member countries (each pending)."""
    if not rules.drafts_regional(actor):
        raise Http404
    locked = lock_for_edit(RegionalPosition.objects.all(), regional.pk, version)
    if locked.status != RegionalStatus.DRAFT:
        raise TransitionNotAllowed(_("The regional position has been circulated already."))
    members = list(locked.item.meeting.forum.members.values_list("code", flat=True))
    if not members:
        raise TransitionNotAllowed(NO_MEMBERS)
    Endorsement.objects.bulk_create(
        [
            Endorsement(
                regional=locked,
                country_id=code,
                draft_number=locked.draft_number,
                created_by=actor.user,
            )
            for code in members
        ]
    )
    locked.status = RegionalStatus.CONSULTATION
    _bump(locked, ["status"])
    _audit(actor, locked, "regional_circulate", {"status": [RegionalStatus.DRAFT, locked.status]})
    _tell_focal_points(Kind.FORUM_DRAFT_READY, locked, members)
    return locked


@transaction.atomic
def regional_adopt(*, actor: Actor, regional: RegionalPosition, version: Any) -> RegionalPosition:
    """Adopt the regional position once every member country endorsed its current draft."""
    if not rules.drafts_regional(actor):
        raise Http404
    locked = lock_for_edit(RegionalPosition.objects.all(), regional.pk, version)
    if locked.status != RegionalStatus.CONSULTATION:
        raise TransitionNotAllowed(NOT_OPEN)
    if locked.endorsements.exclude(decision=Decision.ENDORSED).exists():
        raise TransitionNotAllowed(NOT_ALL_ENDORSED)
    locked.status = RegionalStatus.ADOPTED
    _bump(locked, ["status"])
    _audit(
        actor, locked, "regional_adopt", {"status": [RegionalStatus.CONSULTATION, locked.status]}
    )
    return locked


REGIONAL_STEPS = {"circulate": regional_circulate, "adopt": regional_adopt}


@transaction.atomic
def endorsement_answer(
    *,
    actor: Actor,
    regional: RegionalPosition,
    country: str,
    decision: Any,
    note: Any = "",
    version: Any = None,
) -> Endorsement:
    """A member country endorses the circulated draft, or objects to it (with a reason)."""
    if not rules.speaks_for(actor, country):
        raise Http404
    current = Endorsement.objects.filter(regional=regional, country_id=country).first()
    if current is None:  # not a member country (or not circulated): it has no say, as missing
        raise Http404
    if decision not in (Decision.ENDORSED, Decision.OBJECTED):
        raise ValidationFailed({"decision": [_("Choose to endorse or to object.")]})
    note = check_text("note", note, limit=NOTE_LIMIT)
    if decision == Decision.OBJECTED and not note.strip():
        raise ValidationFailed({"note": [_("Say why your country objects.")]})
    endorsement = lock_for_edit(Endorsement.objects.all(), current.pk, version)
    if RegionalPosition.objects.get(pk=regional.pk).status != RegionalStatus.CONSULTATION:
        raise TransitionNotAllowed(NOT_OPEN)
    before = endorsement.decision
    endorsement.decision = decision
    endorsement.note = note
    endorsement.decided_by = actor.user
    endorsement.decided_at = timezone.now()
    _bump(endorsement, ["decision", "note", "decided_by", "decided_at"])
    _audit(actor, endorsement, "endorsement_answer", {"decision": [before, decision]})
    kind = Kind.FORUM_ENDORSED if decision == Decision.ENDORSED else Kind.FORUM_OBJECTED
    _tell_secretariat(kind, regional, actor)
    return endorsement


@transaction.atomic
def comment_add(
    *, actor: Actor, regional: RegionalPosition, country: str, text: Any
) -> RegionalComment:
    """A country's comment on the current draft (while it is open for endorsement)."""
    if not rules.speaks_for(actor, country):
        raise Http404
    if not regional.endorsements.filter(country_id=country).exists():
        raise Http404  # not a member country: no say on the text either
    text = check_text("text", text, limit=5000, required=True)
    if regional.status != RegionalStatus.CONSULTATION:
        raise TransitionNotAllowed(NOT_OPEN)
    comment = RegionalComment.objects.create(
        regional=regional,
        country_id=country,
        author=actor.user,
        text=text,
        draft_number=regional.draft_number,
        created_by=actor.user,
    )
    _audit(actor, comment, "comment_add")
    return comment


# The commitments tracker --------------------------------------------------------------------


@transaction.atomic
def commitment_status_set(
    *,
    actor: Actor,
    commitment: Commitment,
    country: str,
    status: Any,
    note: Any = "",
    version: Any = None,
) -> CommitmentStatus:
    """A country's progress on a commitment, set by its national focal points."""
    if not rules.speaks_for(actor, country):
        raise Http404
    if status not in Progress.values:
        raise ValidationFailed({"status": [_("Choose a status.")]})
    note = check_text("note", note, limit=NOTE_LIMIT)
    existing = CommitmentStatus.objects.filter(commitment=commitment, country_id=country).first()
    if existing is None:
        try:
            with transaction.atomic():
                row = CommitmentStatus.objects.create(
                    commitment=commitment,
                    country_id=country,
                    status=status,
                    note=note,
                    updated_by=actor.user,
                    created_by=actor.user,
                )
        except IntegrityError as exc:
            raise StaleEdit from exc
        _audit(actor, row, "commitment_status_set", {"status": [None, status]})
        return row
    row = lock_for_edit(CommitmentStatus.objects.all(), existing.pk, version)
    before = {"status": row.status, "note": row.note}
    row.status, row.note, row.updated_by = status, note, actor.user
    _bump(row, ["status", "note", "updated_by"])
    _audit(
        actor, row, "commitment_status_set", diff_fields(before, {"status": status, "note": note})
    )
    return row
