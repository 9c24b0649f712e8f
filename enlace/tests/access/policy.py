"""THE access policy of Enlace, as one table: URL pattern × method × role × relation → outcome.

Every URL pattern of the URL conf has an entry in ENDPOINTS, keyed by its route name (a DRF route
and its format-suffix twin share one name). test_policy.py fails when a pattern is missing from
the table, when the table names a pattern that no longer exists, or when an API view answers a
method the table does not state; then it runs every cell of the table against one small world
(world.py: the offices, the relations, the records) and lists every cell that differs at once.
test_access_log.py reads the `logs=` of every GET: the records one allowed read must log.

Outcomes are rules over (role, relation), written once below, so the table reads like the
firewall of shared/DESIGN.md:
  - a case and its person belong to the office that registered them: visible to its officers and
    supervisors, to the national focal points of its country, to the trafficking focal points of
    its country for possible victims of trafficking, and to another office only through an
    accepted referral (a grant; a revoked referral opens nothing). A tracing match the owning
    office confirmed with consent grants the requesting office the person, not the cases;
  - a victim of trafficking is named only to the owning office and the trafficking focal points
    of its country; a survivor of gender-based violence only to the owning office and the focal
    points of its country: not to a referred-in office, not in lists or exports;
  - a requesting office learns of a possible match only that it exists, and where, until the
    person's office confirms it;
  - only the owning office changes a person or case; a referred-in office adds actions, notes
    and files; only the receiving office accepts, rejects, finishes a referral, only the sender
    revokes it;
  - missing and forbidden are the same 404 (the same bytes, but the URL); anonymous visitors are
    sent to log in (pages) or refused with 401/403 (API).

A new URL: add an Endpoint with a Call per method, say who gets what with the rules below (or a
new one, named in the words of the domain), which record goes in the URL (kwargs), in which
relations it varies (ROLE_ONLY, OFFICES or RECORDS), the body that makes an allowed write succeed,
and for a GET which records it shows (logs=) or why none.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enlace.accounts.models import Role
from enlace.cases.testing import download_url

from .world import (
    BASE_RELATIONS,
    FORUM_DRAFT_TEXT,
    GBV_COUNTRY,
    GBV_GRANTED,
    GBV_OWN,
    GRANTED,
    OTHER_COUNTRY,
    OWN,
    PASSWORD,
    RELATIONS,
    REVOKED,
    SAME_COUNTRY,
    SECRETARIAT,
    TRACED,
    TRACING_REQUEST,
    TRAFFICKING_COUNTRY,
    TRAFFICKING_GRANTED,
    TRAFFICKING_OWN,
    World,
)

# ---------------------------------------------------------------------------------------------
# Outcomes


@dataclass(frozen=True)
class Expect:
    """What one cell must answer. `listed`/`named`: whether the record / the person's name must
    (True) or must not (False) be in the body; None: not checked."""

    label: str
    statuses: frozenset[int]
    listed: bool | None = None
    named: bool | None = None
    to_login: bool | None = None  # for redirects: to the login page (True) or elsewhere (False)

    def __str__(self) -> str:
        return self.label


OK = Expect("200", frozenset({200}))
CREATED = Expect("201", frozenset({201}))
ACCEPTED = Expect("202", frozenset({202}))
GONE = Expect("204", frozenset({204}))
REDIRECT = Expect("redirect (not to login)", frozenset({302, 303}), to_login=False)
HIDDEN = Expect("404", frozenset({404}))
LOGIN = Expect("redirect to login", frozenset({302}), to_login=True)
AUTH = Expect("401/403", frozenset({401, 403}))
LISTED = Expect("200 listing the record", frozenset({200}), listed=True)
UNLISTED = Expect("200 without the record", frozenset({200}), listed=False)
NAMED = Expect("200 naming the person", frozenset({200}), named=True)
MASKED = Expect("200 without the person's name", frozenset({200}), named=False)
LISTED_MASKED = Expect(
    "200 listing the record without the person's name", frozenset({200}), listed=True, named=False
)

Rule = Callable[[str, str], Expect]  # (role, relation) → outcome

# ---------------------------------------------------------------------------------------------
# Who is who (the roles are named here and nowhere else in the tests)

STAFF = frozenset({Role.OFFICER, Role.SUPERVISOR})
NFP, TFP, ADMIN = Role.NATIONAL_FOCAL_POINT, Role.TRAFFICKING_FOCAL_POINT, Role.ADMINISTRATOR
OWNER = frozenset({OWN, TRAFFICKING_OWN, GBV_OWN})
HOME_COUNTRY = frozenset(
    {OWN, SAME_COUNTRY, TRAFFICKING_OWN, TRAFFICKING_COUNTRY, GBV_OWN, GBV_COUNTRY}
)
GRANTS = frozenset({GRANTED, TRAFFICKING_GRANTED, GBV_GRANTED})  # through an accepted referral
TRAFFICKING = frozenset({TRAFFICKING_OWN, TRAFFICKING_COUNTRY, TRAFFICKING_GRANTED})
GBV = frozenset({GBV_OWN, GBV_COUNTRY, GBV_GRANTED})


def sees_record(role: str, relation: str) -> bool:
    """Read a case (and its files) and its person."""
    if role in STAFF:
        return relation in OWNER or relation in GRANTS
    if role == NFP:  # referrals to any office of the focal point's country count
        return relation in HOME_COUNTRY or relation in GRANTS
    if role == TFP:  # of its own country only
        return relation in TRAFFICKING and relation in HOME_COUNTRY
    return False


def sees_person(role: str, relation: str) -> bool:
    """Read a person: as the case, and the office whose tracing request the own office
    confirmed as this person, with the person's consent (a grant of the person, not the cases)."""
    return sees_record(role, relation) or (role in STAFF and relation == TRACED)


def sees_identity(role: str, relation: str) -> bool:
    """Victims of trafficking: named to the owning office and the trafficking focal points of its
    country only; survivors of gender-based violence: to the owning office and the focal points
    of its country. Not to an office the case was referred to."""
    own = role in STAFF and relation in OWNER
    if relation in TRAFFICKING:
        return own or (role == TFP and relation in HOME_COUNTRY)
    if relation in GBV:
        return own or (role in (NFP, TFP) and relation in HOME_COUNTRY)
    return True


def owner_staff(role: str, relation: str) -> bool:
    return role in STAFF and relation in OWNER


def works_on(role: str, relation: str) -> bool:
    """Add actions, notes and files: the owning office and an office the case was referred to."""
    return role in STAFF and (relation in OWNER or relation in GRANTS)


def staff(role: str, relation: str) -> bool:
    return role in STAFF


def anyone(role: str, relation: str) -> bool:
    return True


def nobody(role: str, relation: str) -> bool:
    return False


def admin(role: str, relation: str) -> bool:
    return role == ADMIN


def sees_members(role: str, relation: str) -> bool:
    """An office's members list: its own members, the country's national focal points, admins."""
    return relation == OWN or role == ADMIN or (role == NFP and relation == SAME_COUNTRY)


def manages_members(role: str, relation: str) -> bool:
    return role == ADMIN or (role == Role.SUPERVISOR and relation == OWN)


def oversees(role: str, relation: str) -> bool:
    """The audit trail of a record: owning office's supervisors, the country's national focal
    points, administrators."""
    if role == ADMIN:
        return True
    if role == Role.SUPERVISOR:
        return relation in OWNER
    return role == NFP and relation in HOME_COUNTRY


def oversight_role(role: str, relation: str) -> bool:
    return role in (Role.SUPERVISOR, NFP, ADMIN)


def tracing_sides(role: str, relation: str) -> bool:
    """A tracing match: the office of the person (own) and the requesting office (traced),
    staff only."""
    return role in STAFF and relation in (OWN, TRACED)


def requester(role: str, relation: str) -> bool:
    return role in STAFF and relation == TRACED


def person_owner_side(role: str, relation: str) -> bool:
    return role in STAFF and relation == OWN


def job_owner(role: str, relation: str) -> bool:
    return role == ADMIN and relation == OWN


def inbox_reader(role: str, relation: str) -> bool:
    """The world's inbox item: the granted office's staff were told of the referral."""
    return role in STAFF and relation == GRANTED


def exporter(role: str, relation: str) -> bool:
    """The user who started the world's case export (the own office's officer): the only one
    who sees its progress or downloads its file."""
    return role == Role.OFFICER and relation == OWN


def importer(role: str, relation: str) -> bool:
    """The user who uploaded a register of people to import (the own office's officer): the
    only one who sees its report or imports it."""
    return role == Role.OFFICER and relation == OWN


def received_referral(role: str, relation: str) -> bool:
    return role in STAFF and relation in (GRANTED, REVOKED)


def referral_party(role: str, relation: str) -> bool:
    return role in STAFF and relation in (OWN, GRANTED, REVOKED)


def receiver_of_fresh(role: str, relation: str) -> bool:
    """A fresh referral is always sent by the own office to the same-country office."""
    return role in STAFF and relation == SAME_COUNTRY


def sender_of_fresh(role: str, relation: str) -> bool:
    return role in STAFF and relation == OWN


def allow(who: Callable[[str, str], bool], yes: Expect = OK, no: Expect = HIDDEN) -> Rule:
    return lambda role, relation: yes if who(role, relation) else no


def listing(who: Callable[[str, str], bool], outside: Expect = UNLISTED) -> Rule:
    """A list or export: 200 for everyone it is open to; the record is in it only for `who`."""
    return lambda role, relation: LISTED if who(role, relation) else outside


def staff_listing(who: Callable[[str, str], bool]) -> Rule:
    """A list open to office staff only (404 for other roles)."""
    return lambda role, relation: (
        HIDDEN if role not in STAFF else LISTED if who(role, relation) else UNLISTED
    )


def record_listing(
    role: str, relation: str, sees: Callable[[str, str], bool] = sees_record
) -> Expect:
    """A list or export of cases: the record is in it for those who see it, without the name
    for those who may not see the identity."""
    if not sees(role, relation):
        return UNLISTED
    return LISTED if sees_identity(role, relation) else LISTED_MASKED


def person_listing(role: str, relation: str) -> Expect:
    return record_listing(role, relation, sees_person)


def match_page(role: str, relation: str) -> Expect:
    """A possible match: the person's office sees whom; the requesting office learns only that
    a possible match exists, and where, until the person's office confirms it with consent."""
    if not tracing_sides(role, relation):
        return HIDDEN
    return NAMED if relation == OWN else MASKED


def confirmed_match_page(role: str, relation: str) -> Expect:
    return NAMED if requester(role, relation) else HIDDEN


def record_page(role: str, relation: str, sees: Callable[[str, str], bool] = sees_record) -> Expect:
    """A case's own page: named, masked or hidden."""
    if not sees(role, relation):
        return HIDDEN
    return NAMED if sees_identity(role, relation) else MASKED


def person_page(role: str, relation: str) -> Expect:
    return record_page(role, relation, sees_person)


def person_photo(role: str, relation: str) -> Expect:
    """The person's photo: only to those who may see the identity."""
    return OK if sees_person(role, relation) and sees_identity(role, relation) else HIDDEN


# Trafficking cases (enlace.trafficking.rules): the world's case is owned by the own office
# (MX), its route passes through CO (the granted office's country); its victim is the
# trafficking person. Read in the trafficking relations (the own office, the same country's,
# the granted office) and in offices with no tie (other country, revoked, traced).
TRAFFICKING_CASE_RELATIONS = (
    TRAFFICKING_OWN,
    TRAFFICKING_COUNTRY,
    TRAFFICKING_GRANTED,
    OTHER_COUNTRY,
    REVOKED,
    TRACED,
)
OWNER_COUNTRY = frozenset({TRAFFICKING_OWN, TRAFFICKING_COUNTRY})


def sees_trafficking_case(role: str, relation: str) -> bool:
    """Trafficking focal points of the owner country or a country on the route; national focal
    points of the owner country; the owning office's staff."""
    if role == TFP:
        return relation in OWNER_COUNTRY or relation == TRAFFICKING_GRANTED
    if role == NFP:
        return relation in OWNER_COUNTRY
    return role in STAFF and relation == TRAFFICKING_OWN


def sees_trafficking_identities(role: str, relation: str) -> bool:
    """Only trafficking focal points of the owner country (and of countries granted access)."""
    return role == TFP and relation in OWNER_COUNTRY


def trafficking_page(role: str, relation: str) -> Expect:
    if not sees_trafficking_case(role, relation):
        return HIDDEN
    return NAMED if sees_trafficking_identities(role, relation) else MASKED


def trafficking_list_page(role: str, relation: str) -> Expect:
    """The list page: for the roles that may see some trafficking case (others 404); it names
    no one."""
    if role not in STAFF | {NFP, TFP}:
        return HIDDEN
    return LISTED if sees_trafficking_case(role, relation) else UNLISTED


def trafficking_reader(role: str, relation: str) -> bool:
    """The roles that may see some trafficking case (the network page)."""
    return role in STAFF | {NFP, TFP}


def trafficking_listing(role: str, relation: str) -> Expect:
    return LISTED if sees_trafficking_case(role, relation) else UNLISTED


def trafficking_focal_point(role: str, relation: str) -> bool:
    return role == TFP


def trafficking_case_kw(c: "Ctx") -> dict[str, Any]:
    return {"case_id": c.world.trafficking_case.pk}


def the_trafficking_case(c: "Ctx") -> list[Any]:
    return [c.world.trafficking_case]


def trafficking_form(c: "Ctx", **fields: Any) -> dict[str, Any]:
    """The trafficking case form's fields, with every row formset empty."""
    data: dict[str, Any] = {"kind": "smuggling", "status": "Active", "summary": "Nuevo caso"}
    for name in ("route", "victims", "perpetrators", "identifiers", "events", "incidents"):
        data |= {f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"}
    return data | fields


# Trafficking alerts and identity requests (world: alerts_case of the own office's trafficking
# focal point, route MX → CO → SV → US; the granted office's alert; its identity request).
ALERT_RELATIONS = (OWN, SAME_COUNTRY, GRANTED, TRACED, OTHER_COUNTRY)


def alerts_page(role: str, relation: str) -> Expect:
    """Trafficking focal points see their office's alerts (the author's office has none);
    national focal points the escalated alerts of their country (none here); others 404."""
    if role == TFP:
        return LISTED if relation in (SAME_COUNTRY, GRANTED, TRACED) else UNLISTED
    return UNLISTED if role == NFP else HIDDEN


def alerted_office(role: str, relation: str) -> bool:
    return role == TFP and relation == GRANTED


def may_request_identities(role: str, relation: str) -> bool:
    """A route country's focal point without the identities or a waiting request: the traced
    office's (SV); the granted office (CO) has asked already."""
    return role == TFP and relation == TRACED


def request_sides(role: str, relation: str) -> bool:
    """The requesting office's focal points (CO) and the owner country's (MX)."""
    return role == TFP and relation in (OWN, SAME_COUNTRY, GRANTED)


def request_decider(role: str, relation: str) -> bool:
    return role == TFP and relation in (OWN, SAME_COUNTRY)


def requests_page(role: str, relation: str) -> Expect:
    if role != TFP:
        return HIDDEN
    return LISTED if request_sides(role, relation) else UNLISTED


def granted_request(c: "Ctx") -> dict[str, Any]:
    """The world's identity request, granted by the owner's focal point (to be revoked)."""
    from enlace.accounts.actor import actor_for
    from enlace.trafficking import access_requests

    request = access_requests.request_decide(
        actor=actor_for(c.world.users[(TFP, OWN)]), request=c.world.identity_request, grant=True
    )
    return {"request_id": request.pk}


# Assisted voluntary returns (enlace.returns.rules): the world's return is owned by the own
# office (MX) and handed over to the same-country office (the ministry in Mexico), the country of
# origin. The sending side: the own office's staff and Mexico's national focal points; the
# receiving side: the same-country office's staff, through the hand-over grant. Others: 404.


def sees_return(role: str, relation: str) -> bool:
    if role in STAFF:
        return relation in (OWN, SAME_COUNTRY)
    return role == NFP and relation in (OWN, SAME_COUNTRY)


def works_return_sending(role: str, relation: str) -> bool:
    """The steps up to departure (withdrawal among them): the sending side."""
    return (role in STAFF and relation == OWN) or (role == NFP and relation in (OWN, SAME_COUNTRY))


def the_return(c: "Ctx") -> list[Any]:
    return [c.world.return_]


REQUEST_READ = "a request names its case by reference and the offices; no person is read"
ALERTS_READ = "alerts name cases by reference, route and office; no person is read"


# The return pages (enlace.returns.views) over the world's return (world.return_; sees_return
# and works_return_sending above): the list is open to office staff and national focal points.


def return_reader(role: str, relation: str) -> bool:
    """The roles that may see some return (the list; other roles get 404)."""
    return role in STAFF or role == NFP


def return_listing(role: str, relation: str) -> Expect:
    if not return_reader(role, relation):
        return HIDDEN
    return LISTED if sees_return(role, relation) else UNLISTED


def return_settings_editor(role: str, relation: str) -> bool:
    return role in (Role.SUPERVISOR, ADMIN)


def return_kw(c: "Ctx") -> dict[str, Any]:
    return {"return_id": c.world.return_.pk}


def return_opener(c: "Ctx") -> dict[str, str]:
    """Open a return for the trafficking person of the own office (the plain person's is
    under way already)."""
    return {"person": str(c.world.records["trafficking"].person.pk)}


def the_returning_person(c: "Ctx") -> list[Any]:
    return [c.world.records["trafficking"].person]


def return_departure(c: "Ctx") -> dict[str, Any]:
    return {"departure-version": version_of(c.world.return_)}


def return_withdrawal(c: "Ctx") -> dict[str, Any]:
    return {"withdraw-version": version_of(c.world.return_), "withdraw-confirm": "on"}


# Forums (enlace.forums.rules): the world's agenda item belongs to a forum whose members are MX
# (the own office's country) and GT (the other country's); the regional secretariat's office
# (kind "secretariat", PA) drafts. Mexico's position is a draft: Mexico's staff read it, other
# staff and the public do not. A national focal point writes only for its own country (the URL
# names MX: Guatemala's focal point gets 404); the secretariat's analyst and administrator
# manage forums and draft the regional position; every staff role reads; association
# representatives and the public see only the public pages and the public parts of the API.
FORUM_RELATIONS = (OWN, OTHER_COUNTRY, SECRETARIAT)
FORUM_NO_PERSON = "forums hold no person or case: no record is read"


def forum_reader(role: str, relation: str) -> bool:
    return role != Role.ASSOCIATION_REP


def forum_secretariat(role: str, relation: str) -> bool:
    return role in (Role.ANALYST, ADMIN) and relation == SECRETARIAT


def speaks_for_mexico(role: str, relation: str) -> bool:
    return role == NFP and relation == OWN


def member_focal_point(role: str, relation: str) -> bool:
    """Answers for its own country (the API takes the country from the caller): MX and GT."""
    return role == NFP and relation in (OWN, OTHER_COUNTRY)


def forum_item_page(role: str, relation: str) -> Expect:
    if not forum_reader(role, relation):
        return HIDDEN
    return LISTED if relation == OWN else UNLISTED


def forum_item_api(role: str, relation: str) -> Expect:
    """The API is open: non-staff get the public parts (no draft)."""
    return LISTED if forum_reader(role, relation) and relation == OWN else UNLISTED


def forum_draft(c: "Ctx") -> str:
    return FORUM_DRAFT_TEXT


def forum_item_kw(c: "Ctx") -> dict[str, Any]:
    return {"agenda_item_id": c.world.forum_item.pk}


def forum_mx_kw(c: "Ctx") -> dict[str, Any]:
    return {**forum_item_kw(c), "country": "MX"}


def forum_endorsement(c: "Ctx") -> dict[str, Any]:
    country = "GT" if c.relation == OTHER_COUNTRY else "MX"
    endorsement = c.world.forum_regional.endorsements.filter(country_id=country).first()
    return {
        "decision": "endorsed",
        "note": "",
        "version": endorsement.version if endorsement else 1,
    }


def forum_all_endorsed(c: "Ctx") -> dict[str, Any]:
    """Adoption needs every member's endorsement: given inside the cell's savepoint."""
    c.world.forum_regional.endorsements.update(decision="endorsed")
    return {"step": "adopt"}


# Good practices (enlace.practices.rules): the world's practices belong to the own office (a
# draft, a submitted one, a published one, each with a file). Any member of the own office works
# on them; the secretariat's analysts and administrators review the submitted one; everyone,
# anonymous included, reads the published one. Read from the own office, an office of the same
# and of another country, and the secretariat.
PRACTICE_RELATIONS = (OWN, SAME_COUNTRY, OTHER_COUNTRY, SECRETARIAT)
PRACTICE_READ = "a practice is not a person or a case: no read is logged"


def practice_author(role: str, relation: str) -> bool:
    """Any member of the practice's office."""
    return relation == OWN


def practice_reviewer(role: str, relation: str) -> bool:
    return relation == SECRETARIAT and role in (Role.ANALYST, ADMIN)


def sees_submitted_practice(role: str, relation: str) -> bool:
    return practice_author(role, relation) or practice_reviewer(role, relation)


def practice_kw(status: str) -> Callable[["Ctx"], dict[str, Any]]:
    return lambda c: {"practice_id": c.world.practices[status].pk}


def practice_file_kw(status: str) -> Callable[["Ctx"], dict[str, Any]]:
    return lambda c: {
        "practice_id": c.world.practices[status].pk,
        "attachment_id": c.world.practices[f"{status}_file"].pk,
    }


def practice_form(c: "Ctx") -> dict[str, Any]:
    return {
        "version": version_of(c.world.practices["draft"]),
        "language": "es",
        "title": "Práctica nueva",
        "summary": "Resumen.",
        "description": "Descripción.",
        "contact_name": "Contacto",
        "contact_email": "contacto@example.org",
    }


def practice_version(status: str) -> Callable[["Ctx"], dict[str, Any]]:
    return lambda c: {"version": version_of(c.world.practices[status])}


def upload_pdf(_c: "Ctx") -> dict[str, Any]:
    return {
        "file": SimpleUploadedFile("informe.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    }


def practice_question(_c: "Ctx") -> dict[str, Any]:
    return {"name": "Ana", "email": "ana@example.com", "message": "¿Cómo empezaron?"}


# The public portal's intake (enlace.portal): the ask and follow pages are the same for everyone
# (no login); a request from the public is triaged by the staff of the office it was routed to
# (always the own office here), and by nobody else — not even the national focal points.

PORTAL_REQUEST_READ = "the triage list shows kinds and dates of the office's requests, no content"


def portal_help_form(_c: "Ctx") -> dict[str, Any]:
    return {
        "situation": "labour",
        "description": "No me pagaron",
        "nationality": "MX",
        "country": "US",
        "contact_phone": "+1 213 555 0100",
    }


def portal_tracing_form(_c: "Ctx") -> dict[str, Any]:
    return {
        "given_names": "Ana",
        "relation": "mother",
        "contact_phone": "+1 213 555 0100",
        "consent": "on",
    }


def portal_api_help(c: "Ctx") -> dict[str, Any]:
    return {"kind": "help", **portal_help_form(c)}


def portal_codes(action: str = "") -> Callable[["Ctx"], dict[str, Any]]:
    """Codes of a fresh request (made in the cell's savepoint), and the follow-up step."""

    def data(c: "Ctx") -> dict[str, Any]:
        from enlace.portal.services import request_submit

        receipt = request_submit(kind="help", data=portal_help_form(c))
        body = {"reference": receipt.reference, "secret": receipt.secret}
        return body | ({"action": action, "text": "Más datos"} if action else {})

    return data


def _portal_request(c: "Ctx") -> Any:
    """A request from the public routed to the own office, waiting for triage (one per cell:
    each cell runs in a savepoint that is rolled back)."""
    from django.utils import timezone

    from enlace.portal.models import PublicRequest
    from enlace.portal.services import new_code, secret_digest

    request, _created = PublicRequest.objects.get_or_create(
        reference="POLICY22222222222222",
        defaults={
            "kind": "tracing",
            "secret_digest": secret_digest(new_code()),
            "office": c.world.offices[OWN],
            "updated": timezone.now(),
            "consent": True,
            "contact_phone": "+1 213 555 0100",
            "details": {"given_names": "Ana", "first_surname": "Pérez", "relation": "mother"},
        },
    )
    return request


def portal_request_kw(c: "Ctx") -> dict[str, Any]:
    return {"public_request_id": _portal_request(c).pk}


def the_portal_request(c: "Ctx") -> list[Any]:
    return [_portal_request(c)]


def portal_triager(role: str, relation: str) -> bool:
    return role in STAFF and relation == OWN


def portal_case_form(_c: "Ctx") -> dict[str, Any]:
    return {
        "person": "",
        "given_names": "Ana",
        "first_surname": "Pérez",
        "case_type": "missing_person",
        "summary": "Desde el portal",
    }


def portal_tracing_triage(_c: "Ctx") -> dict[str, Any]:
    return {"requester_name": "Rosa Pérez", "given_names": "Ana", "verified": "on"}


def portal_forward_form(c: "Ctx") -> dict[str, Any]:
    """Forward the own office's request to the same country's foreign ministry."""
    return {"office": str(c.world.offices[SAME_COUNTRY].pk)}


# Forwarding: the staff of the office holding the request; the secretariat's staff are asked
# too (they forward what routing gave them, not what another office holds).
PORTAL_FORWARD_RELATIONS = (*BASE_RELATIONS, SECRETARIAT)


def portal_supervisor(role: str, relation: str) -> bool:
    return role == Role.SUPERVISOR


# Data protection (enlace.privacy): the rights requests of a person are recorded and worked by
# the staff of the office that holds the person (only it may correct or erase them), and
# anonymised by its supervisors; nobody else sees them, not even the national focal points.
# The breach register: supervisors (their office), national focal points (their country's
# offices), administrators (all) keep it; the regional secretariat's analysts read it.
PRIVACY_QUEUE_READ = "the queue shows short references, kinds and dates, no person"
BREACHES_READ = "the breach register names no person"
PRIVACY_RELATIONS = (OWN, SAME_COUNTRY, OTHER_COUNTRY, SECRETARIAT)


def _rights_request(c: "Ctx", kind: str = "access") -> Any:
    """A rights request of the own office (one per cell and kind: each cell's savepoint is
    rolled back); a deletion request is about a person of its own, so that no file of the
    world's is erased."""
    import datetime as dt

    from enlace.people.models import Person
    from enlace.privacy.models import RightsRequest

    office = c.world.offices[OWN]
    person = c.world.records["plain"].person
    if kind == "deletion":
        person, _created = Person.objects.get_or_create(
            owner_office=office, given_names="Borrable", defaults={"search_text": "borrable"}
        )
    today = timezone.localdate()
    request, _created = RightsRequest.objects.get_or_create(
        office=office,
        person=person,
        kind=kind,
        details="POLICY",
        defaults={
            "law_country": "MX",
            "received_on": today,
            "due_on": today + dt.timedelta(days=20),
            "legal_source": "test",
        },
    )
    return request


def rights_request_kw(kind: str = "access") -> Callable[["Ctx"], dict[str, Any]]:
    return lambda c: {"rights_request_id": _rights_request(c, kind).pk}


def the_rights_request(c: "Ctx") -> list[Any]:
    """The request's page shows the request and names its person (both reads logged)."""
    request = _rights_request(c)
    return [request, request.person]


def privacy_staff(role: str, relation: str) -> bool:
    return role in STAFF and relation == OWN


def privacy_supervisor(role: str, relation: str) -> bool:
    return role == Role.SUPERVISOR and relation == OWN


def rights_request_form(_c: "Ctx") -> dict[str, Any]:
    return {"kind": "access", "law_country": "MX", "received_on": timezone.localdate().isoformat()}


def reads_breaches(role: str, relation: str) -> bool:
    return role in (Role.SUPERVISOR, NFP, ADMIN, Role.ANALYST)


def records_breaches(role: str, relation: str) -> bool:
    return role in (Role.SUPERVISOR, NFP, ADMIN)


def breach_form(_c: "Ctx") -> dict[str, Any]:
    return {
        "detected_at": "2026-01-05T10:00",
        "description": "Un portátil perdido",
        "records_affected": "3",
        "persons_affected": "2",
    }


def breach_kw(c: "Ctx") -> dict[str, Any]:
    """A breach of the own office (MX), waiting to be notified."""
    import datetime as dt

    from django.utils import timezone

    from enlace.privacy.models import Breach

    breach = Breach.objects.create(
        office=c.world.offices[OWN],
        detected_at=timezone.now() - dt.timedelta(hours=2),
        description="Correo enviado a otra persona",
        notify_by=timezone.localdate() + dt.timedelta(days=3),
    )
    return {"breach_id": breach.pk}


def edits_breach(role: str, relation: str) -> bool:
    """The own office's breach: its supervisors, Mexico's focal points, any administrator."""
    if role == ADMIN:
        return True
    if role == Role.SUPERVISOR:
        return relation == OWN
    return role == NFP and relation in (OWN, SAME_COUNTRY)


def rights_request_pk(kind: str = "access") -> Callable[["Ctx"], dict[str, Any]]:
    return lambda c: {"pk": _rights_request(c, kind).pk}


# The queue's request has a fixed id: the marker is looked for after the cell's savepoint was
# rolled back, when the request is gone.
QUEUE_REQUEST_ID = "5eed0000-0000-4000-8000-00000000a11c"


def a_rights_request(c: "Ctx") -> dict[str, Any]:
    """The queue's GET: the own office's request exists (no URL argument)."""
    from enlace.privacy.models import RightsRequest

    template = _rights_request(c)
    RightsRequest.objects.filter(pk=template.pk).update(id=QUEUE_REQUEST_ID)
    return {}


def rights_request_marker(_c: "Ctx") -> str:
    return QUEUE_REQUEST_ID


def rights_request_body(c: "Ctx") -> dict[str, Any]:
    return {
        "person": str(c.world.records["plain"].person.pk),
        "kind": "access",
        "law_country": "MX",
    }


def breach_pk(c: "Ctx") -> dict[str, Any]:
    return {"pk": breach_kw(c)["breach_id"]}


def breach_body(_c: "Ctx") -> dict[str, Any]:
    return {
        "detected_at": "2026-01-05T10:00:00Z",
        "description": "Un portátil perdido",
        "records_affected": 3,
        "persons_affected": 2,
    }


def breach_notified_body(_c: "Ctx") -> dict[str, Any]:
    from django.utils import timezone

    return {"notified_at": timezone.now().isoformat(), "notified_to": "INAI"}


def breach_notified_form(_c: "Ctx") -> dict[str, Any]:
    from django.utils import timezone

    return {
        "notified_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "notified_to": "INAI",
    }


# Remittances (enlace.remittances.rules): the comparison and the corridor series are public;
# quotes are entered and corrected by national focal points (the corridors of their country)
# and administrators anywhere, and by the regional secretariat's analysts (every corridor). The
# world's quote is of the corridor US → MX, the own office's and the same-country office's
# country.
REMIT_COUNTRY = frozenset({OWN, SAME_COUNTRY})
REMIT_RELATIONS = (OWN, SECRETARIAT)


def remittance_editor(role: str, relation: str) -> bool:
    return role in (NFP, ADMIN) or (role == Role.ANALYST and relation == SECRETARIAT)


def corrects_the_quote(role: str, relation: str) -> bool:
    """The world's quote (US → MX): a national focal point of Mexico, not of another country."""
    return remittance_editor(role, relation) and (role != NFP or relation in REMIT_COUNTRY)


REFUSED = Expect("400", frozenset({400}))


def enters_the_quote(role: str, relation: str) -> Expect:
    """A new quote of US → MX: an editor of another country is told why (400)."""
    if not remittance_editor(role, relation):
        return HIDDEN
    return CREATED if corrects_the_quote(role, relation) else REFUSED


def remittance_corridor(c: "Ctx") -> Any:
    from enlace.remittances.models import Corridor

    return Corridor.objects.get_or_create(sending_id="US", receiving_id="MX")[0]


def remittance_provider(c: "Ctx") -> Any:
    from enlace.remittances.models import Provider

    return Provider.objects.get_or_create(
        name_key="politicaprueba", defaults={"name": "Política Prueba", "kind": "mto"}
    )[0]


def remittance_quote(c: "Ctx") -> Any:
    from enlace.remittances.models import Quote

    return Quote.objects.create(
        provider=remittance_provider(c),
        corridor=remittance_corridor(c),
        collected_on="2026-10-01",
        period="2026Q4",
        amount="200",
        currency_id="USD",
        fee="5",
        applied_rate="18.2",
        interbank_rate="18.5",
        speed="same_day",
    )


def remittance_quote_body(c: "Ctx") -> dict[str, Any]:
    return {
        "provider": str(remittance_provider(c).pk),
        "sending": "US",
        "receiving": "MX",
        "collected_on": "2026-10-02",
        "amount": "200",
        "fee": "4",
        "applied_rate": "18.1",
        "interbank_rate": "18.5",
        "speed": "next_day",
    }


# Diaspora associations (enlace.diaspora.rules): the world's association belongs to the own
# office; the other-country office has an association of its own; the same-country office has
# none. A representative edits only their own association (other association: 404); the
# administrators moderate every association; focal points, officers, analysts: 404. The
# directory, association and municipality pages and the association endpoints are public.
BAD = Expect("400", frozenset({400}))
REP = Role.ASSOCIATION_REP
DIASPORA = (OWN, SAME_COUNTRY, OTHER_COUNTRY)
DIASPORA_READ = "an association's public data: no person"


def manages_associations(role: str, relation: str) -> bool:
    return role in (REP, ADMIN)


def edits_association(role: str, relation: str) -> bool:
    """The own association's representatives, and administrators (moderation)."""
    return (role == REP and relation == OWN) or role == ADMIN


def registers_association(role: str, relation: str) -> Expect:
    """A representative may register their office's association, once, and only for an office
    of kind association: the own office has one already, the others are consulates (400)."""
    return BAD if role == REP else HIDDEN


def association_kw(c: "Ctx") -> dict[str, Any]:
    return {"association_id": c.world.association.pk}


def project_kw(c: "Ctx") -> dict[str, Any]:
    return {"project_id": c.world.project.pk}


def association_form(c: "Ctx") -> dict[str, Any]:
    return {
        "name": "Club Jerezano",
        "residence_country": "US",
        "residence_city": "Los Angeles",
        "origin_country": "MX",
        "origin_municipality": "MX-32020",
        "version": str(version_of(c.world.association)),
    }


def project_form(c: "Ctx") -> dict[str, Any]:
    return {
        "title": "Clínica",
        "municipality": "SV-1407",
        "project_type": "health",
        "status": "planned",
        "currency": "USD",
        "beneficiaries_women": "1",
        "beneficiaries_men": "1",
        "beneficiaries_other": "0",
        "version": str(version_of(c.world.project)),
        "cf-TOTAL_FORMS": "0",
        "cf-INITIAL_FORMS": "0",
    }


# ---------------------------------------------------------------------------------------------
# Table entries


@dataclass(frozen=True)
class Ctx:
    """One cell being run: the world, the acting role, relation and user."""

    world: World
    role: str
    relation: str
    user: Any

    @property
    def rec(self) -> Any:
        return self.world.of(self.relation)


Data = Callable[[Ctx], dict[str, Any]]


@dataclass(frozen=True)
class Call:
    method: str
    expect: Rule
    data: Data | None = None
    query: dict[str, str] | Callable[[Ctx], dict[str, str]] = field(default_factory=dict)
    prepare: Callable[[Ctx], dict[str, Any]] | None = None  # URL kwargs made inside the savepoint
    marker: Callable[[Ctx], str] | None = None  # what LISTED looks for in the body
    anonymous: Expect | None = None  # default: LOGIN for pages, AUTH for the API
    relations: tuple[str, ...] | None = None  # default: the endpoint's
    htmx: bool = False
    fmt: str = "json"  # API bodies: json or multipart
    label: str = ""
    # Reads: the records one allowed GET must write exactly one access-log row for, or a string
    # saying why it logs none. Every GET of a record-scoped endpoint must say (test_access_log).
    logs: Callable[[Ctx], list[Any]] | str | None = None
    # A call (a POST) that starts a background job (an export): the job runs at once, and the
    # cell's outcome is the file it wrote for this user; this gives the file's URL from (client,
    # the response that started the job). A POST's `query` goes in its URL.
    job: Callable[[Any, Any], str] | None = None


@dataclass(frozen=True)
class Endpoint:
    name: str
    calls: tuple[Call, ...]
    kwargs: Callable[[Ctx], dict[str, Any]] | None = None
    relations: tuple[str, ...] = (OWN,)  # only the role matters unless stated
    url: str | None = None  # for a pattern without a name (keyed by its route): a URL it serves

    @property
    def is_api(self) -> bool:
        return self.name.startswith(("api:", "api/"))


ROLE_ONLY = (OWN,)
OFFICES = BASE_RELATIONS  # records that have no trafficking / GBV variants
RECORDS = RELATIONS


def get(expect: Rule, **kw: Any) -> Call:
    return Call("GET", expect, **kw)


def post(expect: Rule, data: Data | None = None, **kw: Any) -> Call:
    return Call("POST", expect, data=data, **kw)


def patch(expect: Rule, data: Data, **kw: Any) -> Call:
    return Call("PATCH", expect, data=data, **kw)


def put(expect: Rule, data: Data, **kw: Any) -> Call:
    return Call("PUT", expect, data=data, **kw)


# URL arguments of the record kinds, for the relation's variant of the record.
def person_kw(c: Ctx) -> dict[str, Any]:
    return {"person_id": c.rec.person.pk}


def case_kw(c: Ctx) -> dict[str, Any]:
    return {"case_id": c.rec.case.pk}


def person_pk(c: Ctx) -> dict[str, Any]:
    return {"pk": c.rec.person.pk}


def case_pk(c: Ctx) -> dict[str, Any]:
    return {"pk": c.rec.case.pk}


def referral_of(c: Ctx) -> Any:
    """The referral a relation knows: the revoked office its own, everyone else the accepted."""
    return c.world.revoked if c.relation == REVOKED else c.world.referral


def fresh_referral(c: Ctx, status: str = "requested") -> Any:
    """A new referral of the plain case from the own office to the same-country office."""
    from enlace.accounts.actor import actor_for
    from enlace.cases import services

    w = c.world
    case = w.records["plain"].case
    target = w.offices[SAME_COUNTRY]
    case.referrals.filter(to_office=target).delete()
    referral = services.referral_create(
        actor=actor_for(w.users[(Role.SUPERVISOR, OWN)]),
        case=case,
        to_office=target,
        purpose="Seguimiento",
        consent=True,
    )
    if status != "requested":
        type(referral).objects.filter(pk=referral.pk).update(status=status)
    return referral


def fresh_referral_pk(status: str = "requested") -> Callable[[Ctx], dict[str, Any]]:
    return lambda c: {"pk": fresh_referral(c, status).pk}


def fresh_referral_step(step: str, status: str = "requested") -> Callable[[Ctx], dict[str, Any]]:
    return lambda c: {"referral_id": fresh_referral(c, status).pk, "step": step}


def version_of(obj: Any) -> int:
    return type(obj).objects.get(pk=obj.pk).version  # type: ignore[no-any-return]


def upload(_c: Ctx) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("nota.txt", b"texto", content_type="text/plain")}


def marker_case_ref(c: Ctx) -> str:
    return str(c.rec.case.reference)


def marker_person(c: Ctx) -> str:
    return str(c.rec.person.pk)


def marker_case(c: Ctx) -> str:
    return str(c.rec.case.pk)


def the_person(c: Ctx) -> list[Any]:
    return [c.rec.person]


def the_case(c: Ctx) -> list[Any]:
    return [c.rec.case]


def the_export(c: Ctx) -> list[Any]:
    """An export's download is logged on its job (its cases were logged as exported when the
    job wrote the file)."""
    return [c.world.export]


def export_kw(c: Ctx) -> dict[str, Any]:
    return {"job_id": c.world.export.pk}


def import_upload(_c: Ctx) -> dict[str, Any]:
    body = b"Nombres,Primer apellido\nNueva,Persona\n"
    return {"file": SimpleUploadedFile("registro.csv", body, content_type="text/csv")}


def import_check(c: Ctx) -> dict[str, Any]:
    """A finished dry run of the own office's officer, with one valid row, ready to import."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from enlace.core.models import Job
    from enlace.people.imports import CHECK

    name = default_storage.save("imports/policy.csv", ContentFile(b"Nombres\nNueva\n"))
    job = Job.objects.create(
        kind=CHECK,
        status=Job.Status.SUCCEEDED,
        created_by=c.world.users[(Role.OFFICER, OWN)],
        office=c.world.offices[OWN],
        result={"file": name, "format": "csv", "rows": 1, "valid": 1, "invalid": 0},
    )
    return {"job_id": job.pk}


def import_check_pk(c: Ctx) -> dict[str, Any]:
    return {"pk": import_check(c)["job_id"]}


def the_request(c: Ctx) -> list[Any]:
    return [c.world.tracing_request]


def the_match(c: Ctx) -> list[Any]:
    return [c.world.match]


def the_request_and_match(c: Ctx) -> list[Any]:
    return [c.world.tracing_request, c.world.match]


def the_reunification(c: Ctx) -> list[Any]:
    return [c.world.reunification]


NO_PERSON = "shows no person or case"
INBOX = "inbox items name references and offices, never a person; no record is read"


NEW_PASSWORD = "Quetzal-marimba-volcán-2026"
PERSON_FORM = {"sex": "F", "birth_date": "1990-05-17", "nationalities": ["MX"]}
CASE_EDIT = {"summary": "Editado", "risk_level": "high", "assigned_to": ""}


# traf-io: HTCDS import/export and the CTDC extract -------------------------------------------


def htcds_importer(role: str, relation: str) -> bool:
    """Imports HTCDS workbooks and downloads the CTDC extract (the world has no secretariat
    office, so no analyst here: test_ctdc covers the secretariat's analysts)."""
    return role == TFP


def htcds_upload(_c: Ctx) -> dict[str, Any]:
    from enlace.trafficking.htcds_io import _workbook_bytes

    return {"file": SimpleUploadedFile("htcds.xlsx", _workbook_bytes()), "action": "check"}


def random_job(_c: Ctx) -> dict[str, Any]:
    import uuid

    return {"job_id": uuid.uuid4()}


# The remittance pages (enlace.remittances.views, staff_views): the public pages are the same for
# everyone; the staff's pages follow the API's rules above (remittance_editor, corrects_the_quote);
# the World Bank imports are for the secretariat's analysts and the administrators (the world has
# no secretariat office: remittances/tests/test_pages_import.py covers its analysts). Remittance
# records hold no personal data: no read is logged.

REMITTANCE_READ = "remittance prices hold no personal data: no read is logged"
PORTAL_INFO_READ = "offices' published contact details and rights pages: no person"


def rpw_importer(role: str, relation: str) -> bool:
    return role == ADMIN


def page_quote_kw(c: Ctx) -> dict[str, Any]:
    return {"quote_id": remittance_quote(c).pk}


def page_provider_kw(c: Ctx) -> dict[str, Any]:
    return {"provider_id": remittance_provider(c).pk}


# The indicator pages (enlace.indicators.views, api): official statistics, public and the same
# for everyone; a country page needs the country in UN DESA's table (one area is enough).
INDICATORS_READ = "official statistics hold no personal data: no read is logged"


def indicator_country_kw(c: Ctx) -> dict[str, Any]:
    from enlace.indicators.models import Area

    Area.objects.get_or_create(
        m49=484, defaults={"name": "Mexico", "iso2": "MX", "iso3": "MEX", "kind": "country"}
    )
    return {"code": "MX"}


def indicator_chart_kw(c: Ctx) -> dict[str, Any]:
    return {**indicator_country_kw(c), "chart": "emigrants"}


def page_corridor_kw(c: Ctx) -> dict[str, Any]:
    from enlace.remittances.models import CorridorQuarter
    from enlace.remittances.tests.factories import corridor

    CorridorQuarter.objects.get_or_create(
        corridor=corridor("US", "GT"), quarter="2020Q3", defaults={"average_total_cost_pct": 4.1}
    )
    return {"sending": "US", "receiving": "GT"}


def quote_form_data(c: Ctx) -> dict[str, Any]:
    return {
        "provider": str(remittance_provider(c).pk),
        "sending": "US",
        "receiving": "MX",
        "collected_on": "2024-09-02",
        "usd_band": "200",
        "amount": "200",
        "fee": "5",
        "applied_rate": "17.00",
        "interbank_rate": "17.34",
        "speed": "same_day",
        "transparent": "on",
        "source": "authority",
        "version": "1",
    }


def rpw_upload(_c: Ctx) -> dict[str, Any]:
    body = b"\xef\xbb\xbfSending Countries Name,Sending Countries Code,Series Name,Series Code,"
    body += b"Receiving Countries  Name,Receiving Countries  Code,2020Q3 [YR2020Q3]\n"
    body += b"United States,USA,Average,ATCR.CORR,Guatemala,GTM,4.1\n"
    return {
        "which": "corridors",
        "file": SimpleUploadedFile("rpw.csv", body, content_type="text/csv"),
        "dry_run": "on",
    }


ENDPOINTS: list[Endpoint] = [
    # --- trafficking and smuggling cases ------------------------------------------------------
    Endpoint(
        "trafficking:list",
        (
            get(
                trafficking_list_page,
                marker=lambda c: c.world.trafficking_case.reference,
                logs=the_trafficking_case,
            ),
        ),
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    Endpoint(
        "trafficking:create",
        (
            get(allow(trafficking_focal_point)),
            post(allow(trafficking_focal_point, REDIRECT), trafficking_form),
        ),
    ),
    Endpoint(
        "trafficking:detail",
        (get(trafficking_page, logs=the_trafficking_case),),
        kwargs=trafficking_case_kw,
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    Endpoint(
        "trafficking:edit",
        (
            get(allow(sees_trafficking_identities), logs=the_trafficking_case),
            post(
                allow(sees_trafficking_identities, REDIRECT),
                lambda c: trafficking_form(c, version=str(version_of(c.world.trafficking_case))),
            ),
        ),
        kwargs=trafficking_case_kw,
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    Endpoint(
        "api:trafficking-case-list",
        (
            get(
                trafficking_listing,
                marker=lambda c: str(c.world.trafficking_case.pk),
                logs=the_trafficking_case,
            ),
            post(
                allow(trafficking_focal_point, CREATED),
                lambda c: {
                    "kind": "smuggling",
                    "summary": "Nuevo caso",
                    "route": [{"country": "MX"}, {"country": "US"}],
                },
                relations=ROLE_ONLY,
            ),
        ),
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    Endpoint(
        "api:trafficking-case-detail",
        (get(trafficking_page, logs=the_trafficking_case),),
        kwargs=lambda c: {"pk": c.world.trafficking_case.pk},
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    # --- assisted voluntary returns (API) ----------------------------------------------------
    Endpoint(
        "api:return-list",
        (
            get(
                listing(sees_return),
                marker=lambda c: str(c.world.return_.pk),
                logs=the_return,
            ),
            post(
                allow(owner_staff, CREATED),
                lambda c: {"person": str(c.world.records["plain"].person.pk)},
                relations=ROLE_ONLY,
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "api:return-detail",
        (get(allow(sees_return), logs=the_return),),
        kwargs=lambda c: {"pk": c.world.return_.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:return-steps",
        (
            post(
                allow(works_return_sending),
                lambda c: {"step": "withdraw", "version": version_of(c.world.return_)},
            ),
        ),
        kwargs=lambda c: {"pk": c.world.return_.pk},
        relations=OFFICES,
    ),
    # --- trafficking alerts and identity access requests ---------------------------------------
    Endpoint(
        "trafficking:alerts",
        (
            get(
                alerts_page,
                marker=lambda c: c.world.alerts_case.reference,
                logs=lambda c: [c.world.alerts_case],
            ),
        ),
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "trafficking:alert_acknowledge",
        (post(allow(alerted_office, REDIRECT)),),
        kwargs=lambda c: {"alert_id": c.world.alert.pk},
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "trafficking:access_request_create",
        (
            get(allow(may_request_identities), logs=lambda c: [c.world.alerts_case]),
            post(
                allow(may_request_identities, REDIRECT),
                lambda c: {
                    "purpose": "Investigación",
                    "basis": "legal_basis",
                    "legal_basis": "Convenio",
                    "days": "30",
                },
            ),
        ),
        kwargs=lambda c: {"case_id": c.world.alerts_case.pk},
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "trafficking:access_requests",
        (
            get(
                requests_page,
                marker=lambda c: str(c.world.identity_request.pk),
                logs=REQUEST_READ,
            ),
        ),
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "trafficking:access_request",
        (
            get(allow(request_sides), logs=REQUEST_READ),
            post(
                allow(request_decider, REDIRECT),
                lambda c: {"decision": "refuse", "reason": "Sin base legal", "version": "1"},
            ),
        ),
        kwargs=lambda c: {"request_id": c.world.identity_request.pk},
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "api:trafficking-access-request-list",
        (
            post(
                allow(may_request_identities, CREATED),
                lambda c: {
                    "case": str(c.world.alerts_case.pk),
                    "purpose": "Investigación",
                    "basis": "legal_basis",
                    "legal_basis": "Convenio",
                    "days": 30,
                },
            ),
        ),
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "api:trafficking-access-request-decide",
        (
            post(
                allow(request_decider),
                lambda c: {"decision": "refuse", "reason": "Sin base legal", "version": 1},
            ),
        ),
        kwargs=lambda c: {"pk": c.world.identity_request.pk},
        relations=ALERT_RELATIONS,
    ),
    Endpoint(
        "trafficking:access_request_revoke",
        (post(allow(request_decider, REDIRECT), prepare=granted_request),),
        relations=ALERT_RELATIONS,
    ),
    # Links between cases (enlace.trafficking.network): the network page for whoever may see
    # some trafficking case (it shows only clusters of cases the reader sees), and a case's
    # links for whoever sees the case (its read logged; the world's case has no link).
    Endpoint("trafficking:network", (get(allow(trafficking_reader)),)),
    Endpoint(
        "api:trafficking-case-links",
        (get(allow(sees_trafficking_case), logs=the_trafficking_case),),
        kwargs=lambda c: {"pk": c.world.trafficking_case.pk},
        relations=TRAFFICKING_CASE_RELATIONS,
    ),
    # --- Django's language switch and the login / logout pages: open to everyone --------------
    Endpoint(
        "set_language",
        (post(allow(anyone, REDIRECT), lambda c: {"language": "es"}, anonymous=REDIRECT),),
    ),
    Endpoint(
        "accounts:login",
        (
            get(allow(anyone, REDIRECT), anonymous=OK),  # a logged-in user is sent home
            post(
                allow(anyone, REDIRECT),
                lambda c: {"username": "officer.own", "password": PASSWORD},
                anonymous=REDIRECT,
            ),
        ),
    ),
    Endpoint("accounts:logout", (post(allow(anyone, LOGIN), anonymous=LOGIN),)),
    Endpoint(
        "accounts:password_change",
        (
            get(allow(anyone)),
            post(
                allow(anyone, REDIRECT),
                lambda c: {
                    "old_password": PASSWORD,
                    "new_password1": NEW_PASSWORD,
                    "new_password2": NEW_PASSWORD,
                },
            ),
        ),
    ),
    Endpoint("accounts:password_change_done", (get(allow(anyone)),)),
    Endpoint(
        "accounts:office_select",
        (
            post(
                allow(anyone, REDIRECT),
                lambda c: {"membership": str(getattr(c.user, "active_membership_id", ""))},
            ),
        ),
    ),
    Endpoint("accounts:two_factor", (get(allow(anyone)),)),
    # --- the office directory and members: every member of the network sees the directory ----
    Endpoint("accounts:offices", (get(allow(anyone)),)),
    Endpoint(
        "accounts:office_members",
        (
            get(allow(sees_members), logs=NO_PERSON),
            post(
                # members who may not manage get the page again, unchanged
                lambda r, rel: (
                    REDIRECT if manages_members(r, rel) else OK if sees_members(r, rel) else HIDDEN
                ),
                lambda c: {"username": c.world.spare_user.username, "role": Role.OFFICER},
            ),
        ),
        kwargs=lambda c: {"office_id": c.world.offices[OWN].pk},
        relations=OFFICES,
    ),
    Endpoint(
        "accounts:office_edit",
        (
            get(allow(admin), logs=NO_PERSON),
            post(
                allow(admin, REDIRECT),
                lambda c: {
                    "version": version_of(c.world.offices[OWN]),
                    "phone": "+1 213 351 6800",
                    "email": "consulado@example.org",
                    "address": "2401 W 6th St, Los Angeles",
                    "opening_hours": "Lunes a viernes, 8:00 a 14:00",
                },
            ),
        ),
        kwargs=lambda c: {"office_id": c.world.offices[OWN].pk},
        relations=OFFICES,
    ),
    Endpoint(
        "accounts:membership_deactivate",
        (post(allow(manages_members, REDIRECT)),),
        kwargs=lambda c: {"membership_id": c.world.membership.pk},
        relations=OFFICES,
    ),
    # --- the audit trail ----------------------------------------------------------------------
    Endpoint("audit:recent", (get(allow(oversight_role)),)),
    Endpoint("audit:export", (get(allow(oversight_role)),)),
    Endpoint(
        "audit:history",
        (get(allow(oversees), logs=NO_PERSON),),
        kwargs=lambda c: {"record_type": "cases.case", "record_id": str(c.rec.case.pk)},
        relations=RECORDS,
    ),
    # --- people -------------------------------------------------------------------------------
    Endpoint(
        "people:list",
        (
            get(person_listing, marker=marker_person, logs=the_person),
            get(person_listing, marker=marker_person, logs=the_person, htmx=True, label="rows"),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "people:create",
        (
            get(allow(staff)),
            post(allow(staff, REDIRECT), lambda c: {**PERSON_FORM, "given_names": "Nueva"}),
        ),
    ),
    Endpoint(
        "people:import",
        (get(allow(staff)), post(allow(staff, REDIRECT), import_upload)),
    ),
    Endpoint("people:import_template", (get(allow(staff)),), kwargs=lambda c: {"fmt": "csv"}),
    Endpoint(
        "people:import_job",
        (get(allow(importer), prepare=import_check, logs="an import's report: no record read"),),
    ),
    Endpoint("people:import_run", (post(allow(importer, REDIRECT), prepare=import_check),)),
    Endpoint(
        "people:detail", (get(person_page, logs=the_person),), kwargs=person_kw, relations=RECORDS
    ),
    Endpoint(
        "people:edit",
        (
            get(allow(owner_staff), logs=the_person),
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {
                    **PERSON_FORM,
                    "given_names": c.rec.person.given_names,
                    "first_surname": c.rec.person.first_surname,
                    "version": version_of(c.rec.person),
                },
            ),
        ),
        kwargs=person_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "people:photo", (get(person_photo, logs=the_person),), kwargs=person_kw, relations=RECORDS
    ),
    Endpoint(
        "people:vulnerability_add",
        (post(allow(owner_staff, REDIRECT), lambda c: {"kind": "disability"}),),
        kwargs=person_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "people:vulnerability_remove",
        (post(allow(owner_staff, REDIRECT)),),
        kwargs=lambda c: {"person_id": c.rec.person.pk, "kind": "disability"},
        relations=RECORDS,
    ),
    Endpoint(
        "people:consent_add",
        (
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {"purpose": "referral", "notice_language": "es"},
            ),
        ),
        kwargs=person_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "people:consent_revoke",
        (post(allow(owner_staff, REDIRECT)),),
        kwargs=lambda c: {"person_id": c.rec.person.pk, "consent_id": c.rec.consent.pk},
        relations=RECORDS,
    ),
    Endpoint(
        "people:document_add",
        (
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {"doc_type": "passport", "number": "G1234567", "issuing_country": "MX"},
            ),
        ),
        kwargs=person_kw,
        relations=RECORDS,
    ),
    # --- cases --------------------------------------------------------------------------------
    Endpoint(
        "cases:list",
        (
            get(record_listing, marker=marker_case_ref, logs=the_case),
            get(record_listing, marker=marker_case_ref, logs=the_case, htmx=True, label="rows"),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "cases:create",
        (
            # only the owning office opens a case for its person (the form too)
            get(
                allow(owner_staff),
                query=lambda c: {"person": str(c.rec.person.pk)},
                logs=the_person,
            ),
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {
                    "person": str(c.rec.person.pk),
                    "case_type": "labour",
                    "summary": "Nuevo caso",
                    "risk_level": "medium",
                },
            ),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "cases:export",
        (
            post(
                record_listing,
                data=lambda c: {"format": "csv"},
                marker=marker_case_ref,
                logs=the_case,
                job=download_url,
            ),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "cases:export_download",
        (get(allow(exporter), logs=the_export),),
        kwargs=export_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "cases:referrals",
        (
            get(
                listing(received_referral),
                marker=lambda c: referral_of(c).case.reference,
                logs="lists referrals: case references, no person",
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "cases:referral_decide",
        (
            post(
                allow(receiver_of_fresh, REDIRECT),
                prepare=fresh_referral_step("accept"),
                label="accept",
            ),
            post(
                allow(receiver_of_fresh, REDIRECT),
                prepare=fresh_referral_step("reject"),
                label="reject",
            ),
            post(
                allow(receiver_of_fresh, REDIRECT),
                prepare=fresh_referral_step("done", "accepted"),
                label="done",
            ),
            post(
                allow(sender_of_fresh, REDIRECT),
                prepare=fresh_referral_step("revoke"),
                label="revoke",
            ),
        ),
        kwargs=lambda c: {"referral_id": c.world.referral.pk, "step": "accept"},
        relations=OFFICES,
    ),
    Endpoint(
        "cases:attachment_download",
        (get(allow(sees_record), logs=lambda c: [c.rec.attachment]),),
        kwargs=lambda c: {"attachment_id": c.rec.attachment.pk},
        relations=RECORDS,
    ),
    Endpoint("cases:detail", (get(record_page, logs=the_case),), kwargs=case_kw, relations=RECORDS),
    # The printable summary (a PDF): an export of the case, for whoever sees it; the name is
    # masked as on the page (enlace/cases/tests/test_printout.py reads the PDF's text).
    Endpoint(
        "cases:pdf", (get(allow(sees_record), logs=the_case),), kwargs=case_kw, relations=RECORDS
    ),
    Endpoint(
        "cases:facts",
        (get(allow(sees_record), htmx=True, logs=the_case),),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:edit",
        (
            get(allow(owner_staff), logs=the_case),
            get(allow(owner_staff), logs=the_case, htmx=True, label="inline form"),
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {**CASE_EDIT, "version": version_of(c.rec.case)},
            ),
        ),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:transition",
        (post(allow(owner_staff, REDIRECT), lambda c: {"version": version_of(c.rec.case)}),),
        kwargs=lambda c: {"case_id": c.rec.case.pk, "name": "start_assessment"},
        relations=RECORDS,
    ),
    Endpoint(
        "cases:detention",
        (
            get(allow(owner_staff), logs=the_case),
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {"arrest_date": "2026-01-02", "informed_of_rights": "unknown"},
            ),
        ),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:action_add",
        (post(allow(works_on, REDIRECT), lambda c: {"service_type": "consular_visit"}),),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:note_add",
        (post(allow(works_on, REDIRECT), lambda c: {"text": "Nota"}),),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:attachment_add",
        (post(allow(works_on, REDIRECT), lambda c: {**upload(c), "kind": "other"}),),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "cases:refer",
        (
            get(allow(owner_staff), logs=the_case),
            post(
                allow(owner_staff, REDIRECT),
                lambda c: {
                    "to_office": str(c.world.offices[SAME_COUNTRY].pk),
                    "purpose": "Seguimiento",
                    "consent": "on",
                },
            ),
        ),
        kwargs=case_kw,
        relations=RECORDS,
    ),
    # --- tracing: office staff only; requests are filed by the traced office about a
    #     person registered by the own office --------------------------------------------------
    Endpoint("tracing:home", (get(allow(staff), logs=the_match),)),
    Endpoint(
        "tracing:create",
        (get(allow(staff)), post(allow(staff, REDIRECT), lambda c: dict(TRACING_REQUEST))),
    ),
    Endpoint(
        "tracing:export",
        (
            get(
                lambda r, rel: (
                    HIDDEN if r not in STAFF else LISTED if requester(r, rel) else UNLISTED
                ),
                marker=lambda c: c.world.tracing_request.reference,
                logs=the_request,
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint("tracing:relink", (post(allow(admin, REDIRECT)),)),
    Endpoint(
        "tracing:request",
        (
            get(lambda r, rel: MASKED if requester(r, rel) else HIDDEN, logs=the_request_and_match),
            get(
                confirmed_match_page,
                prepare=lambda c: {"request_id": c.world.confirmed_request.pk},
                label="match confirmed",
                logs=lambda c: [c.world.confirmed_request, c.world.confirmed_match],
            ),
        ),
        kwargs=lambda c: {"request_id": c.world.tracing_request.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "tracing:request_edit",
        (
            get(allow(requester), logs=the_request),
            post(
                allow(requester, REDIRECT),
                lambda c: {
                    **TRACING_REQUEST,
                    "requester_consent": "on",
                    "mother_name": "Rigoberta Ixcamparij",
                    "version": version_of(c.world.tracing_request),
                },
            ),
        ),
        kwargs=lambda c: {"request_id": c.world.tracing_request.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "tracing:request_withdraw",
        (
            post(
                allow(requester, REDIRECT),
                lambda c: {"reason": "Ya apareció", "version": version_of(c.world.tracing_request)},
            ),
        ),
        kwargs=lambda c: {"request_id": c.world.tracing_request.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "tracing:match",
        (get(match_page, logs=the_match),),
        kwargs=lambda c: {"match_id": c.world.match.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "tracing:match_decide",
        (post(allow(person_owner_side, REDIRECT), lambda c: {"note": "No es"}),),
        kwargs=lambda c: {"match_id": c.world.match.pk, "step": "reject"},
        relations=OFFICES,
    ),
    Endpoint(
        "tracing:reunification",
        (
            get(allow(tracing_sides), logs=the_reunification),
            post(
                allow(tracing_sides, REDIRECT),
                lambda c: {"version": version_of(c.world.reunification), "follow_up": "Visita"},
            ),
        ),
        kwargs=lambda c: {"reunification_id": c.world.reunification.pk},
        relations=OFFICES,
    ),
    # --- home and jobs ------------------------------------------------------------------------
    Endpoint("core:home", (get(allow(anyone)),)),
    # --- help: the user guides of docs/, for every signed-in user ----------------------------
    Endpoint("core:help", (get(allow(anyone)),)),
    Endpoint("core:help_guide", (get(allow(anyone)),), kwargs=lambda c: {"slug": "cases"}),
    Endpoint("core:help_image", (get(allow(anyone)),), kwargs=lambda c: {"name": "person.png"}),
    # --- public pages and endpoints (core/public.py): the same for everyone, no data ----------
    Endpoint("core:about", (get(allow(anyone), anonymous=OK),)),
    Endpoint(
        "core:language",
        (
            get(
                allow(anyone, REDIRECT),
                anonymous=REDIRECT,
                query={"language": "es", "next": "/about/"},
            ),
        ),
    ),
    Endpoint("api:public-countries", (get(allow(anyone), anonymous=OK, logs=NO_PERSON),)),
    # --- data protection (enlace.privacy) -----------------------------------------------------
    Endpoint("privacy:request_list", (get(allow(staff), logs=PRIVACY_QUEUE_READ),)),
    Endpoint(
        "privacy:request_new",
        (
            get(allow(owner_staff), logs=the_person),
            post(allow(owner_staff, REDIRECT), rights_request_form),
        ),
        kwargs=person_kw,
        relations=RECORDS,
    ),
    Endpoint(
        "privacy:request_detail",
        (
            get(
                allow(privacy_staff),
                prepare=rights_request_kw(),
                logs=the_rights_request,
                relations=PRIVACY_RELATIONS,
            ),
        ),
    ),
    Endpoint(
        "privacy:request_answer",
        (post(allow(privacy_staff), prepare=rights_request_kw(), relations=PRIVACY_RELATIONS),),
    ),
    Endpoint(
        "privacy:request_rectified",
        (
            post(
                allow(privacy_staff, REDIRECT),
                lambda c: {"note": "Apellido corregido"},
                prepare=rights_request_kw("rectification"),
                relations=PRIVACY_RELATIONS,
            ),
        ),
    ),
    Endpoint(
        "privacy:request_anonymise",
        (
            post(
                allow(privacy_supervisor, REDIRECT),
                prepare=rights_request_kw("deletion"),
                relations=PRIVACY_RELATIONS,
            ),
        ),
    ),
    Endpoint(
        "privacy:request_reject",
        (
            post(
                allow(privacy_staff, REDIRECT),
                lambda c: {"reason": "No es la persona"},
                prepare=rights_request_kw(),
                relations=PRIVACY_RELATIONS,
            ),
        ),
    ),
    Endpoint(
        "privacy:breach_list",
        (
            get(allow(reads_breaches), logs=BREACHES_READ),
            post(allow(records_breaches, REDIRECT), breach_form),
        ),
    ),
    Endpoint(
        "privacy:breach_notified",
        (
            post(
                allow(edits_breach, REDIRECT),
                breach_notified_form,
                prepare=breach_kw,
                relations=PRIVACY_RELATIONS,
            ),
        ),
    ),
    # --- data protection (API): the same rules as the pages above ------------------------------
    Endpoint(
        "api:rights-request-list",
        (
            get(
                staff_listing(privacy_staff),
                prepare=a_rights_request,
                marker=rights_request_marker,
                logs=PRIVACY_QUEUE_READ,
            ),
            post(allow(privacy_staff, CREATED), rights_request_body),
        ),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:rights-request-detail",
        (get(allow(privacy_staff), prepare=rights_request_pk(), logs=the_rights_request),),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:rights-request-answer",
        (post(allow(privacy_staff), prepare=rights_request_pk()),),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:rights-request-rectified",
        (
            post(
                allow(privacy_staff),
                lambda c: {"note": "Apellido corregido"},
                prepare=rights_request_pk("rectification"),
            ),
        ),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:rights-request-anonymise",
        (post(allow(privacy_supervisor), prepare=rights_request_pk("deletion")),),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:rights-request-reject",
        (
            post(
                allow(privacy_staff),
                lambda c: {"reason": "No es la persona"},
                prepare=rights_request_pk(),
            ),
        ),
        relations=PRIVACY_RELATIONS,
    ),
    Endpoint(
        "api:data-breach-list",
        (
            get(allow(reads_breaches), logs=BREACHES_READ),
            post(allow(records_breaches, CREATED), breach_body),
        ),
    ),
    Endpoint(
        "api:data-breach-notified",
        (post(allow(edits_breach), breach_notified_body, prepare=breach_pk),),
        relations=PRIVACY_RELATIONS,
    ),
    # --- the public portal's intake (enlace.portal) ------------------------------------------
    Endpoint(
        "api:public-requests",
        (post(allow(anyone, CREATED), portal_api_help, anonymous=CREATED),),
    ),
    Endpoint(
        "api:public-request-status",
        (get(allow(nobody), anonymous=HIDDEN, logs=NO_PERSON, label="without the secret"),),
        kwargs=lambda c: {"reference": "ABCD-EFGH-JKMN-PQRS-TUVW"},
    ),
    Endpoint(
        "portal:ask_help",
        (
            get(allow(anyone), anonymous=OK, logs=NO_PERSON),
            post(allow(anyone), portal_help_form, anonymous=OK),
        ),
    ),
    Endpoint(
        "portal:ask_tracing",
        (
            get(allow(anyone), anonymous=OK, logs=NO_PERSON),
            post(allow(anyone), portal_tracing_form, anonymous=OK),
        ),
    ),
    Endpoint(
        "portal:follow",
        (
            get(allow(anyone), anonymous=OK, logs=NO_PERSON),
            post(allow(anyone), portal_codes(), anonymous=OK),
        ),
    ),
    Endpoint("portal:follow_act", (post(allow(anyone), portal_codes("info"), anonymous=OK),)),
    Endpoint("portal:triage_list", (get(allow(staff), logs=PORTAL_REQUEST_READ),)),
    Endpoint(
        "portal:triage_retention",
        (post(allow(portal_supervisor, REDIRECT), lambda c: {"retention_days": "60"}),),
    ),
    Endpoint(
        "portal:triage_detail",
        (get(allow(portal_triager), prepare=portal_request_kw, logs=the_portal_request),),
        relations=OFFICES,
    ),
    Endpoint(
        "portal:triage_case",
        (post(allow(portal_triager, REDIRECT), portal_case_form, prepare=portal_request_kw),),
        relations=OFFICES,
    ),
    Endpoint(
        "portal:triage_tracing",
        (post(allow(portal_triager, REDIRECT), portal_tracing_triage, prepare=portal_request_kw),),
        relations=OFFICES,
    ),
    Endpoint(
        "portal:triage_close",
        (
            post(
                allow(portal_triager, REDIRECT),
                lambda c: {"reason": "duplicate"},
                prepare=portal_request_kw,
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "portal:triage_forward",
        (post(allow(portal_triager, REDIRECT), portal_forward_form, prepare=portal_request_kw),),
        relations=PORTAL_FORWARD_RELATIONS,
    ),
    # The protection figures: cells of a stored, protected release (enlace.indicators).
    Endpoint("api:indicators-protection", (get(allow(anyone), anonymous=OK, logs=NO_PERSON),)),
    # --- remittances: the public pages (no login, the same for everyone) ----------------------
    Endpoint("remittances:compare", (get(allow(anyone), anonymous=OK),)),
    Endpoint("remittances:corridors", (get(allow(anyone), anonymous=OK),)),
    Endpoint("remittances:corridors_csv", (get(allow(anyone), anonymous=OK),)),
    Endpoint(
        "remittances:corridor",
        (get(allow(anyone), anonymous=OK, prepare=page_corridor_kw, logs=REMITTANCE_READ),),
    ),
    Endpoint(
        "remittances:corridor_csv",
        (get(allow(anyone), anonymous=OK, prepare=page_corridor_kw, logs=REMITTANCE_READ),),
    ),
    # --- portal, information half: public pages; the office directory is what offices publish --
    Endpoint("portal_info:home", (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),)),
    Endpoint(
        "portal_info:offices",
        (
            get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),
            get(
                allow(anyone),
                anonymous=OK,
                query={"nationality": "GT", "country": "MX"},
                logs=PORTAL_INFO_READ,
            ),
        ),
    ),
    Endpoint("portal_info:directory", (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),)),
    Endpoint("portal_info:rights", (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),)),
    Endpoint(
        "portal_info:rights_page",
        (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),),
        kwargs=lambda c: {"slug": "trafficking"},
    ),
    Endpoint("portal_info:manifest", (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),)),
    Endpoint(
        "portal_info:service_worker", (get(allow(anyone), anonymous=OK, logs=PORTAL_INFO_READ),)
    ),
    # --- indicators: the public pages and the migrant-stock endpoint (no login) -------------
    Endpoint("indicators:region", (get(allow(anyone), anonymous=OK, logs=INDICATORS_READ),)),
    Endpoint(
        "indicators:region_csv",
        (get(allow(anyone), anonymous=OK, logs=INDICATORS_READ),),
        kwargs=lambda c: {"chart": "emigrants"},
    ),
    Endpoint(
        "indicators:country",
        (get(allow(anyone), anonymous=OK, prepare=indicator_country_kw, logs=INDICATORS_READ),),
    ),
    Endpoint(
        "indicators:country_csv",
        (get(allow(anyone), anonymous=OK, prepare=indicator_chart_kw, logs=INDICATORS_READ),),
    ),
    Endpoint(
        "api:indicators-migrant-stock",
        (get(allow(anyone), anonymous=OK, logs=INDICATORS_READ),),
    ),
    # --- remittances: the staff pages -----------------------------------------------------------
    Endpoint("remittances:quotes", (get(allow(remittance_editor)),)),
    Endpoint(
        "remittances:quote_create",
        (get(allow(remittance_editor)), post(allow(corrects_the_quote, REDIRECT), quote_form_data)),
    ),
    Endpoint(
        "remittances:quote_edit",
        (
            get(allow(corrects_the_quote), prepare=page_quote_kw, logs=REMITTANCE_READ),
            post(allow(corrects_the_quote, REDIRECT), quote_form_data, prepare=page_quote_kw),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "remittances:quote_history",
        (get(allow(corrects_the_quote), prepare=page_quote_kw, logs=REMITTANCE_READ),),
        relations=OFFICES,
    ),
    Endpoint("remittances:providers", (get(allow(remittance_editor)),)),
    Endpoint(
        "remittances:provider_create",
        (
            get(allow(remittance_editor)),
            post(
                allow(remittance_editor, REDIRECT),
                lambda c: {"name": "Envíos Nuevos", "kind": "mto"},
            ),
        ),
    ),
    Endpoint(
        "remittances:provider_edit",
        (
            get(allow(remittance_editor), prepare=page_provider_kw, logs=REMITTANCE_READ),
            post(
                allow(remittance_editor, REDIRECT),
                lambda c: {"name": "Política Prueba", "kind": "bank", "version": "1"},
                prepare=page_provider_kw,
            ),
        ),
    ),
    Endpoint(
        "remittances:import",
        (get(allow(rpw_importer)), post(allow(rpw_importer, REDIRECT), rpw_upload)),
    ),
    Endpoint(
        "remittances:import_job",
        (get(allow(nobody), logs="an import's report: no record read"),),
        kwargs=random_job,
    ),
    Endpoint(
        "core:jobs",
        (get(listing(job_owner), marker=lambda c: str(c.world.job.pk), logs=NO_PERSON),),
        relations=OFFICES,
    ),
    Endpoint(
        "core:job_detail",
        (
            get(allow(job_owner), logs=NO_PERSON),
            get(allow(job_owner), logs=NO_PERSON, htmx=True, label="progress"),
        ),
        kwargs=lambda c: {"job_id": c.world.job.pk},
        relations=OFFICES,
    ),
    Endpoint("core:reference_refresh", (post(allow(admin, REDIRECT)),)),
    # --- the inbox: one's own items and one's office's, for one's role there -----------------
    Endpoint(
        "inbox:list",
        (get(listing(inbox_reader), marker=lambda c: str(c.world.inbox_item.pk), logs=INBOX),),
        relations=OFFICES,
    ),
    Endpoint(
        "inbox:open",
        (get(allow(inbox_reader, REDIRECT), logs=INBOX),),
        kwargs=lambda c: {"item_id": c.world.inbox_item.pk},
        relations=OFFICES,
    ),
    Endpoint("inbox:read_all", (post(allow(anyone, REDIRECT)),)),
    Endpoint("inbox:preferences", (post(allow(anyone, REDIRECT), lambda c: {"email": "digest"}),)),
    Endpoint(
        "api:inbox-list",
        (get(listing(inbox_reader), marker=lambda c: str(c.world.inbox_item.pk), logs=INBOX),),
        relations=OFFICES,
    ),
    Endpoint(
        "api:inbox-read",
        (post(allow(inbox_reader)),),
        kwargs=lambda c: {"pk": c.world.inbox_item.pk},
        relations=OFFICES,
    ),
    # --- remittances: public comparison and series; staff quotes (enlace.remittances.rules) ----
    Endpoint(
        "api:remittances-compare",
        (
            get(
                allow(anyone),
                anonymous=OK,
                query=lambda c: {"from": remittance_corridor(c).sending_id, "to": "MX"},
                logs=NO_PERSON,
            ),
        ),
    ),
    Endpoint(
        "api:remittances-corridor-series",
        (get(allow(anyone), anonymous=OK, logs=NO_PERSON),),
        kwargs=lambda c: {"sending": remittance_corridor(c).sending_id, "receiving": "MX"},
    ),
    Endpoint(
        "api:remittance-quote-list",
        (
            get(allow(remittance_editor), logs=NO_PERSON),
            post(enters_the_quote, remittance_quote_body),
        ),
        relations=REMIT_RELATIONS,
    ),
    Endpoint(
        "api:remittance-quote-detail",
        (
            get(allow(corrects_the_quote), logs=NO_PERSON),
            patch(
                allow(corrects_the_quote),
                lambda c: {"version": 1, "fee": "3.5"},
            ),
        ),
        kwargs=lambda c: {"pk": remittance_quote(c).pk},
        relations=(*OFFICES, SECRETARIAT),
    ),
    Endpoint(
        "api:remittance-provider-list",
        (
            get(allow(remittance_editor), logs=NO_PERSON),
            post(
                allow(remittance_editor, CREATED),
                lambda c: {"name": "Envíos Política Nueva", "kind": "fintech"},
            ),
        ),
        relations=REMIT_RELATIONS,
    ),
    # --- API: foundation ----------------------------------------------------------------------
    Endpoint(
        "api:token",
        (
            post(
                allow(anyone),
                lambda c: {"username": "officer.own", "password": PASSWORD},
                anonymous=OK,
            ),
            Call("DELETE", allow(anyone, GONE)),  # one's own token, whoever one is
        ),
    ),
    Endpoint("api:me", (get(allow(anyone)),)),
    # The API's description is public (it holds no data); everything it describes is not.
    Endpoint("api:schema", (get(allow(anyone), anonymous=OK),)),
    Endpoint("api:docs", (get(allow(anyone), anonymous=OK),)),
    Endpoint("api:api-root", (get(allow(anyone)),)),
    Endpoint("api:office-list", (get(allow(anyone)),)),
    Endpoint(
        "api:office-detail",
        (get(allow(anyone), logs=NO_PERSON),),
        kwargs=lambda c: {"pk": c.world.offices[OWN].pk},
    ),
    Endpoint(
        "api:office-memberships",
        (
            get(allow(sees_members), logs=NO_PERSON),
            post(
                allow(manages_members, CREATED),
                lambda c: {"username": c.world.spare_user.username, "role": Role.OFFICER},
            ),
        ),
        kwargs=lambda c: {"pk": c.world.offices[OWN].pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:membership-detail",
        (get(allow(sees_members), logs=NO_PERSON),),
        kwargs=lambda c: {"pk": c.world.membership.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:membership-deactivate",
        (post(allow(manages_members)),),
        kwargs=lambda c: {"pk": c.world.membership.pk},
        relations=OFFICES,
    ),
    # Any other URL under /api/v1/: a JSON 404 for everyone, whatever the method.
    Endpoint(
        "api/v1/^",
        (get(allow(nobody), anonymous=HIDDEN), post(allow(nobody), anonymous=HIDDEN)),
        url="/api/v1/no-such-endpoint/",
    ),
    # --- API: people and cases ----------------------------------------------------------------
    Endpoint(
        "api:person-list",
        (
            get(person_listing, marker=marker_person, logs=the_person),
            post(
                allow(staff, CREATED),
                lambda c: {"given_names": "Nueva", "sex": "F"},
                relations=ROLE_ONLY,
            ),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "api:person-import-list",
        (post(allow(staff, ACCEPTED), import_upload, fmt="multipart"),),
    ),
    Endpoint(
        "api:person-import-detail",
        (
            get(
                allow(importer),
                prepare=import_check_pk,
                logs="an import's report: no record read",
            ),
        ),
    ),
    Endpoint(
        "api:person-import-run",
        (post(allow(importer, ACCEPTED), lambda c: {"valid_only": True}, prepare=import_check_pk),),
    ),
    Endpoint(
        "api:person-detail",
        (
            get(person_page, logs=the_person),
            patch(
                allow(owner_staff),
                lambda c: {"version": version_of(c.rec.person), "other_names": "Wen"},
            ),
        ),
        kwargs=person_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-list",
        (
            get(record_listing, marker=marker_case, logs=the_case),
            post(
                allow(owner_staff, CREATED),
                lambda c: {
                    "person": str(c.rec.person.pk),
                    "case_type": "labour",
                    "summary": "Nuevo caso",
                },
            ),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-export",
        (
            post(
                record_listing,
                marker=marker_case_ref,
                query={"format": "csv"},
                logs=the_case,
                job=download_url,
            ),
        ),
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-export-status",
        (get(allow(exporter), logs="an export's progress: no person or case"),),
        kwargs=export_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "api:case-export-download",
        (get(allow(exporter), logs=the_export),),
        kwargs=export_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "api:case-detail",
        (
            get(record_page, logs=the_case),
            patch(
                allow(owner_staff),
                lambda c: {"version": version_of(c.rec.case), "summary": "Editado"},
            ),
        ),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-actions",
        (post(allow(works_on, CREATED), lambda c: {"service_type": "consular_visit"}),),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-attachments",
        (post(allow(works_on, CREATED), upload, fmt="multipart"),),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-detention",
        (put(allow(owner_staff), lambda c: {"arrest_date": "2026-01-02"}),),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-notes",
        (post(allow(works_on, CREATED), lambda c: {"text": "Nota"}),),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-referrals",
        (
            post(
                allow(owner_staff, CREATED),
                lambda c: {
                    "to_office": str(c.world.offices[SAME_COUNTRY].pk),
                    "purpose": "Seguimiento",
                    "consent": True,
                },
            ),
        ),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    Endpoint(
        "api:case-transitions",
        (post(allow(owner_staff), lambda c: {"name": "start_assessment"}),),
        kwargs=case_pk,
        relations=RECORDS,
    ),
    # --- API: referrals (the grants) ----------------------------------------------------------
    Endpoint(
        "api:referral-list",
        (
            get(
                listing(received_referral),
                marker=lambda c: str(referral_of(c).pk),
                logs="lists referrals: case references, no person",
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "api:referral-detail",
        (get(allow(referral_party), logs="a referral: case reference, no person"),),
        kwargs=lambda c: {"pk": referral_of(c).pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:referral-accept",
        (post(allow(receiver_of_fresh), prepare=fresh_referral_pk()),),
        relations=OFFICES,
    ),
    Endpoint(
        "api:referral-reject",
        (post(allow(receiver_of_fresh), prepare=fresh_referral_pk()),),
        relations=OFFICES,
    ),
    Endpoint(
        "api:referral-done",
        (post(allow(receiver_of_fresh), prepare=fresh_referral_pk("accepted")),),
        relations=OFFICES,
    ),
    Endpoint(
        "api:referral-revoke",
        (post(allow(sender_of_fresh), prepare=fresh_referral_pk()),),
        relations=OFFICES,
    ),
    # --- API: tracing -------------------------------------------------------------------------
    Endpoint(
        "api:tracing-request-list",
        (
            get(
                listing(requester),
                marker=lambda c: str(c.world.tracing_request.pk),
                logs=the_request,
            ),
            post(allow(staff, CREATED), lambda c: dict(TRACING_REQUEST), relations=ROLE_ONLY),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "api:tracing-request-detail",
        (
            get(
                lambda r, rel: MASKED if requester(r, rel) else HIDDEN,
                logs=the_request_and_match,
            ),
        ),
        kwargs=lambda c: {"pk": c.world.tracing_request.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:tracing-match-list",
        (
            get(
                staff_listing(person_owner_side),
                marker=lambda c: str(c.world.match.pk),
                logs=the_match,
            ),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "api:tracing-match-detail",
        (get(match_page, logs=the_match),),
        kwargs=lambda c: {"pk": c.world.match.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:tracing-match-confirm",
        (post(allow(person_owner_side), lambda c: {"notice_language": "es"}),),
        kwargs=lambda c: {"pk": c.world.match.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:tracing-match-reject",
        (post(allow(person_owner_side), lambda c: {"note": "No es"}),),
        kwargs=lambda c: {"pk": c.world.match.pk},
        relations=OFFICES,
    ),
    Endpoint(
        "api:reunification-detail",
        (
            get(allow(tracing_sides), logs=the_reunification),
            patch(
                allow(tracing_sides),
                lambda c: {"version": version_of(c.world.reunification), "follow_up": "Visita"},
            ),
        ),
        kwargs=lambda c: {"pk": c.world.reunification.pk},
        relations=OFFICES,
    ),
    # traf-io: HTCDS import and export, CTDC extract
    Endpoint(
        "trafficking:htcds_import",
        (
            get(allow(htcds_importer)),
            post(allow(htcds_importer), htcds_upload, fmt="multipart"),
        ),
    ),
    Endpoint(
        "trafficking:htcds_import_job",
        (get(allow(nobody), logs="an import's report: no record read"),),
        kwargs=random_job,
    ),
    Endpoint("trafficking:htcds_template", (get(allow(htcds_importer)),)),
    Endpoint("trafficking:htcds_export", (post(allow(trafficking_reader, REDIRECT)),)),
    Endpoint(
        "trafficking:htcds_export_download",
        (get(allow(nobody), logs="a refused download: no record read"),),
        kwargs=random_job,
    ),
    Endpoint("trafficking:ctdc_extract", (get(allow(htcds_importer)),)),
    Endpoint(
        "api:trafficking-case-htcds-imports",
        (post(allow(htcds_importer), htcds_upload, fmt="multipart"),),
    ),
    Endpoint("api:trafficking-case-htcds-export", (post(allow(trafficking_reader, ACCEPTED)),)),
    Endpoint("api:trafficking-case-ctdc-extract", (get(allow(htcds_importer)),)),
    # --- assisted voluntary returns: the pages -------------------------------------------------
    Endpoint(
        "returns:list",
        (get(return_listing, marker=lambda c: c.world.return_.reference, logs=the_return),),
        relations=OFFICES,
    ),
    Endpoint(
        "returns:create",
        (
            get(allow(person_owner_side), query=return_opener, logs=the_returning_person),
            post(allow(person_owner_side, REDIRECT), lambda c: return_opener(c)),
        ),
        relations=OFFICES,
    ),
    Endpoint(
        "returns:settings",
        (
            get(allow(return_settings_editor), logs="an office's setting: no record read"),
            post(allow(return_settings_editor, REDIRECT), lambda c: {"cooling_off_days": "2"}),
        ),
    ),
    Endpoint(
        "returns:detail",
        (get(allow(sees_return), logs=the_return),),
        kwargs=return_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "returns:documents",
        (get(allow(sees_return), logs=the_return),),
        kwargs=return_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "returns:pdf",
        (get(allow(sees_return), logs=the_return),),
        kwargs=return_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "returns:withdraw",
        (
            get(allow(works_return_sending), logs=the_return),
            post(allow(works_return_sending, REDIRECT), return_withdrawal),
        ),
        kwargs=return_kw,
        relations=OFFICES,
    ),
    Endpoint(
        "returns:step",
        (post(allow(works_return_sending, REDIRECT), return_departure),),
        kwargs=lambda c: {**return_kw(c), "step": "departure"},
        relations=OFFICES,
    ),
    # --- forums and the regional position (enlace.forums) -------------------------------------
    Endpoint("forums:index", (get(allow(forum_reader), logs=FORUM_NO_PERSON),)),
    Endpoint(
        "forums:forum_create",
        (
            get(allow(forum_secretariat), logs=FORUM_NO_PERSON),
            post(allow(forum_secretariat, REDIRECT), lambda c: {"name": "Foro", "kind": "other"}),
        ),
        relations=FORUM_RELATIONS,
    ),
    Endpoint("forums:commitments", (get(allow(forum_reader), logs=FORUM_NO_PERSON),)),
    Endpoint(
        "forums:commitment_status",
        (
            get(allow(speaks_for_mexico), logs=FORUM_NO_PERSON),
            post(allow(speaks_for_mexico, REDIRECT), lambda c: {"status": "in_progress"}),
        ),
        kwargs=lambda c: {"code": "C01", "country": "MX"},
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:forum",
        (get(allow(forum_reader), logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"forum_id": c.world.forum_item.meeting.forum_id},
    ),
    Endpoint(
        "forums:meeting_create",
        (
            get(allow(forum_secretariat), logs=FORUM_NO_PERSON),
            post(
                allow(forum_secretariat, REDIRECT),
                lambda c: {"title": "Reunión", "country": "MX", "starts_on": "2010-11-08"},
            ),
        ),
        kwargs=lambda c: {"forum_id": c.world.forum_item.meeting.forum_id},
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:meeting",
        (get(allow(forum_reader), logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"meeting_id": c.world.forum_item.meeting_id},
    ),
    Endpoint(
        "forums:item_create",
        (
            get(allow(forum_secretariat), logs=FORUM_NO_PERSON),
            post(allow(forum_secretariat, REDIRECT), lambda c: {"title": "Punto 2"}),
        ),
        kwargs=lambda c: {"meeting_id": c.world.forum_item.meeting_id},
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:item",
        (get(forum_item_page, marker=forum_draft, logs=FORUM_NO_PERSON),),
        kwargs=forum_item_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:position_edit",
        (
            get(allow(speaks_for_mexico), logs=FORUM_NO_PERSON),
            post(
                allow(speaks_for_mexico, REDIRECT),
                lambda c: {"text": "Nueva", "version": version_of(c.world.forum_position)},
            ),
        ),
        kwargs=forum_mx_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:position_step",
        (
            post(
                allow(speaks_for_mexico, REDIRECT),
                lambda c: {"version": version_of(c.world.forum_position)},
            ),
        ),
        kwargs=lambda c: {**forum_mx_kw(c), "step": "submit"},
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:regional_edit",
        (
            get(allow(forum_secretariat), logs=FORUM_NO_PERSON),
            post(
                allow(forum_secretariat, REDIRECT),
                lambda c: {"text": "Nuevo texto", "version": version_of(c.world.forum_regional)},
            ),
        ),
        kwargs=forum_item_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:regional_step",
        (
            post(
                allow(forum_secretariat, REDIRECT),
                lambda c: {"version": version_of(c.world.forum_regional)},
                prepare=forum_all_endorsed,
            ),
        ),
        kwargs=forum_item_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:endorse",
        (
            post(allow(speaks_for_mexico, REDIRECT), forum_endorsement),
            post(allow(speaks_for_mexico), forum_endorsement, htmx=True, label="htmx"),
        ),
        kwargs=forum_mx_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums:comment",
        (post(allow(speaks_for_mexico, REDIRECT), lambda c: {"text": "Comentario"}),),
        kwargs=forum_mx_kw,
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "forums_public:index",
        (get(allow(anyone), anonymous=OK, logs=FORUM_NO_PERSON),),
    ),
    Endpoint(
        "forums_public:meeting",
        (get(allow(anyone), anonymous=OK, logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"meeting_id": c.world.forum_item.meeting_id},
    ),
    Endpoint(
        "forums_public:item",
        (
            get(
                listing(nobody),
                anonymous=UNLISTED,
                marker=forum_draft,
                logs=FORUM_NO_PERSON,
            ),
        ),
        kwargs=forum_item_kw,
    ),
    Endpoint("api:forum-list", (get(allow(anyone), anonymous=OK, logs=FORUM_NO_PERSON),)),
    Endpoint(
        "api:forum-detail",
        (get(allow(anyone), anonymous=OK, logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"pk": c.world.forum_item.meeting.forum_id},
    ),
    Endpoint(
        "api:forum-meeting-detail",
        (get(allow(anyone), anonymous=OK, logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"pk": c.world.forum_item.meeting_id},
    ),
    Endpoint(
        "api:forum-item-detail",
        (get(forum_item_api, anonymous=UNLISTED, marker=forum_draft, logs=FORUM_NO_PERSON),),
        kwargs=lambda c: {"pk": c.world.forum_item.pk},
        relations=FORUM_RELATIONS,
    ),
    Endpoint(
        "api:forum-item-endorsement",
        (post(allow(member_focal_point), forum_endorsement),),
        kwargs=lambda c: {"pk": c.world.forum_item.pk},
        relations=FORUM_RELATIONS,
    ),
    # --- good practices: the public library, its API, and the staff pages ---------------------
    Endpoint(
        "practices:library",
        (get(allow(anyone), anonymous=OK, logs=PRACTICE_READ),),
    ),
    Endpoint(
        "practices:public_detail",
        (
            get(allow(anyone), anonymous=OK, logs=PRACTICE_READ),
            get(
                allow(nobody),
                anonymous=HIDDEN,
                prepare=practice_kw("submitted"),
                logs=PRACTICE_READ,
                label="not published",
            ),
        ),
        kwargs=practice_kw("published"),
    ),
    Endpoint(
        "practices:ask",
        (
            post(allow(anyone, REDIRECT), practice_question, anonymous=REDIRECT),
            post(
                allow(nobody),
                practice_question,
                anonymous=HIDDEN,
                prepare=practice_kw("submitted"),
                label="not published",
            ),
        ),
        kwargs=practice_kw("published"),
    ),
    Endpoint(
        "practices:public_attachment",
        (
            get(allow(anyone), anonymous=OK, logs=PRACTICE_READ),
            get(
                allow(nobody),
                anonymous=HIDDEN,
                prepare=practice_file_kw("submitted"),
                logs=PRACTICE_READ,
                label="not published",
            ),
        ),
        kwargs=practice_file_kw("published"),
    ),
    Endpoint(
        "api:practice-list",
        (get(allow(anyone), anonymous=OK, logs=PRACTICE_READ),),
    ),
    Endpoint(
        "api:practice-detail",
        (
            get(allow(anyone), anonymous=OK, logs=PRACTICE_READ),
            get(
                allow(nobody),
                anonymous=HIDDEN,
                prepare=practice_kw("submitted"),
                logs=PRACTICE_READ,
                label="not published",
            ),
        ),
        kwargs=practice_kw("published"),
    ),
    Endpoint(
        "practices:mine",
        (
            get(
                listing(practice_author),
                marker=lambda c: str(c.world.practices["draft"].pk),
                logs=PRACTICE_READ,
            ),
        ),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:create",
        (
            get(allow(anyone), logs="a form: no record is read"),
            post(allow(anyone, REDIRECT), practice_form),
        ),
    ),
    Endpoint(
        "practices:review_queue",
        (
            get(
                listing(practice_reviewer, outside=HIDDEN),
                marker=lambda c: str(c.world.practices["submitted"].pk),
                logs=PRACTICE_READ,
            ),
        ),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:manage",
        (
            get(allow(sees_submitted_practice), logs=PRACTICE_READ),
            get(
                allow(practice_author),
                prepare=practice_kw("draft"),
                logs=PRACTICE_READ,
                label="draft",
            ),
        ),
        kwargs=practice_kw("submitted"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:edit",
        (
            get(allow(practice_author), logs=PRACTICE_READ),
            post(allow(practice_author, REDIRECT), practice_form),
        ),
        kwargs=practice_kw("draft"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:submit",
        (post(allow(practice_author, REDIRECT), practice_version("draft")),),
        kwargs=practice_kw("draft"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:review",
        (
            post(
                allow(practice_reviewer, REDIRECT),
                lambda c: {**practice_version("submitted")(c), "decision": "publish"},
            ),
        ),
        kwargs=practice_kw("submitted"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:withdraw",
        (
            get(allow(practice_author), logs=PRACTICE_READ),
            post(
                allow(practice_author, REDIRECT),
                lambda c: {**practice_version("submitted")(c), "confirm": "on"},
            ),
        ),
        kwargs=practice_kw("submitted"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:attachment_upload",
        (post(allow(practice_author, REDIRECT), upload_pdf),),
        kwargs=practice_kw("draft"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:attachment_download",
        (
            get(allow(sees_submitted_practice), logs=PRACTICE_READ),
            get(
                allow(practice_author),
                prepare=practice_file_kw("draft"),
                logs=PRACTICE_READ,
                label="draft",
            ),
        ),
        kwargs=practice_file_kw("submitted"),
        relations=PRACTICE_RELATIONS,
    ),
    Endpoint(
        "practices:attachment_delete",
        (post(allow(practice_author, REDIRECT)),),
        kwargs=practice_file_kw("draft"),
        relations=PRACTICE_RELATIONS,
    ),
    # --- diaspora associations: public pages and endpoints, representatives' pages -----------
    Endpoint("diaspora:directory", (get(allow(anyone), anonymous=OK, logs=DIASPORA_READ),)),
    Endpoint(
        "diaspora:association",
        (get(allow(anyone), anonymous=OK, logs=DIASPORA_READ),),
        kwargs=association_kw,
    ),
    Endpoint(
        "diaspora:municipality",
        (get(allow(anyone), anonymous=OK, logs=DIASPORA_READ),),
        kwargs=lambda c: {"municipality_id": "SV-1407"},
    ),
    Endpoint("diaspora:manage", (get(allow(manages_associations), logs=DIASPORA_READ),)),
    Endpoint(
        "diaspora:association_register",
        (
            get(allow(lambda r, rel: r == REP), logs=DIASPORA_READ),
            post(registers_association, association_form),
        ),
        relations=DIASPORA,
    ),
    Endpoint(
        "diaspora:association_edit",
        (
            get(allow(edits_association), logs=DIASPORA_READ),
            post(allow(edits_association, REDIRECT), association_form),
        ),
        kwargs=association_kw,
        relations=DIASPORA,
    ),
    Endpoint(
        "diaspora:project_create",
        (
            get(allow(edits_association), logs=DIASPORA_READ),
            post(allow(edits_association, REDIRECT), project_form),
        ),
        kwargs=association_kw,
        relations=DIASPORA,
    ),
    Endpoint(
        "diaspora:project_edit",
        (
            get(allow(edits_association), logs=DIASPORA_READ),
            post(allow(edits_association, REDIRECT), project_form),
        ),
        kwargs=project_kw,
        relations=DIASPORA,
    ),
    Endpoint(
        "diaspora:project_delete",
        (
            get(allow(edits_association), logs=DIASPORA_READ),
            post(
                allow(edits_association, REDIRECT),
                lambda c: {"version": str(version_of(c.world.project)), "confirm": "on"},
            ),
        ),
        kwargs=project_kw,
        relations=DIASPORA,
    ),
    Endpoint(
        "api:association-list",
        (get(allow(anyone), anonymous=OK, query={"origin_country": "MX"}, logs=DIASPORA_READ),),
    ),
    Endpoint(
        "api:association-detail",
        (get(allow(anyone), anonymous=OK, logs=DIASPORA_READ),),
        kwargs=lambda c: {"pk": c.world.association.pk},
    ),
    Endpoint(
        "api:association-projects",
        (get(allow(anyone), anonymous=OK, logs=DIASPORA_READ),),
        kwargs=lambda c: {"pk": c.world.association.pk},
    ),
]

POLICY: dict[str, Endpoint] = {e.name: e for e in ENDPOINTS}
assert len(POLICY) == len(ENDPOINTS), "an endpoint is in the table twice"
