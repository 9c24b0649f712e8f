"""The forums' services: who may write what, the workflows, the optimistic lock, the inbox."""

import pytest
from django.http import Http404

from enlace.audit.models import ChangeEvent
from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.forums import services
from enlace.forums.models import (
    Commitment,
    CountryPosition,
    Decision,
    Endorsement,
    PositionStatus,
    RegionalStatus,
)
from enlace.inbox.models import Item, Kind


def _answer(fw, username, country, decision=Decision.ENDORSED, note=""):
    current = Endorsement.objects.get(regional=fw.regional, country_id=country)
    return services.endorsement_answer(
        actor=fw.actor(username),
        regional=fw.regional,
        country=country,
        decision=decision,
        note=note,
        version=current.version,
    )


# Country positions ---------------------------------------------------------------------------


def test_a_focal_point_writes_only_their_own_countrys_position(fw):
    gt = CountryPosition.objects.get(item=fw.item, country_id="GT")
    saved = services.position_save(
        actor=fw.actor("focal.gt"), item=fw.item, country="GT", text="Nuevo", version=gt.version
    )
    assert saved.text == "Nuevo" and saved.version == gt.version + 1
    with pytest.raises(Http404):  # Mexico's focal point, Guatemala's position
        services.position_save(
            actor=fw.actor("focal.mx"), item=fw.item, country="GT", text="x", version=saved.version
        )
    for username in ("analista", "oficial.mx", "asociacion"):  # not focal points
        with pytest.raises(Http404):
            services.position_save(actor=fw.actor(username), item=fw.item, country="MX", text="x")
    assert CountryPosition.objects.get(pk=gt.pk).text == "Nuevo"


def test_a_stale_position_edit_is_refused(fw):
    gt = CountryPosition.objects.get(item=fw.item, country_id="GT")
    with pytest.raises(StaleEdit):
        services.position_save(
            actor=fw.actor("focal.gt"), item=fw.item, country="GT", text="x", version=gt.version - 1
        )


def test_position_workflow_draft_submitted_endorsed_and_final(fw):
    focal = fw.actor("focal.gt")
    position = CountryPosition.objects.get(item=fw.item, country_id="GT")
    position = services.position_step(
        actor=focal, position=position, step="submit", version=position.version
    )
    assert position.status == PositionStatus.SUBMITTED
    with pytest.raises(TransitionNotAllowed):  # submitted: not editable until reopened
        services.position_save(
            actor=focal, item=fw.item, country="GT", text="x", version=position.version
        )
    position = services.position_step(
        actor=focal, position=position, step="endorse", version=position.version
    )
    assert position.status == PositionStatus.ENDORSED
    with pytest.raises(TransitionNotAllowed):
        services.position_step(
            actor=focal, position=position, step="reopen", version=position.version
        )
    assert ChangeEvent.objects.filter(record_id=str(position.pk), action="position_endorse")


def test_an_empty_position_is_refused_with_the_fields_name(fw):
    with pytest.raises(ValidationFailed) as exc:
        services.position_save(actor=fw.actor("focal.mx"), item=fw.item, country="MX", text=" ")
    assert "text" in exc.value.errors


# The regional position ------------------------------------------------------------------------


def test_only_the_secretariat_drafts_the_regional_position(fw):
    for username in ("focal.mx", "oficial.mx", "asociacion"):
        with pytest.raises(Http404):
            services.regional_save(
                actor=fw.actor(username), item=fw.item, text="x", version=fw.regional.version
            )
    # The secretariat's administrator drafts too.
    saved = services.regional_save(
        actor=fw.actor("admin"), item=fw.item, text="Otro texto", version=fw.regional.version
    )
    assert saved.text == "Otro texto"


def test_circulating_asks_every_member_and_tells_their_focal_points(fw):
    secretariat = fw.actor("analista")
    item = services.item_create(actor=secretariat, meeting=fw.item.meeting, title="Punto nuevo")
    regional = services.regional_save(actor=secretariat, item=item, text="Borrador")
    assert regional.status == RegionalStatus.DRAFT and not regional.endorsements.exists()
    before = Item.objects.filter(kind=Kind.FORUM_DRAFT_READY).count()
    regional = services.regional_circulate(
        actor=secretariat, regional=regional, version=regional.version
    )
    assert regional.status == RegionalStatus.CONSULTATION
    assert sorted(regional.endorsements.values_list("country_id", "decision")) == [
        ("GT", "pending"),
        ("HN", "pending"),
        ("MX", "pending"),
        ("SV", "pending"),
    ]
    told = Item.objects.filter(kind=Kind.FORUM_DRAFT_READY).order_by("created")[before:]
    # The demo has focal points in Mexico and Guatemala: one item for each of their offices.
    assert sorted(i.office.country_id for i in told) == ["GT", "MX"]
    assert all(i.roles == ",national_focal_point," for i in told)


def test_a_focal_point_answers_only_for_their_own_country(fw):
    with pytest.raises(Http404):
        _answer(fw, "focal.mx", "GT")
    endorsement = _answer(fw, "focal.gt", "GT")
    assert endorsement.decision == Decision.ENDORSED
    assert endorsement.decided_by.username == "focal.gt"
    told = Item.objects.filter(kind=Kind.FORUM_ENDORSED, office__kind="secretariat").first()
    assert told is not None and told.params["office"].startswith("Ministerio")


def test_an_objection_needs_a_reason_and_tells_the_secretariat(fw):
    with pytest.raises(ValidationFailed) as exc:
        _answer(fw, "focal.gt", "GT", Decision.OBJECTED)
    assert "note" in exc.value.errors
    _answer(fw, "focal.gt", "GT", Decision.OBJECTED, "Falta la niñez no acompañada.")
    assert Item.objects.filter(kind=Kind.FORUM_OBJECTED, office__kind="secretariat").exists()


def test_a_non_member_country_has_no_say(fw):
    """Colombia is not a member of the GFMD demo forum: its focal point gets a 404."""
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Membership, Office, Role, User

    office = Office.objects.get(country_id="CO")
    user = User.objects.create_user(username="focal.co", password="x-password-9")
    Membership.objects.create(user=user, office=office, role=Role.NATIONAL_FOCAL_POINT)
    with pytest.raises(Http404):
        services.endorsement_answer(
            actor=actor_for(user),
            regional=fw.regional,
            country="CO",
            decision=Decision.ENDORSED,
            version=1,
        )


def test_a_new_draft_resets_every_answer_to_pending_and_asks_again(fw):
    """The decision: an endorsement is of a text; a new draft is asked for again."""
    mexico = Endorsement.objects.get(regional=fw.regional, country_id="MX")
    assert mexico.decision == Decision.ENDORSED
    seen = _answer(fw, "focal.gt", "GT")  # Guatemala endorses draft 1
    fw.regional.refresh_from_db()
    regional = services.regional_save(
        actor=fw.actor("analista"),
        item=fw.item,
        text=fw.regional.text + " Con perspectiva de género.",
        version=fw.regional.version,
    )
    assert regional.draft_number == 2
    answers = dict(regional.endorsements.values_list("country_id", "decision"))
    assert set(answers.values()) == {Decision.PENDING}
    assert set(regional.endorsements.values_list("draft_number", flat=True)) == {2}
    assert Item.objects.filter(kind=Kind.FORUM_DRAFT_CHANGED, params__count="2").count() == 2
    # Guatemala's page still shows draft 1: its answer is refused as stale, not counted.
    with pytest.raises(StaleEdit):
        services.endorsement_answer(
            actor=fw.actor("focal.gt"),
            regional=regional,
            country="GT",
            decision=Decision.ENDORSED,
            version=seen.version,
        )
    # The earlier answers stay in the audit trail.
    assert ChangeEvent.objects.filter(action="endorsement_reset").count() == 3  # MX, HN, GT


def test_the_same_text_again_is_not_a_new_draft(fw):
    regional = services.regional_save(
        actor=fw.actor("analista"), item=fw.item, text=fw.regional.text, version=fw.regional.version
    )
    assert regional.draft_number == 1
    assert Endorsement.objects.get(regional=regional, country_id="MX").decision == "endorsed"


def test_adoption_needs_every_members_endorsement_and_is_final(fw):
    secretariat = fw.actor("analista")
    with pytest.raises(TransitionNotAllowed):
        services.regional_adopt(
            actor=secretariat, regional=fw.regional, version=fw.regional.version
        )
    _answer(fw, "focal.gt", "GT")
    Endorsement.objects.filter(regional=fw.regional, country_id="SV").update(decision="endorsed")
    regional = services.regional_adopt(
        actor=secretariat, regional=fw.regional, version=fw.regional.version
    )
    assert regional.status == RegionalStatus.ADOPTED
    with pytest.raises(TransitionNotAllowed):
        services.regional_save(actor=secretariat, item=fw.item, text="x", version=regional.version)
    with pytest.raises(TransitionNotAllowed):  # no answer once adopted
        _answer(fw, "focal.gt", "GT", Decision.OBJECTED, "tarde")


def test_comments_come_from_member_countries_while_open(fw):
    comment = services.comment_add(
        actor=fw.actor("focal.gt"), regional=fw.regional, country="GT", text="Una sugerencia"
    )
    assert comment.draft_number == 1 and comment.country_id == "GT"
    with pytest.raises(Http404):
        services.comment_add(
            actor=fw.actor("analista"), regional=fw.regional, country="GT", text="x"
        )


# The commitments tracker -----------------------------------------------------------------------


def test_commitments_are_loaded_with_their_translations_and_indicators(db):
    from django.utils import translation

    assert Commitment.objects.count() == 11
    remittances = Commitment.objects.get(code="C06")
    assert remittances.text_es == "facilitación de las remesas"
    with translation.override("en"):
        assert remittances.text == "facilitation of remittances"
    with translation.override("fr"):
        assert remittances.text == "facilitation des envois de fonds"
    assert remittances.indicators[0]["code"] == "SDG 10.c.1"


def test_a_commitment_status_is_set_by_the_countrys_focal_point_only(fw):
    commitment = Commitment.objects.get(code="C01")
    row = services.commitment_status_set(
        actor=fw.actor("focal.gt"), commitment=commitment, country="GT", status="in_progress"
    )
    with pytest.raises(Http404):
        services.commitment_status_set(
            actor=fw.actor("focal.mx"), commitment=commitment, country="GT", status="achieved"
        )
    with pytest.raises(StaleEdit):
        services.commitment_status_set(
            actor=fw.actor("focal.gt"),
            commitment=commitment,
            country="GT",
            status="achieved",
            version=row.version + 5,
        )
    with pytest.raises(ValidationFailed):
        services.commitment_status_set(
            actor=fw.actor("focal.gt"), commitment=commitment, country="GT", status="done"
        )
