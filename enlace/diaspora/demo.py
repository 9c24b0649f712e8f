"""Demo associations (fictional, named after real places) with projects in their communities
of origin, one per country of origin: Mexico (the Zacatecan federation of the accounts demo,
whose representative is `asociacion`), El Salvador (a new association office in Los Angeles;
`asociacion` represents it too, through a second membership: she switches office in the
header), Guatemala and Honduras. Loaded through the services, once."""

from typing import Any

from django.db import transaction

from enlace.accounts.actor import actor_for
from enlace.accounts.management.demo import login_line
from enlace.accounts.models import Membership, Office, Role, User

from . import services
from .models import Association

K = Office.Kind
REP = "asociacion"
MODERATOR = "admin"

# (office name, country represented, host country, city, data, projects, co-funding per project)
ASSOCIATIONS: list[dict[str, Any]] = [
    {
        "office": (
            "Federación de Clubes Zacatecanos del Sur de California",
            "MX",
            "US",
            "Los Angeles",
        ),
        "data": {
            "origin_municipality": "MX-32020",
            "focus_areas": ["education", "infrastructure", "culture"],
            "members_count": 1800,
            "founded_year": 1972,
            "contact_name": "Rosa Delgado Ibarra",
            "email": "contacto.zacatecanos@example.org",
            "email_public": True,
            "description": "Clubes de oriundos de Jerez, Tlaltenango y otros municipios de "
            "Zacatecas que financian obras en sus comunidades con el Programa 3x1.",
        },
        "projects": [
            (
                {
                    "title": "Pavimentación de la calle principal de Ermita de Guadalupe",
                    "municipality": "MX-32020",
                    "project_type": "infrastructure",
                    "status": "completed",
                    "budget": "1200000",
                    "currency": "MXN",
                    "beneficiaries_women": 1450,
                    "beneficiaries_men": 1380,
                    "start_date": "2024-02-01",
                    "end_date": "2024-11-30",
                },
                [
                    {
                        "partner": "Gobierno federal",
                        "programme": "3x1 para Migrantes",
                        "amount": "300000",
                    },
                    {
                        "partner": "Gobierno del Estado de Zacatecas",
                        "programme": "3x1 para Migrantes",
                        "amount": "300000",
                    },
                    {
                        "partner": "Municipio de Jerez",
                        "programme": "3x1 para Migrantes",
                        "amount": "300000",
                    },
                ],
            ),
            (
                {
                    "title": "Becas para estudiantes de bachillerato",
                    "municipality": "MX-32048",
                    "project_type": "education",
                    "status": "in_progress",
                    "budget": "40000",
                    "currency": "USD",
                    "beneficiaries_women": 34,
                    "beneficiaries_men": 26,
                    "start_date": "2025-08-15",
                },
                [],
            ),
        ],
    },
    {
        "office": ("Asociación de Salvadoreños de Los Ángeles", "SV", "US", "Los Angeles"),
        "rep": True,
        "data": {
            "origin_municipality": "SV-1407",
            "focus_areas": ["health", "education", "relief"],
            "members_count": 240,
            "founded_year": 1998,
            "phone": "+1 213 555 0177",
            "phone_public": True,
            "description": "Intipuqueños y vecinos de La Unión y San Miguel en el sur de "
            "California.",
        },
        "projects": [
            (
                {
                    "title": "Clínica comunitaria de Intipucá",
                    "municipality": "SV-1407",
                    "project_type": "health",
                    "status": "in_progress",
                    "budget": "85000",
                    "currency": "USD",
                    "beneficiaries_women": 2100,
                    "beneficiaries_men": 1900,
                    "start_date": "2025-03-01",
                },
                [{"partner": "Alcaldía municipal", "programme": "", "amount": "15000"}],
            ),
        ],
    },
    {
        "office": ("Comité Pro Mejoramiento de Todos Santos Cuchumatán", "GT", "US", "Oakland"),
        "data": {
            "origin_municipality": "GT-1315",
            "focus_areas": ["infrastructure", "culture"],
            "members_count": 120,
            "description": "Todosanteros en el área de la bahía de San Francisco.",
        },
        "projects": [
            (
                {
                    "title": "Sistema de agua potable de la aldea El Rancho",
                    "municipality": "GT-1315",
                    "project_type": "infrastructure",
                    "status": "completed",
                    "budget": "350000",
                    "currency": "GTQ",
                    "beneficiaries_women": 310,
                    "beneficiaries_men": 290,
                    "beneficiaries_other": 12,
                    "start_date": "2023-01-10",
                    "end_date": "2023-09-30",
                },
                [
                    {
                        "partner": "Municipalidad de Todos Santos Cuchumatán",
                        "programme": "",
                        "amount": "100000",
                    }
                ],
            ),
        ],
    },
    {
        "office": ("Asociación Hondureña de Houston", "HN", "US", "Houston"),
        "data": {
            "origin_municipality": "HN-1807",
            "focus_areas": ["health", "productive", "migrant_rights"],
            "members_count": 85,
            "founded_year": 2009,
            "website": "https://example.org/hondurenos-houston",
        },
        "projects": [
            (
                {
                    "title": "Equipamiento del centro de salud",
                    "municipality": "HN-1807",
                    "project_type": "health",
                    "status": "fundraising",
                    "budget": "30000",
                    "currency": "USD",
                    "beneficiaries_women": 800,
                    "beneficiaries_men": 700,
                },
                [],
            ),
            (
                {
                    "title": "Taller de ebanistería para jóvenes",
                    "municipality": "HN-1807",
                    "project_type": "productive",
                    "status": "planned",
                    "budget": "250000",
                    "currency": "HNL",
                    "beneficiaries_women": 12,
                    "beneficiaries_men": 18,
                },
                [],
            ),
        ],
    },
]


@transaction.atomic
def seed_demo_associations() -> list[str]:
    """Create the demo associations and their projects if missing; existing ones are kept."""
    moderator = User.objects.filter(username=MODERATOR).first()
    rep = User.objects.filter(username=REP).first()
    if moderator is None:
        return []
    actor = actor_for(moderator)
    lines = []
    for spec in ASSOCIATIONS:
        name, country, host, city = spec["office"]
        office, _ = Office.objects.get_or_create(
            name=name,
            country_id=country,
            defaults={"kind": K.ASSOCIATION, "host_country_id": host, "city": city},
        )
        if spec.get("rep") and rep is not None:
            Membership.objects.get_or_create(user=rep, office=office, role=Role.ASSOCIATION_REP)
            lines.append(
                login_line(REP, str(Role.ASSOCIATION_REP.label), f"{name} (second office)")
            )
        if Association.objects.filter(office=office).exists():
            continue
        data = {
            "name": name,
            "residence_country": host,
            "residence_city": city,
            "origin_country": country,
            **spec["data"],
        }
        association = services.association_register(actor=actor, office=office, data=data)
        for project, co_funding in spec["projects"]:
            services.project_create(
                actor=actor, association=association, data=project, co_funding=co_funding
            )
    return lines  # `make run` lists logins only: the new office of asociacion
