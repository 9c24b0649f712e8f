"""What each side of a tracing match may see of the other.

Before the owning office confirms with the person's consent, the requesting office learns only
that a possible match exists at a given office (name and country, no contacts) and a coarse
strength ("strong" or "possible", from fixed cut-offs of the probability): no score, no
weight, no field-by-field explanation, which answered questions such as "is the date of birth
exactly this?" one request at a time. Its answer has the same keys whatever the levels. The
owning office, which reviews the match, sees the score and the full explanation, and learns
only which office asks and the requester's relation, not the requester's name or contact.
After confirmation both see each other, as the reunification needs; if the person then
refuses tracing or withdraws consent, the requester sees only that the match was withdrawn.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.people.present import display_name

from .models import TracingMatch, TracingRequest
from .selectors import is_owner_side, withdrawn_for_requester

# The one cut-off of the strength the requesting office sees (a probability, 0 to 1).
STRONG_MATCH_PROBABILITY = 0.9
STRENGTH_LABELS = {"strong": _("Strong possible match"), "possible": _("Possible match")}


def match_strength(probability: float) -> str:
    return "strong" if probability >= STRONG_MATCH_PROBABILITY else "possible"


FIELD_LABELS = {
    "given_names": _("Given names"),
    "surnames": _("Surnames"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "birth_place": _("Place of birth"),
    "nationality": _("Nationality"),
    "mother_name": _("Mother's name"),
    "document_number": _("Identity document number"),
}


# The engine's agreement levels (enlace.linkage.comparisons) in words for caseworkers.
LEVEL_LABELS = {
    "exact": _("the same"),
    "null": _("missing on one side: not compared"),
    "null_or_given_names_differ": _("not compared (missing, or the given names differ)"),
    "different": _("different"),
    "similar": _("similar (spelling or sound)"),
    "one_contains_other": _("one contains the other (e.g. a nickname or one of two names)"),
    "some_name_shared": _("a name in common"),
    "one_shared": _("one surname in common"),
    "one_shared_other_missing": _("one surname in common, the other missing"),
    "two_shared": _("both surnames in common"),
    "two_similar": _("both surnames alike (spelling)"),
    "swapped_with_given": _("given names and surnames swapped"),
    "swapped_with_surnames": _("given names and surnames swapped"),
    "same_year_compatible": _("same year, compatible"),
    "within_1_year": _("within one year"),
    "day_month_swap_or_typo": _("day and month swapped, or a typo"),
    "one_edit": _("one character apart"),
    "two_edits": _("two characters apart"),
}


def explanation_rows(match: TracingMatch) -> list[dict[str, Any]]:
    return [
        {
            "field": field,
            "label": str(FIELD_LABELS.get(field, field)),
            "level": level,
            "level_label": str(LEVEL_LABELS.get(level, level.replace("_", " "))),
            "weight": round(float(weight), 2),
        }
        for field, level, weight in match.explanation
    ]


def match_fields(actor: Actor, match: TracingMatch) -> dict[str, Any]:
    if is_owner_side(actor, match):
        return _owner_fields(actor, match)
    return _requester_fields(match)


def _owner_fields(actor: Actor, match: TracingMatch) -> dict[str, Any]:
    confirmed = match.status == TracingMatch.Status.CONFIRMED
    data: dict[str, Any] = {
        "id": str(match.pk),
        "status": match.status,
        "side": "owner",
        "match_probability": round(match.match_probability, 4),
        "match_weight": round(match.match_weight, 2),
        "explanation": explanation_rows(match),
        "repeat_requests": match.repeat_requests,
        "request": str(match.request_id) if confirmed else None,
        "person": str(match.person_id),
        "person_name": display_name(actor, match.person),
        "requesting_office": match.request.office.name,
        "requester_relation": match.request.requester_relation,
    }
    if confirmed:
        data |= request_fields(match.request)
        data["requesting_office_email"] = match.request.office.email
        data["requesting_office_phone"] = match.request.office.phone
        if hasattr(match, "reunification"):
            data["reunification"] = str(match.reunification.pk)
    return data


def _requester_fields(match: TracingMatch) -> dict[str, Any]:
    """The same keys for every proposal, whatever the engine saw field by field."""
    office = match.person.owner_office
    withdrawn = withdrawn_for_requester(match)
    data: dict[str, Any] = {
        "id": str(match.pk),
        "status": TracingMatch.Status.WITHDRAWN if withdrawn else match.status,
        "side": "requester",
        "request": str(match.request_id),
        "office": office.name,
        "office_country": office.country_id,
    }
    if withdrawn:
        return data
    data["strength"] = match_strength(match.match_probability)
    data["strength_label"] = str(STRENGTH_LABELS[data["strength"]])
    if match.status == TracingMatch.Status.CONFIRMED:
        data["person"] = str(match.person_id)
        data["person_name"] = match.person.full_name
        data["office_email"] = office.email
        data["office_phone"] = office.phone
        if hasattr(match, "reunification"):
            data["reunification"] = str(match.reunification.pk)
    return data


def request_fields(request: TracingRequest) -> dict[str, Any]:
    return {
        "reference": request.reference,
        "requester_name": request.requester_name,
        "requester_relation": request.requester_relation,
        "requester_contact": request.requester_contact,
        "sought_name": request.sought_name,
    }
