"""Browser: the Content-Security-Policy blocks nothing the pages need (Playwright + Chromium)."""

import pytest

from enlace.accounts.testing import browser_login
from enlace.tests.browser import BROWSER_TESTS

pytestmark = BROWSER_TESTS


def _watch_csp(page) -> list[str]:
    """Every CSP violation the browser reports, from the console and from the DOM event."""
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.expose_function("reportViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation',"
        " e => window.reportViolation(e.violatedDirective + ' ' + e.blockedURI))"
    )
    return violations


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_htmx_search_confirm_dialogs_and_api_docs_work_under_the_policy(page, live_server, demo):
    violations = _watch_csp(page)
    browser_login(page, live_server, "supervisor.mx")

    # htmx: the office search swaps the rows in place.
    page.goto(f"{live_server.url}/accounts/offices/")
    page.fill("#office-q", "Guatemala")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#office-rows tbody tr')].every("
        "r => r.innerText.includes('Guatemala'))"
    )
    assert "Guatemala" in page.inner_text("#office-rows")

    # data-confirm: dismissing the question keeps the role, accepting removes it.
    page.goto(f"{live_server.url}/accounts/offices/")
    page.click("text=Consulado General de México en Los Ángeles")
    members_url = page.url
    rows_before = page.locator("form[data-confirm] button").count()
    assert rows_before > 0
    page.once("dialog", lambda d: d.dismiss())
    page.click("form[data-confirm] button >> nth=0")
    page.wait_for_timeout(300)
    assert page.url == members_url
    assert page.locator("form[data-confirm] button").count() == rows_before
    page.once("dialog", lambda d: d.accept())
    with page.expect_navigation():
        page.click("form[data-confirm] button >> nth=0")
    assert page.locator("form[data-confirm] button").count() == rows_before - 1

    # Swagger UI is served from our own static files and starts.
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=Enlace API")

    assert not violations, violations
