"""The trafficking-identity firewall (issue 18): canary names, aliases, identifier values, an
identifying place and free text planted in one trafficking case appear in no page, API body,
header, export, extract, network picture, inbox, search result, published statistic or log
line for any reader who may not see the case's identities — and do appear for its focal point
(or the walk would prove nothing)."""

import datetime as dt
import logging
import uuid
from typing import Any

import pytest
from django.test import Client, TestCase
from django.urls import reverse

from enlace.accounts.models import Office, Role
from enlace.accounts.testing import make_user
from enlace.core.models import Job
from enlace.inbox.models import Item
from enlace.indicators.releases import ProtectionRelease, publish
from enlace.people import services as people_services
from enlace.tests.doors import Door, bodies, door_urls, leaks_in
from enlace.trafficking import access_requests, htcds_io, services
from enlace.trafficking.models import Alert

from .conftest import build_world

pytestmark = pytest.mark.django_db

VICTIM = ("Yoltzinkanari", "Tzompakanari")
PERPETRATOR = ("Ubaldokanari", "Quetzakanari")
ALIAS = "Zopilokanari"
PHONE = ("+502 5555 7391", "50255557391")
VEHICLE = ("KNR 7788-Q", "KNR7788Q")
ACCOUNT = ("KNRB 4488 1203", "KNRB44881203")
PLACE = "Bodega Kanariplace"
SUMMARY = "Denunciada por Wenkanari en la bodega"
STREET = "Calle Kanaristreet 12"
ORGANISATION = "Red Kanariorg"
NAMES = [*VICTIM]
NEEDLES = [
    *VICTIM,
    *PERPETRATOR,
    ALIAS,
    *PHONE,
    "5555 7391",
    *VEHICLE,
    *ACCOUNT,
    "Kanariplace",
    "Wenkanari",
    "Kanaristreet",
    "Kanariorg",
]
# What the list doors are searched with: pieces of the canaries (a page echoes its search
# term, so a whole needle is never typed).
PIECES = ["kanari", "7391", "knr7788", "zopilo"]


def _canary_world() -> tuple[Any, Any]:
    world = build_world()
    office = Office.objects.create(
        name="Asociación", kind=Office.Kind.ASSOCIATION, country_id="GT", host_country_id="US"
    )
    world.users["association"] = make_user("association", office, Role.ASSOCIATION_REP)
    registrar = world.actor("officer_gt_consulate")
    victim = people_services.person_create(
        actor=registrar,
        data={"given_names": VICTIM[0], "first_surname": VICTIM[1], "sex": "F"},
        nationalities=["GT"],
    )
    people_services.vulnerability_add(actor=registrar, person=victim, kind="trafficking_victim")
    case = services.case_create(
        actor=world.actor("tfp_gt"),
        kind="trafficking",
        summary=SUMMARY,
        route=[
            {"country": "GT", "place": "Huehuetenango", "date": "2026-03-10"},
            {"country": "MX", "place": "Comitán"},
        ],
        victims=[
            {
                "person": victim.pk,
                "trafficking_status": "PossibleVictimOfTrafficking",
                "type_of_exploitation": ["ForcedLabour"],
            }
        ],
        perpetrators=[
            {
                "given_names": PERPETRATOR[0],
                "surnames": PERPETRATOR[1],
                "aliases": [ALIAS],
                "organisation": ORGANISATION,
                "role_in_process": ["RecruiterOrIntermediary"],
            }
        ],
        identifiers=[
            {"kind": "phone", "value": PHONE[0], "perpetrator": 0},
            {"kind": "vehicle", "value": VEHICLE[0]},
            {"kind": "bank_account", "value": ACCOUNT[0]},
            {"kind": "place", "value": PLACE},
        ],
        events=[{"type": "Recruitment", "country": "GT", "street": STREET}],
    )
    return world, case


@pytest.fixture
def canary(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ENLACE_PDF_COMPRESS = False
    settings.ENLACE_PDF_FONT_DIRS = []
    with TestCase.captureOnCommitCallbacks(execute=True):  # the alerts go out on commit
        world, case = _canary_world()
    # The MX focal points asked for the identities (not decided): the request's page and API.
    request = access_requests.request_create(
        actor=world.actor("tfp_mx"), case=case, purpose="Investigación", basis="consent", days=30
    )
    alert = Alert.objects.get(case=case, office=world.offices["mx"])
    item = Item.objects.filter(office=world.offices["mx"]).first()
    assert item is not None
    # The statistics of the year, published as the daily job does once the year is over.
    publish(2026, "suppression", today=dt.date(2027, 1, 5))
    return world, case, request, alert, item


def _doors(world, case, request, alert, item) -> tuple[list[Door], dict[str, Any]]:
    missing = uuid.uuid4()
    by_param = {
        "case_id": case.pk,
        "request_id": request.pk,
        "alert_id": alert.pk,
        "item_id": item.pk,
        "person_id": case.victims.get().person_id,
        "record_type": "trafficking.traffickingcase",
        "record_id": case.pk,
        "office_id": case.owner_office_id,
        "step": "accept",
        "name": "start_assessment",
        "kind": "disability",
        "fmt": "csv",
        "slug": "cases",
        "country": "GT",
        "code": "GT",
        "sending": "US",
        "receiving": "GT",
        "municipality_id": "SV-1407",
        "chart": "remittances",
        "reference": "ABCD-EFGH-JKMN-PQRS-TUVW",
    }
    by_resource = {
        "trafficking-cases": case.pk,
        "trafficking-access-requests": request.pk,
        "people": by_param["person_id"],
        "inbox": by_param["item_id"],
        "offices": case.owner_office_id,
    }

    def queries(name: str, kwargs: dict[str, Any]) -> list[dict[str, str]]:
        found: list[dict[str, str]] = [{}]
        if not kwargs and any(w in name for w in ("traffick", "person", "people", "search")):
            found += [{"q": piece} for piece in PIECES]
        elif not kwargs:
            found.append({"q": PIECES[0]})
        return found

    doors = door_urls(
        by_param=by_param,
        by_resource=by_resource,
        needles=lambda name: NEEDLES,
        queries=queries,
        # every other record: an id that is nobody's (those doors answer 404, checked too)
        fallback=lambda param: missing if param == "pk" or param.endswith("_id") else None,
    )
    htcds_api = reverse("api:trafficking-case-htcds-export")
    doors.append(Door("htcds-export", True, htcds_api, {}, tuple(NEEDLES)))
    special = {reverse("trafficking:htcds_export"): _export, htcds_api: _export}
    return doors, special


def _export(client: Any, url: str, query: Any) -> Any:
    """Start the HTCDS export as the user (the page's form or the API), let its job run, and
    download the workbook it wrote for them; a refusal is the response checked."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, query)
    if response.status_code not in (202, 302):
        return response
    job = Job.objects.filter(kind=htcds_io.EXPORT_KIND).latest("created")
    assert job.status == Job.Status.SUCCEEDED, job.message
    web = client
    if url.startswith("/api/"):  # the download is the page's (a session), as the API links it
        web = Client()
        web.force_login(client.handler._force_user)
    return web.get(reverse("trafficking:htcds_export_download", args=[job.pk]))


WITHOUT = [
    "nfp_gt",  # the owner country's national focal point
    "officer_gt",  # staff of the owning office
    "officer_gt_consulate",  # registered the victim (sees her name in the registry only)
    "tfp_mx",  # the route's focal point, identities asked for, not granted
    "tfp_hn",  # another country's focal point
    "nfp_mx",
    "officer_mx",
    "analyst",
    "admin",
    "association",
    None,  # anonymous: the public pages (the portal among them)
]


def test_trafficking_canaries_leak_nowhere_without_the_identities(canary, caplog):
    world, case, *rest = canary
    doors, special = _doors(world, case, *rest)
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    leaks: list[str] = []
    for key in WITHOUT:
        user = world.users[key] if key else None
        found = bodies(doors, user, errors, special)
        # the office that registered the victim holds her person record, and her name in it
        allowed = NAMES if key == "officer_gt_consulate" else ()
        leaks += leaks_in(found, key or "anonymous", fold=True, allowed=allowed)
        if key == "officer_gt_consulate":  # her name only on the person's own doors
            person = str(case.victims.get().person_id)
            leaks += leaks_in(
                [(d, b) for d, b in found if person not in d.url and "/people/" not in d.url],
                key,
                fold=True,
            )
    assert not leaks, "\n".join(leaks)
    logged = caplog.text.casefold()
    assert not [n for n in NEEDLES if n.casefold() in logged]
    assert not errors, "doors that break (not checked):\n" + "\n".join(sorted(set(errors)))


def test_the_focal_point_sees_every_canary(canary):
    """The holder of the identities finds them on the case's doors: the needles are real."""
    world, case, *rest = canary
    doors, special = _doors(world, case, *rest)
    wanted = {
        reverse("trafficking:detail", kwargs={"case_id": case.pk}),
        reverse("api:trafficking-case-detail", kwargs={"pk": case.pk}),
        reverse("api:trafficking-case-htcds-export"),
    }
    errors: list[str] = []
    found = bodies([d for d in doors if d.url in wanted], world.users["tfp_gt"], errors, special)
    assert not errors
    assert len(found) == 3
    for door, body in found:
        text = body.decode("utf-8", "replace").casefold()
        seen = [n for n in NEEDLES if n.casefold() in text]
        assert {VICTIM[0], PERPETRATOR[1], ALIAS, VEHICLE[0], "Wenkanari"} <= set(seen), door.url


def test_the_published_statistics_hold_no_name_no_identifier_and_no_status(canary):
    """The release the daily job stored (cells, parameters, and the exact counts kept beside
    them) holds figures and codes only: no canary of the trafficking case, and no migratory
    status of a person who has one (cells under the threshold: test_disclosure_attacks)."""
    world, *_rest = canary
    person = people_services.person_create(
        actor=world.actor("officer_gt_consulate"),
        data={
            "given_names": "Statuskanari",
            "first_surname": "Oracle",
            "sex": "M",
            "migratory_status": "temporary_protection",
            "migratory_status_notes": "STATUS-NOTE-kanari",
        },
        nationalities=["GT"],
    )
    assert person.migratory_status == "temporary_protection"
    ProtectionRelease.objects.all().delete()
    release = publish(2026, "suppression", today=dt.date(2027, 1, 5))
    assert release is not None and release.cells  # something was published
    stored = repr([release.cells, release.params, release.counts]).casefold()
    for needle in [*NEEDLES, "Statuskanari", "STATUS-NOTE", "temporary_protection", "Oracle"]:
        assert needle.casefold() not in stored, needle
    assert any(k.startswith("trafficking.") for k in release.cells)  # the case was counted
