"""Referrals record the person's consent through people's one consent service."""

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.audit.models import ChangeEvent
from enlace.cases import services


def test_referral_with_consent_records_it_once_and_reuses_it(world):
    person = world.person
    history = ChangeEvent.objects.filter(record_id=str(person.pk), action="consent_record")
    assert history.count() == 1  # the world's two referrals share one consent
    assert world.referral.consent_id == world.revoked.consent_id
    other = Office.objects.create(
        name="Third consulate", kind=Office.Kind.CONSULATE, country_id="PE", host_country_id="CR"
    )
    # Someone there receives referrals.
    Membership.objects.create(
        user=User.objects.create(username="officer.third"), office=other, role=Role.OFFICER
    )
    third = services.referral_create(
        actor=actor_for(world.network.user(Role.OFFICER)),
        case=world.case,
        to_office=other,
        purpose="Asistencia",
        consent=True,
    )
    assert third.consent_id == world.referral.consent_id
    assert history.count() == 1
