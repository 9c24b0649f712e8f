"""Test support: an export as a user gets it (start, let the job run, download the file).

Exports are background jobs; the test settings run tasks at once (ImmediateBackend), and the job
is queued when the request's transaction commits, which a test's transaction never does: this
runs those on-commit hooks right after the request, as a worker would pick the job up.
"""

import re
from typing import Any
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import TestCase

from enlace.core.models import Job

JOB_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def start_export(client: Any, path: str, params: Any = None) -> HttpResponse:
    """Start an export (a POST) and run its job; the response (302/202, or 400/404/405). The
    API takes the filters as query parameters, as the list; the page as the form's fields."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if path.startswith("/api/"):
            query = urlencode(params or {}, doseq=True)
            response: HttpResponse = client.post(f"{path}?{query}" if query else path)
        else:
            response = client.post(path, params or {})
    return response


def download_url(client: Any, response: Any) -> str:
    """Where the started export's file is: from the API's status, or from the job's result
    (which the job's page links to) for the page."""
    if response.status_code == 202:
        status = client.get(response.json()["status_url"]).json()
        if status["status"] != Job.Status.SUCCEEDED:
            raise AssertionError(status)
        return str(status["download_url"])
    if response.status_code != 302:
        raise AssertionError(response.status_code)
    job = Job.objects.get(pk=JOB_ID.search(response["Location"])[0])  # type: ignore[index]
    if job.status != Job.Status.SUCCEEDED:
        raise AssertionError(job.message)
    return str(job.result["download"])


def export(client: Any, path: str = "/api/v1/cases/export/", params: Any = None) -> HttpResponse:
    """The download of an export, with its body in `.content`; when the request is refused,
    that response."""
    started = start_export(client, path, params)
    if started.status_code not in (202, 302):
        return started
    url = download_url(client, started)
    response: Any = client.get(url)
    if getattr(response, "streaming", False):
        read = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
        for header, value in response.items():
            read[header] = value
        response = read
    job = Job.objects.get(pk=JOB_ID.search(url)[0])  # type: ignore[index]
    default_storage.delete(job.result["file"])  # leave no file in the test media folder
    return response  # type: ignore[no-any-return]
