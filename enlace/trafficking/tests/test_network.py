"""The network of linked cases as each reader may see it: kinds for everyone who sees both
cases, values only with the identities of both, nothing at all of a case the reader may not
see; the picture is valid SVG naming no one; the page's queries do not grow with clusters."""

import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django.utils.translation import gettext
from rest_framework.test import APIClient

from enlace.trafficking import links, network, services
from enlace.trafficking.models import CaseLink

from .conftest import ALIAS, PERPETRATOR_NAME, VICTIM_NAME

SHARED_PHONE_LOCAL = "5555-1234"  # the world case's "+502 5555 1234", typed in Guatemala
NAMES = (*PERPETRATOR_NAME, *VICTIM_NAME, ALIAS, "Méndez", "Mendez")


@pytest.fixture
def linked(world, django_capture_on_commit_callbacks) -> dict[str, Any]:
    """Besides the world's case (GT, route GT → MX → US, phone +502 5555 1234):
    - `gt_b`: GT's, same phone and a perpetrator shared with `gt_c`, route through MX;
    - `gt_c`: GT's, linked to `gt_b` by the perpetrator only;
    - `hn`: Honduras's, the world's phone too, its route in HN only: GT and MX may not see it."""
    links.links_refresh_case(world.case.pk)

    def save(who: str, **parts: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return services.case_create(
                actor=world.actor(who), kind="trafficking", summary="Caso", **parts
            )

    shared_name = {"given_names": "Juan Carlos", "surnames": "Méndez Ruiz", "aliases": []}
    cases = {
        "gt_b": save(
            "tfp_gt",
            identifiers=[{"kind": "phone", "value": SHARED_PHONE_LOCAL}],
            perpetrators=[shared_name],
            route=[
                {"country": "GT", "place": "Tecún Umán"},
                {"country": "MX", "place": "Tapachula"},
            ],
        ),
        # MX's: the world's place and route segment (GT Huehuetenango -> MX Comitán).
        "mx": save(
            "tfp_mx",
            identifiers=[{"kind": "place", "value": "FINCA LA ESPERANZA"}],
            route=[
                {"country": "GT", "place": "Huehuetenango"},
                {"country": "MX", "place": "Comitán"},
            ],
        ),
        "gt_c": save(
            "tfp_gt",
            perpetrators=[
                {
                    "given_names": "Pedro",
                    "surnames": "Alvarado",
                    "aliases": ["Juan Carlos Mendez Ruiz"],
                }
            ],
        ),
        "hn": save(
            "tfp_hn",
            identifiers=[{"kind": "phone", "value": "+502 5555 1234"}],
            route=[{"country": "HN", "place": "San Pedro Sula"}],
        ),
    }
    return cases


def _main(body: str) -> str:
    """The page's content (the layout around it carries a fresh CSRF token each time)."""
    return body[body.index("<main") : body.index("</main>")]


def _client(world: Any, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _links(world: Any, who: str, url: str) -> list[dict[str, Any]]:
    return _api(world, who).get(url).json()["linked_cases"]


def _api(world: Any, who: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[who])
    return client


def test_the_owner_focal_point_sees_the_links_and_their_values(world, linked):
    body = _client(world, "tfp_gt").get(f"/trafficking/{world.case.pk}/").content.decode()
    section = body[body.index('id="linked-cases"') :]
    assert linked["gt_b"].reference in section
    assert "+502 5555 1234" in section  # the value: the reader sees both cases' identities
    api = _api(world, "tfp_gt").get(f"/api/v1/trafficking-cases/{linked['gt_b'].pk}/links/")
    assert api.status_code == 200
    by_ref = {item["reference"]: item for item in api.json()["linked_cases"]}
    assert set(by_ref) == {world.case.reference, linked["gt_c"].reference}
    perpetrator = next(x for x in by_ref[linked["gt_c"].reference]["links"])
    assert perpetrator["kind"] == "perpetrator"
    assert any("Juan Carlos" in v for v in perpetrator["values"])
    assert perpetrator["strength"] >= 0.9


def test_a_de_identified_reader_sees_the_kind_but_not_the_value(world, linked):
    # MX's trafficking focal point sees the world case and gt_b (both pass through MX), but
    # not their identities.
    body = _client(world, "tfp_mx").get(f"/trafficking/{world.case.pk}/").content.decode()
    section = body[body.index('id="linked-cases"') :]
    assert linked["gt_b"].reference in section
    assert "Same phone number" in section or "Mismo número" in section
    assert "5555" not in section
    api = (
        _api(world, "tfp_mx")
        .get(f"/api/v1/trafficking-cases/{world.case.pk}/links/")
        .json()["linked_cases"]
    )
    assert [(i["reference"], [(x["kind"], x["values"]) for x in i["links"]]) for i in api] == [
        (linked["gt_b"].reference, [("phone", None)]),
        (linked["mx"].reference, [("place", None), ("route", ["GT huehuetenango → MX comitan"])]),
    ]


def test_a_place_is_an_identity_but_a_route_segment_is_not(world, linked):
    # MX's focal point sees both cases, the identities of neither: the shared place (an
    # identifier value, hidden on the case page too) by its kind only, the route segment whole.
    api = (
        _api(world, "tfp_mx")
        .get(f"/api/v1/trafficking-cases/{linked['mx'].pk}/links/")
        .json()["linked_cases"]
    )
    (item,) = [i for i in api if i["reference"] == world.case.reference]
    values = {x["kind"]: x["values"] for x in item["links"]}
    assert values["place"] is None
    assert values["route"] == ["GT huehuetenango → MX comitan"]
    # GT's sees the identities of the world case, not of MX's: the place stays hidden.
    api = (
        _api(world, "tfp_gt")
        .get(f"/api/v1/trafficking-cases/{world.case.pk}/links/")
        .json()["linked_cases"]
    )
    (item,) = [i for i in api if i["reference"] == linked["mx"].reference]
    assert {x["kind"]: x["values"] for x in item["links"]}["place"] is None


def test_a_case_the_reader_may_not_see_leaves_no_trace(
    world, linked, django_capture_on_commit_callbacks
):
    hn = linked["hn"]
    assert CaseLink.objects.filter(kind="phone").count() == 3  # world, gt_b, hn pairwise
    client = _client(world, "tfp_gt")
    with_hn = client.get(f"/trafficking/{world.case.pk}/").content.decode()
    api = (
        _api(world, "tfp_gt")
        .get(f"/api/v1/trafficking-cases/{world.case.pk}/links/")
        .json()["linked_cases"]
    )
    assert hn.reference not in with_hn
    assert str(hn.pk) not in with_hn
    assert {i["reference"] for i in api} == {linked["gt_b"].reference, linked["mx"].reference}
    network_page = client.get("/trafficking/network/").content.decode()
    assert hn.reference not in network_page and str(hn.pk) not in network_page
    # The same pages without the hidden case: the same linked cases, the same clusters.
    hn.delete()
    without = client.get(f"/trafficking/{world.case.pk}/").content.decode()
    section = slice(with_hn.index('id="linked-cases"'), None)
    assert (
        with_hn[section].split("</section>")[0]
        == without[without.index('id="linked-cases"') :].split("</section>")[0]
    )
    assert _main(client.get("/trafficking/network/").content.decode()) == _main(network_page)
    # And HN's focal point, who sees neither GT case, sees no link of theirs.
    assert (
        _api(world, "tfp_hn").get(f"/api/v1/trafficking-cases/{world.case.pk}/links/").status_code
        == 404
    )


def test_the_network_page_lists_visible_clusters_and_filters(world, linked):
    client = _client(world, "tfp_gt")
    page = client.get("/trafficking/network/")
    assert page.status_code == 200
    body = page.content.decode()
    for key in ("gt_b", "gt_c"):
        assert linked[key].reference in body
    assert world.case.reference in body
    by_kind = client.get("/trafficking/network/", {"kind": "perpetrator"}).content.decode()
    assert linked["gt_c"].reference in by_kind and world.case.reference not in by_kind
    # MX: the world case and gt_b pass through MX, gt_c does not (and is not MX's to see).
    mx = _client(world, "tfp_mx").get("/trafficking/network/", {"country": "MX"}).content.decode()
    assert world.case.reference in mx and linked["gt_b"].reference in mx
    assert linked["gt_c"].reference not in mx
    nothing = client.get("/trafficking/network/", {"country": "BR"})
    assert nothing.status_code == 200
    assert escape(gettext("No cluster matches these filters.")) in nothing.content.decode()


@pytest.mark.parametrize("query", [{"kind": "nonsense"}, {"country": "ZZZ"}, {"page": "x"}])
def test_bad_filters_are_400_and_junk_pages_are_not_errors(world, linked, query):
    response = _client(world, "tfp_gt").get("/trafficking/network/", query)
    assert response.status_code == (200 if "page" in query else 400)


def test_readers_with_no_trafficking_role_get_404(world):
    assert _client(world, "analyst").get("/trafficking/network/").status_code == 404


def test_the_picture_is_valid_svg_and_names_no_one(world, linked):
    clusters = network.clusters_shown(
        actor=world.actor("tfp_gt"),
        found=network.cluster_list(actor=world.actor("tfp_gt")),
        first=1,
    )
    picture = network.svg(clusters)
    root = ET.fromstring(picture)  # noqa: S314  (our own output: valid XML)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "<script" not in picture
    texts = " ".join(root.itertext())
    assert world.case.reference in texts and linked["gt_b"].reference in texts
    assert "Same phone number" in texts or "Mismo número" in texts
    for name in NAMES:
        assert name not in picture
    assert "5555" not in picture


def test_the_network_page_queries_do_not_grow_with_clusters(
    world, linked, django_capture_on_commit_callbacks
):
    client = _client(world, "tfp_gt")

    def count() -> int:
        client.get("/trafficking/network/")  # warm
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/trafficking/network/").status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            services.case_create(
                actor=world.actor("tfp_gt"),
                kind="smuggling",
                summary="Otro",
                identifiers=[{"kind": "vehicle", "value": f"P-{i}00AAA"}],
            )
            services.case_create(
                actor=world.actor("tfp_gt"),
                kind="smuggling",
                summary="Otro",
                identifiers=[{"kind": "vehicle", "value": f"p{i}00aaa"}],
            )
    assert len(network.cluster_list(actor=world.actor("tfp_gt"))) == 6
    more = count()
    assert more == few
    assert more <= 20


def test_a_perpetrator_link_tells_a_de_identified_reader_neither_names_nor_score(
    world, linked, django_capture_on_commit_callbacks
):
    via_mx = [{"country": "GT", "place": "Malacatán"}, {"country": "MX", "place": "Tuxtla"}]
    made = []
    for given, village in (("Rigoberto", "Aldea Uno"), ("RIGOBERTO", "Aldea Dos")):
        with django_capture_on_commit_callbacks(execute=True):
            made.append(
                services.case_create(
                    actor=world.actor("tfp_gt"),
                    kind="smuggling",
                    summary="Caso",
                    route=[{**via_mx[0], "place": village}, via_mx[1]],
                    perpetrators=[{"given_names": given, "surnames": "Tun Ixcoy", "aliases": []}],
                )
            )
    url = f"/api/v1/trafficking-cases/{made[0].pk}/links/"
    (mx_view,) = _links(world, "tfp_mx", url)
    assert mx_view["links"] == [
        {
            "kind": "perpetrator",
            "label": mx_view["links"][0]["label"],
            "strength": None,
            "values": None,
        }
    ]
    (gt_view,) = _links(world, "tfp_gt", url)
    assert gt_view["links"][0]["strength"] > 0.9
    assert gt_view["links"][0]["values"]
