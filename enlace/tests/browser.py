"""The marks every browser test carries: `browser`, and a plain skip where Chromium is missing."""

import os

import pytest

from enlace.accounts.testing import CHROMIUM

BROWSER_TESTS = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not os.path.exists(CHROMIUM),
        reason="browser test skipped: no Chromium at /usr/bin/chromium "
        "(apt-get install -y chromium; CI installs it)",
    ),
]


def assert_axe_clean(page, where: str = "") -> None:
    """axe-core finds no violation on the page as it is now (e.g. after an htmx swap, which the
    `page` fixture's check at each load does not see)."""
    from axe_playwright_python.sync_playwright import Axe

    where = where or page.url
    result = Axe().run(page)
    assert result.response["passes"], f"axe did not run on {where}"
    found = [
        f"{v['id']} ({v['impact']}) {v['nodes'][0]['html'][:120]}"
        for v in result.response["violations"]
    ]
    assert not found, f"accessibility violations on {where}:\n" + "\n".join(found)
