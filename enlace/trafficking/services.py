"""Writes to trafficking and smuggling cases: each checks the actor, validates against the HTCDS
catalogue, writes the case with its rows, and audits in the same transaction.

Other parts of the app hear about saved cases through `on_case_saved` (the alerts to the
countries on the route register there), called after the transaction commits. A bulk write (an
HTCDS import) saves its cases inside `saving_in_bulk`: the per-case hooks are then not called;
the hooks registered with `on_cases_saved_in_bulk` are called once, after commit, with every
case saved (one alert per office concerned, one pass over the links).
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from typing import Any

import pycountry
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.audit.services import change_record
from enlace.core.errors import ValidationFailed
from enlace.core.models import Country
from enlace.core.references import create_with_reference
from enlace.core.text import fold
from enlace.core.validation import check_text, lock_for_edit, parse_date
from enlace.people.services import person_protection_refresh

from . import htcds, rules
from .identifiers import normalise
from .models import (
    REFERENCE_PREFIX,
    CaseKind,
    HistoricEvent,
    Identifier,
    Incident,
    Perpetrator,
    RouteStop,
    TraffickingCase,
    Transport,
    Victim,
)

# Hooks called after a case is saved and committed: hook(actor, case, created, changed_route).
CaseSavedHook = Callable[[Actor, TraffickingCase, bool, bool], None]
CASE_SAVED_HOOKS: list[CaseSavedHook] = []
# (case, created, changed_route) of each case saved in a bulk write.
SavedCase = tuple[TraffickingCase, bool, bool]
# Hooks called once after a bulk write has committed: hook(actor, saved cases).
CasesSavedHook = Callable[[Actor, list[SavedCase]], None]
CASES_SAVED_HOOKS: list[CasesSavedHook] = []
_bulk: ContextVar[list[SavedCase] | None] = ContextVar("trafficking_bulk", default=None)

MAX_ROWS = 200  # of each kind in one case (route stops, victims, perpetrators, …)

# The case's own fields an edit may change (besides its rows), with their text limits.
CASE_TEXT = {
    "summary": 5000,
    "closure_reason": 5000,
    "referring_organisation": 200,
    "referring_case_worker": 200,
    "incoming_referral_details": 5000,
    "referred_organisation": 200,
    "referred_case_worker": 200,
    "outgoing_referral_details": 5000,
}
CASE_DATES = ("incoming_referral_date", "outgoing_referral_date")
CASE_CHOICES = {
    "status": "cas_Status",
    "incoming_referral_reason": "cas_ReasonForIncomingReferral",
    "outgoing_referral_reason": "cas_ReasonForOutgoingReferral",
}
CASE_FIELDS = (*CASE_TEXT, *CASE_DATES, *CASE_CHOICES)
CLOSED = ("Closed", "ClosedReferred")


def on_case_saved(hook: CaseSavedHook) -> None:
    """Register `hook(actor, case, created, changed_route)`, called once the transaction that
    opened or changed a case has committed."""
    if hook not in CASE_SAVED_HOOKS:
        CASE_SAVED_HOOKS.append(hook)


def on_cases_saved_in_bulk(hook: CasesSavedHook) -> None:
    """Register `hook(actor, saved)`, called once after a bulk write (`saving_in_bulk`) has
    committed, with (case, created, changed_route) of every case it saved."""
    if hook not in CASES_SAVED_HOOKS:
        CASES_SAVED_HOOKS.append(hook)


@contextmanager
def saving_in_bulk(actor: Actor) -> Iterator[list[SavedCase]]:
    """Within this block (inside the bulk write's transaction) the cases saved are collected
    instead of calling the per-case hooks; when it ends without an error, the bulk hooks are
    called once, after the transaction commits (nothing is called if it rolls back)."""
    if _bulk.get() is not None:
        raise RuntimeError("saving_in_bulk does not nest")
    saved: list[SavedCase] = []
    token = _bulk.set(saved)
    try:
        yield saved
    finally:
        _bulk.reset(token)

    def run() -> None:
        for hook in list(CASES_SAVED_HOOKS):
            hook(actor, saved)

    if saved:
        transaction.on_commit(run)


def _saved(actor: Actor, case: TraffickingCase, *, created: bool, changed_route: bool) -> None:
    bulk = _bulk.get()
    if bulk is not None:
        bulk.append((case, created, changed_route))
        return

    def run() -> None:
        for hook in list(CASE_SAVED_HOOKS):
            hook(actor, case, created, changed_route)

    transaction.on_commit(run)


# Validation of the parts -------------------------------------------------------------------


def _prefixed(prefix: str, exc: ValidationFailed) -> ValidationFailed:
    return ValidationFailed({f"{prefix}{k}": v for k, v in exc.errors.items()})


def _rows(data: Any, name: str) -> list[dict[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, list | tuple) or not all(isinstance(r, dict) for r in data):
        raise ValidationFailed({name: [_("Give a list of rows.")]})
    if len(data) > MAX_ROWS:
        raise ValidationFailed({name: [_("At most %(n)d rows.") % {"n": MAX_ROWS}]})
    return [dict(r) for r in data]


def _country(value: Any, key: str, *, required: bool = False) -> Country | None:
    if isinstance(value, Country):
        return value
    if value in (None, ""):
        if required:
            raise ValidationFailed({key: [_("Choose a country.")]})
        return None
    country = Country.objects.filter(pk=str(value).upper()[:2]).first()
    if country is None or len(str(value)) != 2:
        raise ValidationFailed({key: [_("Enter a two-letter ISO 3166-1 country code.")]})
    return country


def _int(value: Any, key: str, *, minimum: int = 0, maximum: int = 100_000) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationFailed({key: [_("Enter a whole number.")]}) from exc
    if not minimum <= number <= maximum:
        raise ValidationFailed(
            {key: [_("Enter a number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum}]}
        )
    return number


def _decimal(value: Any, key: str, *, limit: Decimal) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed({key: [_("Enter a number.")]}) from exc
    if not number.is_finite() or abs(number) > limit:
        raise ValidationFailed({key: [_("This number is out of range.")]})
    return number


def _choice(value: Any, allowed: Iterable[str], key: str, *, required: bool = False) -> str:
    if value in (None, ""):
        if required:
            raise ValidationFailed({key: [_("This field is required.")]})
        return ""
    if value not in set(allowed):
        raise ValidationFailed({key: [_("Choose one of the listed values.")]})
    return str(value)


def _clean_route(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    clean = []
    for i, row in enumerate(rows):
        p = f"route.{i}."
        try:
            clean.append(
                {
                    "position": i + 1,
                    "country": _country(row.get("country"), "country", required=True),
                    "place": check_text("place", row.get("place"), limit=200),
                    "date": parse_date("date", row.get("date")),
                    "transport": _choice(row.get("transport"), Transport.values, "transport"),
                }
            )
        except ValidationFailed as exc:
            raise _prefixed(p, exc) from exc
    return clean


def _clean_victim(row: dict[str, Any], kind: str) -> dict[str, Any]:
    """The victim's fields given in `row`, checked; a field not given is left out (an update
    keeps its stored value, a new row takes the default)."""
    checks: dict[str, Any] = {
        "trafficking_status": lambda v: htcds.check_choice(
            "vic_TraffickingStatus", v, key="trafficking_status"
        ),
        "status_decided_by": lambda v: htcds.check_choice(
            "vic_TraffickingStatusDecisionMakingOrg", v, key="status_decided_by"
        ),
        "relationship_to_trafficker": lambda v: htcds.check_choice(
            "vic_RelationshipToTrafficker", v, key="relationship_to_trafficker"
        ),
        "forced_labour_industry": lambda v: htcds.check_choice(
            "vic_ForcedLabourIndustry", v, key="forced_labour_industry"
        ),
        "age_when_trafficked": lambda v: _int(v, "age_when_trafficked", maximum=120),
        "location_of_recruitment": lambda v: check_text("location_of_recruitment", v, limit=200),
        "location_of_exploitation": lambda v: check_text("location_of_exploitation", v, limit=200),
        "consent": lambda v: v if v in (True, False) else None,
    }
    for attribute, name in Victim.MULTI_FIELDS.items():
        checks[attribute] = lambda v, name=name, key=attribute: htcds.check_choices(
            name, v, key=key
        )
    clean: dict[str, Any] = {"person": row.get("person")}
    if "protection_case" in row:
        clean["protection_case"] = row["protection_case"]
    clean |= {key: check(row[key]) for key, check in checks.items() if key in row}
    fee = _decimal(row.get("fee_paid"), "fee_paid", limit=Decimal("9999999999"))
    currency = str(row.get("fee_currency") or "").upper()
    if fee is not None and fee < 0:
        raise ValidationFailed({"fee_paid": [_("A fee cannot be negative.")]})
    if currency and pycountry.currencies.get(alpha_3=currency) is None:
        raise ValidationFailed({"fee_currency": [_("Enter an ISO 4217 currency code.")]})
    if fee is not None and not currency:
        raise ValidationFailed({"fee_currency": [_("Say in which currency the fee was paid.")]})
    if kind != CaseKind.SMUGGLING and (fee is not None or currency):
        raise ValidationFailed({"fee_paid": [_("Fees are recorded for smuggled persons only.")]})
    if "fee_paid" in row or "fee_currency" in row:
        clean["fee_paid"] = fee
        clean["fee_currency"] = currency
    return clean


SEXES = ("F", "M", "X", "U")


def _clean_perpetrator(row: dict[str, Any]) -> dict[str, Any]:
    aliases = row.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a.strip() for a in aliases.split(",")]
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise ValidationFailed({"aliases": [_("Give a list of names.")]})
    aliases = [check_text("aliases", a, limit=200) for a in aliases if a.strip()][:20]
    given_names = check_text("given_names", row.get("given_names"), limit=200)
    surnames = check_text("surnames", row.get("surnames"), limit=200)
    clean = {
        "given_names": given_names,
        "surnames": surnames,
        "aliases": aliases,
        "sex": _choice(row.get("sex") or "U", SEXES, "sex"),
        "nationality": _country(row.get("nationality"), "nationality"),
        "role_in_process": htcds.check_choices(
            "per_RoleInProcess", row.get("role_in_process"), key="role_in_process"
        ),
        "role_details": check_text("role_details", row.get("role_details"), limit=5000),
        "organisation": check_text("organisation", row.get("organisation"), limit=200),
    }
    if not (given_names.strip() or surnames.strip() or aliases):
        raise ValidationFailed({"given_names": [_("Give a name or an alias.")]})
    return clean


def _clean_identifier(row: dict[str, Any], region: str, perpetrators: int) -> dict[str, Any]:
    kind = _choice(row.get("kind"), Identifier.Kind.values, "kind", required=True)
    value = check_text("value", row.get("value"), limit=200, required=True)
    index = row.get("perpetrator")
    if index not in (None, ""):
        index = _int(index, "perpetrator", maximum=max(perpetrators - 1, 0))
        if perpetrators == 0:
            raise ValidationFailed({"perpetrator": [_("There is no such perpetrator.")]})
    else:
        index = None
    return {
        "kind": kind,
        "value": value,
        "normalised": normalise(kind, value, region=region),
        "perpetrator": index,
    }


def _clean_event(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": htcds.check_choice("hte_Type", row.get("type"), key="type")
        or _choice(None, (), "type", required=True),
        "date": parse_date("date", row.get("date")),
        "country": _country(row.get("country"), "country"),
        "state": check_text("state", row.get("state"), limit=200),
        "city": check_text("city", row.get("city"), limit=200),
        "street": check_text("street", row.get("street"), limit=200),
        "postal_code": check_text("postal_code", row.get("postal_code"), limit=20),
        "latitude": _decimal(row.get("latitude"), "latitude", limit=Decimal(90)),
        "longitude": _decimal(row.get("longitude"), "longitude", limit=Decimal(180)),
        "description": check_text("description", row.get("description"), limit=5000),
    }


def _clean_incident(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": _choice(row.get("kind"), Incident.Kind.values, "kind", required=True),
        "date": parse_date("date", row.get("date")),
        "country": _country(row.get("country"), "country"),
        "place": check_text("place", row.get("place"), limit=200),
        "persons_affected": _int(row.get("persons_affected"), "persons_affected"),
        "deaths": _int(row.get("deaths"), "deaths") or 0,
        "description": check_text("description", row.get("description"), limit=5000),
    }


def _each(rows: list[dict[str, Any]], name: str, clean: Callable[..., Any], *args: Any) -> list:
    out = []
    for i, row in enumerate(rows):
        try:
            out.append(clean(row, *args))
        except ValidationFailed as exc:
            raise _prefixed(f"{name}.{i}.", exc) from exc
    return out


def _clean_case_fields(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    errors: dict[str, list[Any]] = {}
    for key, limit in CASE_TEXT.items():
        if key in data:
            try:
                clean[key] = check_text(key, data[key], limit=limit, required=key == "summary")
            except ValidationFailed as exc:
                errors.update(exc.errors)
    if creating and "summary" not in clean and "summary" not in errors:
        errors["summary"] = [_("This field is required.")]
    for key in CASE_DATES:
        if key in data:
            try:
                clean[key] = parse_date(key, data[key])
            except ValidationFailed as exc:
                errors.update(exc.errors)
    for key, name in CASE_CHOICES.items():
        if key in data:
            try:
                clean[key] = htcds.check_choice(name, data[key], key=key)
            except ValidationFailed as exc:
                errors.update(exc.errors)
    if clean.get("status") == "" and "status" in data:
        errors["status"] = [_("Choose one of the listed values.")]
    if errors:
        raise ValidationFailed(errors)
    return clean


# Resolving people and protection cases -----------------------------------------------------


def _resolve_victims(
    actor: Actor, rows: list[dict[str, Any]], keep: frozenset[Any] = frozenset()
) -> list[dict[str, Any]]:
    """Persons (and protection cases) the actor may see, or already victims in the case
    (`keep`): anything else is an error on the row, the same for a person out of reach as for
    one that does not exist."""
    import uuid

    from enlace.cases.selectors import case_list
    from enlace.people.models import Person
    from enlace.people.selectors import person_list

    people = person_list(actor=actor)
    cases = case_list(actor=actor)
    seen: set[Any] = set()
    for i, row in enumerate(rows):
        person = row["person"]
        person_id = getattr(person, "pk", person)
        found = people.filter(pk=person_id).first() if _is_uuid(person_id) else None
        if found is None and _is_uuid(person_id) and uuid.UUID(str(person_id)) in keep:
            found = Person.objects.select_related("owner_office").get(pk=person_id)
        if found is None:
            raise ValidationFailed({f"victims.{i}.person": [_("Choose a person you can see.")]})
        if found.pk in seen:
            raise ValidationFailed({f"victims.{i}.person": [_("This person is already listed.")]})
        seen.add(found.pk)
        row["person"] = found
        if "protection_case" not in row:
            continue  # not given: an update keeps the stored one
        case = row["protection_case"]
        if case not in (None, ""):
            case_id = getattr(case, "pk", case)
            linked = cases.filter(pk=case_id, person=found).first() if _is_uuid(case_id) else None
            if linked is None:
                raise ValidationFailed(
                    {
                        f"victims.{i}.protection_case": [
                            _("Choose a protection case of this person that you can see.")
                        ]
                    }
                )
            row["protection_case"] = linked
        else:
            row["protection_case"] = None
    return rows


def _is_uuid(value: Any) -> bool:
    import uuid

    if isinstance(value, uuid.UUID):
        return True
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# Writing -----------------------------------------------------------------------------------


def _free_text_search(case: TraffickingCase) -> str:
    """The case's searchable free text (the summary), matched only with the identities."""
    return fold(case.summary or "")[:20000]


def _search_text(case: TraffickingCase, rows: dict[str, Any] | None = None) -> str:
    """The case's searchable text without any name nor free text: reference, places. From
    `rows` (a new case's parts, as written) when given, else from the stored rows."""
    parts = [case.reference, case.referring_organisation, case.referred_organisation]
    if rows is not None:
        parts += [r.get("place", "") for r in rows.get("route") or ()]
        parts += [f"{r.get('city', '')} {r.get('state', '')}" for r in rows.get("events") or ()]
        parts += [r.get("place", "") for r in rows.get("incidents") or ()]
        parts += [
            r["value"] for r in rows.get("identifiers") or () if r["kind"] == Identifier.Kind.PLACE
        ]
    else:
        parts += [s.place for s in case.route.all()]
        parts += [f"{e.city} {e.state}" for e in case.events.all()]
        parts += [i.place for i in case.incidents.all()]
        parts += [i.value for i in case.identifiers.all() if i.kind == Identifier.Kind.PLACE]
    return fold(" ".join(p for p in parts if p))[:20000]


def _write_rows(
    case: TraffickingCase,
    *,
    actor: Actor,
    route: list[dict[str, Any]] | None,
    victims: list[dict[str, Any]] | None,
    perpetrators: list[dict[str, Any]] | None,
    identifiers: list[dict[str, Any]] | None,
    events: list[dict[str, Any]] | None,
    incidents: list[dict[str, Any]] | None,
    new: bool = False,
) -> set[Any]:
    """Replace the rows given (None: keep them); returns the persons whose protection may have
    changed. Victims are kept by person, so their events keep pointing at them. A `new` case
    has no rows yet: nothing to delete."""
    user = actor.user
    touched: set[Any] = set()
    if route is not None:
        if not new:
            case.route.all().delete()
        RouteStop.objects.bulk_create(RouteStop(case=case, **row) for row in route)
    if victims is not None:
        current = {} if new else {v.person_id: v for v in case.victims.select_related("person")}
        wanted = {row["person"].pk for row in victims}
        for person_id, victim in current.items():
            if person_id not in wanted:
                touched.add(victim.person)
                victim.delete()
        for row in victims:
            existing = current.get(row["person"].pk)
            if existing is None:
                Victim.objects.create(case=case, created_by=user, **row)
                touched.add(row["person"])
            else:
                for key, value in row.items():
                    setattr(existing, key, value)
                existing.save()
    made: list[Perpetrator] = []
    if perpetrators is not None:
        if not new:
            case.perpetrators.all().delete()
        made = Perpetrator.objects.bulk_create(
            Perpetrator(
                case=case,
                created_by=user,
                search_text=fold(" ".join([row["given_names"], row["surnames"], *row["aliases"]]))[
                    :1200
                ],
                **row,
            )
            for row in perpetrators
        )
    if identifiers is not None:
        if not new:
            case.identifiers.all().delete()
        if perpetrators is None:
            made = list(case.perpetrators.all())
        Identifier.objects.bulk_create(
            Identifier(
                case=case,
                created_by=user,
                kind=row["kind"],
                value=row["value"],
                normalised=row["normalised"],
                perpetrator=made[row["perpetrator"]]
                if row["perpetrator"] is not None and row["perpetrator"] < len(made)
                else None,
            )
            for row in identifiers
        )
    if events is not None:
        if not new:
            case.events.all().delete()
        HistoricEvent.objects.bulk_create(
            HistoricEvent(case=case, created_by=user, **row) for row in events
        )
    if incidents is not None:
        if not new:
            case.incidents.all().delete()
        Incident.objects.bulk_create(
            Incident(case=case, created_by=user, **row) for row in incidents
        )
    return touched


def _route_key(case: TraffickingCase) -> list[tuple[Any, ...]]:
    return list(case.route.order_by("position").values_list("country_id", "place", "date"))


def _clean_parts(
    actor: Actor,
    kind: str,
    region: str,
    parts: dict[str, Any],
    keep: frozenset[Any] = frozenset(),
) -> dict[str, list[dict[str, Any]] | None]:
    """Every part given, checked (None for a part not given: kept as it is). `keep`: the
    people already victims in the case, kept even if the actor no longer reaches them."""
    out: dict[str, list[dict[str, Any]] | None] = {}
    if parts.get("route") is not None:
        out["route"] = _clean_route(_rows(parts["route"], "route"))
    if parts.get("victims") is not None:
        rows = _each(_rows(parts["victims"], "victims"), "victims", _clean_victim, kind)
        out["victims"] = _resolve_victims(actor, rows, keep)
    if parts.get("perpetrators") is not None:
        out["perpetrators"] = _each(
            _rows(parts["perpetrators"], "perpetrators"), "perpetrators", _clean_perpetrator
        )
    if parts.get("identifiers") is not None:
        count = len(parts["perpetrators"] or []) if parts.get("perpetrators") is not None else None
        out["identifiers"] = _each(
            _rows(parts["identifiers"], "identifiers"),
            "identifiers",
            _clean_identifier,
            region,
            count if count is not None else MAX_ROWS,
        )
    if parts.get("events") is not None:
        out["events"] = _each(_rows(parts["events"], "events"), "events", _clean_event)
    if parts.get("incidents") is not None:
        out["incidents"] = _each(
            _rows(parts["incidents"], "incidents"), "incidents", _clean_incident
        )
    return out


def _audit(actor: Actor, case: TraffickingCase, action: str, changes: dict[str, Any]) -> None:
    change_record(
        actor=actor, obj=case, owner_office=case.owner_office, action=action, changes=changes
    )


_COUNTED = ("route", "victims", "perpetrators", "identifiers", "events", "incidents")


def _counts(case: TraffickingCase) -> dict[str, int]:
    return {
        "route": case.route.count(),
        "victims": case.victims.count(),
        "perpetrators": case.perpetrators.count(),
        "identifiers": case.identifiers.count(),
        "events": case.events.count(),
        "incidents": case.incidents.count(),
    }


def _refresh_protection(people: Iterable[Any]) -> None:
    """Keep each person's identity protection current, through people's own service."""
    for person in people:
        person_protection_refresh(person)


@transaction.atomic
def case_create(
    *,
    actor: Actor,
    kind: str,
    summary: str,
    route: list[dict[str, Any]] | None = None,
    victims: list[dict[str, Any]] | None = None,
    perpetrators: list[dict[str, Any]] | None = None,
    identifiers: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    incidents: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> TraffickingCase:
    """Open a trafficking or smuggling case owned by the focal point's office."""
    office = actor.office
    if office is None or not rules.can_create(actor):
        raise Http404
    if kind not in CaseKind.values:
        raise ValidationFailed({"kind": [_("Choose trafficking or smuggling.")]})
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationFailed({k: [_("Unknown field.")] for k in sorted(unknown)})
    clean = _clean_case_fields({"summary": summary, **fields}, creating=True)
    if kind != CaseKind.SMUGGLING and incidents:
        raise ValidationFailed({"incidents": [_("Incidents are recorded for smuggling cases.")]})
    parts = _clean_parts(
        actor,
        kind,
        office.country_id,
        {
            "route": route or [],
            "victims": victims or [],
            "perpetrators": perpetrators or [],
            "identifiers": identifiers or [],
            "events": events or [],
            "incidents": incidents or [],
        },
    )
    if clean.get("status") in CLOSED:
        clean["closed_at"] = timezone.now()
    case = create_with_reference(
        TraffickingCase,
        f"{REFERENCE_PREFIX[CaseKind(kind)]}-{office.country_id}-",
        kind=kind,
        owner_office=office,
        created_by=actor.user,
        **clean,
    )
    touched = _write_rows(case, actor=actor, new=True, **parts)  # type: ignore[arg-type]
    case.search_text = _search_text(case, parts)
    case.free_text_search = _free_text_search(case)
    case.save(update_fields=["search_text", "free_text_search"])
    _refresh_protection(touched)
    # A new case's rows are the parts just written: counted without reading them back.
    counts = {k: str(len(parts.get(k) or ())) for k in _COUNTED}
    _audit(
        actor,
        case,
        "trafficking_case_create",
        {"kind": ["", kind], **{k: ["", n] for k, n in counts.items()}},
    )
    _saved(actor, case, created=True, changed_route=bool(parts.get("route")))
    return case


def _count_changes(case: TraffickingCase, before: dict[str, int] | None = None) -> dict[str, Any]:
    """Row counts in the change history (never a name: the history is read more widely)."""
    after = _counts(case)
    before = before or {}
    return {k: [str(before.get(k, "")), str(v)] for k, v in after.items() if before.get(k) != v}


@transaction.atomic
def case_update(
    *,
    actor: Actor,
    case: TraffickingCase,
    version: Any,
    data: dict[str, Any] | None = None,
    route: list[dict[str, Any]] | None = None,
    victims: list[dict[str, Any]] | None = None,
    perpetrators: list[dict[str, Any]] | None = None,
    identifiers: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    incidents: list[dict[str, Any]] | None = None,
) -> TraffickingCase:
    """Change the case's fields and replace the rows given (None keeps a part as it is); a
    `version` that is not the stored one means someone else saved first (StaleEdit, 409)."""
    if not rules.can_edit(actor, case):
        raise Http404
    data = dict(data or {})
    unknown = set(data) - set(CASE_FIELDS)
    if unknown:
        raise ValidationFailed({k: [_("Unknown field.")] for k in sorted(unknown)})
    locked = lock_for_edit(TraffickingCase.objects.select_related("owner_office"), case.pk, version)
    clean = _clean_case_fields(data, creating=False)
    if locked.kind != CaseKind.SMUGGLING and incidents:
        raise ValidationFailed({"incidents": [_("Incidents are recorded for smuggling cases.")]})
    parts = _clean_parts(
        actor,
        locked.kind,
        locked.owner_office.country_id,
        {
            "route": route,
            "victims": victims,
            "perpetrators": perpetrators,
            "identifiers": identifiers,
            "events": events,
            "incidents": incidents,
        },
        keep=frozenset(locked.victims.values_list("person_id", flat=True)),
    )
    before_fields = {k: getattr(locked, k) for k in clean}
    before_counts = _counts(locked)
    before_route = _route_key(locked)
    for key, value in clean.items():
        setattr(locked, key, value)
    if clean.get("status") in CLOSED and locked.closed_at is None:
        locked.closed_at = timezone.now()
    elif "status" in clean and clean["status"] not in CLOSED:
        locked.closed_at = None
    touched = _write_rows(
        locked,
        actor=actor,
        route=parts.get("route"),
        victims=parts.get("victims"),
        perpetrators=parts.get("perpetrators"),
        identifiers=parts.get("identifiers"),
        events=parts.get("events"),
        incidents=parts.get("incidents"),
    )
    locked.search_text = _search_text(locked)
    locked.free_text_search = _free_text_search(locked)
    locked.version += 1
    locked.save()
    _refresh_protection(touched)
    changes: dict[str, Any] = {
        k: [str(before_fields[k] or ""), str(v or "")]
        for k, v in clean.items()
        if before_fields[k] != v
    }
    changes |= _count_changes(locked, before_counts)
    changed_route = _route_key(locked) != before_route
    if changed_route:
        changes["route"] = changes.get("route") or ["", _("changed")]
    _audit(
        actor,
        locked,
        "trafficking_case_update",
        {k: [str(a), str(b)] for k, (a, b) in changes.items()},
    )
    _saved(actor, locked, created=False, changed_route=changed_route)
    return locked


def victim_is_listed(person: Any) -> bool:
    """Whether the person is a victim (or smuggled person) in some case: registered with
    people's services (on_protection_check), so their identity stays protected."""
    return Victim.objects.filter(person=person).exists()
