import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings

from enlace.accounts.testing import Network, build_network

# Hypothesis profiles: "default" keeps `make test` quick; "ci" and "fuzz" (what `make fuzz` runs
# the properties with) try many more inputs. Tests that name their own max_examples keep it.
# Properties that touch the database run every example inside the test's transaction, hence the
# function-scoped fixtures are fine.
_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile(
    "default", max_examples=25, deadline=timedelta(seconds=10), suppress_health_check=_HEALTH
)
settings.register_profile(
    "ci", max_examples=200, deadline=timedelta(seconds=20), suppress_health_check=_HEALTH
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=timedelta(seconds=30), suppress_health_check=_HEALTH
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


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


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's default language and leaves no other one active.

    A request through the test client, or a test's own translation.activate(), leaves its
    language active in the worker's thread; the next test in the same worker would otherwise
    read its texts in it (seen once in CI: a test expecting "Español" read "Spanish")."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _flush_may_empty_the_audit_log():
    """A transactional test ends with Django's flush, which empties every table; the audit
    tables refuse that (enlace.audit.immutability) except through audit_purge(), so the test
    run's flush goes through it. Nothing else in the suite gets past the triggers."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from enlace.audit.immutability import audit_purge

    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with audit_purge(self.connection.alias):
            return original(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]
    yield
    BaseDatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]


@pytest.fixture
def network(db) -> Network:
    return build_network()


@pytest.fixture
def demo(db):
    from enlace.accounts.management.demo import seed_demo

    seed_demo()


# Each document records the URLs it has shown (htmx pushes some with history.pushState), so a
# page reached by pushState counts as checked when its document is; axe-core itself is defined in
# every top-level document by the init script below (Playwright injects it past the CSP).
_AXE_BOOT = """
if (window.top === window) {
  window.__enlaceUrls = [location.href];
  for (const name of ["pushState", "replaceState"]) {
    const original = history[name];
    history[name] = function (...args) {
      const result = original.apply(this, args);
      window.__enlaceUrls.push(location.href);
      return result;
    };
  }
}
"""

# Run axe once per document (the promise is kept, so a second caller waits for the same run);
# documents that are not HTML (JSON, CSV shown inline) have nothing to check.
_AXE_CHECK = """
async () => {
  if (window.top !== window || !/^https?:$/.test(location.protocol)) return null;
  const urls = window.__enlaceUrls || [location.href];
  if (document.contentType !== "text/html") return {urls, violations: [], html: false};
  if (document.readyState !== "complete") {
    await new Promise(done => window.addEventListener("load", done, {once: true}));
  }
  if (!window.axe) return {urls, violations: [], error: "axe-core was not injected"};
  if (!window.__enlaceAxe) {
    window.__enlaceAxe = axe.run(document, {resultTypes: ["violations"]}).then(r =>
      r.violations.map(v => ({
        id: v.id, impact: v.impact,
        nodes: v.nodes.map(n => n.target.join(" ") + "  " + n.html.slice(0, 160)),
      })));
  }
  const violations = await window.__enlaceAxe;
  const first = !window.__enlaceReported;
  window.__enlaceReported = true;
  return {urls: window.__enlaceUrls || urls, violations: first ? violations : [], html: true};
}
"""


# Page methods that do not act on the document (listeners, settings, teardown).
_UNWATCHED = {
    "on",
    "once",
    "remove_listener",
    "is_closed",
    "close",
    "context",
    "frame",
    "set_default_timeout",
    "set_default_navigation_timeout",
    "add_init_script",
    "expose_binding",
    "expose_function",
    "route",
    "unroute",
    "unroute_all",
    "route_from_har",
    "route_web_socket",
    "add_locator_handler",
    "remove_locator_handler",
    "pause",
    "opener",
}


class AxeWatch:
    """axe-core over every page a browser test shows.

    Each page method a test calls first makes sure the document on screen has been checked
    (once per document, after its load event), so a page is checked before anything the test
    does can leave it; the last page is checked at teardown. (A route handler that held each
    navigation until the old page was checked would be neater, but Playwright does not answer
    an evaluate while one of its route handlers holds a navigation.)
    """

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.visited: list[str] = []
        self.checked: set[str] = set()
        self.failures: list[str] = []

    def _key(self, url: str) -> str:
        return url.split("#", 1)[0]

    def navigated(self, frame) -> None:
        if frame.parent_frame is None and frame.url.startswith(self.origin):
            self.visited.append(self._key(frame.url))

    def watch(self, page) -> None:
        page.on("framenavigated", self.navigated)
        evaluate = type(page).evaluate

        def check() -> None:
            for _attempt in range(3):  # a navigation may replace the document under us
                if page.is_closed():
                    return
                try:
                    result = evaluate(page, _AXE_CHECK)
                except Exception as exc:
                    if "context was destroyed" in str(exc) or "navigat" in str(exc):
                        continue
                    raise
                self.record(result)
                return

        def wrap(method):
            def watched(*args, **kwargs):
                check()
                return method(*args, **kwargs)

            return watched

        for name in dir(type(page)):
            attribute = getattr(type(page), name)
            if name.startswith("_") or name in _UNWATCHED or not callable(attribute):
                continue
            setattr(page, name, wrap(getattr(page, name)))
        self.final_check = check

    def record(self, result) -> None:
        if not result:
            return
        self.checked.update(self._key(u) for u in result["urls"])
        where = result["urls"][-1].removeprefix(self.origin)
        if result.get("error"):
            self.failures.append(f"{where}: {result['error']}")
        for v in result["violations"]:
            for node in v["nodes"]:
                self.failures.append(f"{where}: {v['id']} ({v['impact']}) {node}")

    def report(self) -> str:
        unchecked = sorted(set(self.visited) - self.checked)
        lines = (
            [f"axe-core violations ({len(self.failures)}):", *self.failures]
            if (self.failures)
            else []
        )
        if unchecked:
            lines += ["pages shown but never checked by axe-core:", *unchecked]
        return "\n".join(lines)


@pytest.fixture
def page(live_server, monkeypatch):
    """A Playwright page in Debian's Chromium (browser tests skip where it is missing).

    axe-core checks every page the test shows; the test fails at teardown with every violation
    (URL, rule, impact, node) and every shown page that was never checked.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.sync_api import sync_playwright

    from enlace.accounts.testing import CHROMIUM

    watch = AxeWatch(live_server.url)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1100, "height": 800})
        context.add_init_script(_AXE_BOOT + "\nif (window.top === window) {\n" + AXE_SCRIPT + "\n}")
        page = context.new_page()
        watch.watch(page)
        page.axe_watch = watch  # type: ignore[attr-defined]  # tests of the watch read it
        page.set_default_timeout(15_000)
        yield page
        watch.final_check()
        browser.close()
    report = watch.report()
    if report:
        pytest.fail(report, pytrace=False)
