"""Form helpers shared by the apps."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .errors import STALE_EDIT_MESSAGE, ValidationFailed

# Languages a consent notice is given in: the interface's four plus Haitian Creole, named in
# themselves so the person can point at theirs.
NOTICE_LANGUAGES = [
    ("es", "Español"),
    ("en", "English"),
    ("pt", "Português"),
    ("fr", "Français"),
    ("ht", "Kreyòl ayisyen"),
    ("other", _("Other")),
]


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Show a service's validation errors next to the matching fields (else at the top)."""
    for field, field_messages in exc.errors.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def text(label: Any, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    """A text field that keeps what was typed exactly (no trimming)."""
    return forms.CharField(
        label=label, max_length=max_length, required=required, strip=False, **kwargs
    )


def stale_edit(form: forms.Form) -> int:
    """Tell the editor someone else saved first (StaleEdit); the response's status, 409."""
    form.add_error(None, STALE_EDIT_MESSAGE)
    return 409


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def errors_text(errors: Mapping[str, Any]) -> str:
    """All messages of a {field: [messages]} mapping on one line, for a flash message."""
    return "; ".join(str(m) for field_messages in errors.values() for m in field_messages)


def submit(
    request: HttpRequest, form: forms.Form, save: Callable[[dict[str, Any]], object], ok: str
) -> bool:
    """Validate a small side form, run the service, and say what happened in a flash message."""
    if not form.is_valid():
        messages.error(request, errors_text(form.errors))
        return False
    try:
        save(form.cleaned_data)
    except ValidationFailed as exc:
        messages.error(request, errors_text(exc.errors))
        return False
    messages.success(request, ok)
    return True
