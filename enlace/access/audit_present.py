"""The audit trail in the reader's words: translated action names, record names as the reader
may see them (enlace.core.slots.RecordNames, filled by the apps that own the records), and
each change as "field: before → after"."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from enlace.audit.models import ChangeEvent
from enlace.core.slots import record_names

ACTIONS = {
    "person_create": _("Person registered"),
    "person_update": _("Person edited"),
    "photo_set": _("Photo added"),
    "vulnerability_add": _("Vulnerability recorded"),
    "vulnerability_remove": _("Vulnerability removed"),
    "consent_record": _("Consent recorded"),
    "consent_revoke": _("Consent withdrawn"),
    "document_add": _("Identity document added"),
    "case_open": _("Case opened"),
    "case_update": _("Case edited"),
    "case_start_assessment": _("Assessment started"),
    "case_approve_assessment": _("Assessment approved"),
    "case_start_work": _("Work on the case plan started"),
    "case_request_closure": _("Closure requested"),
    "case_approve_closure": _("Case closed"),
    "case_reopen": _("Case reopened"),
    "detention_log_set": _("Art. 36 log recorded"),
    "action_add": _("Action recorded"),
    "note_add": _("Note added"),
    "attachment_add": _("File attached"),
    "referral_create": _("Case referred"),
    "referral_accept": _("Referral accepted"),
    "referral_reject": _("Referral rejected"),
    "referral_done": _("Referral done"),
    "referral_revoke": _("Referral revoked"),
    "grant_create": _("Access granted"),
    "grant_revoke": _("Access revoked"),
    "tracing_request_create": _("Tracing request filed"),
    "tracing_match_confirm": _("Match confirmed"),
    "tracing_match_reject": _("Match rejected"),
    "tracing_match_withdraw": _("Match withdrawn"),
    "reunification_update": _("Reunification updated"),
    "membership_create": _("Member added to the office"),
    "membership_deactivate": _("Member removed from the office"),
    "api_token_issue": _("API token issued"),
    "api_token_revoke": _("API token revoked"),
    "trafficking_case_create": _("Trafficking or smuggling case opened"),
    "trafficking_case_update": _("Trafficking or smuggling case edited"),
}

# The kinds of record the trail's filter offers (the others are still listed).
RECORD_TYPES = (
    "people.person",
    "cases.case",
    "tracing.tracingrequest",
    "tracing.tracingmatch",
    "tracing.reunification",
    "accounts.user",
    "accounts.membership",
)

# Changes recorded under a name that is not a field of the record: the record and field whose
# choices name their values.
RELATED_VALUES = {
    "referral": ("cases.referral", "status", _("Referral")),
    "vulnerability": ("people.vulnerability", "kind", _("Vulnerability")),
    "consent": ("people.consent", "purpose", _("Consent")),
    "document": ("people.identitydocument", "doc_type", _("Identity document")),
    "file": (None, None, _("File")),
    "photo": (None, None, _("Photo")),
    "to_office": (None, None, _("To office")),
    "grant": (None, None, _("Access")),
}

# Records whose changes are written under their parent's name (the art. 36 log under its case):
# where to find the names of those fields.
FIELDS_ALSO_ON = {"cases.case": ("cases.detentionlog",)}

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
HIDDEN = "…"


def action_label(code: str) -> str:
    """The action in the reader's language (an action without a name: its words, not a code)."""
    label = ACTIONS.get(code)
    return str(label) if label else capfirst(code.replace("_", " "))


def record_type_label(record_type: str) -> str:
    try:
        model = apps.get_model(record_type)
    except (LookupError, ValueError):
        return capfirst(record_type.rsplit(".", 1)[-1])
    return str(capfirst(model._meta.verbose_name))


def record_type_choices() -> list[tuple[str, str]]:
    return [(t, record_type_label(t)) for t in RECORD_TYPES]


def action_choices() -> list[tuple[str, str]]:
    return sorted(((k, str(v)) for k, v in ACTIONS.items()), key=lambda kv: kv[1])


def _model_field(record_type: str | None, name: str | None) -> Any:
    if not record_type or not name:
        return None
    try:
        found = apps.get_model(record_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    # A reverse relation (a trafficking case's "route" row count) is no field of the record.
    return None if found.auto_created and not found.concrete else found


def _field_of(record_type: str, name: str) -> Any:
    for model in (record_type, *FIELDS_ALSO_ON.get(record_type, ())):
        found = _model_field(model, name)
        if found is not None:
            return found
    return None


def _value(model_field: Any, value: Any) -> str:
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return ""
    if UUID_RE.match(text):
        return ""  # an internal id says nothing to a reader
    choices = dict(getattr(model_field, "flatchoices", None) or ())
    if text in choices:
        return str(choices[text])
    if text in ("True", "False"):
        return str(_("Yes") if text == "True" else _("No"))
    if isinstance(model_field, models.DateField) and not isinstance(
        model_field, models.DateTimeField
    ):
        try:
            return formats.date_format(dt.date.fromisoformat(text), "SHORT_DATE_FORMAT")
        except ValueError:
            pass
    return text[:200]


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Event:
    """One change of the trail as shown: what, to which record, and what changed."""

    row: ChangeEvent
    action: str
    record: str
    record_kind: str
    visible: bool
    changes: list[Change] = field(default_factory=list)


def _changes(record_type: str, changes: Any, hidden: bool) -> list[Change]:
    out = []
    for name, pair in (changes or {}).items():
        before, after = [*pair, "", ""][:2] if isinstance(pair, list) else ("", pair)
        own = _field_of(record_type, name)
        related_type, related_field, related_label = RELATED_VALUES.get(name, (None, None, None))
        values_of = own or _model_field(related_type, related_field)
        if own is not None and own.auto_created and not own.concrete:
            # Rows of the record (a case's route, its victims): recorded as counts, named by
            # the rows' kind.
            label = str(capfirst(own.related_model._meta.verbose_name_plural))
            values_of = None
        elif own is not None:
            label = str(capfirst(own.verbose_name))
        elif related_label is not None:
            label = str(related_label)
        else:
            label = capfirst(str(name).replace("_", " "))
        if hidden:
            out.append(Change(label, HIDDEN, HIDDEN))
        else:
            shown_before, shown_after = _value(values_of, before), _value(values_of, after)
            if shown_before or shown_after or related_label is not None:
                out.append(Change(label, shown_before, shown_after))
    return out


def present(actor: Any, rows: Iterable[ChangeEvent], purpose: str) -> list[Event]:
    """The rows as the reader may see them. Records are named through their app (one query per
    kind of record on the page, each shown one logged as a read with `purpose`); a record the
    reader may not open keeps its kind only, and its values are hidden."""
    rows = list(rows)
    ids: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        ids[r.record_type].append(r.record_id)
    names: dict[tuple[str, str], tuple[str, bool]] = {}
    for record_type, record_ids in ids.items():
        namer = record_names(record_type)
        if namer is None:
            continue
        for rid, found in namer.names(actor, sorted(set(record_ids)), purpose).items():
            names[(record_type, rid)] = found
    events = []
    for r in rows:
        kind = record_type_label(r.record_type)
        named = names.get((r.record_type, r.record_id))
        has_namer = record_names(r.record_type) is not None
        hidden = named[1] if named else has_namer  # out of reach: show no values
        events.append(
            Event(
                row=r,
                action=action_label(r.action),
                record=named[0] if named else "",
                record_kind=kind,
                visible=named is not None,
                changes=_changes(r.record_type, r.changes, hidden),
            )
        )
    return events


def change_text(changes: Sequence[Change]) -> str:
    """The changes on one line (CSV)."""
    return "; ".join(f"{c.label}: {c.before or '—'} → {c.after or '—'}" for c in changes)
