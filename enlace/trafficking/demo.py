"""Demo trafficking and smuggling cases (fictional people and numbers): one trafficking case
along Honduras → Guatemala → Mexico → United States, and two smuggling cases, two of them
sharing a phone number written differently ("+502 5555 1234" and "55551234", read in Guatemala)
so that the links between cases have something to find."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from enlace.accounts.actor import actor_for
from enlace.accounts.models import User
from enlace.people import services as people_services
from enlace.people.models import Person

from . import services
from .models import TraffickingCase

# (registering officer, data, nationalities)
VICTIMS: dict[str, tuple[str, dict[str, Any], list[str]]] = {
    "keila": (
        "oficial.gt",
        {
            "given_names": "Keila Yamileth",
            "first_surname": "Orellana",
            "sex": "F",
            "birth_date": "2006-03-09",
        },
        ["HN"],
    ),
    "dilcia": (
        "oficial.gt",
        {
            "given_names": "Dilcia Marisol",
            "first_surname": "Ramírez",
            "sex": "F",
            "estimated_age": 23,
        },
        ["HN"],
    ),
    "wilmer": (
        "oficial.gt",
        {
            "given_names": "Wilmer Estuardo",
            "first_surname": "Chocooj",
            "sex": "M",
            "birth_date": "1998-11-21",
        },
        ["GT"],
    ),
    "elvin": (
        "oficial.hn",
        {"given_names": "Elvin Josué", "first_surname": "Padilla", "sex": "M", "estimated_age": 31},
        ["HN"],
    ),
}

# The victim whose protection case (opened by the registering office) the case links to.
WITH_PROTECTION_CASE = {"keila": "Posible víctima de trata: atendida en el consulado."}


def _victim(key: str) -> Person:
    username, data, nationalities = VICTIMS[key]
    actor = actor_for(User.objects.get(username=username))
    person = Person.objects.filter(
        owner_office=actor.office, given_names=data["given_names"]
    ).first()
    if person is None:
        person = people_services.person_create(
            actor=actor, data=dict(data), nationalities=nationalities
        )
    if not person.vulnerabilities.filter(kind="trafficking_victim").exists():
        people_services.vulnerability_add(actor=actor, person=person, kind="trafficking_victim")
    person.refresh_from_db()
    return person


def _protection_case(key: str, person: Person) -> Any:
    """The victim's protection case (a possible trafficking case of the registering office)."""
    from enlace.cases import services as case_services

    summary = WITH_PROTECTION_CASE.get(key)
    if summary is None:
        return None
    existing = person.cases.filter(case_type="possible_trafficking").first()  # type: ignore[attr-defined]
    if existing is not None:
        return existing.pk
    actor = actor_for(User.objects.get(username=VICTIMS[key][0]))
    return case_services.case_open(
        actor=actor, person=person, case_type="possible_trafficking", summary=summary
    ).pk


def _cases(today: dt.date) -> list[tuple[str, dict[str, Any]]]:
    ago = lambda days: (today - dt.timedelta(days=days)).isoformat()  # noqa: E731
    return [
        (
            "trata.gt",
            {
                "kind": "trafficking",
                "summary": "Captación por oferta de empleo en restaurante; explotación sexual "
                "en Tapachula y traslado posterior a Houston.",
                "route": [
                    {
                        "country": "HN",
                        "place": "San Pedro Sula",
                        "date": ago(120),
                        "transport": "bus",
                    },
                    {
                        "country": "GT",
                        "place": "Ciudad de Guatemala",
                        "date": ago(117),
                        "transport": "bus",
                    },
                    {"country": "MX", "place": "Tapachula", "date": ago(110), "transport": "truck"},
                    {"country": "US", "place": "Houston", "date": ago(40), "transport": "car"},
                ],
                "victims": [
                    {
                        "person": "keila",
                        "trafficking_status": "PossibleVictimOfTrafficking",
                        "type_of_exploitation": ["SexualExploitation"],
                        "type_of_sex_exploitation": ["Prostitution"],
                        "methods_of_control": [
                            "DebtBondage",
                            "WithholdsDocuments",
                            "PhysicalThreats",
                        ],
                        "method_of_recruitment": ["ThroughAnOnlineAdvertisement"],
                        "recruitment_websites_and_apps": ["Facebook", "WhatsApp"],
                        "relationship_to_trafficker": "Unaquainted",
                        "age_when_trafficked": 17,
                    },
                    {
                        "person": "dilcia",
                        "trafficking_status": "ActualVictimOfTrafficking",
                        "status_decided_by": "CourtOrProsecution",
                        "type_of_exploitation": ["ForcedLabour"],
                        "forced_labour_industry": "I_AccommodationAndFoodServiceActivities",
                        "methods_of_control": ["TakesEarnings", "ExcessiveWorkingHours"],
                    },
                ],
                "perpetrators": [
                    {
                        "given_names": "Nery Obdulio",
                        "surnames": "Castañeda",
                        "aliases": ["El Chele", "Don Nery"],
                        "sex": "M",
                        "nationality": "GT",
                        "role_in_process": ["RecruiterOrIntermediary", "Exploiter"],
                    },
                    {
                        "given_names": "",
                        "surnames": "",
                        "aliases": ["La Güera"],
                        "sex": "F",
                        "role_in_process": ["Transporter"],
                    },
                ],
                "identifiers": [
                    {"kind": "phone", "value": "+502 5555 1234", "perpetrator": 0},
                    {"kind": "vehicle", "value": "P-123 BCD"},
                    {"kind": "place", "value": "Bar La Frontera, Tapachula"},
                ],
                "events": [
                    {
                        "type": "Recruitment",
                        "date": ago(125),
                        "country": "HN",
                        "city": "San Pedro Sula",
                    },
                    {
                        "type": "Exploitation",
                        "date": ago(100),
                        "country": "MX",
                        "city": "Tapachula",
                    },
                ],
            },
        ),
        (
            "trata.gt",
            {
                "kind": "smuggling",
                "summary": "Grupo de 14 personas abandonado en un tráiler cerca de Arriaga.",
                "route": [
                    {
                        "country": "GT",
                        "place": "Tecún Umán",
                        "date": ago(30),
                        "transport": "on_foot",
                    },
                    {"country": "MX", "place": "Arriaga", "date": ago(28), "transport": "truck"},
                    {"country": "US", "place": "", "transport": ""},
                ],
                "victims": [{"person": "wilmer", "fee_paid": "7000", "fee_currency": "USD"}],
                "perpetrators": [
                    {
                        "given_names": "Chepe",
                        "aliases": ["El Coyote"],
                        "role_in_process": ["Smuggler"],
                    }
                ],
                "identifiers": [
                    {"kind": "phone", "value": "55551234"},
                    {"kind": "bank_account", "value": "gt12-3456 7890"},
                ],
                "incidents": [
                    {
                        "kind": "abandonment",
                        "date": ago(27),
                        "country": "MX",
                        "place": "Carretera Arriaga–Tapanatepec",
                        "persons_affected": 14,
                        "deaths": 0,
                    }
                ],
            },
        ),
        (
            "trata.hn",
            {
                "kind": "smuggling",
                "summary": "Traslado por río Suchiate; extorsión en el camino.",
                "route": [
                    {"country": "HN", "place": "Corinto", "date": ago(15), "transport": "bus"},
                    {"country": "GT", "place": "Tecún Umán", "date": ago(13), "transport": "boat"},
                    {
                        "country": "MX",
                        "place": "Ciudad Hidalgo",
                        "date": ago(13),
                        "transport": "on_foot",
                    },
                ],
                "victims": [{"person": "elvin", "fee_paid": "45000", "fee_currency": "HNL"}],
                "incidents": [
                    {
                        "kind": "extortion",
                        "date": ago(13),
                        "country": "GT",
                        "place": "Tecún Umán",
                        "persons_affected": 6,
                    }
                ],
            },
        ),
    ]


@transaction.atomic
def seed_demo_trafficking() -> list[str]:
    """Create the demo cases if missing; returns the logins to print."""
    today = timezone.localdate()
    for username, spec in _cases(today):
        if TraffickingCase.objects.filter(summary=spec["summary"]).exists():
            continue
        actor = actor_for(User.objects.get(username=username))
        spec = dict(spec)
        victims = []
        for row in spec["victims"]:
            person = _victim(row["person"])
            protection_case = _protection_case(row["person"], person)
            victims.append({**row, "person": person.pk, "protection_case": protection_case})
        spec["victims"] = victims
        services.case_create(actor=actor, **spec)
    # The focal points' logins are printed with the network's (accounts' demo users).
    return []
