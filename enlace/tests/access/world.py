"""One small world for the access-policy tests: five offices around the records' owner, one user
per role in each, and every kind of record in each relation to them.

Relations (of the acting office to the record):
  own             the office that registered the person and opened the case (MX)
  same_country    another office of the same country (MX)
  other_country   an office of another country (GT), with no tie to the records
  granted         an office (CO) the case was referred to, referral accepted
  revoked         an office (HN) the case was referred to, accepted, then revoked
  traced          an office (SV) whose tracing requests matched the person: one possible match
                  still proposed, one confirmed by the own office with the person's consent
  trafficking_own / trafficking_country / trafficking_granted   the own / same-country /
                  granted office, on a possible victim of trafficking registered by the own office
                  (the case referred to the granted office and accepted)
  gbv_own / gbv_country / gbv_granted   the same, on a survivor of gender-based violence
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from enlace.accounts.actor import actor_for
from enlace.accounts.models import Membership, Office, Role, User
from enlace.cases import exports
from enlace.cases import services as case_services
from enlace.cases.models import Attachment, Case, Referral
from enlace.core.models import Job
from enlace.inbox.models import Item, Kind
from enlace.people import services as people_services
from enlace.people.models import Consent, Person
from enlace.tracing import services as tracing_services
from enlace.tracing.models import Reunification, TracingMatch, TracingRequest

OWN = "own"
SAME_COUNTRY = "same_country"
OTHER_COUNTRY = "other_country"
GRANTED = "granted"
REVOKED = "revoked"
TRAFFICKING_OWN = "trafficking_own"
TRAFFICKING_COUNTRY = "trafficking_country"
GBV_OWN = "gbv_own"
GBV_COUNTRY = "gbv_country"
TRAFFICKING_GRANTED = "trafficking_granted"
GBV_GRANTED = "gbv_granted"

TRACED = "traced"
# The regional secretariat's office: not a relation to the protection records. Forums
# (enlace.forums) and good practices (enlace.practices: its analysts and administrators
# review practices) act from it.
SECRETARIAT = "secretariat"
BASE_RELATIONS = (OWN, SAME_COUNTRY, OTHER_COUNTRY, GRANTED, REVOKED, TRACED)
FLAGGED_RELATIONS = (
    TRAFFICKING_OWN,
    TRAFFICKING_COUNTRY,
    TRAFFICKING_GRANTED,
    GBV_OWN,
    GBV_COUNTRY,
    GBV_GRANTED,
)
RELATIONS = BASE_RELATIONS + FLAGGED_RELATIONS
ROLES = tuple(Role)
ANONYMOUS = "anonymous"

# Which office acts in each relation, and which variant of the record it acts on.
OFFICE_OF = {
    OWN: OWN,
    SAME_COUNTRY: SAME_COUNTRY,
    OTHER_COUNTRY: OTHER_COUNTRY,
    TRACED: TRACED,
    GRANTED: GRANTED,
    REVOKED: REVOKED,
    TRAFFICKING_OWN: OWN,
    TRAFFICKING_COUNTRY: SAME_COUNTRY,
    GBV_OWN: OWN,
    GBV_COUNTRY: SAME_COUNTRY,
    TRAFFICKING_GRANTED: GRANTED,
    GBV_GRANTED: GRANTED,
    SECRETARIAT: SECRETARIAT,
}
PLAIN, TRAFFICKING, GBV = "plain", "trafficking", "gbv"
VARIANT_OF = {
    **dict.fromkeys(BASE_RELATIONS, PLAIN),
    TRAFFICKING_OWN: TRAFFICKING,
    TRAFFICKING_COUNTRY: TRAFFICKING,
    TRAFFICKING_GRANTED: TRAFFICKING,
    GBV_OWN: GBV,
    GBV_COUNTRY: GBV,
    GBV_GRANTED: GBV,
    SECRETARIAT: PLAIN,
}

OFFICES = {  # relation: (name, kind, country, host country)
    OWN: ("Consulado en Los Ángeles", Office.Kind.CONSULATE, "MX", "US"),
    SAME_COUNTRY: ("Cancillería", Office.Kind.FOREIGN_MINISTRY, "MX", "MX"),
    OTHER_COUNTRY: ("Consulado de Guatemala", Office.Kind.CONSULATE, "GT", "MX"),
    TRACED: ("Consulado de El Salvador", Office.Kind.CONSULATE, "SV", "US"),
    GRANTED: ("Consulado de Colombia", Office.Kind.CONSULATE, "CO", "US"),
    REVOKED: ("Consulado de Honduras", Office.Kind.CONSULATE, "HN", "US"),
    SECRETARIAT: ("Secretaría Técnica", Office.Kind.SECRETARIAT, "PA", "PA"),
}

# Distinct names: a body that shows one of them shows that person's identity.
PEOPLE = {
    PLAIN: ("Wenceslao Ixcamparij", "Tzoc"),
    TRAFFICKING: ("Yolotzin Quauhtli", "Ocelotl"),
    GBV: ("Xiadani Zacnite", "Huemac"),
}
PASSWORD = "policy-test-password-9"


@dataclass
class Records:
    """The records of one variant (plain, trafficking, GBV), all owned by the own office."""

    person: Person
    case: Case
    attachment: Attachment
    consent: Consent


@dataclass
class World:
    offices: dict[str, Office]
    users: dict[tuple[str, str], User]  # (role, office relation) → user
    records: dict[str, Records]
    referral: Referral  # own → granted, accepted
    revoked: Referral  # own → revoked, accepted then revoked
    tracing_request: TracingRequest  # filed by the traced office, a proposed match on
    match: TracingMatch  # the plain person
    confirmed_request: TracingRequest  # a second request whose match was confirmed:
    confirmed_match: TracingMatch
    reunification: Reunification
    job: Job  # started by the own office's administrator
    inbox_item: Item  # the granted office's "referral received" of the plain case
    export: Job  # a case export the own office's officer started, its file written
    membership: Membership  # the own office's officer
    spare_user: User  # a user with no role yet (for granting roles)
    # A trafficking case of the own office's trafficking focal point (MX): its victim is the
    # trafficking person (their protection case linked), its route MX → CO (the granted
    # office's country) → US.
    trafficking_case: Any = None

    # Trafficking alerts and identity requests (enlace.trafficking.alerts, .access_requests):
    # a case of the own office's trafficking focal point, route MX → CO → SV → US, so the
    # same-country, granted and traced offices are alerted; the alert of the granted office;
    # and that office's focal point's request for the identities, waiting for a decision.
    alerts_case: Any = None
    alert: Any = None
    identity_request: Any = None
    # An assisted voluntary return (enlace.returns) of a fourth person of the own office (MX,
    # in Los Angeles), handed over to the same-country office (the ministry in Mexico) with the
    # person's consent: a grant of that person only, for return reception.
    return_: Any = None
    # Forums (enlace.forums): an agenda item of a forum whose members are MX and GT, with
    # Mexico's draft position (seen by Mexico's staff only) and Guatemala's submitted one, and
    # a regional position circulated for endorsement (both answers pending).
    forum_item: Any = None
    forum_position: Any = None
    forum_regional: Any = None
    # Good practices (enlace.practices) of the own office: a draft, a submitted one, a published
    # one (reviewed by the secretariat's analyst), each with a file.
    practices: Any = None
    # Diaspora associations (enlace.diaspora): the own office stands in for an association
    # office (its association representative represents `association`, which has `project` in
    # Intipucá); the other-country office has an association of its own (`other_association`).
    association: Any = None
    other_association: Any = None
    project: Any = None

    def user(self, role: str, relation: str) -> User:
        return self.users[(role, OFFICE_OF[relation])]

    def office(self, relation: str) -> Office:
        return self.offices[OFFICE_OF[relation]]

    def of(self, relation: str) -> Records:
        return self.records[VARIANT_OF[relation]]

    def name(self, relation: str) -> str:
        return PEOPLE[VARIANT_OF[relation]][0]


def _user(username: str, office: Office, role: str) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    membership = Membership.objects.create(user=user, office=office, role=role)
    user.active_membership = membership
    user.save(update_fields=["active_membership"])
    return user


def _png() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), content_type="image/png")


def _records(officer: Any, variant: str, flag: str | None) -> Records:
    given, surname = PEOPLE[variant]
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": given,
            "first_surname": surname,
            "sex": "F",
            "birth_date": "1990-05-17",
            "migratory_status": "irregular",
            "phone": "+1 213 555 0199",
        },
        nationalities=["MX"],
    )
    people_services.person_photo_set(actor=officer, person=person, upload=_png())
    if flag:
        people_services.vulnerability_add(actor=officer, person=person, kind=flag)
        person.refresh_from_db()
    case = case_services.case_open(
        actor=officer, person=person, case_type="detention", summary=f"Caso {variant}"
    )
    attachment = case_services.attachment_add(
        actor=officer,
        case=case,
        upload=SimpleUploadedFile(
            "informe.pdf", b"%PDF-1.4 policy", content_type="application/pdf"
        ),
    )
    consent = people_services.consent_record(
        actor=officer, person=person, purpose="case_management", notice_language="es"
    )
    return Records(person=person, case=case, attachment=attachment, consent=consent)


def _match(request: TracingRequest, person: Person) -> TracingMatch:
    return TracingMatch.objects.create(
        request=request,
        person=person,
        match_probability=0.97,
        match_weight=12.0,
        explanation=[["given_names", "exact", 5.0]],
        request_fingerprint="r",
        person_fingerprint="p",
    )


TRACING_REQUEST = {
    "requester_name": "Rigoberta Ixcamparij",
    "requester_relation": "mother",
    "requester_consent": True,
    "given_names": "Wences",  # as the family knows him: the request never spells the name
    "first_surname": "Ixcamparij",  # the way the registry does (PEOPLE[PLAIN])
    "sex": "F",
}


def _export(actor: Any) -> Job:
    """A finished CSV export of the actor's cases, run as the worker would run it."""
    job = Job.objects.create(
        kind=exports.KIND, office=actor.office, created_by=actor.user, started=timezone.now()
    )
    result = exports.case_export(job, params={"format": ["csv"]})
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.SUCCEEDED, finished=timezone.now(), result=result
    )
    job.refresh_from_db()
    return job


def _trafficking_case(users: dict[tuple[str, str], User], victim: Records) -> Any:
    from enlace.trafficking import services as trafficking_services

    return trafficking_services.case_create(
        actor=actor_for(users[(Role.TRAFFICKING_FOCAL_POINT, OWN)]),
        kind="trafficking",
        summary="Caso de trata",
        route=[
            {"country": "MX", "place": "Tapachula", "transport": "bus"},
            {"country": "CO", "place": "Cali"},
            {"country": "US", "place": "Houston"},
        ],
        victims=[{"person": victim.person.pk, "protection_case": victim.case.pk}],
        perpetrators=[{"given_names": "Tlacaelel", "surnames": "Mixcoatl"}],
        identifiers=[{"kind": "phone", "value": "+52 55 5555 0101"}],
    )


def _return(users: dict[tuple[str, str], User], receiving: Office) -> Any:
    from enlace.returns import services as return_services

    officer = actor_for(users[(Role.OFFICER, OWN)])
    person = people_services.person_create(
        actor=officer,
        data={
            "given_names": "Tonatiuh",
            "first_surname": "Xicohténcatl",
            "sex": "M",
            "birth_date": "1984-03-21",
            "migratory_status": "irregular",
        },
        nationalities=["MX"],
    )
    ret = return_services.return_open(actor=officer, person=person)
    today = timezone.localdate()
    steps: list[tuple[str, dict[str, Any]]] = [
        (
            "counselling",
            {
                "options": ["return", "stay"],
                "language": "spa",
                "counselled_on": today - dt.timedelta(days=20),
            },
        ),
        ("consent", {"signed_on": today - dt.timedelta(days=10), "language": "spa"}),
        ("assessment", {"eligible": True}),
        ("document_request", {"doc_type": "emergency_travel"}),
        ("document_issue", {"number": "ETD-1"}),
        (
            "travel_plan",
            {"legs": [{"origin": "LAX", "destination": "MEX", "date": today, "transport": "air"}]},
        ),
        ("hand_over", {"receiving_office": receiving.pk, "consent_language": "spa"}),
    ]
    for step, data in steps:
        ret.refresh_from_db()
        if step == "document_issue":
            data = {**data, "document": ret.documents.get().pk}
        return_services.return_step(
            actor=officer, ret=ret, step=step, version=ret.version, data=data
        )
    ret.refresh_from_db()
    return ret


def _trafficking_alerts(users: dict[tuple[str, str], User], victim: Records) -> tuple[Any, ...]:
    from enlace.trafficking import access_requests, alerts
    from enlace.trafficking import services as trafficking_services

    author = actor_for(users[(Role.TRAFFICKING_FOCAL_POINT, OWN)])
    case = trafficking_services.case_create(
        actor=author,
        kind="smuggling",
        summary="Caso de alerta",
        route=[{"country": "MX"}, {"country": "CO"}, {"country": "SV"}, {"country": "US"}],
        victims=[{"person": victim.person.pk}],
    )
    alerts.case_alert(author, case, True, True)  # the hook, run now (no commit in the world)
    request = access_requests.request_create(
        actor=actor_for(users[(Role.TRAFFICKING_FOCAL_POINT, GRANTED)]),
        case=case,
        purpose="Investigación",
        basis="legal_basis",
        legal_basis="Convenio",
        days=30,
    )
    return case, case.alerts.get(office__country_id="CO"), request


FORUM_DRAFT_TEXT = "Posición mexicana en borrador 7f3a"


def _forums(users: dict[tuple[str, str], User]) -> tuple[Any, Any, Any]:
    import datetime as dt

    from enlace.forums import services as forum_services

    secretariat = actor_for(users[(Role.ANALYST, SECRETARIAT)])
    forum = forum_services.forum_create(
        actor=secretariat, name="Foro de prueba", kind="gfmd", members=["MX", "GT"]
    )
    meeting = forum_services.meeting_create(
        actor=secretariat,
        forum=forum,
        title="Reunión de prueba",
        country="MX",
        starts_on=dt.date(2010, 11, 8),
    )
    item = forum_services.item_create(actor=secretariat, meeting=meeting, title="Punto 1")
    position = forum_services.position_save(
        actor=actor_for(users[(Role.NATIONAL_FOCAL_POINT, OWN)]),
        item=item,
        country="MX",
        text=FORUM_DRAFT_TEXT,
    )
    focal_gt = actor_for(users[(Role.NATIONAL_FOCAL_POINT, OTHER_COUNTRY)])
    gt = forum_services.position_save(
        actor=focal_gt, item=item, country="GT", text="Posición de Guatemala", is_public=True
    )
    forum_services.position_step(actor=focal_gt, position=gt, step="submit", version=gt.version)
    regional = forum_services.regional_save(actor=secretariat, item=item, text="Texto regional")
    regional = forum_services.regional_circulate(
        actor=secretariat, regional=regional, version=regional.version
    )
    return item, position, regional


PRACTICE = {
    "language": "es",
    "summary": "Resumen de la práctica.",
    "description": "Descripción de la práctica.",
    "contact_name": "Contacto",
    "contact_email": "contacto.practica@example.org",
    "countries": ["MX"],
    "themes": ["consular"],
}


def _practices(users: dict[tuple[str, str], User]) -> dict[str, Any]:
    from enlace.practices import services as practice_services

    author = actor_for(users[(Role.OFFICER, OWN)])
    reviewer = actor_for(users[(Role.ANALYST, SECRETARIAT)])
    made: dict[str, Any] = {}
    for status in ("draft", "submitted", "published"):
        practice = practice_services.practice_create(
            actor=author, data={**PRACTICE, "title": f"Práctica {status} del consulado"}
        )
        made[f"{status}_file"] = practice_services.attachment_add(
            actor=author,
            practice=practice,
            upload=SimpleUploadedFile(
                "practica.pdf", b"%PDF-1.4 practica", content_type="application/pdf"
            ),
        )
        if status != "draft":
            practice = practice_services.practice_submit(
                actor=author, practice=practice, version=practice.version
            )
        if status == "published":
            practice = practice_services.practice_review(
                actor=reviewer, practice=practice, version=practice.version, publish=True
            )
        made[status] = practice
    return made


def _diaspora(offices: dict[str, Office]) -> tuple[Any, Any, Any]:
    from enlace.diaspora.models import Association, Project

    def association(office: Office, name: str, origin: str, municipality: str) -> Any:
        return Association.objects.create(
            office=office,
            name=name,
            residence_country_id="US",
            residence_city="Los Angeles",
            origin_country_id=origin,
            origin_municipality_id=municipality,
        )

    own = association(offices[OWN], "Club Jerezano de Los Ángeles", "MX", "MX-32020")
    other = association(offices[OTHER_COUNTRY], "Comité Todosantero", "GT", "GT-1315")
    project = Project.objects.create(
        association=own,
        title="Clínica de Intipucá",
        municipality_id="SV-1407",
        project_type="health",
    )
    return own, other, project


def build_world() -> World:
    offices = {
        relation: Office.objects.create(
            name=name, kind=kind, country_id=country, host_country_id=host, city="Ciudad"
        )
        for relation, (name, kind, country, host) in OFFICES.items()
    }
    users = {
        (role, relation): _user(f"{role}.{relation}", office, role)
        for relation, office in offices.items()
        for role in ROLES
    }
    officer = actor_for(users[(Role.OFFICER, OWN)])
    supervisor = actor_for(users[(Role.SUPERVISOR, OWN)])
    records = {
        PLAIN: _records(officer, PLAIN, None),
        TRAFFICKING: _records(officer, TRAFFICKING, "trafficking_victim"),
        GBV: _records(officer, GBV, "gbv_survivor"),
    }
    case = records[PLAIN].case
    referral = case_services.referral_create(
        actor=supervisor, case=case, to_office=offices[GRANTED], purpose="Asistencia", consent=True
    )
    inbox_item = Item.objects.get(
        kind=Kind.REFERRAL_RECEIVED, office=offices[GRANTED], params__reference=case.reference
    )
    case_services.referral_accept(
        actor=actor_for(users[(Role.OFFICER, GRANTED)]), referral=referral
    )
    revoked = case_services.referral_create(
        actor=supervisor, case=case, to_office=offices[REVOKED], purpose="Asistencia", consent=True
    )
    case_services.referral_accept(actor=actor_for(users[(Role.OFFICER, REVOKED)]), referral=revoked)
    revoked = case_services.referral_revoke(actor=supervisor, referral=revoked)
    for variant in (TRAFFICKING, GBV):
        flagged = case_services.referral_create(
            actor=supervisor,
            case=records[variant].case,
            to_office=offices[GRANTED],
            purpose="Asistencia",
            consent=True,
        )
        case_services.referral_accept(
            actor=actor_for(users[(Role.OFFICER, GRANTED)]), referral=flagged
        )
    requester = actor_for(users[(Role.OFFICER, TRACED)])
    tracing_request = tracing_services.request_create(actor=requester, data=dict(TRACING_REQUEST))
    person = records[PLAIN].person
    match = tracing_request.matches.filter(person=person).first() or _match(tracing_request, person)
    confirmed_request = tracing_services.request_create(
        actor=requester, data={**TRACING_REQUEST, "requester_name": "Otra Familia"}
    )
    confirmed_match = confirmed_request.matches.filter(person=person).first() or _match(
        confirmed_request, person
    )
    confirmed_match = tracing_services.match_confirm(
        actor=officer, match=confirmed_match, notice_language="es"
    )
    confirmed_request.refresh_from_db()
    admin = users[(Role.ADMINISTRATOR, OWN)]
    job = Job.objects.create(
        kind="reference_refresh",
        status=Job.Status.SUCCEEDED,
        office=offices[OWN],
        created_by=admin,
        started=timezone.now() - dt.timedelta(minutes=1),
        finished=timezone.now(),
    )
    trafficking_case = _trafficking_case(users, records[TRAFFICKING])
    alerts_case, alert, identity_request = _trafficking_alerts(users, records[TRAFFICKING])
    return_ = _return(users, offices[SAME_COUNTRY])
    forum_item, forum_position, forum_regional = _forums(users)
    practices = _practices(users)
    association, other_association, project = _diaspora(offices)
    export = _export(officer)  # last: its file lists the own office's cases
    return World(
        export=export,
        offices=offices,
        users=users,
        records=records,
        referral=referral,
        revoked=revoked,
        tracing_request=tracing_request,
        match=match,
        confirmed_request=confirmed_request,
        confirmed_match=confirmed_match,
        reunification=confirmed_match.reunification,
        job=job,
        inbox_item=inbox_item,
        membership=users[(Role.OFFICER, OWN)].active_membership,  # type: ignore[arg-type]
        spare_user=User.objects.create_user(username="spare", password=PASSWORD),
        trafficking_case=trafficking_case,
        alerts_case=alerts_case,
        alert=alert,
        identity_request=identity_request,
        return_=return_,
        forum_item=forum_item,
        forum_position=forum_position,
        forum_regional=forum_regional,
        practices=practices,
        association=association,
        other_association=other_association,
        project=project,
    )
