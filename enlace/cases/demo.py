"""Demo people, cases, a referral and a tracing request, so `make run` shows a working network.

Made through the same services as the UI (so they are indexed, audited and matched); created
once: an office that already has people is left alone.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.people import services as people_services
from enlace.people.models import Person

from . import services

PEOPLE: list[tuple[str, dict[str, Any], list[str], tuple[str, str, str, int] | None]] = [
    # username, person data, nationalities, case (type, summary, risk, days until due) or None
    (
        "oficial.mx",
        {
            "given_names": "José Luis",
            "first_surname": "Hernández",
            "second_surname": "Ramos",
            "sex": "M",
            "birth_date": "1987-02-11",
            "birth_place": "Zacatecas",
            "migratory_status": "irregular",
        },
        ["MX"],
        ("detention", "Detenido en Riverside; solicita visita consular y abogado.", "high", 3),
    ),
    (
        "oficial.mx",
        {
            "given_names": "Guadalupe",
            "first_surname": "Martínez",
            "second_surname": "Soto",
            "sex": "F",
            "birth_date": "1979",
            "birth_place": "Michoacán",
        },
        ["MX"],
        (
            "labour",
            "Salarios no pagados en empacadora; cinco compañeras en la misma situación.",
            "medium",
            -5,
        ),
    ),
    (
        "oficial.mx",
        {"given_names": "Brayan", "first_surname": "Gómez", "sex": "M", "estimated_age": 16},
        ["MX"],
        (
            "unaccompanied_child",
            "Adolescente no acompañado en albergue del condado.",
            "critical",
            1,
        ),
    ),
    (
        "oficial.gt",
        {
            "given_names": "Ana Lucía",
            "first_surname": "Xicará",
            "second_surname": "Tum",
            "sex": "F",
            "birth_date": "1995-09-30",
            "birth_place": "Quetzaltenango",
            "languages": "quc, spa",
        },
        ["GT"],
        (
            "hospital",
            "Hospitalizada tras accidente en carretera; requiere intérprete k'iche'.",
            "high",
            2,
        ),
    ),
    (
        "albergue.mx",
        {
            "given_names": "JESUS ALBERTO",
            "first_surname": "PEREZ",
            "second_surname": "GOMEZ",
            "sex": "M",
            "birth_date": "1999",
            "birth_place": "Tegucigalpa",
            "mother_name": "Maria Gomez",
        },
        ["HN"],
        None,
    ),
]


SHELTER = "Albergue Belén, Tapachula"
SHELTER_LOGIN = "albergue.mx"
SHELTER_ROLE = Role.OFFICER


@transaction.atomic
def seed_demo_cases() -> int:
    shelter = Office.objects.get(name=SHELTER)
    user, created = User.objects.get_or_create(
        username=SHELTER_LOGIN, defaults={"first_name": "Sor Teresa", "last_name": "Ramos"}
    )
    if created:
        from enlace.accounts.backends import DEMO_PASSWORD

        user.set_password(DEMO_PASSWORD)
        user.save()
    membership, _ = Membership.objects.get_or_create(user=user, office=shelter, role=SHELTER_ROLE)
    if user.active_membership_id is None:
        user.active_membership = membership
        user.save(update_fields=["active_membership"])
    made = 0
    today = timezone.localdate()
    for username, data, nationalities, case in PEOPLE:
        actor = actor_for(User.objects.get(username=username))
        if Person.objects.filter(
            owner_office=actor.office, given_names=data["given_names"]
        ).exists():
            continue
        person = people_services.person_create(actor=actor, data=data, nationalities=nationalities)
        made += 1
        if case:
            kind, summary, risk, due = case
            opened = services.case_open(
                actor=actor,
                person=person,
                case_type=kind,
                summary=summary,
                risk_level=risk,
                due_date=today + dt.timedelta(days=due),
            )
            if kind == "detention":
                services.detention_log_set(
                    actor=actor,
                    case=opened,
                    data={
                        "arrest_date": today - dt.timedelta(days=6),
                        "notified_on": today - dt.timedelta(days=4),
                        "notified_by": "Sheriff del condado de Riverside",
                        "informed_of_rights": "no",
                    },
                )
    return made
