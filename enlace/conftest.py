import pytest

from enlace.accounts.testing import Network, build_network


def pytest_collection_modifyitems(items):
    """Mark every test that needs a real transaction (live server, transaction=True).

    Such a test empties the database when it ends (Django flushes it), which removes the
    reference data loaded by migrations (countries, currencies) from under any ordinary test
    that runs after it in the same process. Under xdist the order across files is not ours, so
    `make test` runs the marked tests in a second, serial pass (`-m transactional`).
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
            {"live_server", "transactional_db"} & set(getattr(item, "fixturenames", ()))
        )
        if transactional:
            item.add_marker(pytest.mark.transactional)


@pytest.fixture
def network(db) -> Network:
    return build_network()


@pytest.fixture
def demo(db):
    from enlace.accounts.management.demo import seed_demo

    seed_demo()


@pytest.fixture
def page(live_server, monkeypatch):
    """A Playwright page in Debian's Chromium (browser tests skip where it is missing)."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from playwright.sync_api import sync_playwright

    from enlace.accounts.testing import CHROMIUM

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
