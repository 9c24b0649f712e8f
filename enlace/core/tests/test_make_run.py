"""`make run` keeps the set-up quiet and prints the demo logins last, once the server is up.

The Makefile runs for real, in a copy, with a stand-in for the virtualenv's python that records
how it was called and answers like the real commands (pip, migrate, seed_demo, runserver…)."""

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

STUB = r"""#!/bin/sh
echo "$*" >> "$CALLS"
case "$*" in
  *"manage.py migrate"*)
    case "$*" in
      *"--verbosity 0"*) ;;
      *) for i in $(seq 200); do echo "  Applying app.$i... OK"; done;;
    esac;;
  *"pip"*)
    case "$*" in
      *"--quiet"*) ;;
      *) for i in $(seq 40); do echo "Collecting package$i"; done;;
    esac;;
  *"manage.py seed_demo"*)
    echo "Demo logins (password: enlace-demo):"
    echo "  oficial.mx  Consular officer"
    echo "  admin  Administrator";;
  *"manage.py runserver"*)
    echo "Starting development server at http://$4/"; sleep 2; echo "[request] GET /" >&2;;
  *"manage.py db_worker"*) sleep 5;;
  *"wait_for_server.py"*) sleep 0.5;;
esac
"""


@pytest.fixture
def project(tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("[project]\n")
    python = tmp_path / "venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(STUB)
    python.chmod(0o755)
    # The install step runs too: pyproject.toml is newer than the install marker.
    (tmp_path / "venv" / ".installed").touch()
    later = time.time() + 5
    os.utime(tmp_path / "pyproject.toml", (later, later))
    return tmp_path


def test_make_run_is_quiet_and_prints_the_logins_last(project):
    calls = project / "calls.txt"
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [shutil.which("make") or "make", "--no-print-directory", "run", "VENV=venv", "PORT=8765"],
        cwd=project,
        env={**os.environ, "CALLS": str(calls)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    # No install or migration log: a few lines, whatever the dependencies and migrations.
    assert len(lines) <= 8, result.stdout
    assert "Applying" not in result.stdout and "Collecting" not in result.stdout
    # The address, then the logins, last; the server's banner went to var/server.log.
    assert "Starting development server" not in result.stdout
    assert "Starting development server" in (project / "var" / "server.log").read_text()
    assert "running on http://127.0.0.1:8765/" in lines[-4]
    assert lines[-3:] == [
        "  Demo logins (password: enlace-demo):",
        "    oficial.mx  Consular officer",
        "    admin  Administrator",
    ]
    recorded = calls.read_text()
    assert "manage.py migrate --noinput --verbosity 0" in recorded
    assert "manage.py collectstatic --noinput --verbosity 0" in recorded
    assert all("--quiet" in c for c in recorded.splitlines() if " pip " in f" {c} ")
