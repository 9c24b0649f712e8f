"""Intake reads for office staff, always scoped by the actor (enlace.access): the office's
requests waiting for triage, one request (a logged read), and the people of the office who may
be the person a help request is about (people's duplicate check: the office's own people only)."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404

from enlace.access import rules
from enlace.access.reads import Purpose, read_one
from enlace.accounts.actor import Actor
from enlace.people.models import Person
from enlace.people.selectors import person_duplicates

from .models import Outcome, PublicRequest


def triage_list(*, actor: Actor, waiting: bool = True) -> QuerySet[PublicRequest]:
    """The office's requests (waiting for triage first, oldest first), or all of them."""
    qs = PublicRequest.objects.filter(rules.public_request_scope(actor))
    if waiting:
        return qs.filter(outcome=Outcome.PENDING).order_by("created", "id")
    return qs.order_by("-created", "-id")


def triage_get(
    *, actor: Actor, request_id: UUID | str, purpose: str = Purpose.VIEW
) -> PublicRequest:
    """One request of the actor's office (a logged read); 404 for any other."""

    def get() -> PublicRequest:
        try:
            return (
                PublicRequest.objects.filter(rules.public_request_scope(actor))
                .select_related("nationality", "country", "office")
                .get(pk=request_id)
            )
        except (PublicRequest.DoesNotExist, ValueError) as exc:
            raise Http404 from exc

    return read_one(
        actor=actor,
        record_type="portal.publicrequest",
        record_id=request_id,
        get=get,
        owner_path="office",
        purpose=purpose,
    )


def person_suggestions(*, actor: Actor, data: dict[str, Any]) -> list[Person]:
    """People of the actor's office who may be the one the request is about (only after an
    office opened the request: the submission never looks)."""
    if not any(data.get(k) for k in ("given_names", "first_surname")):
        return []
    return person_duplicates(actor=actor, data=data)
