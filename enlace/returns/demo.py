"""Demo returns (fictional people) of the consulate of Mexico in Los Angeles (oficial.mx), the
receiving office being the Secretaría de Relaciones Exteriores (mx-sre, where focal.mx is the
national focal point):

- Rosa: requested this week, counselling to do;
- Juan: departed yesterday, arriving today: the receiving office records the arrival;
- Marta: arrived about 100 days ago with a reintegration plan: the 3-month follow-up is due.

Each is taken along its path through the services with past dates, as the offices would have."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Office, User
from enlace.people import services as people_services
from enlace.people.models import Person

from . import services
from .models import Return

OWNER = "oficial.mx"
RECEIVING_OFFICE = "Secretaría de Relaciones Exteriores de México"
RECEIVER = "focal.mx"

PEOPLE: dict[str, dict[str, Any]] = {
    "rosa": {
        "given_names": "Rosa Elvira",
        "first_surname": "Chávez",
        "second_surname": "Morales",
        "sex": "F",
        "birth_date": "1987-02-11",
        "languages": "spa",
    },
    "juan": {
        "given_names": "Juan Carlos",
        "first_surname": "Tzintzun",
        "sex": "M",
        "birth_date": "1979-08-30",
        "languages": "spa, tsz",
    },
    "marta": {
        "given_names": "Marta Alicia",
        "first_surname": "Olvera",
        "second_surname": "Ríos",
        "sex": "F",
        "birth_date": "1992-12-03",
        "languages": "spa",
    },
}


def _person(actor: Actor, key: str) -> Person:
    data = PEOPLE[key]
    person = Person.objects.filter(
        owner_office=actor.office, given_names=data["given_names"]
    ).first()
    if person is None:
        person = people_services.person_create(actor=actor, data=dict(data), nationalities=["MX"])
    return person


def _step(actor: Actor, ret: Return, step: str, **data: Any) -> Return:
    ret.refresh_from_db()
    services.return_step(actor=actor, ret=ret, step=step, version=ret.version, data=data)
    ret.refresh_from_db()
    return ret


def _to_departure(owner: Actor, ret: Return, today: dt.date, departed: dt.date) -> Return:
    """Every step up to departure on `departed` (an adult: no determination, no medical)."""
    start = departed - dt.timedelta(days=25)
    ret = _step(
        owner,
        ret,
        "counselling",
        options=["return", "stay", "regularisation", "asylum"],
        language="spa",
        counselled_on=start,
        note="Se explicaron las opciones de permanencia y de regularización.",
    )
    ret = _step(owner, ret, "consent", signed_on=start + dt.timedelta(days=4), language="spa")
    ret = _step(
        owner,
        ret,
        "assessment",
        eligible=True,
        vulnerabilities=["health"] if ret.person.given_names.startswith("Juan") else [],
        medical_check_needed=False,
        assessed_on=start + dt.timedelta(days=5),
    )
    ret = _step(
        owner,
        ret,
        "document_request",
        doc_type="emergency_travel",
        requested_on=start + dt.timedelta(days=6),
    )
    document = ret.documents.get()
    ret = _step(
        owner,
        ret,
        "document_issue",
        document=document.pk,
        number="LA-" + str(document.pk)[:8].upper(),
        issued_on=start + dt.timedelta(days=9),
    )
    ret = _step(
        owner,
        ret,
        "travel_plan",
        legs=[
            {
                "origin": "Los Ángeles (LAX)",
                "destination": "Ciudad de México (MEX)",
                "date": departed,
                "transport": "air",
                "carrier": "Aeroméxico",
            }
        ],
        special_needs="Medicamento para la presión arterial en el equipaje de mano."
        if ret.person.given_names.startswith("Juan")
        else "",
    )
    receiving = Office.objects.get(name=RECEIVING_OFFICE, country_id="MX")
    ret = _step(
        owner,
        ret,
        "hand_over",
        receiving_office=receiving.pk,
        consent_language="spa",
        consent_given_on=min(today, departed - dt.timedelta(days=2)),
    )
    return _step(owner, ret, "departure", departed_on=departed)


@transaction.atomic
def seed_demo_returns() -> list[str]:
    """Create the demo returns if missing (each person's return is made once)."""
    today = timezone.localdate()
    owner = actor_for(User.objects.get(username=OWNER))
    receiver = actor_for(User.objects.get(username=RECEIVER))
    rosa = _person(owner, "rosa")
    if not Return.objects.filter(person=rosa).exists():
        services.return_open(
            actor=owner,
            person=rosa,
            planned_departure_on=today + dt.timedelta(days=40),
            note="Pide regresar a Michoacán con su familia.",
        )
    juan = _person(owner, "juan")
    if not Return.objects.filter(person=juan).exists():
        ret = services.return_open(actor=owner, person=juan, note="Solicitud en el consulado.")
        _to_departure(owner, ret, today, today - dt.timedelta(days=1))
    marta = _person(owner, "marta")
    if not Return.objects.filter(person=marta).exists():
        ret = services.return_open(actor=owner, person=marta, note="Solicitud en el consulado.")
        arrived = today - dt.timedelta(days=100)
        ret = _to_departure(owner, ret, today, arrived)
        ret = _step(
            receiver,
            ret,
            "arrival",
            arrived_on=arrived,
            reception_note="Recibida en el aeropuerto por el programa de atención a repatriados.",
        )
        _step(
            receiver,
            ret,
            "reintegration_plan",
            planned_on=arrived + dt.timedelta(days=20),
            economic="Capital semilla para un puesto de comida; curso de administración.",
            social="Inscripción de los hijos en la escuela; trámite de CURP.",
            psychosocial="Acompañamiento psicológico mensual durante seis meses.",
        )
    return []
