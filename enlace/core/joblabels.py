"""What a job's page says instead of its internal codes: the kind of job, the stage it is in and
the figures it returns, each in the reader's language. Apps name their jobs where they register
them (`job_function(kind, label=..., stages=..., results=...)`); core imports no app."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _gettext

from .errors import SHORTAGE_MESSAGES


@dataclass(frozen=True)
class JobLabels:
    label: Any = None
    stages: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)


_LABELS: dict[str, JobLabels] = {}

# Messages any job may end with (enlace.core.jobs.run_job); a kind may word them its own way.
_COMMON_STAGES = SHORTAGE_MESSAGES


def register(kind: str, labels: JobLabels) -> None:
    _LABELS[kind] = labels


def _labels(kind: str) -> JobLabels:
    return _LABELS.get(kind, JobLabels())


def kind_label(kind: str) -> str:
    """The job's kind as its reader calls it ("Case export"), else the code itself."""
    label = _labels(kind).label
    return str(label) if label is not None else kind


def stage_label(kind: str, message: str) -> str:
    """A progress message that names a stage, in words; any other message as written."""
    stage = _labels(kind).stages.get(message, _COMMON_STAGES.get(message))
    return str(stage) if stage is not None else message


def value_text(kind: str, value: Any) -> str:
    """A result value for reading: yes/no, localised numbers, labelled parts."""
    if isinstance(value, bool):
        return _gettext("Yes") if value else _gettext("No")
    if isinstance(value, int | float):
        return number_format(value, force_grouping=True)
    if isinstance(value, dict):
        return ", ".join(
            f"{result_label(kind, k)}: {value_text(kind, v)}" for k, v in value.items()
        )
    labels = _labels(kind)
    if isinstance(value, str) and value in labels.results:
        return str(labels.results[value])
    return str(value)


def result_label(kind: str, key: str) -> str:
    label = _labels(kind).results.get(key)
    return str(label) if label is not None else key
