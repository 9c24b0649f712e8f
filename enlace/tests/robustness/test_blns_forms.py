"""Every string of the Big List of Naughty Strings (shared/data/blns, MIT) through every text
field of every form of every module: each is either accepted (and kept as typed, or trimmed
where the field trims) or refused with a form error, never an exception; and a bound form shows
it back escaped, never as live markup.

Each text field cleans every string (cheap: the field alone); the whole form is bound, checked
and rendered with every text field holding the string for a sample of the strings (one in thirty
of those with markup or control characters and one in a hundred of all), and for all of them under
`make fuzz` (ENLACE_BLNS_FULL=1)."""

import html
import importlib
import inspect
import json
import os
from pathlib import Path

import pytest
from django import forms

BLNS = Path(__file__).resolve().parents[4] / "shared" / "data" / "blns" / "blns.json"
STRINGS = json.loads(BLNS.read_text(encoding="utf-8")) if BLNS.exists() else []
FULL = bool(os.environ.get("ENLACE_BLNS_FULL"))
_MARKUP = [s for s in STRINGS if html.escape(s) != s or any(ord(c) < 32 for c in s)]
SAMPLE = STRINGS if FULL else list(dict.fromkeys(_MARKUP[::30] + STRINGS[::100]))
APPS = [
    "accounts", "cases", "core", "diaspora", "forums", "inbox", "people", "portal", "practices",
    "privacy", "remittances", "returns", "tracing", "trafficking",
]  # fmt: skip
# Forms whose constructor needs more than data: the keyword arguments that make one.
KWARGS = {
    "CompareForm": {"sending": [], "receiving": []},
    "DirectoryForm": {"origin": [], "departments": [], "residence": []},
}
# Text fields that are not free text (a choice, a file, an email…) are left to their own tests.
TEXT_FIELDS = (forms.CharField,)
NOT_FREE_TEXT = (
    forms.ChoiceField,
    forms.EmailField,
    forms.URLField,
    forms.SlugField,
    forms.RegexField,
    forms.UUIDField,
    forms.FileField,
    forms.JSONField,
    forms.GenericIPAddressField,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.fuzz,  # `make fuzz` runs it with every string
    pytest.mark.skipif(not STRINGS, reason=f"{BLNS} is missing"),
]


def _forms():
    found = []
    for app in APPS:
        module = importlib.import_module(f"enlace.{app}.forms")
        for name, cls in vars(module).items():
            if (
                inspect.isclass(cls)
                and issubclass(cls, forms.BaseForm)
                and cls.__module__ == module.__name__
                and not name.startswith("_")
            ):
                found.append(pytest.param(cls, id=f"{app}.{name}"))
    return found


def _build(cls, data=None):
    kwargs = dict(KWARGS.get(cls.__name__, {}))
    params = inspect.signature(cls.__init__).parameters
    if "data" in params and params["data"].kind == params["data"].POSITIONAL_OR_KEYWORD:
        return cls(data, **kwargs)  # data first, as CompareForm takes it
    return cls(data=data, **kwargs) if data is not None else cls(**kwargs)


def _text_fields(form):
    return [
        name
        for name, field in form.fields.items()
        if isinstance(field, TEXT_FIELDS)
        and not isinstance(field, NOT_FREE_TEXT)
        and not isinstance(field.widget, forms.HiddenInput)
    ]


def _kept(field, value, s):
    expected = s.strip() if getattr(field, "strip", False) else s
    return value in (expected, expected.replace("\r\n", "\n"), None, "")


@pytest.mark.parametrize("cls", _forms())
def test_every_blns_string_through_every_text_field(cls):
    form = _build(cls)
    fields = _text_fields(form)
    if not fields:
        pytest.skip(f"{cls.__name__} has no free-text field")
    for name in fields:
        field = form.fields[name]
        for s in STRINGS:
            try:
                value = field.clean(s)
            except forms.ValidationError as exc:
                assert exc.messages, (name, s)
                continue
            assert isinstance(value, str), (name, s)
            assert _kept(field, value, s) or field.__class__ is not forms.CharField, (name, s)

    for s in SAMPLE:
        data = dict.fromkeys(fields, s)
        bound = _build(cls, data)
        bound.is_valid()  # refused with a form error or accepted: never an exception
        for name, errors in bound.errors.items():
            assert all(str(e) for e in errors), (name, s)
        for name in fields:
            if name in getattr(bound, "cleaned_data", {}) and name not in bound.errors:
                assert isinstance(bound.cleaned_data[name], str | type(None)), (name, s)
            rendered = str(bound[name])
            if html.escape(s, quote=False) != s:
                assert s not in rendered, (cls.__name__, name, s)  # escaped, never live markup
