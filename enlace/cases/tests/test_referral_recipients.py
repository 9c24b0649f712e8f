"""A referral goes only to an office that can receive it: one that works protection cases and
has at least one active officer or supervisor. The form offers only those; the service refuses
the others with a clear message."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.accounts.testing import make_user
from enlace.cases import services
from enlace.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


def _office(name: str, kind: str) -> Office:
    return Office.objects.create(
        name=name, kind=kind, country_id="CO", host_country_id="CR", city="San José"
    )


@pytest.fixture
def offices():
    association = _office("Asociación de migrantes", Office.Kind.ASSOCIATION)
    make_user("rep.association", association, Role.ASSOCIATION_REP)
    # An association with an officer still does not work cases.
    make_user("officer.association", association, Role.OFFICER)
    empty = _office("Consulado sin personal", Office.Kind.CONSULATE)
    make_user("analyst.empty", empty, Role.ANALYST)
    gone = _office("Consulado sin personal activo", Office.Kind.CONSULATE)
    Membership.objects.filter(user=make_user("officer.gone", gone, Role.OFFICER)).update(
        is_active=False
    )
    disabled = _office("Consulado con usuario desactivado", Office.Kind.CONSULATE)
    User.objects.filter(pk=make_user("officer.disabled", disabled, Role.SUPERVISOR).pk).update(
        is_active=False
    )
    staffed = _office("Albergue con personal", Office.Kind.SHELTER)
    make_user("officer.shelter", staffed, Role.OFFICER)
    return {
        "cannot": [association, empty, gone, disabled],
        "can": staffed,
    }


def test_the_form_offers_only_offices_that_can_receive(world, offices):
    client = Client()
    client.force_login(world.network.user(Role.OFFICER))
    body = client.get(f"/cases/{world.case.pk}/refer/").content.decode()
    assert f'value="{offices["can"].pk}"' in body
    for office in offices["cannot"]:
        assert f'value="{office.pk}"' not in body, office.name
    # Posting one of them anyway is a form error, not a referral.
    response = client.post(
        f"/cases/{world.case.pk}/refer/",
        {"to_office": str(offices["cannot"][0].pk), "purpose": "Apoyo", "consent": "on"},
    )
    assert response.status_code in (200, 400)
    assert not world.case.referrals.filter(to_office=offices["cannot"][0]).exists()


def test_the_service_refuses_an_office_that_cannot_receive(world, offices):
    actor = actor_for(world.network.user(Role.SUPERVISOR))
    for office in offices["cannot"]:
        with pytest.raises(ValidationFailed) as exc, translation.override("en"):
            services.referral_create(
                actor=actor, case=world.case, to_office=office, purpose="Apoyo", consent=True
            )
        message = str(exc.value.errors["to_office"][0])
        assert office.name in message and "cannot receive referrals" in message
    referral = services.referral_create(
        actor=actor, case=world.case, to_office=offices["can"], purpose="Apoyo", consent=True
    )
    assert referral.to_office == offices["can"]


def test_the_api_gives_the_same_clear_error(world, offices):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.network.user(Role.OFFICER))
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.post(
        f"/api/v1/cases/{world.case.pk}/referrals/",
        {"to_office": str(offices["cannot"][0].pk), "purpose": "Apoyo", "consent": True},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "cannot receive referrals" in response.content.decode()
