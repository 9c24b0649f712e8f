"""Form helpers shared by the apps."""

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .errors import STALE_EDIT_MESSAGE, ValidationFailed
from .models import Country
from .names import language_choices, language_codes, sort_by_name

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


STALE_FORM_MESSAGE = _(
    "Someone else saved this record while you were editing it. Nothing of yours is saved yet: "
    "your input is kept below. Compare it with what is saved now, then save again to keep it."
)


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the form's reader knows it: a choice's label, a record's name, a date."""
    if value in (None, "", [], ()):
        return "—"
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return ", ".join(sorted(_shown(field, v) for v in value)) or "—"
    choices = getattr(field, "choices", None)
    if choices is not None and not isinstance(field, forms.ModelChoiceField):
        labels = {str(k): v for k, v in choices if not isinstance(v, list | tuple)}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(formats.localize(value))


def stale_edit(form: forms.Form, current: Mapping[str, Any] | None = None) -> int:
    """Tell the editor someone else saved first (StaleEdit); the response's status, 409.

    With `current` (the record as saved now, in the form's initial format, its `version`
    included) the form keeps the editor's input, lists each field where it differs from what is
    saved now (form.conflicts: label, yours, saved now), and carries the new version, so that
    saving again keeps the editor's values on purpose."""
    form.add_error(None, STALE_FORM_MESSAGE if current is not None else STALE_EDIT_MESSAGE)
    if current is None:
        return 409
    conflicts = []
    for name, field in form.fields.items():
        if name == "version" or name not in current or isinstance(field, forms.FileField):
            continue
        if field.widget.is_hidden:
            continue
        raw = form[name].data
        if not field.has_changed(current[name], raw):
            continue
        yours = form.cleaned_data.get(name, raw) if hasattr(form, "cleaned_data") else raw
        conflicts.append(
            {
                "name": name,
                "label": field.label,
                "yours": _shown(field, yours),
                "saved": _shown(field, current[name]),
            }
        )
    form.stale = True  # type: ignore[attr-defined]
    form.conflicts = conflicts  # type: ignore[attr-defined]
    if "version" in current and "version" in form.fields:
        data = form.data.copy()  # type: ignore[attr-defined]  # a QueryDict
        data["version"] = str(current["version"])
        form.data = data
    return 409


class HoneypotForm(forms.Form):
    """A public form's honeypot: a `website` field hidden from people and from assistive
    technology (the template wraps it), which bots fill in; a form that fills it is dropped
    while looking sent (`is_bot`)."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


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


class Picker(forms.CheckboxSelectMultiple):
    """Many choices out of hundreds, without Ctrl-click: a scrollable list of checkboxes, the
    ticked ones first, in a fieldset. enlace.js reveals a filter box that narrows the list as
    one types (accents and case ignored); without JavaScript the whole list scrolls."""

    template_name = "core/widgets/picker.html"
    use_fieldset = True

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        flat = [option for _g, group, _i in context["widget"]["optgroups"] for option in group]
        context["widget"]["picked"] = [o for o in flat if o["selected"]]
        context["widget"]["others"] = [o for o in flat if not o["selected"]]
        return context


class _SortedIterator(ModelChoiceIterator):
    """The queryset's rows in alphabetical order of their names in the reader's language."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in sort_by_name(self.queryset):
            yield self.choice(obj)


class CountryChoiceField(forms.ModelChoiceField):
    """One country, listed by name in the reader's language and alphabet."""

    iterator = _SortedIterator

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)


class CountriesField(forms.ModelMultipleChoiceField):
    """Any number of countries, picked from a filterable list of names."""

    iterator = _SortedIterator
    widget = Picker

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)


class LanguagesField(forms.MultipleChoiceField):
    """Languages by name, stored as ISO 639-3 codes ("spa, quc")."""

    widget = Picker

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=language_choices, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str):
            return language_codes(value)
        return value

    def with_recorded(self, recorded: str) -> None:
        """Also offer the codes already recorded for this person, so none is lost on saving."""
        self.choices = language_choices(language_codes(recorded))

    def clean(self, value: Any) -> str:  # type: ignore[override]
        codes = super().clean(value)
        return ", ".join(codes)
