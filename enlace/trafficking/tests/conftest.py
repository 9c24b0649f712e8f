"""A small world for trafficking tests: three countries (the owner GT, MX on the route, HN
elsewhere), the roles that matter in each, and one trafficking case of the GT focal point with
a victim, a perpetrator and identifiers."""

from dataclasses import dataclass
from typing import Any

import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Office, Role, User
from enlace.accounts.testing import make_user
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.trafficking import services
from enlace.trafficking.models import TraffickingCase

VICTIM_NAME = ("Xochiquetzal Anahí", "Tecuapetla")
PERPETRATOR_NAME = ("Ubaldino", "Quetzalcoatl")
ALIAS = "El Zopilote"
PHONE = "+502 5555 1234"


@dataclass
class World:
    offices: dict[str, Office]
    users: dict[str, User]
    person: Person
    case: TraffickingCase

    def actor(self, key: str) -> Any:
        return actor_for(self.users[key])


def build_world() -> World:
    kinds = Office.Kind
    offices = {
        "gt": Office.objects.create(
            name="Minex GT", kind=kinds.FOREIGN_MINISTRY, country_id="GT", host_country_id="GT"
        ),
        "gt_consulate": Office.objects.create(
            name="Consulado GT", kind=kinds.CONSULATE, country_id="GT", host_country_id="MX"
        ),
        "mx": Office.objects.create(
            name="SRE MX", kind=kinds.FOREIGN_MINISTRY, country_id="MX", host_country_id="MX"
        ),
        "hn": Office.objects.create(
            name="SRE HN", kind=kinds.FOREIGN_MINISTRY, country_id="HN", host_country_id="HN"
        ),
        "secretariat": Office.objects.create(
            name="Secretaría", kind=kinds.SECRETARIAT, country_id="MX", host_country_id="MX"
        ),
    }
    tfp = Role.TRAFFICKING_FOCAL_POINT
    spec = {
        "tfp_gt": ("gt", tfp),
        "tfp_mx": ("mx", tfp),
        "tfp_hn": ("hn", tfp),
        "nfp_gt": ("gt", Role.NATIONAL_FOCAL_POINT),
        "nfp_mx": ("mx", Role.NATIONAL_FOCAL_POINT),
        "officer_gt": ("gt", Role.OFFICER),
        "officer_gt_consulate": ("gt_consulate", Role.OFFICER),
        "officer_mx": ("mx", Role.OFFICER),
        "analyst": ("secretariat", Role.ANALYST),
        "admin": ("secretariat", Role.ADMINISTRATOR),
    }
    users = {key: make_user(key, offices[office], role) for key, (office, role) in spec.items()}
    registrar = actor_for(users["officer_gt_consulate"])
    person = people_services.person_create(
        actor=registrar,
        data={
            "given_names": VICTIM_NAME[0],
            "first_surname": VICTIM_NAME[1],
            "sex": "F",
            "birth_date": "2004-02-03",
        },
        nationalities=["HN"],
    )
    people_services.vulnerability_add(actor=registrar, person=person, kind="trafficking_victim")
    person.refresh_from_db()
    case = services.case_create(
        actor=actor_for(users["tfp_gt"]),
        kind="trafficking",
        summary="Explotación laboral en una finca de Chiapas",
        route=[
            {"country": "GT", "place": "Huehuetenango", "date": "2026-01-10", "transport": "bus"},
            {"country": "MX", "place": "Comitán", "transport": "truck"},
            {"country": "US", "place": "Phoenix"},
        ],
        victims=[
            {
                "person": person.pk,
                "trafficking_status": "PossibleVictimOfTrafficking",
                "type_of_exploitation": ["ForcedLabour"],
                "methods_of_control": ["DebtBondage"],
            }
        ],
        perpetrators=[
            {
                "given_names": PERPETRATOR_NAME[0],
                "surnames": PERPETRATOR_NAME[1],
                "aliases": [ALIAS],
                "role_in_process": ["RecruiterOrIntermediary"],
            }
        ],
        identifiers=[
            {"kind": "phone", "value": PHONE, "perpetrator": 0},
            {"kind": "vehicle", "value": "c-987 xyz"},
            {"kind": "place", "value": "Finca La Esperanza"},
        ],
    )
    return World(offices=offices, users=users, person=person, case=case)


@pytest.fixture
def world(db) -> World:
    return build_world()
