"""Browser journey: Guatemala's trafficking focal point opens the network of linked cases (the
demo's two cases sharing a phone written two ways form a cluster, drawn and listed), follows a
case to its page and finds the other in its linked cases; axe-core finds nothing on either."""

import pytest

from enlace.accounts.testing import browser_login as login
from enlace.tests.browser import BROWSER_TESTS
from enlace.trafficking.models import CaseLink, TraffickingCase

pytestmark = BROWSER_TESTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_network_shows_the_demo_cluster_and_leads_to_linked_cases(page, live_server, demo):
    from enlace.trafficking.demo import seed_demo_trafficking

    seed_demo_trafficking()  # as `manage.py seed_demo` does after the users
    link = CaseLink.objects.get(kind="phone")  # kept current as the demo saved its cases
    a = TraffickingCase.objects.get(pk=link.case_a_id)
    b = TraffickingCase.objects.get(pk=link.case_b_id)
    login(page, live_server, "trata.gt")
    page.goto(f"{live_server.url}/trafficking/network/")
    picture = page.locator(".network-picture svg")
    picture.wait_for()
    assert a.reference in picture.text_content() and b.reference in picture.text_content()
    page.locator(f'a[href="/trafficking/{a.pk}/"]').first.click()
    section = page.locator("#linked-cases")
    section.wait_for()
    assert b.reference in section.inner_text()
    assert "+502 5555 1234" in section.inner_text() or "55551234" in section.inner_text()
