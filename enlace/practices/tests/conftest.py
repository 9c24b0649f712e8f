"""A practice's world: the network's own office (a Mexican consulate) writes practices; the
regional secretariat (an office of kind "secretariat") has an analyst and an administrator who
review them; the other offices have nothing to do with a practice until it is published."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from enlace.accounts.actor import Actor, actor_for
from enlace.accounts.models import Office, Role
from enlace.accounts.testing import OWN_OFFICE, Network, make_user
from enlace.practices import services
from enlace.practices.models import Practice

FAMILY = {
    "language": "es",
    "title": "Reunificación familiar de niñas, niños y adolescentes no acompañados",
    "summary": "Un procedimiento entre consulados para localizar a las familias.",
    "description": "Visitas domiciliarias y evaluación del interés superior.",
    "contact_name": "Unidad de Niñez",
    "contact_email": "secret.contact-4f1d@example.org",
    "countries": ["GT", "MX"],
    "themes": ["family"],
    "target_groups": ["unaccompanied", "children"],
    "gcm_objectives": [14],
    "translations": {
        "en": {
            "title": "Family reunification of unaccompanied children and adolescents",
            "summary": "Consulates trace the families.",
            "description": "",
        },
        "pt": {
            "title": "Reunificação familiar de crianças e adolescentes desacompanhados",
            "summary": "Consulados localizam as famílias.",
            "description": "",
        },
    },
}


def practice_data(**changes: Any) -> dict[str, Any]:
    return {**FAMILY, **changes}


@dataclass
class PracticeWorld:
    network: Network
    secretariat: Office
    author: Actor  # an officer of the own office
    colleague: Actor  # a supervisor of the same office
    analyst: Actor  # the secretariat's analyst: a reviewer
    admin: Actor  # the secretariat's administrator: a reviewer
    outsider: Actor  # an officer of the other-country office

    def draft(self, **changes: Any) -> Practice:
        return services.practice_create(actor=self.author, data=practice_data(**changes))

    def submitted(self, **changes: Any) -> Practice:
        p = self.draft(**changes)
        return services.practice_submit(actor=self.author, practice=p, version=p.version)

    def published(self, **changes: Any) -> Practice:
        p = self.submitted(**changes)
        return services.practice_review(
            actor=self.analyst, practice=p, version=p.version, publish=True
        )


@pytest.fixture
def pw(network: Network) -> PracticeWorld:
    secretariat = Office.objects.create(
        name="Secretaría Técnica",
        kind=Office.Kind.SECRETARIAT,
        country_id="PA",
        host_country_id="PA",
        city="Panamá",
    )
    analyst = make_user("sec.analyst", secretariat, Role.ANALYST)
    admin = make_user("sec.admin", secretariat, Role.ADMINISTRATOR)
    return PracticeWorld(
        network=network,
        secretariat=secretariat,
        author=actor_for(network.user(Role.OFFICER, OWN_OFFICE)),
        colleague=actor_for(network.user(Role.SUPERVISOR, OWN_OFFICE)),
        analyst=actor_for(analyst),
        admin=actor_for(admin),
        outsider=actor_for(network.user(Role.OFFICER, "other_country")),
    )


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()  # the rate-limit counters live in the cache
    yield
    cache.clear()
