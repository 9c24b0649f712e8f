"""Query budget per page and endpoint: the number of SQL queries a list, export or detail page
makes does not grow with the rows it shows, and stays under a stated budget.

Each list is requested twice by the same user: with FEW records of every kind in the world, then
after MORE records were added (so the page shows 2 rows, then 7). The two counts must be equal (no
query per row: an N+1 shows as a difference of at least 5) and at most the endpoint's budget.
Readers: the officer of the owning office (sees every record) and a national focal point of the
same country (country scope), plus the officer of the office the cases were referred to and the
officer of the office that filed the tracing requests, for the lists they see through those ties.

Reads are logged by construction (access/reads.py): one AccessEvent per row shown, written in
bulk, so logging costs one query per page whatever its size.
"""

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.audit.models import AccessEvent
from enlace.cases import services as case_services
from enlace.cases.models import Case
from enlace.people import services as people_services
from enlace.people.models import Person
from enlace.tracing import services as tracing_services
from enlace.tracing.models import TracingMatch, TracingRequest
from enlace.trafficking import services as trafficking_services
from enlace.trafficking.models import TraffickingCase

from .urlconf import get_patterns

FEW, MORE = 2, 7

OWN, COUNTRY, GRANTED, TRACED = "own", "country", "granted", "traced"

GIVEN = ("Anacleta", "Bernabé", "Cirilo", "Dorotea", "Eusebio", "Filomena", "Gumersindo")


@dataclass
class Fixture:
    offices: dict[str, Office]
    users: dict[str, User]
    people: list[Person] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    requests: list[TracingRequest] = field(default_factory=list)
    trafficking: list[TraffickingCase] = field(default_factory=list)


def _user(name: str, office: Office, role: str) -> User:
    user = User.objects.create_user(username=f"qb.{name}", password="qb-test-password-7")
    membership = Membership.objects.create(user=user, office=office, role=role)
    user.active_membership = membership
    user.save(update_fields=["active_membership"])
    return user


def _build() -> Fixture:
    offices = {
        OWN: Office.objects.create(
            name="QB consulado", kind=Office.Kind.CONSULATE, country_id="MX", host_country_id="US"
        ),
        COUNTRY: Office.objects.create(
            name="QB cancillería",
            kind=Office.Kind.FOREIGN_MINISTRY,
            country_id="MX",
            host_country_id="MX",
        ),
        GRANTED: Office.objects.create(
            name="QB Colombia", kind=Office.Kind.CONSULATE, country_id="CO", host_country_id="US"
        ),
        TRACED: Office.objects.create(
            name="QB El Salvador", kind=Office.Kind.CONSULATE, country_id="SV", host_country_id="US"
        ),
    }
    users = {
        "officer": _user("officer", offices[OWN], Role.OFFICER),
        "supervisor": _user("supervisor", offices[OWN], Role.SUPERVISOR),
        "focal": _user("focal", offices[COUNTRY], Role.NATIONAL_FOCAL_POINT),
        "granted": _user("granted", offices[GRANTED], Role.OFFICER),
        "traced": _user("traced", offices[TRACED], Role.OFFICER),
        # Home only: the analyst's regional table and the administrator's tasks.
        "analyst": _user("analyst", offices[COUNTRY], Role.ANALYST),
        "admin": _user("admin", offices[COUNTRY], Role.ADMINISTRATOR),
        # Trafficking cases: opened by the country's trafficking focal point (identities), read
        # de-identified by the national focal point, and by the trafficking focal point of a
        # country on the route (GRANTED's, CO).
        "tfp": _user("tfp", offices[COUNTRY], Role.TRAFFICKING_FOCAL_POINT),
        "tfp_route": _user("tfp_route", offices[GRANTED], Role.TRAFFICKING_FOCAL_POINT),
    }
    return Fixture(offices=offices, users=users)


def _add(fx: Fixture, upto: int) -> None:
    """Add records until there are `upto` of each kind, each tied to every office in the
    fixture: a person and an open case with an action and a note, the case referred to the
    granted office (accepted), a tracing request filed by the traced office that matches the
    person (a proposed match), a consent on the person, and every other person flagged as a
    survivor of gender-based violence (whose name only some readers see)."""
    officer = actor_for(fx.users["officer"])
    supervisor = actor_for(fx.users["supervisor"])
    granted = actor_for(fx.users["granted"])
    traced = actor_for(fx.users["traced"])
    for i in range(len(fx.people), upto):
        given = GIVEN[i]
        person = people_services.person_create(
            actor=officer,
            data={
                "given_names": given,
                "first_surname": "Quetzalcóatl",
                "sex": "F" if i % 2 else "M",
                "birth_date": f"19{80 + i}-03-0{1 + i % 9}",
                "migratory_status": "irregular",
                "phone": f"+1 213 555 01{i:02d}",
            },
            nationalities=["MX"],
        )
        if i % 2:  # every other person a GBV survivor: the protected-identity path too
            people_services.vulnerability_add(actor=officer, person=person, kind="gbv_survivor")
        people_services.consent_record(
            actor=officer, person=person, purpose="case_management", notice_language="es"
        )
        case = case_services.case_open(
            actor=officer, person=person, case_type="detention", summary=f"Caso {given}"
        )
        referral = case_services.referral_create(
            actor=supervisor,
            case=case,
            to_office=fx.offices[GRANTED],
            purpose="Asistencia",
            consent=True,
        )
        case_services.referral_accept(actor=granted, referral=referral)
        request = tracing_services.request_create(
            actor=traced,
            data={
                "requester_name": f"Familia {given}",
                "requester_relation": "mother",
                "requester_consent": True,
                "given_names": given,
                "first_surname": "Quetzalcóatl",
                "sex": "F" if i % 2 else "M",
            },
        )
        if not request.matches.filter(person=person).exists():
            TracingMatch.objects.create(
                request=request,
                person=person,
                match_probability=0.95,
                match_weight=11.0,
                explanation=[["given_names", "exact", 5.0]],
                request_fingerprint="r",
                person_fingerprint="p",
            )
        _add_quote(i)
        _add_portal_request(fx, i)
        _add_privacy(officer, supervisor, person, i)
        fx.people.append(person)
        fx.cases.append(case)
        fx.requests.append(request)
        fx.trafficking.append(
            trafficking_services.case_create(
                actor=actor_for(fx.users["tfp"]),
                kind="smuggling" if i % 2 else "trafficking",
                summary=f"Caso de trata {given}",
                route=[{"country": "MX"}, {"country": "CO"}, {"country": "US"}],
                perpetrators=[{"given_names": given, "aliases": [f"El {given}"]}],
                identifiers=[{"kind": "phone", "value": f"+52 55 5555 01{i:02d}"}],
            )
        )


def _add_portal_request(fx: Fixture, i: int) -> None:
    """A request from the public routed to the own office, waiting for triage."""
    from enlace.portal.services import request_submit

    request_submit(
        kind="help",
        data={
            "situation": "detention",
            "description": f"Detenido {GIVEN[i]}",
            "nationality": "MX",
            "country": "US",
            "given_names": GIVEN[i],
            "contact_phone": f"+1 213 555 02{i:02d}",
        },
    )


def _add_privacy(officer: Any, supervisor: Any, person: Person, i: int) -> None:
    """A data-protection request about the person (the office's queue) and a breach of the own
    office (the register)."""
    from django.utils import timezone

    from enlace.privacy import services as privacy_services

    privacy_services.rights_request_record(
        actor=officer, person=person, kind="access", law_country="MX"
    )
    privacy_services.breach_record(
        actor=supervisor, detected_at=timezone.now(), description=f"Incidente {i}"
    )


def _add_quote(i: int) -> None:
    """A remittance provider and its quote in the United States → Mexico corridor (the
    comparison, the staff's quotes and providers grow with them)."""
    from enlace.remittances.tests.factories import corridor, quote

    quote(f"Envíos {GIVEN[i]}", corridor("US", "MX"), fee=str(3 + i), applied="17.00")


def _rows_marked(marker: str) -> Callable[[Any], int]:
    return lambda response: response.content.decode().count(marker)


@dataclass(frozen=True)
class Endpoint:
    name: str  # the URL pattern's name
    budget: int  # most queries allowed, whatever the number of rows
    readers: tuple[str, ...]  # fixture users who see the rows
    path: Callable[[Fixture], str]
    api: bool = False
    htmx: bool = False
    rows: Callable[[Any], int] | None = None  # rows shown, read from the response


def _api_rows(response: Any) -> int:
    return len(response.json()["results"])


def _csv_rows(response: Any) -> int:
    return len(response.content.decode("utf-8-sig").strip().splitlines()) - 1


def _static(name: str, **query: str) -> Callable[[Fixture], str]:
    def path(fx: Fixture) -> str:
        url = reverse(name)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return url

    return path


CASE_READERS = ("officer", "focal", "granted")
PEOPLE_READERS = ("officer", "focal")
TRACING_READERS = ("officer", "traced")  # focal points do not trace
INBOX_READERS = ("officer", "granted")
TRAFFICKING_READERS = ("tfp", "focal", "tfp_route")

# Lists: the same count at FEW and at MORE records, and at most the budget. A list whose scope is
# a union (own office's records, or granted ones) reads the top of each branch and counts each
# (enlace.core.querysets): a few more, small, indexed queries instead of one that sorts the scope.
LISTS = (
    Endpoint(
        "core:home",
        25,  # one more since data protection and stored releases: a constant, not per row
        ("officer", "supervisor", "focal", "granted", "traced", "analyst", "admin"),
        _static("core:home"),
    ),
    Endpoint("cases:list", 18, CASE_READERS, _static("cases:list")),
    Endpoint("cases:list", 18, CASE_READERS, _static("cases:list"), htmx=True),
    Endpoint("cases:list", 18, CASE_READERS, _static("cases:list", sort="-due_date")),
    Endpoint("cases:list", 18, CASE_READERS, _static("cases:list", sort="reference")),
    Endpoint("cases:referrals", 12, ("officer", "granted"), _static("cases:referrals")),
    Endpoint(
        "cases:referrals",
        12,
        ("officer",),
        _static("cases:referrals", direction="out", sort="status"),
    ),
    Endpoint("people:list", 15, PEOPLE_READERS, _static("people:list")),
    Endpoint("people:list", 15, PEOPLE_READERS, _static("people:list"), htmx=True),
    Endpoint("people:list", 15, PEOPLE_READERS, _static("people:list", sort="-created")),
    Endpoint("people:list", 15, PEOPLE_READERS, _static("people:list", q="Quetzalcoatl")),
    Endpoint("tracing:home", 15, TRACING_READERS, _static("tracing:home")),
    Endpoint("tracing:home", 15, TRACING_READERS, _static("tracing:home", sort="reference")),
    Endpoint("tracing:export", 15, ("traced",), _static("tracing:export"), rows=_csv_rows),
    Endpoint("api:case-list", 11, CASE_READERS, _static("api:case-list"), True, rows=_api_rows),
    Endpoint(
        "api:person-list", 10, PEOPLE_READERS, _static("api:person-list"), True, rows=_api_rows
    ),
    Endpoint(
        "api:referral-list",
        5,
        ("officer",),
        _static("api:referral-list", direction="out"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:referral-list",
        5,
        ("granted",),
        _static("api:referral-list", direction="in"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:tracing-request-list",
        10,
        ("traced",),
        _static("api:tracing-request-list"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:tracing-match-list",
        8,
        ("officer",),
        _static("api:tracing-match-list", side="owner"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:tracing-match-list",
        8,
        ("traced",),
        _static("api:tracing-match-list", side="requester"),
        True,
        rows=_api_rows,
    ),
    # The trail names its records through their apps: one query and one logged read per kind.
    Endpoint("audit:recent", 16, ("supervisor",), _static("audit:recent")),
    Endpoint("audit:recent", 16, ("supervisor",), _static("audit:recent", sort="at")),
    Endpoint("audit:export", 14, ("supervisor",), _static("audit:export"), rows=_csv_rows),
    # Inbox: the granted office hears of referrals received, the own office of their answers.
    Endpoint("inbox:list", 11, INBOX_READERS, _static("inbox:list")),
    Endpoint("inbox:list", 11, INBOX_READERS, _static("inbox:list", unread="true")),
    Endpoint("api:inbox-list", 4, INBOX_READERS, _static("api:inbox-list"), True, rows=_api_rows),
    Endpoint("trafficking:list", 16, TRAFFICKING_READERS, _static("trafficking:list")),
    Endpoint("trafficking:list", 16, TRAFFICKING_READERS, _static("trafficking:list"), htmx=True),
    # The network of linked cases (growth with clusters: enlace/trafficking/tests/test_network.py).
    Endpoint("trafficking:network", 12, TRAFFICKING_READERS, _static("trafficking:network")),
    Endpoint(
        "trafficking:list", 16, TRAFFICKING_READERS, _static("trafficking:list", sort="reference")
    ),
    Endpoint("trafficking:list", 18, TRAFFICKING_READERS, _static("trafficking:list", q="trata")),
    # Remittances: the public comparison (the same for every reader) and the staff's lists of
    # quotes and providers (Mexico's focal point and an administrator).
    Endpoint(
        "remittances:compare",
        8,
        ("officer",),
        _static("remittances:compare", **{"from": "US", "to": "MX", "amount": "200"}),
        rows=_rows_marked('class="quote-row'),
    ),
    Endpoint("remittances:corridors", 4, ("officer",), _static("remittances:corridors")),
    Endpoint("remittances:corridors_csv", 4, ("officer",), _static("remittances:corridors_csv")),
    Endpoint(
        "remittances:quotes",
        16,
        ("focal", "admin"),
        _static("remittances:quotes"),
        rows=_rows_marked("/history/"),
    ),
    Endpoint(
        "remittances:quotes",
        16,
        ("focal", "admin"),
        _static("remittances:quotes", sort="provider", demonstration="no"),
        rows=_rows_marked("/history/"),
    ),
    Endpoint(
        "remittances:providers",
        12,
        ("focal", "admin"),
        _static("remittances:providers"),
        rows=_rows_marked('<td data-label="'),  # two cells per provider
    ),
    # The portal's triage list (enlace.portal): the own office's requests from the public.
    Endpoint(
        "portal:triage_list",
        14,
        ("officer", "supervisor"),
        _static("portal:triage_list"),
        rows=_rows_marked('class="portal-request"'),
    ),
    # Data protection (enlace.privacy): the office's queue of rights requests, the register of
    # breaches (a supervisor's office, the country's for its focal point, all for an admin).
    Endpoint(
        "privacy:request_list",
        12,
        ("officer", "supervisor"),
        _static("privacy:request_list"),
        rows=_rows_marked('class="rights-request'),
    ),
    Endpoint(
        "privacy:breach_list",
        12,
        ("supervisor", "focal", "admin", "analyst"),
        _static("privacy:breach_list"),
        rows=_rows_marked('class="breach'),
    ),
    Endpoint(
        "api:rights-request-list",
        6,
        ("officer", "supervisor"),
        _static("api:rights-request-list"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:rights-request-list",
        6,
        ("officer",),
        _static("api:rights-request-list", status="all", sort="-received_on", kind="access"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:data-breach-list",
        6,
        ("supervisor", "focal", "admin", "analyst"),
        _static("api:data-breach-list"),
        True,
        rows=_api_rows,
    ),
    Endpoint(
        "api:trafficking-case-list",
        10,
        TRAFFICKING_READERS,
        _static("api:trafficking-case-list"),
        True,
        rows=_api_rows,
    ),
)


def _first(kind: str) -> Callable[[Fixture], str]:
    def path(fx: Fixture) -> str:
        if kind == "case":
            return reverse("cases:detail", args=[fx.cases[0].pk])
        if kind == "person":
            return reverse("people:detail", args=[fx.people[0].pk])
        if kind == "request":
            return reverse("tracing:request", args=[fx.requests[0].pk])
        if kind == "api-case":
            return reverse("api:case-detail", args=[fx.cases[0].pk])
        if kind == "api-person":
            return reverse("api:person-detail", args=[fx.people[0].pk])
        if kind == "trafficking":
            return reverse("trafficking:detail", args=[fx.trafficking[0].pk])
        if kind == "corridor":
            return reverse("remittances:corridor", args=["US", "MX"])
        if kind in ("quote", "quote-history"):
            from enlace.remittances.models import Quote

            first = Quote.objects.filter(corridor__receiving_id="MX").order_by("fee").first()
            name = "remittances:quote_edit" if kind == "quote" else "remittances:quote_history"
            return reverse(name, args=[first.pk])  # type: ignore[union-attr]
        if kind == "portal":
            from enlace.portal.models import PublicRequest

            first = PublicRequest.objects.filter(office=fx.offices[OWN]).order_by("created")[0]
            return reverse("portal:triage_detail", args=[first.pk])
        if kind == "api-trafficking":
            return reverse("api:trafficking-case-detail", args=[fx.trafficking[0].pk])
        return reverse("api:tracing-request-detail", args=[fx.requests[0].pk])

    return path


# Detail pages: at most the budget (with MORE records in the world, none of them on the page).
DETAILS = (
    Endpoint("cases:detail", 25, CASE_READERS, _first("case")),
    Endpoint("people:detail", 25, PEOPLE_READERS, _first("person")),
    Endpoint("tracing:request", 15, ("traced",), _first("request")),
    Endpoint("api:case-detail", 12, CASE_READERS, _first("api-case"), True),
    Endpoint("api:person-detail", 8, PEOPLE_READERS, _first("api-person"), True),
    Endpoint("api:tracing-request-detail", 10, ("traced",), _first("api-request"), True),
    Endpoint("trafficking:detail", 20, TRAFFICKING_READERS, _first("trafficking")),
    Endpoint(
        "api:trafficking-case-detail", 16, TRAFFICKING_READERS, _first("api-trafficking"), True
    ),
    # Remittances: a corridor's public page (its chart is cached), a quote's form and history.
    Endpoint("remittances:corridor", 10, ("officer",), _first("corridor")),
    # A request from the public to triage, with the office's people it may be (linkage).
    Endpoint("portal:triage_detail", 30, ("officer",), _first("portal")),
    Endpoint("remittances:quote_edit", 14, ("focal", "admin"), _first("quote")),
    Endpoint("remittances:quote_history", 12, ("focal", "admin"), _first("quote-history")),
)

# Every GET pattern without parameters is a list, a form or a fixed page. These are not lists
# of protection records (forms, account pages, schema, offices and jobs, reference data): their
# rows do not grow with people, cases or requests, and they have no budget here.
NOT_LISTS = {
    "set_language",
    "api:me",
    "api:public-countries",
    # Published aggregates: the cells of one stored release (enlace.indicators.releases, written
    # by the daily job, never computed in a request), one query whatever the number of records.
    "api:indicators-protection",
    "api:schema",
    "api:docs",
    "api:office-list",
    "api:api-root",
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_change_done",
    "accounts:office_select",
    "accounts:two_factor",
    "accounts:offices",
    "people:create",
    # The import's upload form (its report page, a job's result, reads no row per line: held
    # constant in enlace/people/tests/test_imports.py).
    "people:import",
    "api:person-import-list",
    "cases:create",
    "tracing:create",
    # The trafficking case form: people and protection cases offered as choices, at most
    # enlace.trafficking.views.PEOPLE_CHOICES, read in two queries whatever their number.
    "trafficking:create",
    "tracing:relink",
    "core:jobs",
    "core:reference_refresh",
    "inbox:read_all",  # POST only
    "inbox:preferences",  # POST only
    "core:about",
    "core:language",
    # The portal's public forms (enlace.portal): no record is read; the triage steps are POSTs.
    "portal:ask_help",
    "portal:ask_tracing",
    "portal:follow",
    "portal:follow_act",
    "portal:triage_retention",
    "api:public-requests",
    "core:help",  # the user guides' index: a fixed page
    # Case exports only start a job (a POST; the request reads no case); the job's queries per
    # chunk of cases are held constant in enlace/cases/tests/test_exports.py.
    "cases:export",
    "api:case-export",
    # Trafficking alerts and identity requests: their budgets are held in
    # enlace/trafficking/tests/test_alerts.py (this fixture never commits, so no alert is sent).
    "trafficking:alerts",
    "trafficking:access_requests",
    # The portal's information pages: the office finder and directory keep their queries
    # constant with ten more offices in enlace/portal/tests/test_info_pages.py; the landing
    # page, rights pages, manifest and service worker read no records.
    "portal_info:home",
    "portal_info:offices",
    "portal_info:directory",
    "portal_info:rights",
    "portal_info:manifest",
    "portal_info:service_worker",
    # traf-io: the HTCDS import form and empty workbook read no case; the import's and the
    # CTDC extract's queries are held constant whatever the rows in
    # enlace/trafficking/tests/test_htcds_io.py and test_ctdc.py; the export only starts a job.
    "trafficking:htcds_import",
    "trafficking:htcds_template",
    "trafficking:htcds_export",
    "trafficking:ctdc_extract",
    "api:trafficking-case-htcds-imports",
    "api:trafficking-case-htcds-export",
    "api:trafficking-case-ctdc-extract",
    # Returns: the list's queries are held constant from 2 to 7 returns, for the owner office,
    # the receiving office and a national focal point, in enlace/returns/tests/test_api.py.
    "api:return-list",
    # The return pages: the list's queries are held constant from 2 to 7 returns in
    # enlace/returns/tests/test_views.py; opening a return and the office's cooling-off setting
    # are forms.
    "returns:list",
    "returns:create",
    "returns:settings",
    # Forums hold no protection record: the meetings list, the commitments tracker, the public
    # list and the API's forums keep their queries constant as meetings, positions, countries
    # and statuses grow, in enlace/forums/tests/test_queries.py; the forum form is a form.
    "forums:index",
    "forums:forum_create",
    "forums:commitments",
    "forums_public:index",
    "api:forum-list",
    # Remittances hold no protection records: the comparison reads one corridor and its latest
    # quotes in two queries whatever their number, and the staff lists of quotes and providers
    # one page; both held constant in enlace/remittances/tests/test_api.py.
    "api:remittances-compare",
    "api:remittance-quote-list",
    "api:remittance-provider-list",
    # Remittances: forms (a quote, a provider, an upload) that list no rows.
    "remittances:quote_create",
    "remittances:provider_create",
    "remittances:import",
    # Indicators: official statistics, no protection record; each page and the migrant-stock
    # endpoint run a fixed set of GROUP BY queries over the source tables whatever their rows.
    "indicators:region",
    "api:indicators-migrant-stock",
    # Good practices: no protection record; the library's, the API's, "my practices'" and the
    # review queue's queries are held constant from 2 to 7 practices in
    # enlace/practices/tests/test_queries.py; the practice form is a form.
    "practices:library",
    "practices:mine",
    "practices:create",
    "practices:review_queue",
    "api:practice-list",
    # Diaspora: the public directory, the association endpoint and the moderators' list hold
    # their queries constant from 2 to 7 associations (and the municipality page from 2 to 7
    # projects) in enlace/diaspora/tests/test_queries.py; registering is a form.
    "diaspora:directory",
    "diaspora:manage",
    "diaspora:association_register",
    "api:association-list",
}


@pytest.fixture(scope="module")
def fx(django_db_setup, django_db_blocker, tmp_path_factory):
    """The offices and users, with FEW records; tests add MORE inside their own savepoint."""
    from django.test import override_settings

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        fixture = _build()
        _add(fixture, FEW)
        yield fixture
        transaction.set_rollback(True)


def _client(user: User, api: bool) -> Any:
    client: Any = APIClient() if api else Client()
    if api:
        client.force_authenticate(user)
    else:
        client.force_login(user)
    return client


def _get(client: Any, endpoint: Endpoint, fx: Fixture) -> tuple[list[str], Any]:
    headers = {"HTTP_HX_REQUEST": "true"} if endpoint.htmx else {}
    path = endpoint.path(fx)
    client.get(path, **headers)  # warm: session, caches of reference data
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, **headers)
        if getattr(response, "streaming", False):
            response.content = b"".join(response.streaming_content)
    assert response.status_code == 200, (endpoint.name, response.status_code)
    return [q["sql"] for q in ctx.captured_queries], response


def _shape(sql: str) -> str:
    """A query without its literal values, to tell which one repeats per row."""
    sql = re.sub(r"'[^']*'|\b\d+\b|%s", "?", sql)
    sql = re.sub(r"(\([?, ]+\))(, \([?, ]+\))+", r"\1, …", sql)  # a bulk INSERT's rows
    sql = re.sub(r'"s\d+_x\d+"', "?", sql)  # savepoint names
    return re.sub(r"\s+", " ", sql)[:240] + (" … " + sql[-160:] if len(sql) > 240 else "")


def _grown(few: list[str], more: list[str]) -> str:
    counts = Counter(_shape(q) for q in more)
    counts.subtract(Counter(_shape(q) for q in few))
    return "\n".join(f"    +{n} × {shape}" for shape, n in counts.items() if n > 0)


@pytest.mark.django_db
def test_every_list_has_a_budget() -> None:
    """A new list page or endpoint cannot be added without a budget here."""
    with_budget = {e.name for e in LISTS + DETAILS}
    missing = [
        p.name
        for p in get_patterns()
        if not p.params and p.name not in with_budget and p.name not in NOT_LISTS
    ]
    assert not missing, f"list pages without a query budget: {missing}"


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", LISTS, ids=lambda e: e.name + (":htmx" if e.htmx else ""))
def test_list_queries_do_not_grow_with_rows(fx: Fixture, endpoint: Endpoint) -> None:
    clients = {reader: _client(fx.users[reader], endpoint.api) for reader in endpoint.readers}
    before = {}
    for reader, client in clients.items():
        count, response = _get(client, endpoint, fx)
        if endpoint.rows:
            assert endpoint.rows(response) >= FEW, (reader, "rows shown")
        before[reader] = count
    _add(fx, MORE)
    try:
        failures = []
        for reader, client in clients.items():
            queries, response = _get(client, endpoint, fx)
            if endpoint.rows:
                assert endpoint.rows(response) >= MORE, (reader, "rows shown")
            few, count = len(before[reader]), len(queries)
            if count != few or count > endpoint.budget:
                failures.append(
                    f"{reader}: {few} queries with {FEW} records, {count} with {MORE} "
                    f"(budget {endpoint.budget})\n{_grown(before[reader], queries)}"
                )
        assert not failures, f"{endpoint.name}:\n" + "\n".join(failures)
    finally:
        del fx.people[FEW:], fx.cases[FEW:], fx.requests[FEW:]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", DETAILS, ids=lambda e: e.name)
def test_detail_queries_within_budget(fx: Fixture, endpoint: Endpoint) -> None:
    _add(fx, MORE)
    try:
        failures = []
        for reader in endpoint.readers:
            queries, _response = _get(_client(fx.users[reader], endpoint.api), endpoint, fx)
            count = len(queries)
            if count > endpoint.budget:
                failures.append(f"{reader}: {count} queries (budget {endpoint.budget})")
        assert not failures, f"{endpoint.name}:\n" + "\n".join(failures)
    finally:
        del fx.people[FEW:], fx.cases[FEW:], fx.requests[FEW:]


@pytest.mark.django_db
def test_list_reads_are_logged_in_one_insert(fx: Fixture) -> None:
    """The case list logs one AccessEvent per row shown, in one INSERT."""
    _add(fx, MORE)
    try:
        client = _client(fx.users["officer"], api=True)
        start = AccessEvent.objects.count()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("api:case-list"))
        assert response.status_code == 200
        shown = len(response.json()["results"])
        assert shown >= MORE
        assert AccessEvent.objects.count() - start == shown
        inserts = [
            q
            for q in ctx.captured_queries
            if "INSERT INTO" in q["sql"] and "accessevent" in q["sql"]
        ]
        assert len(inserts) == 1, "\n".join(_shape(q["sql"]) for q in inserts)
    finally:
        del fx.people[FEW:], fx.cases[FEW:], fx.requests[FEW:]
