import pytest

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Role
from enlace.core.jobs import job_enqueue
from enlace.core.models import Country, Job

pytestmark = pytest.mark.django_db


def test_admin_refreshes_reference_data_as_a_job_and_sees_progress(
    network, client, django_capture_on_commit_callbacks
):
    Country.objects.filter(code="MX").update(name_fr="wrong")
    client.force_login(network.user(Role.ADMINISTRATOR))
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post("/reference/refresh/")
    assert resp.status_code == 302
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED
    assert job.percent == 100
    assert job.result["countries"] == Country.objects.count()
    assert Country.objects.get(code="MX").name_fr == "Mexique"
    page = client.get(resp.url, HTTP_HX_REQUEST="true").content.decode()
    assert "100 %" in page
    assert "Terminado" in page


def test_job_in_progress_page_polls(network, client):
    user = network.user(Role.ADMINISTRATOR)
    job = Job.objects.create(
        kind="reference_refresh",
        created_by=user,
        progress_total=10,
        progress_done=4,
        status=Job.Status.RUNNING,
    )
    client.force_login(user)
    html = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in html
    assert "40 %" in html


def test_non_admin_cannot_start_reference_refresh(network, client):
    client.force_login(network.user(Role.OFFICER))
    assert client.post("/reference/refresh/").status_code == 404
    assert not Job.objects.exists()


def test_someone_elses_job_is_404(network, client):
    job = job_enqueue(actor=actor_for(network.user(Role.ADMINISTRATOR)), kind="reference_refresh")
    client.force_login(network.user(Role.OFFICER))
    assert client.get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.parametrize("lang", ["en", "es"])
def test_job_pages_name_the_kind_stage_and_figures_in_words(network, client, settings, lang):

    user = network.user(Role.OFFICER)
    export = Job.objects.create(
        kind="case_export",
        created_by=user,
        status=Job.Status.SUCCEEDED,
        result={"rows": 1234, "format": "csv", "file": "exports/x.csv"},
    )
    relink = Job.objects.create(
        kind="registry_relink",
        created_by=user,
        status=Job.Status.RUNNING,
        progress_total=2,
        progress_done=1,
        message="index",
    )
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    listing = client.get("/jobs/").content.decode()
    assert "case_export" not in listing and "registry_relink" not in listing
    if lang == "en":
        assert "Case export" in listing and "Registry relink" in listing
        detail = client.get(f"/jobs/{export.pk}/").content.decode()
        assert "<dt>Rows</dt><dd>1,234</dd>" in detail
        assert "<dt>File format</dt><dd>CSV</dd>" in detail
        running = client.get(f"/jobs/{relink.pk}/").content.decode()
        assert "Indexing the registry" in running
        assert ">index<" not in running
    else:
        assert "Terminado" in listing and "En curso" in listing


def test_every_registered_job_kind_has_a_label():
    from django.utils import translation

    from enlace.core import joblabels, jobs

    with translation.override("en"):
        labels = {  # the apps' jobs (other tests register throwaway kinds of their own)
            kind: joblabels.kind_label(kind)
            for kind, fn in jobs._REGISTRY.items()
            if ".tests." not in fn.__module__
        }
    assert labels["people_import_check"] == "People import: check"
    assert all(label != kind for kind, label in labels.items()), labels
