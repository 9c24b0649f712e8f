"""What of a trafficking case the reader may see: the one place the case's identities are
applied. Pages, the API and the panel build a case through `case_fields`, so a name cannot
leak through one path and not another.

De-identified (everyone who sees the case but not its identities): victims as "Victim 1" with
sex and age band only, perpetrators as "Perpetrator 1" with their role, identifiers by kind
without their values, and no free text (summary, closure reason, descriptions: empty), where a
name may have been typed.
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enlace.accounts.actor import Actor

from . import htcds, rules
from .models import TraffickingCase, Victim
from .selectors import case_rows, identities_shown

AGE_BANDS = ((0, 11), (12, 17), (18, 24), (25, 34), (35, 49), (50, 59), (60, 200))
UNKNOWN_AGE = gettext_lazy("Age unknown")


def age_of(person: Any, today: dt.date | None = None) -> int | None:
    """Age in whole years from the date of birth, or the estimated age as reported."""
    today = today or timezone.localdate()
    if person.birth_date:
        born = person.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if person.estimated_age is not None:
        years = 0
        if person.age_reported_on:
            years = (today - person.age_reported_on).days // 365
        return int(person.estimated_age) + years
    return None


def age_band(age: int | None) -> str:
    """The age as a band ("18–24"), the only age a de-identified case shows."""
    if age is None:
        return str(UNKNOWN_AGE)
    for low, high in AGE_BANDS:
        if low <= age <= high:
            return f"{low}+" if high >= 200 else f"{low}–{high}"
    return str(UNKNOWN_AGE)


def _labels(name: str, values: list[str]) -> list[str]:
    spec = htcds.field(name)
    return [str(spec.label_of(v)) for v in values]


def victim_fields(victim: Victim, index: int, *, identities: bool) -> dict[str, Any]:
    person = victim.person
    data: dict[str, Any] = {
        "label": _("Victim %(n)d") % {"n": index},
        "sex": person.sex,
        "sex_label": str(person.get_sex_display()),
        "age_band": age_band(age_of(person)),
        "identity_protected": not identities,
    }
    if not identities:
        return data
    data |= {
        "id": str(victim.pk),
        "person": str(person.pk),
        "name": person.full_name,
        "protection_case": str(victim.protection_case_id or "") or None,
        "protection_case_reference": victim.protection_case.reference
        if victim.protection_case
        else "",
        "trafficking_status": victim.trafficking_status,
        "status_decided_by": victim.status_decided_by,
        "relationship_to_trafficker": victim.relationship_to_trafficker,
        "age_when_trafficked": victim.age_when_trafficked,
        "location_of_recruitment": victim.location_of_recruitment,
        "location_of_exploitation": victim.location_of_exploitation,
        "forced_labour_industry": victim.forced_labour_industry,
        "consent": victim.consent,
        "fee_paid": str(victim.fee_paid) if victim.fee_paid is not None else None,
        "fee_currency": victim.fee_currency,
    }
    for attribute in Victim.MULTI_FIELDS:
        data[attribute] = list(getattr(victim, attribute))
    data["context"] = [
        (str(htcds.field(name).label), ", ".join(_labels(name, getattr(victim, attribute))))
        for attribute, name in Victim.MULTI_FIELDS.items()
        if getattr(victim, attribute)
    ]
    for attribute, name in (
        ("trafficking_status", "vic_TraffickingStatus"),
        ("status_decided_by", "vic_TraffickingStatusDecisionMakingOrg"),
        ("relationship_to_trafficker", "vic_RelationshipToTrafficker"),
        ("forced_labour_industry", "vic_ForcedLabourIndustry"),
    ):
        value = getattr(victim, attribute)
        if value:
            data["context"].insert(
                0, (str(htcds.field(name).label), str(htcds.field(name).label_of(value)))
            )
    return data


def perpetrator_fields(perpetrator: Any, index: int, *, identities: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": _("Perpetrator %(n)d") % {"n": index},
        "role_in_process": list(perpetrator.role_in_process),
        "roles": _labels("per_RoleInProcess", perpetrator.role_in_process),
        "identity_protected": not identities,
    }
    if not identities:
        return data
    return data | {
        "id": str(perpetrator.pk),
        "name": str(perpetrator) if (perpetrator.given_names or perpetrator.surnames) else "",
        "given_names": perpetrator.given_names,
        "surnames": perpetrator.surnames,
        "aliases": list(perpetrator.aliases),
        "sex": perpetrator.sex,
        "nationality": perpetrator.nationality_id or "",
        "role_details": perpetrator.role_details,
        "organisation": perpetrator.organisation,
    }


def case_summary(case: TraffickingCase, *, free_text: bool) -> dict[str, Any]:
    """The case's own fields: no identity among them; the summary only with `free_text`
    (rules.sees_free_text), empty otherwise."""
    return {
        "id": str(case.pk),
        "reference": case.reference,
        "kind": case.kind,
        "status": case.status,
        "summary": case.summary if free_text else "",
        "owner_office": str(case.owner_office_id),
        "owner_country": case.owner_office.country_id,
        "created": case.created,
        "version": case.version,
    }


def case_fields(actor: Actor, case: TraffickingCase) -> dict[str, Any]:
    """The whole case for this reader: identities only where the rules allow (logged)."""
    identities = rules.sees_identities(actor, case)
    free_text = identities  # rules.sees_free_text: the same rule, without a second query
    rows = case_rows(case)
    if identities:
        identities_shown(actor=actor, victims=rows["victims"], perpetrators=rows["perpetrators"])
    perpetrator_index = {p.pk: i for i, p in enumerate(rows["perpetrators"], 1)}
    data = case_summary(case, free_text=free_text) | {
        "closure_reason": case.closure_reason if free_text else "",
        "identities": identities,
        "free_text": free_text,
        "route": [
            {
                "position": s.position,
                "country": s.country_id,
                "country_name": s.country.name,
                "place": s.place,
                "date": s.date,
                "transport": s.transport,
                "transport_label": str(s.get_transport_display()) if s.transport else "",
            }
            for s in rows["route"]
        ],
        "victims": [
            victim_fields(v, i, identities=identities) for i, v in enumerate(rows["victims"], 1)
        ],
        "perpetrators": [
            perpetrator_fields(p, i, identities=identities)
            for i, p in enumerate(rows["perpetrators"], 1)
        ],
        "identifiers": [
            {
                "kind": x.kind,
                "kind_label": str(x.get_kind_display()),
                "value": x.value if identities else None,
                "normalised": x.normalised if identities else None,
                "perpetrator": perpetrator_index.get(x.perpetrator_id),
            }
            for x in rows["identifiers"]
        ],
        "events": [
            {
                "type": e.type,
                "type_label": str(e.get_type_display()),
                "date": e.date,
                "country": e.country_id or "",
                "country_name": e.country.name if e.country else "",
                "state": e.state,
                "city": e.city,
                "street": e.street if identities else "",
                "postal_code": e.postal_code if identities else "",
                "latitude": str(e.latitude) if identities and e.latitude is not None else None,
                "longitude": str(e.longitude) if identities and e.longitude is not None else None,
                "description": e.description if free_text else "",
            }
            for e in rows["events"]
        ],
        "incidents": [
            {
                "kind": x.kind,
                "kind_label": str(x.get_kind_display()),
                "date": x.date,
                "country": x.country_id or "",
                "country_name": x.country.name if x.country else "",
                "place": x.place,
                "persons_affected": x.persons_affected,
                "deaths": x.deaths,
                "description": x.description if free_text else "",
            }
            for x in rows["incidents"]
        ],
    }
    return data
