"""Trafficking cases to and from the HTCDS Excel template (htcds-spreadsheet-2.0.xlsx).

The workbook keeps the template's layout: its sheet "Sheet1" with the template's header cells
(row 1, hidden: the HTCDS field names; row 2: the template's labels; column A: the row number),
one row per victim with the case's fields repeated. Fields of the standard that the template
leaves out, and Enlace's own (the case's reference, kind and summary, the victim's person id,
smuggling fees), follow in columns after the template's. The other field groups have a sheet
of their own, each row naming its case by the reference column: Perpetrators (per_),
HistoricEvents (hte_), Route, Identifiers and Incidents (Enlace's). A sheet "Licence" and the
document's properties carry the IOM CC BY 4.0 attribution.

Picklist cells hold the standard's value names, multiselect ones joined by ";"; countries are
ISO 3166-1 alpha-2 codes. Identities (names, dates of birth, contacts, person ids, aliases,
identifying values, exact addresses) and free text (summary, closure reason, referral details,
descriptions: rules.FREE_TEXT_FIELDS) are written only for the cases whose identities the user
may see (rules.identity_scope); other cases are written as the case page shows them
de-identified (present.py). No text cell starts with a live formula (core.text).

Import (`import_htcds`): every row is checked with bulk lookups (the cases by reference or
import key, the people by id, the countries: a fixed number of queries whatever the rows), and
the report gives per row and field what is wrong, in the user's language. Each case is then
created or, if it changed, updated through the services (audited, identities protected), all
in one transaction; a case that did not change is not written, so importing the same file
again changes nothing. With any invalid row nothing is written unless `accept_valid_rows`.
Once the import has committed, each office with trafficking focal points in a country on the
imported cases' routes gets ONE inbox item for the whole file (how many cases touch its
country, no identity; the alerts page lists each case to acknowledge), and the links of the
imported cases are brought up to date in one pass (services.saving_in_bulk).
"""

import datetime as dt
import hashlib
import io
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook, load_workbook

from enlace.access.reads import Purpose, read_one
from enlace.accounts.actor import Actor, actor_in_office
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.jobs import job_enqueue, job_files_expire, job_function, job_get, job_progress
from enlace.core.models import Country, Job
from enlace.core.text import (
    fold,
    spreadsheet_safe,
    spreadsheet_unsafe,
    xlsx_escape,
    xlsx_unescape,
)

from . import htcds, rules, selectors, services
from .identifiers import normalise
from .models import CaseKind, Identifier, Incident, TraffickingCase, Transport

MAIN_SHEET = "Sheet1"
PERPETRATORS = "Perpetrators"
EVENTS = "HistoricEvents"
ROUTE = "Route"
IDENTIFIERS = "Identifiers"
INCIDENTS = "Incidents"
LICENCE = "Licence"
FIRST_DATA_ROW = 3  # row 1: field names, row 2: labels (as the template)
MAX_ROWS = 20_000  # cases (rows of the first sheet) per file
# Rows of the other sheets (perpetrators, events, route stops, identifiers, incidents): several
# per case, so a file at the case limit with a route of a few stops each still fits.
MAX_DETAIL_ROWS = 10 * MAX_ROWS
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_KIND = "trafficking_htcds_export"
EXPORT_FOLDER = "exports"
KEY = "enl_CaseReference"

# The template's header cells, columns B to AM, exactly as in htcds-spreadsheet-2.0.xlsx
# (UNMigration/HTCDS, Toolkit/Excel, commit 3c2f6537; IOM, CC BY 4.0): (row 1, row 2). The
# template leaves AJ1 empty (its label says cas_ReasonForOutgoingReferral), misspells
# vic_TraffickinStatusDecisionMakingOrg, and labels N2:R2 in another order than N1:R1; row 1
# is what a reader goes by (test_htcds_io checks these against the template when present).
TEMPLATE_HEADER: tuple[tuple[str, str], ...] = (
    ("cas_CaseOwner", "Case Owner"),
    ("prs_Salutation", "Salutation"),
    ("prs_FirstName", "First Name"),
    ("prs_SecondName", "Second Name"),
    ("con_Consent", "Consent"),
    ("prs_Birthdate", "Birthdate"),
    ("prs_Gender", "Gender"),
    ("prs_Citizenship", "Citizenship"),
    ("prs_Title", "Title"),
    ("prs_Email", "Email"),
    ("prs_HomePhone", "Home Phone"),
    ("prs_MobilePhone", "Mobile Phone"),
    ("prs_MailingCity", "Mailing Street"),
    ("prs_MailingCountry", "Mailing City"),
    ("prs_MailingState", "Mailing State/Province"),
    ("prs_MailingStreet", "Mailing Zip/Postal Code"),
    ("prs_MailingPostalCode", "Mailing Country"),
    ("vic_TraffickingStatus", "Trafficking Status"),
    ("vic_TraffickinStatusDecisionMakingOrg", "Trafficking Status Decision Making Organization"),
    ("vic_MethodOfRecruitment", "Method of Recruitment"),
    ("vic_LocationOfRecruitment", "Location of Recruitment"),
    ("vic_MethodsOfControl", "Methods of Control"),
    ("vic_TypeOfExploitation", "Type of Exploitation"),
    ("vic_ForcedLabourIndustry", "Forced Labour Industry"),
    ("vic_TypeOfSexExploitation", "Type of Sex Exploitation"),
    ("vic_LocationOfExploitation", "Location of Exploitation"),
    ("cas_Status", "Status"),
    ("cas_ReferringOrganisation", "Referring Organisation"),
    ("cas_IncomingReferralDate", "Incoming Referral Date"),
    ("cas_ReferringPrimaryCaseWorker", "Referring Primary Case Worker"),
    ("cas_ReasonForIncomingReferral", "Reason for Incoming Referral"),
    ("cas_IncomingReferralDetails", "Incoming Referral Details"),
    ("cas_ReferredOrganisation", "Referred Organisation"),
    ("cas_ReferredPrimaryCaseWorker", "Referred Primary Case Worker"),
    ("", "Reason for Outgoing Referral"),
    ("cas_OutgoingReferralDate", "Outgoing Referral Date"),
    ("cas_OutgoingReferralDetails", "Outgoing Referral Details"),
    ("cas_ReasonForCaseClosure", "Reason for Case Closure"),
)
# A header cell the template leaves empty, read by its label.
LABEL_FALLBACK = {"Reason for Outgoing Referral": "cas_ReasonForOutgoingReferral"}


@dataclass(frozen=True)
class Column:
    """One column: its name (row 1), how its cells read, and what it fills."""

    name: str
    kind: str  # text, date, choice, multi, country, countries, bool, int, decimal, gender, id
    attribute: str  # in the part's row (service input), or "" when the column is not kept
    limit: int = 200
    picklist: str = ""  # the HTCDS field whose value names a choice/multi column takes
    identity: bool = False  # written only with the identities
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        spec = htcds.BY_NAME.get(self.name) or htcds.BY_SPREADSHEET_NAME.get(self.name)
        if spec is not None:
            return str(spec.label)
        return str(ENLACE_LABELS.get(self.name, self.name))


ENLACE_LABELS: dict[str, Any] = {
    KEY: _lazy("Case reference"),
    "enl_CaseKind": _lazy("Case kind"),
    "enl_Summary": _lazy("Summary"),
    "enl_PersonId": _lazy("Person id"),
    "enl_FeePaid": _lazy("Fee paid"),
    "enl_FeeCurrency": _lazy("Currency of the fee"),
    "enl_Number": _lazy("Number"),
    "enl_Aliases": _lazy("Aliases"),
    "enl_Position": _lazy("Position"),
    "enl_Country": _lazy("Country"),
    "enl_Place": _lazy("Place"),
    "enl_Date": _lazy("Date"),
    "enl_Transport": _lazy("Means of transport"),
    "enl_Kind": _lazy("Kind"),
    "enl_Value": _lazy("Value"),
    "enl_Perpetrator": _lazy("Perpetrator"),
    "enl_PersonsAffected": _lazy("Persons affected"),
    "enl_Deaths": _lazy("Deaths"),
    "enl_Description": _lazy("Description"),
    "per_FirstName": _lazy("Given names"),
    "per_SecondName": _lazy("Surnames"),
    "per_Gender": _lazy("Gender"),
    "per_Citizenship": _lazy("Nationality"),
}

C = Column
# Sheet1: the case ("case."), the victim ("victim."), the person ("person."): attribute prefix.
MAIN_COLUMNS: tuple[Column, ...] = (
    C("cas_CaseOwner", "text", ""),
    C("prs_Salutation", "text", ""),
    C("prs_FirstName", "text", "person.given_names", identity=True),
    C("prs_SecondName", "text", "person.first_surname", identity=True),
    C("con_Consent", "bool", "victim.consent"),
    C("prs_Birthdate", "date", "person.birth_date", identity=True),
    C("prs_Gender", "gender", "person.sex"),
    C("prs_Citizenship", "countries", "person.nationalities", identity=True),
    C("prs_Title", "text", ""),
    C("prs_Email", "text", "person.email", identity=True),
    C("prs_HomePhone", "text", ""),
    C("prs_MobilePhone", "text", "person.phone", identity=True),
    C("prs_MailingCity", "text", ""),
    C("prs_MailingCountry", "text", ""),
    C("prs_MailingState", "text", ""),
    C("prs_MailingStreet", "text", "person.address", identity=True, limit=300),
    C("prs_MailingPostalCode", "text", ""),
    C(
        "vic_TraffickingStatus",
        "choice",
        "victim.trafficking_status",
        picklist="vic_TraffickingStatus",
    ),
    C(
        "vic_TraffickinStatusDecisionMakingOrg",
        "choice",
        "victim.status_decided_by",
        picklist="vic_TraffickingStatusDecisionMakingOrg",
    ),
    C(
        "vic_MethodOfRecruitment",
        "multi",
        "victim.method_of_recruitment",
        picklist="vic_MethodOfRecruitment",
    ),
    C("vic_LocationOfRecruitment", "text", "victim.location_of_recruitment"),
    C(
        "vic_MethodsOfControl",
        "multi",
        "victim.methods_of_control",
        picklist="vic_MethodsOfControl",
    ),
    C(
        "vic_TypeOfExploitation",
        "multi",
        "victim.type_of_exploitation",
        picklist="vic_TypeOfExploitation",
    ),
    C(
        "vic_ForcedLabourIndustry",
        "choice",
        "victim.forced_labour_industry",
        picklist="vic_ForcedLabourIndustry",
    ),
    C(
        "vic_TypeOfSexExploitation",
        "multi",
        "victim.type_of_sex_exploitation",
        picklist="vic_TypeOfSexExploitation",
    ),
    C("vic_LocationOfExploitation", "text", "victim.location_of_exploitation"),
    C("cas_Status", "choice", "case.status", picklist="cas_Status"),
    C("cas_ReferringOrganisation", "text", "case.referring_organisation"),
    C("cas_IncomingReferralDate", "date", "case.incoming_referral_date"),
    C("cas_ReferringPrimaryCaseWorker", "text", "case.referring_case_worker"),
    C(
        "cas_ReasonForIncomingReferral",
        "choice",
        "case.incoming_referral_reason",
        picklist="cas_ReasonForIncomingReferral",
    ),
    C("cas_IncomingReferralDetails", "text", "case.incoming_referral_details", limit=5000),
    C("cas_ReferredOrganisation", "text", "case.referred_organisation"),
    C("cas_ReferredPrimaryCaseWorker", "text", "case.referred_case_worker"),
    C(
        "cas_ReasonForOutgoingReferral",
        "choice",
        "case.outgoing_referral_reason",
        picklist="cas_ReasonForOutgoingReferral",
    ),
    C("cas_OutgoingReferralDate", "date", "case.outgoing_referral_date"),
    C("cas_OutgoingReferralDetails", "text", "case.outgoing_referral_details", limit=5000),
    C("cas_ReasonForCaseClosure", "text", "case.closure_reason", limit=5000),
    # After the template's columns: the standard's fields it leaves out, then Enlace's.
    C(
        "vic_RelationshipToTrafficker",
        "choice",
        "victim.relationship_to_trafficker",
        picklist="vic_RelationshipToTrafficker",
    ),
    C("vic_AgeWhenTrafficked", "int", "victim.age_when_trafficked"),
    C(
        "vic_RecruitmentWebsitesAndApps",
        "multi",
        "victim.recruitment_websites_and_apps",
        picklist="vic_RecruitmentWebsitesAndApps",
    ),
    C(
        "vic_ExploitationWebsitesAndApps",
        "multi",
        "victim.exploitation_websites_and_apps",
        picklist="vic_ExploitationWebsitesAndApps",
    ),
    C(KEY, "text", "case.key", limit=100),
    C("enl_CaseKind", "choice", "case.kind", choices=tuple(CaseKind.values)),
    C("enl_Summary", "text", "case.summary", limit=5000),
    C("enl_PersonId", "id", "person.id", identity=True),
    C("enl_FeePaid", "decimal", "victim.fee_paid"),
    C("enl_FeeCurrency", "text", "victim.fee_currency", limit=3),
)
# The victim context shown only with the identities (as present.victim_fields).
VICTIM_DEIDENTIFIED = frozenset({"prs_Gender"})

SHEETS: dict[str, tuple[Column, ...]] = {
    PERPETRATORS: (
        C(KEY, "text", "key", limit=100, required=True),
        C("enl_Number", "int", "number"),
        C("per_FirstName", "text", "given_names", identity=True),
        C("per_SecondName", "text", "surnames", identity=True),
        C("enl_Aliases", "list", "aliases", identity=True),
        C("per_Gender", "gender", "sex", identity=True),
        C("per_Citizenship", "country", "nationality", identity=True),
        C("per_RoleInProcess", "multi", "role_in_process", picklist="per_RoleInProcess"),
        C("per_RoleDetails", "text", "role_details", limit=5000, identity=True),
        C("per_Organisation", "text", "organisation", identity=True),
    ),
    EVENTS: (
        C(KEY, "text", "key", limit=100, required=True),
        C("hte_Type", "choice", "type", picklist="hte_Type", required=True),
        C("hte_Date", "date", "date"),
        C("hte_Country", "country", "country"),
        C("hte_State", "text", "state"),
        C("hte_City", "text", "city"),
        C("hte_Street", "text", "street", identity=True),
        C("hte_PostalCode", "text", "postal_code", limit=20, identity=True),
        C("hte_Latitude", "decimal", "latitude", identity=True),
        C("hte_Longitude", "decimal", "longitude", identity=True),
        C("hte_Description", "text", "description", limit=5000),
    ),
    ROUTE: (
        C(KEY, "text", "key", limit=100, required=True),
        C("enl_Position", "int", "position"),
        C("enl_Country", "country", "country", required=True),
        C("enl_Place", "text", "place"),
        C("enl_Date", "date", "date"),
        C("enl_Transport", "choice", "transport", choices=tuple(Transport.values)),
    ),
    IDENTIFIERS: (
        C(KEY, "text", "key", limit=100, required=True),
        C("enl_Kind", "choice", "kind", choices=tuple(Identifier.Kind.values), required=True),
        C("enl_Value", "text", "value", required=True),
        C("enl_Perpetrator", "int", "perpetrator"),
    ),
    INCIDENTS: (
        C(KEY, "text", "key", limit=100, required=True),
        C("enl_Kind", "choice", "kind", choices=tuple(Incident.Kind.values), required=True),
        C("enl_Date", "date", "date"),
        C("enl_Country", "country", "country"),
        C("enl_Place", "text", "place"),
        C("enl_PersonsAffected", "int", "persons_affected"),
        C("enl_Deaths", "int", "deaths"),
        C("enl_Description", "text", "description", limit=5000),
    ),
}
del C

# Sheet → the case's part it fills (the services' argument).
PART_OF = {
    PERPETRATORS: "perpetrators",
    EVENTS: "events",
    ROUTE: "route",
    IDENTIFIERS: "identifiers",
    INCIDENTS: "incidents",
}
CASE_TEXT_FIELDS = tuple(services.CASE_FIELDS)
CASE_FIELDS_KEPT = tuple(f for f in CASE_TEXT_FIELDS if f != "summary")  # summary: apart
_SPLIT = re.compile(r"\s*[;,]\s*")


def _columns_by_name(columns: Iterable[Column]) -> dict[str, Column]:
    out = {}
    for column in columns:
        out[column.name] = column
    # The template's misspelt header and the catalogue's spelling both read.
    if "vic_TraffickinStatusDecisionMakingOrg" in out:
        out["vic_TraffickingStatusDecisionMakingOrg"] = out["vic_TraffickinStatusDecisionMakingOrg"]
    return out


MAIN_BY_NAME = _columns_by_name(MAIN_COLUMNS)


# ================================================================ export


def _cell(value: Any) -> Any:
    """A value as a cell: text never a live formula, lists joined with ';'."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    if isinstance(value, Decimal):
        return float(value)  # a number cell (6 decimals at most here: exact enough)
    if isinstance(value, str):
        if value == "":
            return None
        return spreadsheet_safe(xlsx_escape(value))
    return value


def export_cases(actor: Actor) -> QuerySet[TraffickingCase]:
    """The cases the actor may export: those they may see."""
    return selectors.case_list(actor=actor)


def _prefetched(cases: QuerySet[TraffickingCase]) -> list[TraffickingCase]:
    return list(
        cases.select_related("owner_office").prefetch_related(
            "route__country",
            "victims__person__nationalities",
            "perpetrators__nationality",
            "identifiers__perpetrator",
            "events__country",
            "incidents__country",
        )
    )


def _main_values(case: TraffickingCase, victim: Any, identities: bool) -> dict[str, Any]:
    values: dict[str, Any] = {
        "cas_CaseOwner": case.owner_office.name,
        KEY: case.reference,
        "enl_CaseKind": case.kind,
        "enl_Summary": case.summary if identities else None,
    }
    for key in CASE_TEXT_FIELDS:
        if key in rules.FREE_TEXT_FIELDS and not identities:
            continue  # free text only with the identities (rules.sees_free_text)
        column = next((c for c in MAIN_COLUMNS if c.attribute == f"case.{key}"), None)
        if column is not None:
            values[column.name] = getattr(case, key)
    if victim is None:
        return values
    person = victim.person
    values["prs_Gender"] = htcds.SEX_TO_GENDER.get(person.sex, "NonSpecifiedUnknown")
    if not identities:
        return values
    values |= {
        "prs_FirstName": person.given_names,
        "prs_SecondName": person.first_surname,
        "prs_Birthdate": person.birth_date,
        "prs_Citizenship": sorted(c.pk for c in person.nationalities.all()),
        "prs_Email": person.email,
        "prs_MobilePhone": person.phone,
        "prs_MailingStreet": person.address,
        "enl_PersonId": str(person.pk),
        "con_Consent": victim.consent,
        "enl_FeePaid": victim.fee_paid,
        "enl_FeeCurrency": victim.fee_currency,
    }
    for column in MAIN_COLUMNS:
        if column.attribute.startswith("victim.") and column.name not in values:
            values[column.name] = getattr(victim, column.attribute.split(".", 1)[1])
    return values


def _part_rows(case: TraffickingCase, identities: bool) -> dict[str, list[dict[str, Any]]]:
    perpetrators = list(case.perpetrators.all())
    number: dict[Any, int] = {p.pk: i for i, p in enumerate(perpetrators, 1)}
    out: dict[str, list[dict[str, Any]]] = {}
    out[PERPETRATORS] = [
        {
            "enl_Number": i,
            "per_RoleInProcess": p.role_in_process,
            **(
                {
                    "per_FirstName": p.given_names,
                    "per_SecondName": p.surnames,
                    "enl_Aliases": p.aliases,
                    "per_Gender": htcds.SEX_TO_GENDER.get(p.sex),
                    "per_Citizenship": p.nationality_id,
                    "per_RoleDetails": p.role_details,
                    "per_Organisation": p.organisation,
                }
                if identities
                else {}
            ),
        }
        for i, p in enumerate(perpetrators, 1)
    ]
    out[EVENTS] = [
        {
            "hte_Type": e.type,
            "hte_Date": e.date,
            "hte_Country": e.country_id,
            "hte_State": e.state,
            "hte_City": e.city,
            "hte_Description": e.description if identities else None,
            **(
                {
                    "hte_Street": e.street,
                    "hte_PostalCode": e.postal_code,
                    "hte_Latitude": e.latitude,
                    "hte_Longitude": e.longitude,
                }
                if identities
                else {}
            ),
        }
        for e in case.events.all()
    ]
    out[ROUTE] = [
        {
            "enl_Position": s.position,
            "enl_Country": s.country_id,
            "enl_Place": s.place,
            "enl_Date": s.date,
            "enl_Transport": s.transport,
        }
        for s in sorted(case.route.all(), key=lambda s: s.position)
    ]
    out[IDENTIFIERS] = [
        {
            "enl_Kind": x.kind,
            # Every value, places included, only with the identities: as the case's page, its
            # API and the network view show them (a place can name a victim's home or work).
            "enl_Value": x.value if identities else None,
            "enl_Perpetrator": number.get(x.perpetrator_id),
        }
        for x in case.identifiers.all()
    ]
    out[INCIDENTS] = [
        {
            "enl_Kind": x.kind,
            "enl_Date": x.date,
            "enl_Country": x.country_id,
            "enl_Place": x.place,
            "enl_PersonsAffected": x.persons_affected,
            "enl_Deaths": x.deaths,
            "enl_Description": x.description if identities else None,
        }
        for x in case.incidents.all()
    ]
    return out


def _header(sheet: Any, columns: Iterable[Column], first_column: int = 1) -> None:
    for i, column in enumerate(columns, start=first_column):
        sheet.cell(row=1, column=i, value=column.name)
        sheet.cell(row=2, column=i, value=column.label)


def _workbook() -> tuple[Workbook, Any]:
    """A workbook with the template's layout: Sheet1 with its header cells."""
    book = Workbook()
    main = book.active
    assert main is not None  # noqa: S101 - a new workbook has one sheet
    main.title = MAIN_SHEET
    for i, (name, label) in enumerate(TEMPLATE_HEADER, start=2):
        if name:
            main.cell(row=1, column=i, value=name)
        main.cell(row=2, column=i, value=label)
    extra = MAIN_COLUMNS[len(TEMPLATE_HEADER) :]
    _header(main, extra, first_column=len(TEMPLATE_HEADER) + 2)
    main.row_dimensions[1].hidden = True
    main.freeze_panes = "B3"
    props = book.properties
    props.title = "HTCDS 2.0"
    props.creator = "Enlace"
    props.description = htcds.ATTRIBUTION
    props.keywords = "HTCDS; CC BY 4.0"
    return book, main


def _licence_sheet(book: Workbook) -> None:
    sheet = book.create_sheet(LICENCE)
    sheet["A1"] = htcds.ATTRIBUTION
    sheet["A2"] = (
        "Human Trafficking Case Data Standard by the International Organization for Migration "
        "(IOM), licensed under CC BY 4.0: https://creativecommons.org/licenses/by/4.0/ — "
        "https://github.com/UNMigration/HTCDS"
    )
    sheet["A3"] = _(
        "Field and value names as in the standard; the sheets after Sheet1 and the columns "
        "named enl_ are Enlace's additions."
    )


def _layout() -> tuple[Workbook, Any, dict[str, Any]]:
    book, main = _workbook()
    sheets = {}
    for title, columns in SHEETS.items():
        sheet = book.create_sheet(title)
        _header(sheet, columns)
        sheets[title] = sheet
    _licence_sheet(book)
    return book, main, sheets


def _workbook_bytes() -> bytes:
    """An empty workbook in the layout (the template to fill in)."""
    book, _main, _sheets = _layout()
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(actor: Actor, cases: QuerySet[TraffickingCase], out: IO[bytes]) -> int:
    """Write the cases (already scoped to the actor) to `out`; returns the cases written.
    Every case is logged as read for export, and every identity written as read."""
    if hasattr(cases, "with_branches"):
        cases = cases.with_branches(None)
    identity_ids = set(cases.filter(rules.identity_scope(actor)).values_list("pk", flat=True))
    book, main, sheets = _layout()
    main_columns = {c.name: i for i, c in enumerate(MAIN_COLUMNS, start=2)}
    main_row = FIRST_DATA_ROW
    written = 0
    chunk = max(int(settings.ENLACE_EXPORT_CHUNK_SIZE), 1)
    ids = list(cases.order_by("created", "pk").values_list("pk", flat=True))
    for start in range(0, len(ids), chunk):
        batch = _prefetched(TraffickingCase.objects.filter(pk__in=ids[start : start + chunk]))
        batch.sort(key=lambda c: (c.created, c.pk))
        selectors.cases_shown(actor=actor, cases=batch, purpose=Purpose.EXPORT)
        named = [c for c in batch if c.pk in identity_ids]
        selectors.identities_shown(
            actor=actor,
            victims=[v for c in named for v in c.victims.all()],
            perpetrators=[p for c in named for p in c.perpetrators.all()],
        )
        for case in batch:
            identities = case.pk in identity_ids
            victims: list[Any] = list(case.victims.all()) or [None]
            for victim in victims:
                values = _main_values(case, victim, identities)
                main.cell(row=main_row, column=1, value=main_row - FIRST_DATA_ROW + 1)
                for name, value in values.items():
                    main.cell(row=main_row, column=main_columns[name], value=_cell(value))
                main_row += 1
            for title, rows in _part_rows(case, identities).items():
                sheet = sheets[title]
                positions = {c.name: i for i, c in enumerate(SHEETS[title], start=1)}
                for values in rows:
                    line = [None] * len(positions)
                    line[0] = _cell(case.reference)
                    for name, value in values.items():
                        line[positions[name] - 1] = _cell(value)
                    sheet.append(line)
            written += 1
    book.save(out)
    return written


def export_bytes(actor: Actor, cases: QuerySet[TraffickingCase] | None = None) -> bytes:
    """The workbook as bytes (small exports, tests)."""
    buffer = io.BytesIO()
    write_workbook(actor, export_cases(actor) if cases is None else cases, buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- the export job


def export_start(actor: Actor, params: Any) -> Job:
    """Validate the list's filters (a bad one raises ValidationFailed: 400) and queue the
    export of the cases they select."""
    if not rules.may_see_some(actor):
        raise Http404
    actor.require_office()
    kept = _filter_params(actor, params)
    return job_enqueue(actor=actor, kind=EXPORT_KIND, params=kept, language=get_language() or "")


def _filter_params(actor: Actor, params: Any) -> dict[str, list[str]]:
    from .filters import TraffickingCaseFilter

    out: dict[str, list[str]] = {}
    for name in TraffickingCaseFilter.base_filters:
        if name in params:
            values = params.getlist(name) if hasattr(params, "getlist") else [params[name]]
            out[name] = [str(v) for v in values if str(v)]
    _filtered(actor, out)
    return out


def _filtered(actor: Actor, params: dict[str, list[str]]) -> QuerySet[TraffickingCase]:
    from django.http import QueryDict

    from enlace.core.filters import filtered

    from .filters import TraffickingCaseFilter

    data = QueryDict(mutable=True)
    for name, values in params.items():
        data.setlist(name, values)
    return filtered(
        TraffickingCaseFilter, data, selectors.case_list(actor=actor), actor=actor, allow_empty=True
    )


@job_function(
    EXPORT_KIND,
    label=_lazy("HTCDS export"),
    results={"rows": _lazy("Cases"), "format": _lazy("File format"), "xlsx": "XLSX"},
)
def htcds_export(job: Job, params: dict[str, list[str]], language: str = "") -> dict[str, Any]:
    """Write the HTCDS workbook of the job's user, as they stand now."""
    import tempfile

    with override(language or settings.LANGUAGE_CODE):
        job_files_expire(kinds=[EXPORT_KIND], ttl_hours=settings.ENLACE_EXPORT_TTL_HOURS)
        actor = actor_in_office(job.created_by, job.office_id)
        if actor is None or not rules.may_see_some(actor):
            raise PermissionError(
                _("You are no longer a member of the office this export was for.")
            )
        cases = _filtered(actor, params).with_branches(None)  # type: ignore[attr-defined]
        job_progress(job, 0, 1)
        with tempfile.TemporaryFile() as out:
            written = write_workbook(actor, cases, out)
            out.seek(0)
            name = default_storage.save(f"{EXPORT_FOLDER}/{job.pk}.xlsx", File(out))
        job_progress(job, written, max(written, 1))
    return {
        "rows": written,
        "format": "xlsx",
        "file": name,
        "download": reverse("trafficking:htcds_export_download", args=[job.pk]),
    }


def export_job_get(*, actor: Actor, job_id: uuid.UUID | str) -> Job:
    """An HTCDS export the actor started (404 for anyone else's, another kind, a bad id)."""
    try:
        job = job_get(actor=actor, job_id=job_id)
    except ValidationError as exc:
        raise Http404 from exc
    if job.kind != EXPORT_KIND:
        raise Http404
    return job


def export_read(*, actor: Actor, job_id: uuid.UUID | str) -> Job:
    """The export whose file the actor downloads (logged as a download, refusals too)."""

    def get() -> Job:
        from enlace.cases.exports import export_file

        job = export_job_get(actor=actor, job_id=job_id)
        name = export_file(job)
        if name is None or not default_storage.exists(name):
            raise Http404
        return job

    return read_one(
        actor=actor,
        record_type="core.job",
        record_id=job_id,
        get=get,
        owner_path="office",
        purpose=Purpose.DOWNLOAD,
    )


# ================================================================ import


class ImportRefused(Exception):
    """The file cannot be read as an HTCDS workbook (the message says why)."""


@dataclass
class Report:
    """What an import found and did; `errors` and `warnings` are lists of dicts with sheet,
    row, field, value and message (in the user's language)."""

    dry_run: bool
    accept_valid_rows: bool
    rows: int = 0
    cases: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    invalid_cases: int = 0
    imported: bool = False
    refused: str = ""

    def error(self, sheet: str, row: int, name: str, value: Any, message: Any) -> None:
        self.errors.append(
            {
                "sheet": sheet,
                "row": row,
                "field": name,
                "value": _shown(value),
                "message": str(message),
            }
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "accept_valid_rows": self.accept_valid_rows,
            "rows": self.rows,
            "cases": self.cases,
            "valid_cases": self.cases - self.invalid_cases,
            "invalid_cases": self.invalid_cases,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "created_references": self.created,
            "updated_references": self.updated,
            "imported": self.imported,
            "refused": self.refused,
            "errors": self.errors,
            "warnings": self.warnings,
        }


def _shown(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[:100]


@dataclass
class Line:
    """One row of a sheet: its number and its cells by column name (raw, as read)."""

    sheet: str
    number: int
    cells: dict[str, Any]
    formulas: set[str] = field(default_factory=set)


def _raw_cell(value: Any) -> Any:
    if isinstance(value, str):
        value = xlsx_unescape(value).strip()
        # An exported text that began like a formula was written with an apostrophe.
        value = spreadsheet_unsafe(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def read_workbook(
    raw: bytes, unknown: list[tuple[str, str]] | None = None
) -> dict[str, list[Line]]:
    """The rows of every known sheet, by column name (row 1); the columns not recognised are
    added to `unknown` as (sheet, name). ImportRefused if unreadable."""
    unknown = [] if unknown is None else unknown
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as exc:
        raise ImportRefused(_("This file is not an Excel (.xlsx) workbook.")) from exc
    try:
        names = book.sheetnames
        wanted: dict[str, str | None] = {
            MAIN_SHEET: MAIN_SHEET if MAIN_SHEET in names else (names[0] if names else None)
        }
        for title in SHEETS:
            wanted[title] = title if title in names else None
        out: dict[str, list[Line]] = {}
        for key, found in wanted.items():
            if found is not None:
                out[key] = _read_sheet(book[found], key, unknown)
        return out
    except ImportRefused:
        raise
    except Exception as exc:
        raise ImportRefused(_("This file is not an Excel (.xlsx) workbook.")) from exc
    finally:
        book.close()


def _known_labels() -> frozenset[str]:
    """Row 2's texts that say it is the label row: the template's labels and ours, in every
    language."""
    from django.utils.translation import override as in_language

    labels = {label for _name, label in TEMPLATE_HEADER}
    for language in ("en", "es", "pt", "fr"):
        with in_language(language):
            for columns in (MAIN_COLUMNS, *SHEETS.values()):
                labels |= {column.label for column in columns}
    return frozenset(fold(label) for label in labels)


def _read_sheet(sheet: Any, key: str, unknown: list[tuple[str, str]]) -> list[Line]:
    """The sheet's rows by column name. Row 1 names the columns; row 2 is the labels' row when
    one of its cells is a known label (as in the template), else it is data."""
    columns: dict[int, str] = {}
    known = MAIN_BY_NAME if key == MAIN_SHEET else _columns_by_name(SHEETS[key])
    lines: list[Line] = []
    header1: list[Any] = []
    labels = _known_labels()
    for number, row in enumerate(sheet.iter_rows(max_col=200), start=1):
        if number == 1:
            header1 = [c.value for c in row]
            for i, value in enumerate(header1):
                name = str(value).strip() if value not in (None, "") else ""
                if name in known:
                    columns[i] = known[name].name
                elif name:
                    unknown.append((key, name[:60]))
            continue
        if number == 2:
            texts = [c.value for c in row]
            is_labels = any(isinstance(t, str) and fold(t) in labels for t in texts)
            for i, text in enumerate(texts):
                if i in columns or not isinstance(text, str) or (i < len(header1) and header1[i]):
                    continue
                name = LABEL_FALLBACK.get(text.strip(), "")
                if name in known:
                    columns[i] = known[name].name
            if KEY not in columns.values() and key != MAIN_SHEET:
                raise ImportRefused(
                    _("The sheet “%(sheet)s” has no column “%(column)s”.")
                    % {"sheet": key, "column": KEY}
                )
            if key == MAIN_SHEET and not columns:
                raise ImportRefused(
                    _(
                        "The first sheet's first row must hold the HTCDS field names, as in the "
                        "HTCDS Excel template."
                    )
                )
            if is_labels:
                continue
        cells: dict[str, Any] = {}
        formulas: set[str] = set()
        for i, name in columns.items():
            if i >= len(row):
                continue
            cell = row[i]
            if getattr(cell, "data_type", None) == "f":
                formulas.add(name)
            value = _raw_cell(cell.value)
            if value not in (None, ""):
                cells[name] = value
        if not cells and not formulas:
            continue  # an empty row (the template numbers 1000 of them in column A)
        limit = MAX_ROWS if key == MAIN_SHEET else MAX_DETAIL_ROWS
        if len(lines) >= limit:
            raise ImportRefused(
                _("The sheet “%(sheet)s” has more than %(limit)s rows. Split the file.")
                % {"sheet": key, "limit": limit}
            )
        lines.append(Line(key, number, cells, formulas))
    return lines


# ---------------------------------------------------------------- values


class Bad(Exception):
    """A cell that cannot be read (the message says why)."""


_TRUE = {"true", "1", "yes", "y", "si", "sim", "oui", "verdadero", "vrai", "x"}
_FALSE = {"false", "0", "no", "n", "nao", "non", "falso", "faux"}


def _parse(column: Column, value: Any, countries: set[str]) -> Any:
    kind = column.kind
    if kind == "text":
        text = str(value) if not isinstance(value, dt.date) else value.isoformat()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if len(text) > column.limit:
            raise Bad(_("At most %(n)d characters.") % {"n": column.limit})
        if "\x00" in text:
            raise Bad(_("This text contains a character that is not allowed."))
        return text
    if kind == "date":
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        match = re.match(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$", text)
        if match:
            day, month, year = match.groups()
            text = f"{year}-{int(month):02d}-{int(day):02d}"
        try:
            return dt.date.fromisoformat(text)
        except ValueError as exc:
            raise Bad(_("Enter a date as YYYY-MM-DD.")) from exc
    if kind == "choice":
        text = str(value).strip()
        allowed = htcds.BY_NAME[column.picklist].value_names if column.picklist else column.choices
        if text not in allowed:
            raise Bad(_("Unknown value name."))
        return text
    if kind == "multi":
        names = [v for v in _SPLIT.split(str(value).strip()) if v]
        spec = htcds.BY_NAME[column.picklist]
        unknown = [v for v in names if v not in spec.value_names]
        if unknown:
            raise Bad(_("Unknown value name: %(values)s.") % {"values": ", ".join(unknown)})
        return [v.name for v in spec.options if v.name in set(names)]
    if kind == "list":
        return [v for v in (a.strip() for a in str(value).split(";")) if v][:20]
    if kind in ("country", "countries"):
        codes = [v.upper() for v in _SPLIT.split(str(value).strip()) if v]
        unknown = [c for c in codes if c not in countries]
        if unknown:
            raise Bad(_("Unknown country: use ISO 3166-1 two-letter codes, e.g. MX."))
        if kind == "country":
            if len(codes) != 1:
                raise Bad(_("Give one country."))
            return codes[0]
        return sorted(set(codes))
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = fold(str(value))
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise Bad(_("Enter TRUE or FALSE."))
    if kind == "int":
        try:
            number = int(str(value).strip().removesuffix(".0"))
        except ValueError as exc:
            raise Bad(_("Enter a whole number.")) from exc
        if not 0 <= number <= 100_000:
            raise Bad(_("This number is out of range."))
        return number
    if kind == "decimal":
        try:
            amount = Decimal(str(value).strip())
        except (InvalidOperation, ValueError) as exc:
            raise Bad(_("Enter a number.")) from exc
        if not amount.is_finite():
            raise Bad(_("Enter a number."))
        return amount
    if kind == "gender":
        text = str(value).strip()
        if text not in htcds.GENDER_TO_SEX:
            raise Bad(_("Unknown value name."))
        return htcds.GENDER_TO_SEX[text]
    if kind == "id":
        try:
            return uuid.UUID(str(value).strip())
        except ValueError as exc:
            raise Bad(_("This is not a person id.")) from exc
    raise AssertionError(kind)  # pragma: no cover


def _read_line(
    line: Line, columns: dict[str, Column], countries: set[str], report: Report
) -> tuple[dict[str, Any], bool]:
    """The line's values by column name, parsed; whether it is free of errors."""
    ok = True
    values: dict[str, Any] = {}
    for name in sorted(line.formulas):
        report.error(
            line.sheet, line.number, name, "", _("Formulas are not accepted: enter the value.")
        )
        ok = False
    for name, raw in line.cells.items():
        if name in line.formulas:
            continue
        column = columns[name]
        if column.name == "cas_CaseOwner":
            continue  # written for the reader; a new case belongs to the importer's office
        if not column.attribute:
            report.warnings.append(
                {
                    "sheet": line.sheet,
                    "row": line.number,
                    "field": name,
                    "value": "",
                    "message": _("Enlace does not keep this field: it was not imported."),
                }
            )
            continue
        try:
            values[name] = _parse(column, raw, countries)
        except Bad as exc:
            report.error(line.sheet, line.number, name, raw, exc)
            ok = False
    for column in columns.values():
        if column.required and column.name not in values and column.name not in line.formulas:
            if column.name in line.cells:
                continue  # already reported
            report.error(line.sheet, line.number, column.name, "", _("This field is required."))
            ok = False
    return values, ok


# ---------------------------------------------------------------- cases as the services take them


@dataclass
class Planned:
    """One case of the file: its key, rows, what the services will be given."""

    key: str
    lines: list[Line] = field(default_factory=list)
    kind: str = CaseKind.TRAFFICKING
    summary: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    parts: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {p: [] for p in ("victims", *PART_OF.values())}
    )
    valid: bool = True
    existing: TraffickingCase | None = None


def _fingerprint(line: Line) -> str:
    text = "|".join(f"{k}={line.cells[k]}" for k in sorted(line.cells))
    return "htcds:" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _service_case_data(values: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for column in MAIN_COLUMNS:
        attribute = column.attribute[5:]
        if column.attribute.startswith("case.") and attribute in CASE_FIELDS_KEPT:
            data[attribute] = values.get(column.name, "" if column.kind != "date" else None)
    if not data.get("status"):
        data["status"] = "Active"
    return data


def _victim_row(values: dict[str, Any]) -> dict[str, Any] | None:
    if not any(
        c.name in values for c in MAIN_COLUMNS if c.attribute.startswith(("person.", "victim."))
    ):
        return None
    row: dict[str, Any] = {}
    for column in MAIN_COLUMNS:
        if column.attribute.startswith("victim."):
            default: Any = None
            if column.kind == "multi":
                default = []
            elif column.kind in ("text", "choice"):
                default = ""
            row[column.attribute[7:]] = values.get(column.name, default)
    row["fee_currency"] = (row.get("fee_currency") or "").upper()
    row["_person"] = {
        c.attribute[7:]: values.get(c.name)
        for c in MAIN_COLUMNS
        if c.attribute.startswith("person.")
    }
    return row


def _compare_key(part: str, row: dict[str, Any]) -> Any:
    """A part's row as compared between the file and the stored case."""

    def plain(v: Any) -> Any:
        if isinstance(v, Decimal):
            return v.normalize()
        if isinstance(v, list):
            return tuple(v)
        if v is None:
            return ""
        return v

    return tuple(sorted((k, plain(v)) for k, v in row.items() if not k.startswith("_")))


def _stored_parts(case: TraffickingCase) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The stored case in the form the file's cases are planned in."""
    data = {k: getattr(case, k) for k in CASE_TEXT_FIELDS}
    perpetrators = list(case.perpetrators.all())
    index: dict[Any, int] = {p.pk: i for i, p in enumerate(perpetrators)}
    victim_fields = [c.attribute[7:] for c in MAIN_COLUMNS if c.attribute.startswith("victim.")]
    parts: dict[str, list[dict[str, Any]]] = {
        "victims": [
            {"person": v.person_id, **{k: getattr(v, k) for k in victim_fields}}
            for v in case.victims.all()
        ],
        "perpetrators": [
            {
                "given_names": p.given_names,
                "surnames": p.surnames,
                "aliases": list(p.aliases),
                "sex": p.sex,
                "nationality": p.nationality_id or "",
                "role_in_process": list(p.role_in_process),
                "role_details": p.role_details,
                "organisation": p.organisation,
            }
            for p in perpetrators
        ],
        "events": [
            {
                "type": e.type,
                "date": e.date,
                "country": e.country_id or "",
                "state": e.state,
                "city": e.city,
                "street": e.street,
                "postal_code": e.postal_code,
                "latitude": e.latitude,
                "longitude": e.longitude,
                "description": e.description,
            }
            for e in case.events.all()
        ],
        "route": [
            {"country": s.country_id, "place": s.place, "date": s.date, "transport": s.transport}
            for s in sorted(case.route.all(), key=lambda s: s.position)
        ],
        "identifiers": [
            {"kind": x.kind, "value": x.value, "perpetrator": index.get(x.perpetrator_id)}
            for x in case.identifiers.all()
        ],
        "incidents": [
            {
                "kind": x.kind,
                "date": x.date,
                "country": x.country_id or "",
                "place": x.place,
                "persons_affected": x.persons_affected,
                "deaths": x.deaths,
                "description": x.description,
            }
            for x in case.incidents.all()
        ],
    }
    return data, parts


def _part_row(title: str, values: dict[str, Any]) -> dict[str, Any]:
    columns = SHEETS[title]
    row: dict[str, Any] = {}
    for column in columns:
        if column.attribute in ("key", "number", "position"):
            continue
        default: Any = "" if column.kind in ("text", "choice", "country") else None
        if column.kind in ("multi", "list"):
            default = []
        row[column.attribute] = values.get(column.name, default)
    if title == PERPETRATORS:
        row["sex"] = row.get("sex") or "U"
    if title == INCIDENTS:
        row["deaths"] = row.get("deaths") or 0
    if title == IDENTIFIERS and row.get("perpetrator") is not None:
        row["perpetrator"] = row["perpetrator"] - 1 if row["perpetrator"] > 0 else None
    return row


def _order(title: str, values: dict[str, Any], line: Line) -> tuple[int, int]:
    number = values.get("enl_Position") if title == ROUTE else values.get("enl_Number")
    return (number if isinstance(number, int) else 10**9, line.number)


# ---------------------------------------------------------------- the import


def _may_import(actor: Actor) -> bool:
    return rules.can_create(actor)


def import_htcds(
    actor: Actor, file: Any, dry_run: bool = True, accept_valid_rows: bool = False
) -> dict[str, Any]:
    """Check (and unless `dry_run`, import) an HTCDS workbook: `file` is bytes or a binary
    file. Returns the report (Report.as_dict). Only trafficking focal points import (else 404)."""
    if not _may_import(actor):
        raise Http404
    report = Report(dry_run=dry_run, accept_valid_rows=accept_valid_rows)
    raw = file if isinstance(file, bytes) else file.read()
    unknown: list[tuple[str, str]] = []
    try:
        sheets = read_workbook(raw, unknown)
    except ImportRefused as exc:
        report.refused = str(exc)
        return report.as_dict()
    for sheet, name in unknown:
        report.warnings.append(
            {
                "sheet": sheet,
                "row": 1,
                "field": name,
                "value": "",
                "message": _("Unknown column: it was not imported."),
            }
        )
    plans = _plan(actor, sheets, report)
    report.cases = len(plans)
    report.invalid_cases = sum(1 for p in plans.values() if not p.valid)
    if report.errors and not accept_valid_rows:
        return report.as_dict()
    chosen = [p for p in plans.values() if p.valid]
    if dry_run:
        for plan in chosen:
            _classify(plan, report)
        return report.as_dict()
    try:
        with transaction.atomic(), services.saving_in_bulk(actor):
            # One alert per office concerned and one pass over the links for the whole file,
            # after commit (services.saving_in_bulk), not one of each per case.
            countries = Country.objects.in_bulk()
            for plan in chosen:
                _apply(actor, plan, report, countries)
            if report.errors and not accept_valid_rows:
                raise _Rollback
    except _Rollback:
        report.created.clear()
        report.updated.clear()
        report.unchanged.clear()
        return report.as_dict()
    report.imported = True
    return report.as_dict()


class _Rollback(Exception):
    pass


def _plan(actor: Actor, sheets: dict[str, list[Line]], report: Report) -> dict[str, Planned]:
    countries = set(Country.objects.values_list("code", flat=True))
    plans: dict[str, Planned] = {}
    main_lines = sheets.get(MAIN_SHEET, [])
    report.rows = sum(len(lines) for lines in sheets.values())
    parsed: list[tuple[Line, dict[str, Any], bool]] = []
    for line in main_lines:
        values, ok = _read_line(line, MAIN_BY_NAME, countries, report)
        parsed.append((line, values, ok))
    for line, values, ok in parsed:
        key = str(values.get(KEY) or "").strip() or _fingerprint(line)
        plan = plans.get(key)
        if plan is None:
            plan = plans[key] = Planned(key=key)
            plan.kind = values.get("enl_CaseKind") or CaseKind.TRAFFICKING
            plan.summary = values.get("enl_Summary") or ""
            plan.data = _service_case_data(values)
        plan.lines.append(line)
        plan.valid &= ok
        victim = _victim_row(values)
        if victim is not None:
            victim["_line"] = line
            plan.parts["victims"].append(victim)
    for title, part in PART_OF.items():
        columns = _columns_by_name(SHEETS[title])
        rows: dict[str, list[tuple[tuple[int, int], dict[str, Any]]]] = defaultdict(list)
        for line in sheets.get(title, []):
            values, ok = _read_line(line, columns, countries, report)
            key = str(values.get(KEY) or "").strip()
            plan = plans.get(key)
            if plan is None:
                if key:
                    report.error(
                        title, line.number, KEY, key, _("No row of Sheet1 has this case reference.")
                    )
                continue
            plan.lines.append(line)
            plan.valid &= ok
            if ok:
                rows[key].append((_order(title, values, line), _part_row(title, values)))
        for key, found in rows.items():
            plans[key].parts[part] = [r for _o, r in sorted(found, key=lambda x: x[0])]
    _resolve(actor, plans, report)
    _check(actor, plans, report)
    return plans


def _resolve(actor: Actor, plans: dict[str, Planned], report: Report) -> None:
    """Find the stored cases and the people (bulk: one query each)."""
    from enlace.people.selectors import person_list

    office = actor.office
    country = office.country_id if office else None
    keys = list(plans)
    visible = selectors.case_list(actor=actor).with_branches(None)  # type: ignore[attr-defined]
    found = _prefetched(
        visible.filter(
            Q(reference__in=keys) | Q(import_key__in=keys, owner_office__country_id=country)
        )
    )
    by_reference = {c.reference: c for c in found}
    by_import_key = {
        c.import_key: c for c in found if c.import_key and c.owner_office.country_id == country
    }
    for key, plan in plans.items():
        case = by_reference.get(key) or by_import_key.get(key)
        if case is None:
            continue
        if not rules.can_edit(actor, case):
            line = plan.lines[0]
            report.error(line.sheet, line.number, KEY, key, _("You may not change this case."))
            plan.valid = False
            continue
        plan.existing = case
        if plan.kind != case.kind:
            line = plan.lines[0]
            report.error(
                line.sheet,
                line.number,
                "enl_CaseKind",
                plan.kind,
                _("A case's kind cannot change."),
            )
            plan.valid = False
    ids = {
        v["_person"]["id"]
        for p in plans.values()
        for v in p.parts["victims"]
        if v["_person"].get("id") is not None
    }
    people = {p.pk: p for p in person_list(actor=actor).filter(pk__in=ids)} if ids else {}
    # Rows without an id: the one person the importer may see with the same names and date
    # of birth (one query for every date in the file).
    dates = {
        v["_person"].get("birth_date")
        for p in plans.values()
        for v in p.parts["victims"]
        if v["_person"].get("id") is None and v["_person"].get("birth_date")
    }
    by_name: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    if dates:
        for known in person_list(actor=actor).filter(birth_date__in=dates):
            names = (fold(known.given_names), fold(known.first_surname), known.birth_date)
            by_name[names].append(known)
    for plan in plans.values():
        current: dict[tuple[Any, ...], Any] = {}
        if plan.existing is not None:
            for stored in plan.existing.victims.all():
                known = stored.person
                current[(fold(known.given_names), fold(known.first_surname), known.birth_date)] = (
                    known
                )
        seen: set[Any] = set()
        for victim in plan.parts["victims"]:
            at: Line = victim["_line"]
            person_values = victim["_person"]
            person: Any = None
            if person_values.get("id") is not None:
                person = people.get(person_values["id"])
                if person is None:
                    report.error(
                        at.sheet,
                        at.number,
                        "enl_PersonId",
                        person_values["id"],
                        _("No person you can see has this id."),
                    )
            else:
                name_key = (
                    fold(person_values.get("given_names") or ""),
                    fold(person_values.get("first_surname") or ""),
                    person_values.get("birth_date"),
                )
                person = current.get(name_key) if name_key[0] else None
                if person is None and name_key[0] and len(by_name.get(name_key, [])) == 1:
                    person = by_name[name_key][0]
                if person is None:
                    report.error(
                        at.sheet,
                        at.number,
                        "enl_PersonId",
                        "",
                        _(
                            "Person not found: give the id of a registered person you can see "
                            "(column enl_PersonId)."
                        ),
                    )
            if person is None:
                plan.valid = False
                continue
            if person.pk in seen:
                report.error(
                    at.sheet, at.number, "enl_PersonId", "", _("This person is already listed.")
                )
                plan.valid = False
            seen.add(person.pk)
            victim["person"] = person.pk


def _check(actor: Actor, plans: dict[str, Planned], report: Report) -> None:
    """The services' own rules that a cell's reading does not cover (no query)."""
    office = actor.office
    region = office.country_id if office else "MX"
    for plan in plans.values():
        first = plan.lines[0]
        if plan.kind != CaseKind.SMUGGLING:
            for victim in plan.parts["victims"]:
                if victim.get("fee_paid") is not None or victim.get("fee_currency"):
                    line = victim["_line"]
                    report.error(
                        line.sheet,
                        line.number,
                        "enl_FeePaid",
                        victim.get("fee_paid"),
                        _("Fees are recorded for smuggled persons only."),
                    )
                    plan.valid = False
            if plan.parts["incidents"]:
                report.error(
                    INCIDENTS,
                    first.number,
                    "enl_Kind",
                    "",
                    _("Incidents are recorded for smuggling cases."),
                )
                plan.valid = False
        for victim in plan.parts["victims"]:
            if victim.get("fee_paid") is not None and not victim.get("fee_currency"):
                line = victim["_line"]
                report.error(
                    line.sheet,
                    line.number,
                    "enl_FeeCurrency",
                    "",
                    _("Say in which currency the fee was paid."),
                )
                plan.valid = False
        perpetrators = plan.parts["perpetrators"]
        for i, row in enumerate(perpetrators):
            if not (row["given_names"].strip() or row["surnames"].strip() or row["aliases"]):
                # A de-identified perpetrator (role only) cannot be written back.
                report.error(
                    PERPETRATORS, first.number, "per_FirstName", "", _("Give a name or an alias.")
                )
                plan.valid = False
                break
            row["_index"] = i
        for row in plan.parts["identifiers"]:
            try:
                row["normalised"] = normalise(row["kind"], row["value"], region=region)
            except ValidationFailed as exc:
                report.error(
                    IDENTIFIERS, first.number, "enl_Value", row["value"], exc.errors["value"][0]
                )
                plan.valid = False
            index = row.get("perpetrator")
            if index is not None and index >= len(perpetrators):
                report.error(
                    IDENTIFIERS,
                    first.number,
                    "enl_Perpetrator",
                    index + 1,
                    _("There is no such perpetrator."),
                )
                plan.valid = False


def _service_parts(plan: Planned) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for part, rows in plan.parts.items():
        out[part] = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    for row in out["identifiers"]:
        row.pop("normalised", None)
    return out


def _changes(plan: Planned) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """What differs between the file's case and the stored one: (fields, parts)."""
    assert plan.existing is not None  # noqa: S101
    stored_data, stored_parts = _stored_parts(plan.existing)
    wanted = _service_parts(plan)
    data = {k: v for k, v in plan.data.items() if (v or None) != (stored_data.get(k) or None)}
    if plan.summary and plan.summary != plan.existing.summary:
        data["summary"] = plan.summary
    parts: dict[str, list[dict[str, Any]]] = {}
    for part, rows in wanted.items():
        mine = [_compare_key(part, r) for r in rows]
        theirs = [_compare_key(part, r) for r in stored_parts[part]]
        if part == "victims":
            mine, theirs = sorted(mine, key=repr), sorted(theirs, key=repr)
        if mine != theirs:
            parts[part] = rows
    if "perpetrators" in parts:  # rewriting them unlinks the identifiers: rewrite both
        parts["identifiers"] = wanted["identifiers"]
    return data, parts


def _classify(plan: Planned, report: Report) -> None:
    if plan.existing is None:
        report.created.append(plan.key)
        return
    data, parts = _changes(plan)
    (report.updated if data or parts else report.unchanged).append(plan.existing.reference)


# Row fields holding a country code, given to the services as the Country itself (looked up
# once per import, not once per row).
COUNTRY_FIELDS = ("country", "nationality")


def _with_countries(
    parts: dict[str, list[dict[str, Any]]], countries: dict[str, Country]
) -> dict[str, list[dict[str, Any]]]:
    return {
        part: [
            {
                k: countries.get(v, v) if k in COUNTRY_FIELDS and isinstance(v, str) else v
                for k, v in row.items()
            }
            for row in rows
        ]
        for part, rows in parts.items()
    }


def _apply(
    actor: Actor, plan: Planned, report: Report, countries: dict[str, Country] | None = None
) -> None:
    """Create or update one case in a savepoint of its own (a case the services refuse is
    reported and left out); an unchanged case is not written at all."""
    countries = countries or {}
    data: dict[str, Any] = {}
    parts: dict[str, list[dict[str, Any]]] = {}
    if plan.existing is not None:
        data, parts = _changes(plan)
        if not data and not parts:
            report.unchanged.append(plan.existing.reference)
            return
        # A victim's link to their protection case is not in the file: the services keep it.
    try:
        with transaction.atomic():
            if plan.existing is None:
                case = services.case_create(
                    actor=actor,
                    kind=plan.kind,
                    summary=plan.summary or _("Imported from an HTCDS workbook."),
                    **_with_countries(_service_parts(plan), countries),
                    **plan.data,
                )
                if case.reference != plan.key:
                    TraffickingCase.objects.filter(pk=case.pk).update(import_key=plan.key[:100])
                report.created.append(case.reference)
                return
            case = services.case_update(
                actor=actor,
                case=plan.existing,
                version=plan.existing.version,
                data=data,
                **_with_countries(parts, countries),
            )
            report.updated.append(case.reference)
    except ValidationFailed as exc:
        line = plan.lines[0]
        for name, messages in exc.errors.items():
            for message in messages:
                report.error(line.sheet, line.number, name, "", message)
        report.invalid_cases += 1
    except StaleEdit:
        line = plan.lines[0]
        report.error(
            line.sheet,
            line.number,
            KEY,
            plan.key,
            _("Someone else changed this case while the file was imported: import it again."),
        )
        report.invalid_cases += 1


# ---------------------------------------------------------------- large files, as a job

IMPORT_KIND = "trafficking_htcds_import"
IMPORT_FOLDER = "imports"
INLINE_BYTES = 256 * 1024  # a file up to this size is checked and imported in the request


def import_start(*, actor: Actor, raw: bytes, dry_run: bool, accept_valid_rows: bool) -> Job:
    """Keep a large file privately and run the import as a job (progress on the job page)."""
    if not _may_import(actor):
        raise Http404
    name = default_storage.save(f"{IMPORT_FOLDER}/htcds-{uuid.uuid4()}.xlsx", io.BytesIO(raw))
    return job_enqueue(
        actor=actor,
        kind=IMPORT_KIND,
        file=name,
        dry_run=dry_run,
        accept_valid_rows=accept_valid_rows,
        language=get_language() or "",
    )


@job_function(
    IMPORT_KIND,
    label=_lazy("HTCDS import"),
    results={
        "rows": _lazy("Rows"),
        "cases": _lazy("Cases"),
        "created": _lazy("Cases created"),
        "updated": _lazy("Cases updated"),
        "unchanged": _lazy("Cases unchanged"),
        "invalid_cases": _lazy("Cases with errors"),
        "refused": _lazy("Refused"),
    },
)
def htcds_import(
    job: Job, file: str, dry_run: bool, accept_valid_rows: bool, language: str = ""
) -> dict[str, Any]:
    """Run import_htcds on a stored file as the job's user; the file is deleted after."""
    with override(language or settings.LANGUAGE_CODE):
        try:
            actor = actor_in_office(job.created_by, job.office_id)
            if actor is None or not _may_import(actor):
                return {"refused": _("You may no longer import trafficking cases.")}
            job_progress(job, 0, 1)
            with default_storage.open(file, "rb") as f:
                raw = f.read()
            report = import_htcds(actor, raw, dry_run=dry_run, accept_valid_rows=accept_valid_rows)
            job_progress(job, 1, 1)
        finally:
            default_storage.delete(file)
    shown = ("rows", "cases", "created", "updated", "unchanged", "invalid_cases", "refused")
    summary: dict[str, Any] = {k: report[k] for k in shown if report.get(k) not in (None, "")}
    # The whole report (its first 500 errors) for the job's report page, not the job's figures.
    summary["report"] = {**report, "errors": report["errors"][:500], "warnings": []}
    summary["page"] = reverse("trafficking:htcds_import_job", args=[job.pk])
    return summary


def import_job_get(*, actor: Actor, job_id: uuid.UUID | str) -> Job:
    """An HTCDS import the actor started (404 for anyone else's, another kind, a bad id)."""
    if not _may_import(actor):
        raise Http404
    try:
        job = job_get(actor=actor, job_id=job_id)
    except ValidationError as exc:
        raise Http404 from exc
    if job.kind != IMPORT_KIND:
        raise Http404
    return job
