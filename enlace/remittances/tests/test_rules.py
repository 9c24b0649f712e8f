"""Who may enter and correct quotes: national focal points (their country's corridors), the
secretariat's analysts and administrators (all); never officers, association representatives,
analysts outside the secretariat."""

import pytest

from enlace.accounts.models import Role
from enlace.accounts.testing import OTHER_COUNTRY, OWN_OFFICE, SAME_COUNTRY
from enlace.remittances import rules

pytestmark = pytest.mark.django_db


def test_who_may_edit_quotes(world):
    editors = {
        (role, relation)
        for role in Role
        for relation in (OWN_OFFICE, SAME_COUNTRY, OTHER_COUNTRY)
        if rules.may_edit_quotes(world.actor(role, relation))
    }
    assert editors == {
        (Role.NATIONAL_FOCAL_POINT, r) for r in (OWN_OFFICE, SAME_COUNTRY, OTHER_COUNTRY)
    } | {(Role.ADMINISTRATOR, r) for r in (OWN_OFFICE, SAME_COUNTRY, OTHER_COUNTRY)}
    assert rules.may_edit_quotes(world.actor(Role.ANALYST, "secretariat"))
    assert not rules.may_edit_quotes(world.actor(Role.ASSOCIATION_REP, "secretariat"))
    assert not rules.may_edit_quotes(world.actor(Role.OFFICER, "secretariat"))


def test_focal_points_edit_their_country_s_corridors_only(focal_mx, focal_gt, analyst):
    assert rules.may_edit_corridor(focal_mx, "US", "MX")
    assert rules.may_edit_corridor(focal_mx, "MX", "GT")
    assert not rules.may_edit_corridor(focal_mx, "US", "GT")
    assert rules.may_edit_corridor(focal_gt, "US", "GT")
    assert rules.may_edit_corridor(analyst, "ES", "CO")


def test_imports_are_for_regional_staff(world, focal_mx, analyst):
    assert rules.may_import(analyst)
    assert rules.may_import(world.actor(Role.ADMINISTRATOR))
    assert not rules.may_import(focal_mx)
