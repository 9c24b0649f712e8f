"""The imports from the command line and as jobs started by the secretariat's staff."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import TestCase

from enlace.core.models import Job
from enlace.remittances.models import Quote
from enlace.remittances.tasks import IMPORT_KIND, PROVIDERS, import_job_get, import_start

pytestmark = pytest.mark.django_db
SAMPLE = Path(__file__).parent / "data" / "rpw_providers_from_2016Q2.csv"


def test_import_rpw_command_dry_run_then_import():
    out = StringIO()
    call_command("import_rpw", "--providers", str(SAMPLE), "--dry-run", stdout=out)
    assert "created 7" in out.getvalue() and "dry run" in out.getvalue()
    assert Quote.objects.count() == 0
    call_command("import_rpw", "--providers", str(SAMPLE), stdout=StringIO())
    assert Quote.objects.count() == 7
    with pytest.raises(CommandError):
        call_command("import_rpw", stdout=StringIO())


def test_import_rpw_command_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("period,firm\n2024_3Q,Alfa\n")
    with pytest.raises(CommandError):
        call_command("import_rpw", "--providers", str(bad), stdout=StringIO(), stderr=StringIO())
    assert Quote.objects.count() == 0


def test_import_job_for_the_secretariat_only(analyst, focal_mx, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        import_start(actor=focal_mx, which=PROVIDERS, raw=SAMPLE.read_bytes(), file_name="s.csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        job = import_start(
            actor=analyst, which=PROVIDERS, raw=SAMPLE.read_bytes(), file_name="s.csv"
        )
    job = Job.objects.get(pk=job.pk)
    assert job.kind == IMPORT_KIND and job.status == Job.Status.SUCCEEDED, job.message
    assert job.result["created"] == 7 and job.result["mismatch_count"] == 1
    assert job.result["report"]["mismatches"][0]["field"] == "cc1 total cost %"
    assert import_job_get(actor=analyst, job_id=job.pk) == job
    with pytest.raises(Http404):
        import_job_get(actor=focal_mx, job_id=job.pk)
    assert not list(tmp_path.rglob("rpw-*"))  # the uploaded file is deleted after the job
