"""A diaspora world: two association offices (a Salvadoran and a Mexican association in Los
Angeles), a representative of each, an administrator, a national focal point and an officer."""

from dataclasses import dataclass
from typing import Any

import pytest

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import make_user
from enlace.diaspora import services
from enlace.diaspora.models import Association

INTIPUCA = "SV-1407"
JEREZ = "MX-32020"


@dataclass
class DiasporaWorld:
    own: Association  # Salvadoran association, represented by `rep`
    other: Association  # Mexican association, represented by `other_rep`
    rep: Actor
    other_rep: Actor
    admin: Actor
    focal: Actor
    officer: Actor


def association_data(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Asociación de Intipuqueños",
        "residence_country": "US",
        "residence_city": "Los Angeles",
        "origin_country": "SV",
        "origin_municipality": INTIPUCA,
        "focus_areas": ["health"],
        "members_count": 40,
        "contact_name": "Marta Villatoro",
        "email": "privado@example.org",
        "phone": "+1 213 555 0100",
        **extra,
    }


def project_data(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Clínica comunitaria",
        "municipality": INTIPUCA,
        "project_type": "health",
        "status": "in_progress",
        "budget": "85000",
        "currency": "USD",
        "beneficiaries_women": 30,
        "beneficiaries_men": 20,
        "beneficiaries_other": 1,
        **extra,
    }


def _office(name: str, country: str) -> Office:
    return Office.objects.create(
        name=name,
        kind=Office.Kind.ASSOCIATION,
        country_id=country,
        host_country_id="US",
        city="Los Angeles",
    )


@pytest.fixture
def dw(db) -> DiasporaWorld:
    sv, mx = _office("Asociación SV", "SV"), _office("Federación MX", "MX")
    secretariat = Office.objects.create(
        name="Secretaría", kind=Office.Kind.SECRETARIAT, country_id="MX", host_country_id="MX"
    )
    ministry = Office.objects.create(
        name="Cancillería SV",
        kind=Office.Kind.FOREIGN_MINISTRY,
        country_id="SV",
        host_country_id="SV",
    )
    rep = actor_for(make_user("rep.sv", sv, Role.ASSOCIATION_REP))
    other_rep = actor_for(make_user("rep.mx", mx, Role.ASSOCIATION_REP))
    admin = actor_for(make_user("admin.net", secretariat, Role.ADMINISTRATOR))
    own = services.association_register(actor=rep, office=sv, data=association_data())
    other = services.association_register(
        actor=other_rep,
        office=mx,
        data=association_data(
            name="Federación Zacatecana", origin_country="MX", origin_municipality=JEREZ
        ),
    )
    return DiasporaWorld(
        own=own,
        other=other,
        rep=rep,
        other_rep=other_rep,
        admin=admin,
        focal=actor_for(make_user("focal.sv", ministry, Role.NATIONAL_FOCAL_POINT)),
        officer=actor_for(make_user("officer.sv", ministry, Role.OFFICER)),
    )
