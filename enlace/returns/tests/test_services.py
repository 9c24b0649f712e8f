"""Every transition of a return, and every refusal, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from enlace.access.models import Grant
from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.audit.models import ChangeEvent
from enlace.cases import services as case_services
from enlace.cases.models import CaseNote, CaseStatus
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.inbox.models import Item, Kind
from enlace.people.models import Consent
from enlace.returns import services
from enlace.returns.models import ReturnSettings, ReturnStep, Status, Step

from .conftest import ADULT_SKIPS, ORDER, days_ago, days_ahead, open_adult, take, walk


def _message(exc: ValidationFailed) -> str:
    return " ".join(str(m) for v in exc.errors.values() for m in v)


def refused(rw, ret, step, *, key="step", **override):
    """Take `step` expecting a refusal; the message on `key`."""
    with pytest.raises(ValidationFailed) as info:
        take(rw, ret, step, **override)
    assert key in info.value.errors, info.value.errors
    return _message(info.value)


# --- the whole path ---------------------------------------------------------------------------


def test_adult_walks_every_step_to_closure(rw):
    ret = open_adult(rw)
    assert ret.status == Status.REQUESTED
    assert ret.reference.startswith("RT-MX-")
    expected = {
        "counselling": Status.COUNSELLING,
        "consent": Status.COUNSELLING,
        "assessment": Status.ASSESSMENT,
        "document_request": Status.TRAVEL_DOCUMENTS,
        "document_issue": Status.TRAVEL_DOCUMENTS,
        "travel_plan": Status.TRAVEL_PLAN,
        "hand_over": Status.TRAVEL_PLAN,
        "departure": Status.DEPARTED,
        "arrival": Status.ARRIVED,
        "reintegration_plan": Status.REINTEGRATION,
    }
    version = ret.version
    for step in ORDER:
        if step in ADULT_SKIPS:
            continue
        ret = take(rw, ret, step)
        assert ret.status == expected[step], step
        assert ret.version == version + 1
        version = ret.version
    for months in (3, 6, 12):
        services.return_follow_up(
            actor=rw.receiver,
            ret=ret,
            version=ret.version,
            months=months,
            done_on=timezone.localdate(),
            economic="0.5",
            social=0.75,
            psychosocial=1,
        )
        ret.refresh_from_db()
        assert ret.status == Status.FOLLOW_UP
    services.return_close(actor=rw.receiver, ret=ret, version=ret.version, outcome="sustainable")
    ret.refresh_from_db()
    assert ret.status == Status.CLOSED
    assert ret.outcome == "sustainable"
    # Every step is a row: who and when, from which status to which.
    steps = list(ReturnStep.objects.filter(ret=ret).values_list("step", "by__username"))
    assert [s for s, _u in steps] == [
        "open",
        *[s for s in ORDER if s not in ADULT_SKIPS],
        "follow_up",
        "follow_up",
        "follow_up",
        "close",
    ]
    owner_user = rw.officer.user.username
    receiver_user = rw.receiver.user.username
    assert {u for s, u in steps if s in ("open", "departure")} == {owner_user}
    assert {u for s, u in steps if s in ("arrival", "close")} == {receiver_user}
    # …and audited.
    actions = set(
        ChangeEvent.objects.filter(record_id=str(ret.pk)).values_list("action", flat=True)
    )
    assert {"return_open", "return_departure", "return_arrival", "return_close"} <= actions


def test_child_path_needs_determination_medical_and_escort(rw):
    person = rw.person(birth_date=(timezone.localdate() - dt.timedelta(days=365 * 15)).isoformat())
    ret = services.return_open(actor=rw.officer, person=person)
    assert services.is_child(ret)
    ret = walk(rw, ret, until="consent")
    ret = take(
        rw,
        ret,
        "assessment",
        data={"vulnerabilities": ["unaccompanied_child"], "medical_check_needed": True},
    )
    assert ret.unaccompanied_child
    # No determination yet: no travel documents for a child.
    assert gettext("best-interests determination") in refused(rw, ret, "document_request")
    ret = take(rw, ret, "best_interests")
    assert ret.status == Status.BEST_INTERESTS
    ret = take(rw, ret, "document_request")
    ret = take(rw, ret, "document_issue")
    # The assessment asked for a medical check: the plan waits for it.
    assert gettext("medical check") in refused(rw, ret, "travel_plan")
    ret = take(rw, ret, "medical")
    assert ret.status == Status.MEDICAL
    # An unaccompanied child travels with an escort.
    message = refused(rw, ret, "travel_plan", key="escort")
    assert message == gettext(str(services.NO_ESCORT))
    ret = take(rw, ret, "travel_plan", data={"escort": "Oficial de protección a la infancia"})
    assert ret.escort_required
    ret = take(rw, ret, "hand_over")
    ret = take(rw, ret, "departure")
    assert ret.status == Status.DEPARTED


def test_adult_needs_no_determination(rw):
    ret = walk(rw, open_adult(rw), until="assessment")
    assert gettext("this person is an adult") in refused(rw, ret, "best_interests")


# --- refusals ---------------------------------------------------------------------------------


def test_no_step_may_be_skipped(rw):
    ret = open_adult(rw)
    message = refused(rw, ret, "departure")
    assert gettext("No step may be skipped").split(":")[0] in message
    assert refused(rw, ret, "assessment")
    ret = take(rw, ret, "counselling")
    # The assessment rests on the signed consent.
    assert refused(rw, ret, "assessment") == gettext(str(services.NO_CONSENT))
    assert ret.status == Status.COUNSELLING


def test_departure_without_recorded_consent_is_refused(rw):
    """However the consent went missing (a correction of the record), departure checks it."""
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    type(ret).objects.filter(pk=ret.pk).update(consent_signed_on=None)
    assert refused(rw, ret, "departure") == gettext(str(services.NO_CONSENT))
    ret.refresh_from_db()
    assert ret.status == Status.TRAVEL_PLAN


def test_child_departure_without_determination_is_refused(rw):
    """Assessed as an adult, then the date of birth is corrected: the child may not leave
    without a determination."""
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    person = ret.person
    person.birth_date = timezone.localdate() - dt.timedelta(days=365 * 16)
    person.save()
    assert refused(rw, ret, "departure") == gettext(str(services.NO_BID))


def test_a_determination_against_return_stops_it(rw):
    person = rw.person(birth_date=(timezone.localdate() - dt.timedelta(days=365 * 12)).isoformat())
    ret = walk(rw, services.return_open(actor=rw.officer, person=person), until="assessment")
    ret = take(rw, ret, "best_interests", data={"in_best_interests": False})
    assert refused(rw, ret, "document_request") == gettext(str(services.BID_AGAINST))


def test_consent_before_the_cooling_off_period_is_refused(rw):
    ret = take(rw, open_adult(rw), "counselling", data={"counselled_on": days_ago(1)})
    message = refused(rw, ret, "consent", key="signed_on", data={"signed_on": days_ago(0)})
    assert (days_ago(1) + dt.timedelta(days=3)).isoformat() in message
    # The office may set no cooling-off at all.
    ReturnSettings.objects.filter(office=ret.owner_office).update(cooling_off_days=0)
    ret = take(rw, ret, "consent", data={"signed_on": days_ago(1)})
    assert ret.consent_signed_on == days_ago(1)


def test_counselling_must_explain_staying_as_well(rw):
    ret = open_adult(rw)
    message = refused(rw, ret, "counselling", key="options", data={"options": ["return"]})
    assert message == gettext("Voluntariness: explain both return and the options for staying.")
    assert refused(rw, ret, "counselling", key="language", data={"language": "xx-nope"})


def test_unfit_to_travel_stops_the_return(rw):
    ret = walk(rw, open_adult(rw), until="document_issue", skip=ADULT_SKIPS)
    ret = take(rw, ret, "medical", data={"fit": False})
    assert refused(rw, ret, "travel_plan") == gettext(str(services.UNFIT))
    # A plan made before the person was found unfit does not let them leave either.
    ret = take(rw, ret, "medical", data={"fit": True})
    ret = take(rw, ret, "travel_plan")
    ret = take(rw, ret, "hand_over")
    type(ret).objects.filter(pk=ret.pk).update(fit_to_travel=False)
    assert refused(rw, ret, "departure") == gettext(str(services.UNFIT))


def test_not_eligible_stops_the_return(rw):
    ret = walk(rw, open_adult(rw), until="consent")
    assert refused(rw, ret, "assessment", key="reasons", data={"eligible": False})
    ret = take(rw, ret, "assessment", data={"eligible": False, "reasons": "Sin documentos"})
    assert refused(rw, ret, "document_request") == gettext(str(services.NOT_ELIGIBLE))
    services.return_close(
        actor=rw.officer,
        ret=ret,
        version=ret.version,
        outcome="did_not_return",
        reason="No elegible",
    )
    ret.refresh_from_db()
    assert ret.status == Status.CLOSED


def test_after_detention_the_consent_is_reconfirmed(rw):
    person = rw.person()
    case = case_services.case_open(
        actor=rw.officer, person=person, case_type="detention", summary="Detenida"
    )
    ret = services.return_open(actor=rw.officer, person=person, protection_case=case)
    assert ret.after_detention  # from the detention case
    ret = walk(rw, ret, until="hand_over", skip=ADULT_SKIPS)
    assert gettext("re-confirm the consent out of detention") in refused(rw, ret, "departure")
    with pytest.raises(ValidationFailed):
        services.return_consent_reconfirm(actor=rw.officer, ret=ret, version=ret.version)
    services.return_consent_reconfirm(
        actor=rw.officer,
        ret=ret,
        version=ret.version,
        not_possible_reason="Deportación programada desde el centro de detención",
    )
    ret = take(rw, ret, "departure")
    assert ret.status == Status.DEPARTED


def test_stale_version_is_refused(rw):
    ret = open_adult(rw)
    stale = ret.version
    take(rw, ret, "counselling")
    with pytest.raises(StaleEdit):
        services.return_counsel(
            actor=rw.officer, ret=ret, version=stale, options=["return", "stay"], language="spa"
        )


# --- withdrawal -------------------------------------------------------------------------------


def test_withdrawal_before_departure_ends_the_return_without_penalty(rw):
    person = rw.person()
    case = case_services.case_open(
        actor=rw.officer, person=person, case_type="voluntary_return", summary="Retorno"
    )
    ret = services.return_open(actor=rw.officer, person=person, protection_case=case)
    ret = walk(rw, ret, until="hand_over", skip=ADULT_SKIPS)
    grant = Grant.objects.get(source_type="returns.return", source_id=str(ret.pk))
    assert grant.revoked_at is None
    services.return_withdraw(actor=rw.officer, ret=ret, version=ret.version, reason="")
    ret.refresh_from_db()
    assert ret.status == Status.WITHDRAWN
    grant.refresh_from_db()
    assert grant.revoked_at is not None  # the receiving office no longer sees the person
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN  # no effect on the case…
    assert (
        CaseNote.objects.filter(case=case, text__contains=ret.reference).count() == 1
    )  # …but a note
    # Ended: no further step.
    assert gettext("withdrew") in refused(rw, ret, "departure")
    # A new return may be requested later.
    again = services.return_open(actor=rw.officer, person=person)
    assert again.status == Status.REQUESTED


def test_withdrawal_after_departure_is_refused(rw):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    with pytest.raises(ValidationFailed) as info:
        services.return_withdraw(actor=rw.officer, ret=ret, version=ret.version)
    assert _message(info.value) == gettext(str(services.AFTER_DEPARTURE))
    ret.refresh_from_db()
    assert ret.status == Status.DEPARTED


# --- hand-over --------------------------------------------------------------------------------


def test_hand_over_grants_the_person_on_consent_and_tells_the_receiving_office(rw):
    ret = walk(rw, open_adult(rw), until="travel_plan", skip=ADULT_SKIPS)
    other = rw.network.offices["other_country"]  # Guatemala: not the country of origin
    message = refused(
        rw, ret, "hand_over", key="receiving_office", data={"receiving_office": other.pk}
    )
    assert message
    ret = take(rw, ret, "hand_over")
    assert ret.receiving_office == rw.receiving_office
    grant = Grant.objects.get(source_type="returns.return", source_id=str(ret.pk))
    assert grant.office == rw.receiving_office
    assert grant.person == ret.person
    assert grant.case is None  # the protection case is not handed over
    assert grant.purpose == "return"
    assert grant.consent.purpose == Consent.Purpose.RETURN_HANDOVER
    item = Item.objects.get(kind=Kind.RETURN_UPCOMING_ARRIVAL, office=rw.receiving_office)
    assert item.params["reference"] == ret.reference
    assert set(item.params) <= {"reference", "office", "date"}
    assert ret.person.given_names not in str(item.params)
    assert gettext("handed over already") in refused(rw, ret, "hand_over")
    ret = take(rw, ret, "departure")
    departed = Item.objects.get(kind=Kind.RETURN_DEPARTED, office=rw.receiving_office)
    assert departed.params["date"] == ret.expected_arrival_on.isoformat()
    assert ret.person.first_surname not in str(departed.params)


def test_departure_needs_the_hand_over(rw):
    ret = walk(rw, open_adult(rw), until="travel_plan", skip=ADULT_SKIPS)
    assert gettext("Hand the return over") in refused(rw, ret, "departure")


def test_receiving_side_cannot_take_sending_steps_and_vice_versa(rw):
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    with pytest.raises(Http404):
        take(rw, ret, "departure", actor=rw.receiver)
    ret = take(rw, ret, "departure")
    with pytest.raises(Http404):
        take(rw, ret, "arrival", actor=rw.officer)
    ret = take(rw, ret, "arrival", actor=rw.focal)  # the receiving country's focal point
    assert ret.status == Status.ARRIVED


# --- reintegration and follow-ups -------------------------------------------------------------


def test_late_plan_is_accepted_and_flagged(rw):
    ret = walk(rw, open_adult(rw), until="departure", skip=ADULT_SKIPS)
    # Arrived 40 days ago (dates in the past: a record caught up with).
    type(ret).objects.filter(pk=ret.pk).update(departed_on=days_ago(41))
    ret = take(rw, ret, "arrival", data={"arrived_on": days_ago(40)})
    assert ret.plan_overdue  # no plan 40 days after arrival
    ret = take(rw, ret, "reintegration_plan", data={"planned_on": days_ago(0)})
    assert ret.status == Status.REINTEGRATION
    assert ret.plan_overdue
    step = ret.steps.get(step=Step.REINTEGRATION_PLAN)
    assert step.data["overdue"] is True


def test_plan_within_30_days_is_not_overdue(rw):
    ret = walk(rw, open_adult(rw), until="reintegration_plan", skip=ADULT_SKIPS)
    assert ret.plan_due_on == ret.arrived_on + dt.timedelta(days=30)
    assert not ret.plan_overdue


def test_follow_ups_in_order_with_scores_from_0_to_1(rw):
    ret = walk(rw, open_adult(rw), until="reintegration_plan", skip=ADULT_SKIPS)
    assert [(f.months, f.due_on) for f in ret.follow_ups.all()] == [
        (3, services._add_months(ret.arrived_on, 3)),
        (6, services._add_months(ret.arrived_on, 6)),
        (12, services._add_months(ret.arrived_on, 12)),
    ]

    def follow(**kw):
        ret.refresh_from_db()
        return services.return_follow_up(actor=rw.receiver, ret=ret, version=ret.version, **kw)

    with pytest.raises(ValidationFailed) as info:
        follow(months=6, economic=1, social=1, psychosocial=1)
    assert "months" in info.value.errors
    with pytest.raises(ValidationFailed) as info:
        follow(months=3, economic="1.2", social=1, psychosocial=1)
    assert "economic" in info.value.errors
    with pytest.raises(ValidationFailed):
        follow(months=3, economic=1, social=1)  # a dimension missing
    missed = follow(months=3, reached=False)  # could not be reached: no scores
    assert missed.reached is False and missed.economic is None
    done = follow(months=6, economic="0.4", social="0.6", psychosocial="0.9")
    done.refresh_from_db()
    assert (done.economic, done.social, done.psychosocial) == (
        Decimal("0.400"),
        Decimal("0.600"),
        Decimal("0.900"),
    )
    with pytest.raises(ValidationFailed):
        follow(months=6, economic=1, social=1, psychosocial=1)  # recorded already


def test_closing_before_the_last_follow_up_needs_a_reason(rw):
    ret = walk(rw, open_adult(rw), until="reintegration_plan", skip=ADULT_SKIPS)
    with pytest.raises(ValidationFailed) as info:
        services.return_close(actor=rw.receiver, ret=ret, version=ret.version, outcome="partial")
    assert "reason" in info.value.errors
    with pytest.raises(ValidationFailed):  # the return took place
        services.return_close(
            actor=rw.receiver,
            ret=ret,
            version=ret.version,
            outcome="did_not_return",
            reason="x",
        )
    with pytest.raises(Http404):  # after departure, the receiving side closes
        services.return_close(
            actor=rw.officer, ret=ret, version=ret.version, outcome="lost_contact", reason="x"
        )
    services.return_close(
        actor=rw.receiver,
        ret=ret,
        version=ret.version,
        outcome="remigrated",
        reason="Volvió a migrar",
    )
    ret.refresh_from_db()
    assert (ret.status, ret.outcome) == (Status.CLOSED, "remigrated")


# --- open ------------------------------------------------------------------------------------


def test_one_return_under_way_per_person(rw):
    ret = open_adult(rw)
    with pytest.raises(ValidationFailed) as info:
        services.return_open(actor=rw.officer, person=ret.person)
    assert "person" in info.value.errors


def test_only_the_persons_office_opens_a_return(rw):
    person = rw.person()
    with pytest.raises(Http404):
        services.return_open(actor=rw.receiver, person=person)
    with pytest.raises(Http404):
        services.return_open(actor=rw.focal, person=person)


def test_origin_country_is_the_nationality_and_not_the_host_country(rw):
    ret = open_adult(rw)
    assert ret.origin_country_id == "MX"
    with pytest.raises(ValidationFailed) as info:
        services.return_open(actor=rw.officer, person=rw.person(), origin_country="US")
    assert "origin_country" in info.value.errors


# --- age ------------------------------------------------------------------------------------


ON = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("birth", "precision", "estimated", "declared", "child"),
    [
        (dt.date(2010, 1, 1), "exact", None, False, True),
        (dt.date(1990, 1, 1), "exact", None, True, False),  # an exact date is not doubted
        (dt.date(2008, 7, 1), "exact", None, False, True),  # 18 the day after
        (dt.date(2008, 6, 30), "exact", None, False, False),  # 18 that day
        (dt.date(2008, 1, 1), "year", None, False, True),  # born in 2008: may still be 17
        (dt.date(2008, 6, 1), "month", None, False, False),  # June 2008: 18 by the 30th
        (None, "exact", 16, False, True),
        (None, "exact", 30, False, False),
        (None, "exact", None, True, True),  # age unknown, declared minor
        (None, "exact", None, False, False),
        (None, "exact", 25, True, True),  # an estimate with a declared minority
    ],
)
def test_who_counts_as_a_child(rw, birth, precision, estimated, declared, child):
    person = rw.person(birth_date="")
    type(person).objects.filter(pk=person.pk).update(
        birth_date=birth,
        birth_date_precision=precision,
        estimated_age=estimated,
        age_reported_on=ON if estimated else None,
    )
    person.refresh_from_db()
    ret = services.return_open(actor=rw.officer, person=person, declared_child=declared)
    assert services.is_child(ret, ON) is child


def test_cooling_off_default_and_setting(rw):
    office = rw.network.offices["same_country"]
    assert services.cooling_off_days(office) == 3
    supervisor = actor_for(rw.network.user(Role.SUPERVISOR, "same_country"))
    services.return_settings_set(actor=supervisor, cooling_off_days=0)
    assert services.cooling_off_days(office) == 0
    with pytest.raises(ValidationFailed):
        services.return_settings_set(actor=supervisor, cooling_off_days=-1)
    with pytest.raises(Http404):
        services.return_settings_set(actor=rw.receiver, cooling_off_days=5)  # an officer


def test_planned_departure_is_future(rw):
    ret = services.return_open(
        actor=rw.officer, person=rw.person(), planned_departure_on=days_ahead(20)
    )
    assert ret.planned_departure_on == days_ahead(20)


def test_falling_ill_after_the_plan_means_a_new_plan(rw):
    ret = walk(rw, open_adult(rw), until="travel_plan", skip=ADULT_SKIPS)
    ret = take(rw, ret, "medical", data={"fit": False})
    assert ret.status == Status.MEDICAL
    assert refused(rw, ret, "departure")  # no plan in force: a step back
    assert refused(rw, ret, "travel_plan") == gettext(str(services.UNFIT))


def test_hand_over_is_for_the_persons_office(rw):
    """A national focal point works the sending side but does not record the person's
    consent to the hand-over: the office that registered the person does."""
    ret = walk(rw, open_adult(rw), until="travel_plan", skip=ADULT_SKIPS)
    focal_own = actor_for(rw.network.user(Role.NATIONAL_FOCAL_POINT))
    assert "hand_over" not in services.steps_available(focal_own, ret)
    assert "hand_over" in services.steps_available(rw.officer, ret)
    message = refused(rw, ret, "hand_over", actor=focal_own)
    assert gettext("office that registered the person") in message


def test_withdrawn_hand_over_consent_stops_the_departure_and_tells_both_offices(rw):
    """The person withdraws the consent the hand-over rests on (people's consent page): the
    grant ends, the timeline says so, both offices are told (no name), and the return cannot
    leave until it is handed over again on a new consent."""
    from enlace.people import services as people_services

    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    grant = Grant.objects.get(source_type="returns.return", source_id=str(ret.pk))
    people_services.consent_revoke(actor=rw.officer, consent=ret.handover_consent)
    grant.refresh_from_db()
    assert grant.revoked_at is not None
    assert services.handover_grant(ret) is None
    assert ReturnStep.objects.filter(ret=ret, step=Step.HAND_OVER_ENDED).count() == 1
    items = Item.objects.filter(kind=Kind.RETURN_HANDOVER_ENDED)
    assert {i.office_id for i in items} == {ret.owner_office_id, rw.receiving_office.pk}
    assert all(ret.person.given_names not in str(i.params) for i in items)
    assert gettext("Hand the return over") in refused(rw, ret, "departure")
    ret = take(rw, ret, "hand_over")  # a new consent, a new grant
    assert services.handover_grant(ret) is not None
    ret = take(rw, ret, "departure")
    assert ret.status == Status.DEPARTED


def test_other_consents_leave_returns_alone(rw):
    ret = walk(rw, open_adult(rw), until="hand_over", skip=ADULT_SKIPS)
    services.on_consent_revoked(
        actor=rw.officer, consent=Consent(person=ret.person, purpose=Consent.Purpose.FAMILY_TRACING)
    )
    assert not ReturnStep.objects.filter(ret=ret, step=Step.HAND_OVER_ENDED).exists()
