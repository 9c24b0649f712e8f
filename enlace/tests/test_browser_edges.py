"""Browser checks of issue 10's rough edges: lists fit a 375 px phone (no sideways scroll of
the page), and a stale inline edit (htmx) shows the form again with what changed."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !e.closest('.table-scroll'))
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def _axe(page, found):
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    assert result.response["passes"], f"axe did not run on {page.url}"
    for v in result.response["violations"]:
        found.append(f"{page.url}: {v['id']} ({v['impact']}) {v['nodes'][0]['html'][:120]}")


def _some_work():
    """A person with a long name, two cases and a referral, by the demo's Mexican office."""
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Office, User
    from enlace.cases import services
    from enlace.people import services as people_services

    supervisor = actor_for(User.objects.get(username="supervisor.mx"))
    person = people_services.person_create(
        actor=supervisor,
        data={
            "given_names": "María de los Ángeles Guadalupe",
            "first_surname": "Hernández-Villaseñor",
            "second_surname": "Tlapaltotoli",
        },
        nationalities=["MX"],
    )
    case = services.case_open(
        actor=supervisor,
        person=person,
        case_type="death",
        summary="Repatriación de restos",
        risk_level="critical",
    )
    services.case_open(actor=supervisor, person=person, case_type="labour", summary="Salarios")
    other = Office.objects.get(name="Consulado de Guatemala en Ciudad de México")
    services.referral_create(
        actor=supervisor,
        case=case,
        to_office=other,
        purpose="Acompañamiento a la familia durante la repatriación de los restos",
        consent=True,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_lists_fit_a_phone(page, live_server, demo):
    _some_work()
    page.set_viewport_size({"width": 375, "height": 740})
    login(page, live_server, "supervisor.mx")
    violations: list[str] = []
    for path in ("/cases/", "/people/", "/cases/referrals/?direction=out", "/audit/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_selector("h1")
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], (path, found)
        _axe(page, violations)
        # The sortable headings stay reachable on a phone, by keyboard too.
        if path != "/audit/":
            sort = page.locator("a.sort").first
            assert sort.is_visible(), path
            sort.focus()
            assert page.evaluate("document.activeElement.classList.contains('sort')")
    # and at a desktop's width, the audit trail and a sorted list
    page.set_viewport_size({"width": 1280, "height": 800})
    for path in ("/audit/?sort=at", "/cases/?sort=-due_date"):
        page.goto(f"{live_server.url}{path}")
        _axe(page, violations)
    assert not violations, "accessibility violations:\n" + "\n".join(violations)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stale_inline_edit_shows_what_changed(page, live_server, demo):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.cases import services

    login(page, live_server, "oficial.mx")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    from enlace.people import services as people_services

    owner = User.objects.get(username="oficial.mx")
    person = people_services.person_create(
        actor=actor_for(owner),
        data={"given_names": "Marta", "first_surname": "Quispe"},
        nationalities=["MX"],
    )
    case = services.case_open(
        actor=actor_for(owner), person=person, case_type="hospital", summary="Ingresada"
    )
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.click("#case-facts button:has-text('Edit')")
    page.wait_for_selector("#id_summary")
    # Someone else saves while the form is open.
    services.case_update(
        actor=actor_for(owner), case=case, version=case.version, data={"summary": "Saved first"}
    )
    page.fill("#id_summary", "My own words")
    page.click("#case-facts button.primary")
    page.wait_for_selector("table.conflicts")
    conflict = page.inner_text("table.conflicts")
    assert "My own words" in conflict and "Saved first" in conflict
    assert page.input_value("#id_summary") == "My own words"
    violations: list[str] = []
    _axe(page, violations)
    assert not violations, violations
    page.click("#case-facts button.primary")  # saving again keeps the user's words
    page.wait_for_selector("#case-facts dl.facts")
    assert "My own words" in page.inner_text("#case-facts")
