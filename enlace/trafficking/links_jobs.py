"""The full recompute of the links between cases as a background job (a Job row the UI and
`manage.py trafficking_links --rebuild` follow). Imported from TraffickingConfig.ready()."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from enlace.core.jobs import job_function, job_progress
from enlace.core.models import Job

from .links import links_rebuild

KIND = "trafficking_links_rebuild"


@job_function(
    KIND,
    label=_("Links between trafficking cases"),
    stages={"links": _("Finding the links between cases")},
    results={"cases": _("Cases"), "links": _("Links")},
)
def trafficking_links_rebuild(job: Job) -> dict[str, Any]:
    """Recompute every case's link keys and every link between cases."""
    job_progress(job, 0, 1, "links")
    return links_rebuild(progress=lambda done, total: job_progress(job, done, total, "links"))
