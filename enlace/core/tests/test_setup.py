import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from enlace.accounts.models import Membership, Office, User
from enlace.cases.models import Case
from enlace.people.models import Person

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_keeps_changes():
    call_command("seed_demo", verbosity=0)
    counts = (Office.objects.count(), User.objects.count(), Membership.objects.count())
    assert len({o.country_id for o in Office.objects.all()}) >= 8
    user = User.objects.get(username="oficial.mx")
    user.set_password("changed-password-1")
    user.save()
    call_command("seed_demo", verbosity=0)
    assert counts == (Office.objects.count(), User.objects.count(), Membership.objects.count())
    assert User.objects.get(username="oficial.mx").check_password("changed-password-1")


def _manage(*args: str, settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": settings,
        "SECRET_KEY": "x" * 60 + "-prod",
        "ALLOWED_HOSTS": "enlace.example.org",
        "ENLACE_VAR_DIR": str(ROOT / "var" / "ci"),
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", settings="config.settings.prod"
    )
    assert result.returncode == 0, result.stderr


def test_production_settings_refuse_demo_data():
    result = _manage("seed_demo", settings="config.settings.prod")
    assert result.returncode != 0
    assert "refused" in result.stderr


@pytest.mark.django_db
def test_seed_demo_runs_every_registered_loader_in_order():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo logins (password: enlace-demo):"
    logins = [line.split()[0] for line in lines[1:]]
    assert logins[0] == "oficial.mx"
    # the cases app's loader runs after accounts', the diaspora one (asociacion's second
    # office) after cases'; every line is a login
    assert logins[-2:] == ["albergue.mx", "asociacion"]
    assert all(line.startswith("  ") for line in lines[1:])
    assert Person.objects.exists() and Case.objects.exists()
