"""What cases adds to other pages: the home dashboard cards, the person page's cases, the
navigation, and the demo people and cases. Registered from CasesConfig.ready()."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from enlace.access.reads import read_many
from enlace.access.rules import can_edit_person, is_approver, is_office_staff, works_cases
from enlace.core.lookups import uuids
from enlace.core.slots import (
    HOME,
    PERSON_PAGE,
    DemoLoader,
    NavItem,
    Panel,
    RecordNames,
    register_demo,
    register_nav,
    register_panel,
    register_record_names,
)
from enlace.people.present import display_name


def home_dashboard(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """My cases, overdue, waiting for approval, referrals in and out."""
    from .selectors import cases_shown, dashboard

    actor = request.actor  # type: ignore[attr-defined]
    if not works_cases(actor):
        return None
    board = dashboard(actor=actor)
    keys = ("my_cases", "overdue", "closure_pending", "assessment_pending")
    shown = {c.pk: c for key in keys for c in board[key]}
    cases_shown(actor=actor, cases=shown.values())  # one logged read per case on the page
    for key in keys:
        board[key] = [(c, display_name(actor, c.person)) for c in board[key]]
    return {
        "board": board,
        "show_approvals": is_approver(actor),
        "show_referrals": is_office_staff(actor),
    }


def home_team(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The supervisor's team: open and overdue cases per officer of the office."""
    from .selectors import team_workload

    actor = request.actor  # type: ignore[attr-defined]
    if not is_approver(actor):
        return None
    return {"team": team_workload(actor=actor)}


def person_cases(request: HttpRequest, person: Any) -> dict[str, Any] | None:
    """The person's cases this actor may see, and the button to open one."""
    from .selectors import case_list

    actor = request.actor  # type: ignore[attr-defined]
    if not works_cases(actor):
        return None
    return {
        "person_cases": read_many(
            actor=actor, records=case_list(actor=actor).filter(person=person)
        ),
        "can_open_case": can_edit_person(actor, person),
    }


def demo_cases() -> list[str]:
    """Demo people and cases, and the shelter's login (printed after the offices' logins)."""
    from enlace.accounts.management.demo import login_line

    from .demo import SHELTER, SHELTER_LOGIN, SHELTER_ROLE, seed_demo_cases

    seed_demo_cases()
    return [login_line(SHELTER_LOGIN, str(SHELTER_ROLE.label), SHELTER)]


def case_names(actor: Any, ids: list[str], purpose: str) -> dict[str, tuple[str, bool]]:
    """Cases named by their reference in the audit trail, only those the reader may open (each
    shown one logged as a read)."""
    from .selectors import case_list, cases_shown

    cases = case_list(actor=actor).filter(pk__in=uuids(ids))
    return {
        str(c.pk): (c.reference, False)
        for c in cases_shown(actor=actor, cases=cases, purpose=purpose)
    }


def register() -> None:
    register_record_names(RecordNames("cases.case", case_names))
    register_panel(HOME, Panel("cases.dashboard", "cases/_home_panel.html", home_dashboard, 10))
    register_panel(HOME, Panel("cases.team", "cases/_home_team.html", home_team, 12))
    # The country and regional panels are enlace.indicators.panels' (they read its releases).
    register_panel(
        PERSON_PAGE, Panel("cases.person_cases", "cases/_person_panel.html", person_cases, 10)
    )
    register_nav(NavItem("cases", _("Cases"), "cases:list", works_cases, 10))
    register_nav(NavItem("cases.referrals", _("Referrals"), "cases:referrals", is_office_staff, 30))
    register_demo(DemoLoader("cases", demo_cases, 20))
