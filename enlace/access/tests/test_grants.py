"""Grants: referrals and confirmed tracing matches open a record to another office; revoking the
referral, withdrawing the consent or the grant's expiry closes it at once."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from enlace.access.grants import grant_create
from enlace.access.models import Grant
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.cases import services as case_services
from enlace.cases.models import Referral
from enlace.people import services as people_services

from .conftest import REFERRED_IN, confirm

pytestmark = pytest.mark.django_db


def _status(user, url: str) -> int:
    api = APIClient()
    api.force_authenticate(user)
    return api.get(url).status_code


def _sees(world, role: str = Role.OFFICER, relation: str = REFERRED_IN) -> tuple[int, int]:
    user = world.user(role, relation)
    return (
        _status(user, f"/api/v1/cases/{world.case.pk}/"),
        _status(user, f"/api/v1/people/{world.person.pk}/"),
    )


def test_accepting_a_referral_grants_the_case_and_person_to_the_receiving_office(world):
    grant = Grant.objects.get(source_type="cases.referral", source_id=str(world.referral.pk))
    assert grant.office == world.network.offices[REFERRED_IN]
    assert (grant.case, grant.person) == (world.case, world.person)
    assert grant.consent == world.referral.consent and grant.consent is not None
    assert grant.purpose == "referral" and grant.revoked_at is None
    assert grant.granted_by == world.user(Role.OFFICER, REFERRED_IN)
    assert _sees(world) == (200, 200)
    assert _sees(world, Role.SUPERVISOR) == (200, 200)


def test_a_requested_referral_grants_nothing_and_rejecting_it_keeps_it_so(world):
    officer = world.actor()
    target = world.network.offices[OTHER_COUNTRY]
    referral = case_services.referral_create(
        actor=officer, case=world.case, to_office=target, purpose="p", consent=True
    )
    assert _sees(world, relation=OTHER_COUNTRY) == (404, 404)
    case_services.referral_reject(actor=world.actor(relation=OTHER_COUNTRY), referral=referral)
    assert not Grant.objects.filter(source_id=str(referral.pk)).exists()
    assert _sees(world, relation=OTHER_COUNTRY) == (404, 404)


def test_revoking_the_referral_revokes_the_grant(world):
    case_services.referral_revoke(actor=world.actor(), referral=world.referral)
    grant = Grant.objects.get(source_id=str(world.referral.pk))
    assert grant.revoked_at is not None and grant.revoked_by == world.user()
    assert _sees(world) == (404, 404)


def test_a_done_referral_keeps_the_case_open_to_the_receiver(world):
    case_services.referral_done(actor=world.actor(relation=REFERRED_IN), referral=world.referral)
    assert _sees(world) == (200, 200)


def test_withdrawing_the_consent_cuts_access_at_once(world):
    consent = world.referral.consent
    people_services.consent_revoke(actor=world.actor(), consent=consent)
    assert _sees(world) == (404, 404)
    assert Grant.objects.get(consent=consent).revoked_at is not None
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.REVOKED  # the referral says so too


def test_an_expired_grant_opens_nothing(world):
    grant = Grant.objects.get(source_id=str(world.referral.pk))
    grant.valid_until = timezone.now() - dt.timedelta(minutes=1)
    grant.save()
    assert _sees(world) == (404, 404)
    grant.valid_until = timezone.now() + dt.timedelta(days=1)
    grant.save()
    assert _sees(world) == (200, 200)


def test_national_focal_points_of_the_receiving_country_see_what_was_granted(world):
    assert _sees(world, Role.NATIONAL_FOCAL_POINT) == (200, 200)
    assert _sees(world, Role.ANALYST) == (404, 404)
    case_services.referral_revoke(actor=world.actor(), referral=world.referral)
    assert _sees(world, Role.NATIONAL_FOCAL_POINT) == (404, 404)


def test_a_grant_rests_on_a_consent_or_a_legal_basis(world):
    with pytest.raises(ValueError, match="consent"):
        grant_create(
            actor=world.actor(),
            office=world.network.offices[SAME_COUNTRY],
            person=world.person,
            purpose="referral",
            source=world.referral,
        )
    with pytest.raises(IntegrityError):
        Grant.objects.create(
            office=world.network.offices[SAME_COUNTRY],
            person=world.person,
            purpose="referral",
            source_type="cases.referral",
            source_id="x",
        )


def test_an_override_referral_rests_on_the_supervisors_reason(world):
    supervisor = world.actor(Role.SUPERVISOR)
    target = world.network.offices[OTHER_COUNTRY]
    referral = case_services.referral_create(
        actor=supervisor,
        case=world.case,
        to_office=target,
        purpose="p",
        consent=False,
        override_reason="Riesgo para la vida",
    )
    case_services.referral_accept(actor=world.actor(relation=OTHER_COUNTRY), referral=referral)
    grant = Grant.objects.get(source_id=str(referral.pk))
    assert grant.consent is None and grant.legal_basis == "Riesgo para la vida"
    assert _sees(world, relation=OTHER_COUNTRY) == (200, 200)


def test_confirmed_match_grants_the_person_to_the_requesting_office(tracing):
    requester = tracing.network.user(Role.OFFICER, OWN_OFFICE)
    url = f"/api/v1/people/{tracing.person.pk}/"
    assert _status(requester, url) == 404
    match = confirm(tracing)
    grant = Grant.objects.get(source_type="tracing.tracingmatch", source_id=str(match.pk))
    assert grant.office == tracing.network.offices[OWN_OFFICE]
    assert grant.person == tracing.person and grant.case is None
    assert grant.consent == match.consent and grant.purpose == "tracing"
    assert _status(requester, url) == 200
    focal = tracing.network.user(Role.NATIONAL_FOCAL_POINT, OWN_OFFICE)
    assert _status(focal, url) == 404  # the grant is the requesting office's, not its country's
    body = APIClient()
    body.force_authenticate(requester)
    assert "migratory_status" not in body.get(url).json()
    # The person withdraws the consent to be found: the requesting office loses the record.
    people_services.consent_revoke(
        actor=actor_for(tracing.network.user(Role.OFFICER, OTHER_COUNTRY)), consent=match.consent
    )
    assert _status(requester, url) == 404


def test_backfill_migration_rebuilds_grants_for_existing_hand_overs(world, tracing):
    revoked = case_services.referral_create(
        actor=world.actor(),
        case=world.case,
        to_office=world.network.offices[OTHER_COUNTRY],
        purpose="p",
        consent=True,
    )
    case_services.referral_accept(actor=world.actor(relation=OTHER_COUNTRY), referral=revoked)
    case_services.referral_revoke(actor=world.actor(), referral=revoked)
    match = confirm(tracing)
    Grant.objects.all().delete()  # as before grants existed
    assert _sees(world) == (404, 404)
    migration = importlib.import_module("enlace.access.migrations.0002_backfill")
    migration.backfill_grants(apps, None)
    assert _sees(world) == (200, 200)
    assert _sees(world, relation=OTHER_COUNTRY) == (404, 404)  # the revoked one stays shut
    assert Grant.objects.filter(source_id=str(match.pk), person=tracing.person).exists()
    assert Grant.objects.count() == 2


def test_a_referral_within_the_country_opens_the_case_but_not_the_owners_rights(world):
    """The owner is an office, not a country: an office of the same country that accepted a
    referral works on the case like any referred-in office, but does not edit it or the
    person, and never sees the migratory status (policy mutant "any office's staff edits a
    case")."""
    target = world.network.offices[SAME_COUNTRY]
    referral = case_services.referral_create(
        actor=world.actor(), case=world.case, to_office=target, purpose="p", consent=True
    )
    case_services.referral_accept(actor=world.actor(relation=SAME_COUNTRY), referral=referral)
    assert _sees(world, relation=SAME_COUNTRY) == (200, 200)
    user = world.user(Role.OFFICER, SAME_COUNTRY)
    api = APIClient()
    api.force_authenticate(user)
    person = api.get(f"/api/v1/people/{world.person.pk}/").json()
    assert "migratory_status" not in person
    web = Client()
    web.force_login(user)
    assert web.get(f"/cases/{world.case.pk}/edit/").status_code == 404
    assert web.get(f"/people/{world.person.pk}/edit/").status_code == 404
    owner = world.user(Role.OFFICER, OWN_OFFICE)
    api.force_authenticate(owner)
    assert "migratory_status" in api.get(f"/api/v1/people/{world.person.pk}/").json()
