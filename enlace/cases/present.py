"""Cases as the actor may see them, for the API, pages and exports alike."""

from typing import Any

from enlace.accounts.actor import Actor
from enlace.people.present import display_name

from .models import Case, Referral
from .selectors import is_owner_staff


def case_fields(actor: Actor, case: Case) -> dict[str, Any]:
    return {
        "id": str(case.pk),
        "reference": case.reference,
        "person": str(case.person_id),
        "person_name": display_name(actor, case.person),
        "case_type": case.case_type,
        "summary": case.summary,
        "status": case.status,
        "risk_level": case.risk_level,
        "due_date": case.due_date.isoformat() if case.due_date else None,
        "is_overdue": case.is_overdue,
        "assigned_to": case.assigned_to.username if case.assigned_to else None,
        "owner_office": str(case.owner_office_id),
        "closure_pending": case.closure_pending,
        "version": case.version,
        "created": case.created.isoformat(),
    }


def case_detail_fields(actor: Actor, case: Case) -> dict[str, Any]:
    data = case_fields(actor, case)
    detention = getattr(case, "detention", None)
    if detention is not None:
        data["detention"] = {
            "arrest_date": detention.arrest_date.isoformat(),
            "detention_place": detention.detention_place,
            "informed_of_rights": detention.informed_of_rights,
            "notified_on": _iso(detention.notified_on),
            "notified_by": detention.notified_by,
            "first_contact_on": _iso(detention.first_contact_on),
            "first_visit_on": _iso(detention.first_visit_on),
            "notification_delay_days": detention.notification_delay_days,
        }
    data["actions"] = [
        {
            "id": str(a.pk),
            "service_type": a.service_type,
            "provider": a.provider,
            "date": a.date.isoformat(),
            "outcome": a.outcome,
            "office": str(a.office_id),
        }
        for a in case.actions.all()
    ]
    data["notes"] = [
        {
            "id": str(n.pk),
            "text": n.text,
            "office": str(n.office_id),
            "created": n.created.isoformat(),
        }
        for n in case.notes.all()
    ]
    if is_owner_staff(actor, case):
        data["referrals"] = [referral_fields(r) for r in case.referrals.all()]
    return data


def referral_fields(referral: Referral) -> dict[str, Any]:
    return {
        "id": str(referral.pk),
        "case": str(referral.case_id),
        "case_reference": referral.case.reference,
        "case_type": referral.case.case_type,
        "from_office": str(referral.from_office_id),
        "to_office": str(referral.to_office_id),
        "purpose": referral.purpose,
        "status": referral.status,
        "with_consent": referral.consent_id is not None,
        "created": referral.created.isoformat(),
    }


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None
