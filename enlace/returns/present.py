"""What of a return the reader may see, as plain data for templates, the API and the PDF: the
one place the return's field-level rules are applied (enlace.returns.rules).

- The sending side sees everything recorded.
- The receiving side sees what reception and reintegration need: who arrives (the name only
  where the firewall shows the person's identity), age group, sex, languages, vulnerabilities,
  special needs, escort, itinerary, dates, that consent was given and when, the documents'
  types (their numbers only with the identity), and its own reception, plan and follow-ups —
  not the counselling notes, eligibility reasons, the determination's or medical notes, nor the
  protection case. The migratory status is never part of a return, for anyone.
"""

import datetime as dt
from typing import Any

from django.utils import timezone

from enlace.access.rules import sees_identity
from enlace.accounts.actor import Actor
from enlace.core.names import language_name, language_names
from enlace.people.present import PROTECTED_NAME

from . import rules, selectors, services
from .models import (
    CounsellingOption,
    Outcome,
    Return,
    Step,
    Vulnerability,
)

AGE_GROUPS = selectors.AGE_GROUPS


def _office(office: Any) -> dict[str, Any] | None:
    if office is None:
        return None
    return {"id": str(office.pk), "name": office.name, "country": office.country_id}


def _age_group(person: Any, on: dt.date | None = None) -> str:
    on = on or timezone.localdate()
    return selectors._age_group(person.birth_date, person.estimated_age, person.age_reported_on, on)


def _labels(choices: Any, values: list[str]) -> list[dict[str, str]]:
    known = dict(choices.choices)
    return [{"value": v, "label": str(known.get(v, v))} for v in values]


def _user(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def person_data(actor: Actor, ret: Return) -> dict[str, Any]:
    """Who returns, as the reader may see them: never the migratory status."""
    person = ret.person
    data: dict[str, Any] = {
        "id": str(person.pk),
        "sex": person.sex,
        "sex_label": str(person.get_sex_display()),
        "age_group": _age_group(person),
        "languages": language_names(person.languages),
        "identity_protected": True,
        "name": str(PROTECTED_NAME),
    }
    if sees_identity(actor, person):
        data |= {"name": person.full_name, "identity_protected": False}
    return data


def return_summary(actor: Actor, ret: Return, granted: set[Any] | None = None) -> dict[str, Any]:
    """A list row: reference, status, offices, dates, who (name only with the identity).
    `granted`: rules.granted_return_ids(actor), read once for a list."""
    side = rules.side(actor, ret, granted)
    person = ret.person
    return {
        "id": str(ret.pk),
        "reference": ret.reference,
        "status": ret.status,
        "status_label": str(ret.get_status_display()),
        "side": side or "",
        "owner_office": _office(ret.owner_office),
        "receiving_office": _office(ret.receiving_office),
        "origin_country": ret.origin_country_id,
        "person_name": person.full_name if sees_identity(actor, person) else str(PROTECTED_NAME),
        "planned_departure_on": ret.planned_departure_on,
        "expected_arrival_on": ret.expected_arrival_on,
        "arrived_on": ret.arrived_on,
        "version": ret.version,
    }


def _documents(actor: Actor, ret: Return) -> list[dict[str, Any]]:
    numbers = rules.sees_document_numbers(actor, ret)
    out = []
    for d in ret.documents.all():
        row: dict[str, Any] = {
            "id": str(d.pk),
            "doc_type": d.doc_type,
            "doc_type_label": str(d.get_doc_type_display()),
            "requested_on": d.requested_on,
            "issued_on": d.issued_on,
            "valid_until": d.valid_until,
            "issued_by": d.issued_by.name,
        }
        if numbers:
            row["number"] = d.number
        out.append(row)
    return out


def _timeline(actor: Actor, ret: Return, *, details: bool) -> list[dict[str, Any]]:
    """Every step, who and when; the receiving side sees the steps' names, dates and offices,
    not what the sending side recorded in them."""
    labels = dict(Step.choices)
    out = []
    for s in ret.steps.select_related("office", "by"):
        row: dict[str, Any] = {
            "step": s.step,
            "label": str(labels.get(s.step, s.step)),
            "at": s.at,
            "office": s.office.name,
            "by": _user(s.by),
        }
        own_side = s.office_id == (actor.office.pk if actor.office else None)
        if details or own_side:
            row |= {"note": s.note, "data": s.data}
        out.append(row)
    return out


def return_rows(actor: Actor, returns: Any) -> list[dict[str, Any]]:
    """List rows for a page of returns, in a fixed number of queries."""
    granted = rules.granted_return_ids(actor)
    return [return_summary(actor, r, granted) for r in returns]


def return_data(actor: Actor, ret: Return, today: dt.date | None = None) -> dict[str, Any]:
    """The return's page, API detail and PDF data for this reader."""
    today = today or timezone.localdate()
    permissions = rules.return_permissions(actor, ret)
    details = permissions["details"]
    data = return_summary(actor, ret) | {
        "person": person_data(actor, ret),
        "permissions": permissions,
        "steps_available": services.steps_available(actor, ret),
        "is_child": services.is_child(ret),
        "declared_child": ret.declared_child,
        "unaccompanied_child": ret.unaccompanied_child,
        "vulnerabilities": _labels(Vulnerability, list(ret.vulnerabilities or [])),
        "consent_given": ret.consent_signed_on is not None,
        "consent_signed_on": ret.consent_signed_on,
        "handed_over_on": ret.handed_over_on,
        "escort_required": ret.escort_required,
        "escort": ret.escort,
        "special_needs": ret.special_needs,
        "fit_to_travel": ret.fit_to_travel,
        "legs": [
            {
                "position": leg.position,
                "origin": leg.origin,
                "destination": leg.destination,
                "date": leg.date,
                "transport": leg.transport,
                "transport_label": str(leg.get_transport_display()),
                "carrier": leg.carrier,
            }
            for leg in ret.legs.all()
        ],
        "documents": _documents(actor, ret),
        "departed_on": ret.departed_on,
        "reception_note": ret.reception_note,
        "plan": {
            "planned_on": ret.plan_on,
            "due_on": ret.plan_due_on,
            "overdue": ret.plan_overdue,
            "economic": ret.plan_economic,
            "social": ret.plan_social,
            "psychosocial": ret.plan_psychosocial,
        },
        "follow_ups": selectors.trend(ret, today),
        "outcome": ret.outcome,
        "outcome_label": str(dict(Outcome.choices).get(ret.outcome, "")) if ret.outcome else "",
        "ended_at": ret.ended_at,
        "timeline": _timeline(actor, ret, details=details),
    }
    if details:
        case = ret.protection_case
        data |= {
            "protection_case": {"id": str(case.pk), "reference": case.reference}
            if case is not None
            else None,
            "after_detention": ret.after_detention,
            "counselled_on": ret.counselled_on,
            "counselling_options": _labels(CounsellingOption, list(ret.counselling_options or [])),
            "counselling_language": ret.counselling_language,
            "counselling_language_name": language_name(ret.counselling_language)
            if ret.counselling_language
            else "",
            "counselling_note": ret.counselling_note,
            "cooling_off_days": services.cooling_off_days(ret.owner_office),
            "consent_earliest_on": services.consent_earliest_on(ret),
            "consent_language": ret.consent_language,
            "consent_reconfirmed_on": ret.consent_reconfirmed_on,
            "reconfirmation_not_possible": ret.reconfirmation_not_possible,
            "assessed_on": ret.assessed_on,
            "eligible": ret.eligible,
            "eligibility_reasons": ret.eligibility_reasons,
            "medical_check_needed": ret.medical_check_needed,
            "bid": {
                "decided_on": ret.bid_on,
                "decided_by": ret.bid_decided_by,
                "in_best_interests": ret.bid_in_best_interests,
                "note": ret.bid_note,
            },
            "medical_examined_on": ret.medical_examined_on,
            "medical_note": ret.medical_note,
            "withdrawal_reason": ret.withdrawal_reason,
            "closure_reason": ret.closure_reason,
        }
    elif permissions["receiving"]:
        data["closure_reason"] = ret.closure_reason
    return data
