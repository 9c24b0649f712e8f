"""Browser check of the case list's export form: a POST with the list's current filters (kept
up to date when htmx redraws the rows), reached and sent by keyboard, at a phone's and a
desktop's width; the `page` fixture runs axe on every page visited."""

import re

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def _cases() -> None:
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.cases import services
    from enlace.people import services as people_services

    officer = actor_for(User.objects.get(username="oficial.mx"))
    person = people_services.person_create(
        actor=officer,
        data={"given_names": "Marta", "first_surname": "Quispe"},
        nationalities=["MX"],
    )
    services.case_open(actor=officer, person=person, case_type="hospital", summary="Ingresada")
    services.case_open(actor=officer, person=person, case_type="labour", summary="Salarios")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_the_list_exports_its_filters_with_a_post_by_keyboard(page, live_server, demo, width):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import User
    from enlace.cases.exports import KIND
    from enlace.cases.selectors import case_list
    from enlace.core.models import Job

    _cases()
    page.set_viewport_size({"width": width, "height": 800})
    login(page, live_server, "oficial.mx")
    page.goto(f"{live_server.url}/cases/")
    form = page.locator("form.exports")
    assert form.get_attribute("method") == "post"
    assert form.locator("input[name=csrfmiddlewaretoken]").count() == 1
    # Filtering redraws the rows with htmx: the export form follows the filters.
    with page.expect_response(re.compile(r"/cases/\?")):
        page.select_option("#id_case_type", "labour")
    page.wait_for_selector("form.exports input[name=case_type][value=labour]", state="attached")
    button = page.locator("form.exports button[value=xlsx]")
    assert button.is_visible()
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/jobs/[0-9a-f-]{36}/$", page.url), page.url
    page.wait_for_selector("a[href$='/download/']")  # the job ran; its page offers the file
    job = Job.objects.get(kind=KIND)
    assert job.status == Job.Status.SUCCEEDED, job.message
    officer = actor_for(User.objects.get(username="oficial.mx"))
    seen = case_list(actor=officer)
    labour = seen.filter(case_type="labour").count()
    assert 1 <= labour < seen.count()  # the filter mattered
    assert job.result["rows"] == labour and job.result["format"] == "xlsx"
