"""The import page: the secretariat uploads a World Bank file, it runs as a job, and the job's
page shows the counts and the per-row report; others get 404."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.translation import gettext as _

from enlace.accounts.models import Office, Role
from enlace.accounts.testing import SAME_COUNTRY, make_user
from enlace.remittances.models import CorridorQuarter, Quote

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "rpw_providers_from_2016Q2.csv"


@pytest.fixture
def secretariat(db):
    office = Office.objects.create(
        name="Secretaría", kind=Office.Kind.SECRETARIAT, country_id="CR", host_country_id="CR"
    )
    client = Client()
    client.force_login(make_user("analista.import", office, Role.ANALYST))
    return client


def upload(client, which: str, raw: bytes, name: str, **options):
    data = {"which": which, "file": SimpleUploadedFile(name, raw, "text/csv"), **options}
    return client.post("/remittances/import/", data)


def test_provider_file_imports_through_a_job_and_reports(
    secretariat, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(secretariat, "providers", DATA.read_bytes(), "rpw.csv")
    assert response.status_code == 302
    assert Quote.objects.exists()
    page = secretariat.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert _("Rows read") in body and _("imported") in body
    # Polled by htmx while it runs: the partial; once finished the page reloads itself.
    partial = secretariat.get(response["Location"], headers={"HX-Request": "true"})
    assert partial["HX-Refresh"] == "true"


def test_a_file_with_errors_imports_nothing_and_lists_the_rows(
    secretariat, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    lines = DATA.read_text().splitlines()
    broken = lines[1].replace(",5,17.00,", ",-5,17.00,")  # a negative fee on row 2
    raw = "\n".join([lines[0], broken, *lines[2:]]).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(secretariat, "providers", raw, "broken.csv")
    body = secretariat.get(response["Location"]).content.decode()
    assert not Quote.objects.exists()
    assert _("nothing imported") in body
    assert 'class="list report-errors"' in body
    assert '<td data-label="' in body and ">2</td>" in body


def test_upload_without_a_file_is_a_400(secretariat):
    response = secretariat.post("/remittances/import/", {"which": "corridors"})
    assert response.status_code == 400
    assert not CorridorQuarter.objects.exists()


def test_only_the_secretariat_imports(network):
    client = Client()
    client.force_login(network.user(Role.NATIONAL_FOCAL_POINT, SAME_COUNTRY))
    assert client.get("/remittances/import/").status_code == 404
    assert client.get("/remittances/quotes/").status_code == 200
