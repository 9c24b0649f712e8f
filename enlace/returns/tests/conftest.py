"""A return's world: the network's own office (a Mexican consulate in Los Angeles) owns the
person and the return; the same-country office (the ministry in Mexico) receives it; the
other-country office (a Guatemalan consulate) has nothing to do with it."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OWN_OFFICE, SAME_COUNTRY, Network
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.returns import services
from enlace.returns.models import Return, ReturnSettings

CANARY_STATUS = "temporary_protection"
CANARY_NOTE = "CANARY-RETURN-STATUS-41c7"


@dataclass
class ReturnWorld:
    network: Network
    officer: Actor  # owner office (MX consulate in Los Angeles)
    receiver: Actor  # receiving office's officer (MX ministry)
    focal: Actor  # national focal point at the receiving office

    @property
    def receiving_office(self) -> Any:
        return self.network.offices[SAME_COUNTRY]

    def person(self, *, birth_date: str = "1990-04-02", **extra: Any) -> Person:
        return people_services.person_create(
            actor=self.officer,
            data={
                "given_names": "Ana Lucía",
                "first_surname": "Ramírez",
                "sex": "F",
                "birth_date": birth_date,
                "migratory_status": CANARY_STATUS,
                "migratory_status_notes": CANARY_NOTE,
                **extra,
            },
            nationalities=["MX"],
        )


@pytest.fixture
def rw(network: Network) -> ReturnWorld:
    office = network.offices[OWN_OFFICE]
    ReturnSettings.objects.create(office=office, cooling_off_days=3)
    return ReturnWorld(
        network=network,
        officer=actor_for(network.user(Role.OFFICER)),
        receiver=actor_for(network.user(Role.OFFICER, SAME_COUNTRY)),
        focal=actor_for(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY)),
    )


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def days_ahead(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


# Walking a return along its path, one service per step, up to a status.
ORDER = [
    "counselling",
    "consent",
    "assessment",
    "best_interests",
    "document_request",
    "document_issue",
    "medical",
    "travel_plan",
    "hand_over",
    "departure",
    "arrival",
    "reintegration_plan",
]


def take(rw: ReturnWorld, ret: Return, step: str, **override: Any) -> Return:
    """Take one step with sensible data (overridable) and return the fresh return."""
    ret.refresh_from_db()
    a = rw.officer
    data: dict[str, Any]
    if step == "counselling":
        data = {
            "options": ["return", "stay", "regularisation"],
            "language": "spa",
            "counselled_on": days_ago(10),
        }
    elif step == "consent":
        data = {"signed_on": days_ago(5), "language": "spa"}
    elif step == "assessment":
        data = {"eligible": True, "vulnerabilities": [], "medical_check_needed": False}
    elif step == "best_interests":
        data = {"decided_on": days_ago(3), "decided_by": "DIF", "in_best_interests": True}
    elif step == "document_request":
        data = {"doc_type": "emergency_travel", "requested_on": days_ago(3)}
    elif step == "document_issue":
        data = {"document": ret.documents.get().pk, "number": "G12345678", "issued_on": days_ago(2)}
    elif step == "medical":
        data = {"fit": True, "examined_on": days_ago(2)}
    elif step == "travel_plan":
        data = {
            "legs": [
                {
                    "origin": "Los Angeles",
                    "destination": "Ciudad de México",
                    "date": timezone.localdate().isoformat(),
                    "transport": "air",
                    "carrier": "AM",
                }
            ],
            "escort": "",
            "special_needs": "",
        }
    elif step == "hand_over":
        data = {"receiving_office": rw.receiving_office.pk, "consent_language": "spa"}
    elif step == "departure":
        data = {"departed_on": timezone.localdate()}
    elif step == "arrival":
        a = rw.receiver
        data = {"arrived_on": timezone.localdate(), "reception_note": "Recibida en AICM"}
    elif step == "reintegration_plan":
        a = rw.receiver
        data = {"economic": "Capital semilla", "social": "Escuela", "psychosocial": "Apoyo"}
    else:
        raise AssertionError(step)
    data |= override.pop("data", {})
    actor = override.pop("actor", a)
    services.return_step(actor=actor, ret=ret, step=step, version=ret.version, data=data)
    ret.refresh_from_db()
    return ret


def walk(rw: ReturnWorld, ret: Return, *, until: str, skip: tuple[str, ...] = ()) -> Return:
    """Take every step of ORDER up to and including `until` (minus `skip`)."""
    for step in ORDER:
        if step in skip:
            continue
        ret = take(rw, ret, step)
        if step == until:
            break
    return ret


def open_adult(rw: ReturnWorld, **kw: Any) -> Return:
    return services.return_open(actor=rw.officer, person=rw.person(), **kw)


ADULT_SKIPS = ("best_interests", "medical")
