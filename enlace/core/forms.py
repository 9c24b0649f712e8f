"""Form helpers shared by the apps."""

from typing import Any

from django import forms

from .errors import ValidationFailed


def apply_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Show a service's validation errors next to the matching fields (else at the top)."""
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)


def text(label: Any, max_length: int, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    """A text field that keeps what was typed exactly (no trimming)."""
    return forms.CharField(
        label=label, max_length=max_length, required=required, strip=False, **kwargs
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)
