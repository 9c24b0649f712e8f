import pytest
from django.http import Http404

from enlace.audit.models import ChangeEvent
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.diaspora import services
from enlace.diaspora.models import Project

from .conftest import JEREZ, association_data, project_data

pytestmark = pytest.mark.django_db


def test_a_representative_registers_a_project_of_their_association_audited(dw):
    project = services.project_create(
        actor=dw.rep,
        association=dw.own,
        data=project_data(),
        co_funding=[
            {"partner": "Alcaldía", "programme": "Fondo municipal", "amount": "15000"},
            {"partner": "", "programme": "", "amount": None},  # a blank row is left out
        ],
    )
    assert project.municipality_id == "SV-1407"
    assert [(c.partner, str(c.amount)) for c in project.co_funding.all()] == [
        ("Alcaldía", "15000.00")
    ]
    event = ChangeEvent.objects.get(record_id=str(project.pk))
    assert (event.action, event.actor_id, event.owner_office_id) == (
        "create",
        dw.rep.user.pk,
        dw.own.office_id,
    )


def test_a_representative_of_another_association_is_refused_as_missing(dw):
    with pytest.raises(Http404):
        services.project_create(actor=dw.other_rep, association=dw.own, data=project_data())
    with pytest.raises(Http404):
        services.association_update(
            actor=dw.other_rep, association=dw.own, version=dw.own.version, data=association_data()
        )


@pytest.mark.parametrize("who", ["focal", "officer"])
def test_focal_points_and_officers_cannot_edit_associations(dw, who):
    with pytest.raises(Http404):
        services.association_update(
            actor=getattr(dw, who), association=dw.own, version=1, data=association_data()
        )


def test_an_administrator_moderates_any_association(dw):
    updated = services.association_update(
        actor=dw.admin, association=dw.own, version=1, data=association_data(listed=False)
    )
    assert updated.listed is False
    assert updated.version == 2


def test_a_representative_cannot_unlist_their_association(dw):
    updated = services.association_update(
        actor=dw.rep, association=dw.own, version=1, data=association_data(listed=False)
    )
    assert updated.listed is True


def test_a_stale_edit_is_refused(dw):
    services.association_update(
        actor=dw.rep, association=dw.own, version=1, data=association_data(name="Nuevo nombre")
    )
    with pytest.raises(StaleEdit):
        services.association_update(
            actor=dw.rep, association=dw.own, version=1, data=association_data(name="Otro")
        )
    project = services.project_create(actor=dw.rep, association=dw.own, data=project_data())
    services.project_update(
        actor=dw.rep, project=project, version=1, data=project_data(title="Clínica ampliada")
    )
    with pytest.raises(StaleEdit):
        services.project_delete(actor=dw.rep, project=project, version=1)
    assert Project.objects.filter(pk=project.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"origin_municipality": JEREZ}, "origin_municipality"),  # not in El Salvador
        ({"origin_municipality": "SV-9999"}, "origin_municipality"),
        ({"email": "not-an-address"}, "email"),
        ({"focus_areas": ["gardening"]}, "focus_areas"),
        ({"name": ""}, "name"),
        ({"founded_year": "1200"}, "founded_year"),
    ],
)
def test_bad_association_input_is_a_clear_field_error(dw, change, field):
    with pytest.raises(ValidationFailed) as exc:
        services.association_update(
            actor=dw.rep, association=dw.own, version=1, data=association_data(**change)
        )
    assert field in exc.value.errors


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"budget": "-5"}, "budget"),
        ({"budget": "mucho"}, "budget"),
        ({"project_type": "space"}, "project_type"),
        ({"beneficiaries_women": "-1"}, "beneficiaries_women"),
        ({"start_date": "2025-05-01", "end_date": "2025-01-01"}, "end_date"),
        ({"municipality": ""}, "municipality"),
        ({"currency": "XXZ"}, "currency"),
    ],
)
def test_bad_project_input_is_a_clear_field_error(dw, change, field):
    with pytest.raises(ValidationFailed) as exc:
        services.project_create(actor=dw.rep, association=dw.own, data=project_data(**change))
    assert field in exc.value.errors


def test_an_office_registers_one_association_only(dw):
    with pytest.raises(ValidationFailed):
        services.association_register(actor=dw.rep, office=dw.own.office, data=association_data())


def test_deleting_a_project_is_audited(dw):
    project = services.project_create(actor=dw.rep, association=dw.own, data=project_data())
    services.project_delete(actor=dw.rep, project=project, version=project.version)
    assert not Project.objects.filter(pk=project.pk).exists()
    assert ChangeEvent.objects.filter(record_id=str(project.pk), action="delete").exists()
