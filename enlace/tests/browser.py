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
