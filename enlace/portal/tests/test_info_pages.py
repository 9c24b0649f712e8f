"""The portal's information half (issue 17): every page in every language, the office finder's
answers, what the directory shows (only what offices publish), the manifest and the service
worker, and each page's weight on first load (compressed)."""

import gzip
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from enlace.accounts.models import Membership, Office, Role, User
from enlace.portal import info_views, rights

K = Office.Kind
STATIC = Path(settings.BASE_DIR) / "enlace" / "static"
LANGS = [code for code, _name in settings.LANGUAGES]
BUDGET = 100 * 1024  # bytes, compressed, first load (HTML + CSS + script + images)


def t(text: str, lang: str = "es") -> str:
    with override(lang):
        return gettext(text)


def office(name: str, kind: str, country: str, host: str, **contact: str) -> Office:
    return Office.objects.create(
        name=name, kind=kind, country_id=country, host_country_id=host, city="Ciudad", **contact
    )


@pytest.fixture
def offices(db) -> dict[str, Office]:
    made = {
        "gt_mx": office(
            "Consulado de Guatemala en Tapachula",
            K.CONSULATE,
            "GT",
            "MX",
            phone="+52 962 555 0100",
            email="tapachula@example.org",
            address="4a Av. Norte 5, Tapachula",
            opening_hours="Lunes a viernes, 8:00 a 16:00",
        ),
        "gt_us": office("Consulado de Guatemala en Houston", K.CONSULATE, "GT", "US"),
        "hn_mx": office("Consulado de Honduras en Tapachula", K.CONSULATE, "HN", "MX"),
        "gt_minex": office(
            "Ministerio de Relaciones Exteriores de Guatemala",
            K.FOREIGN_MINISTRY,
            "GT",
            "GT",
            phone="+502 2410 0000",
        ),
        "mx_shelter": office("Albergue de prueba", K.SHELTER, "MX", "MX"),
        "mx_inm": office("Instituto de migración (prueba)", K.MIGRATION_AUTHORITY, "MX", "MX"),
        "mx_sre": office("Cancillería de México (prueba)", K.FOREIGN_MINISTRY, "MX", "MX"),
        "secretariat": office("Secretaría Técnica (prueba)", K.SECRETARIAT, "MX", "MX"),
        "association": office("Club de migrantes (prueba)", K.ASSOCIATION, "MX", "US"),
        "closed": office("Consulado cerrado (prueba)", K.CONSULATE, "GT", "MX"),
    }
    made["closed"].is_active = False
    made["closed"].save()
    return made


def client_in(lang: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return client


def page_urls() -> list[str]:
    return [
        reverse("portal_info:home"),
        reverse("portal_info:offices"),
        reverse("portal_info:offices") + "?nationality=GT&country=MX",
        reverse("portal_info:directory"),
        reverse("portal_info:rights"),
        *(reverse("portal_info:rights_page", args=[p.slug]) for p in rights.PAGES),
    ]


def intake_urls() -> list[str]:
    """The intake's public pages (enlace.portal.views): on the same light base."""
    return [reverse("portal:ask_help"), reverse("portal:ask_tracing"), reverse("portal:follow")]


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_answers_in_every_language(offices, lang):
    client = client_in(lang)
    for url in page_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{lang}">' in html, url
        assert response["Content-Language"] == lang
        assert "public" in response["Cache-Control"]
        assert "csrfmiddlewaretoken" not in html  # the same bytes for everyone
    home = client.get(reverse("portal_info:home")).content.decode()
    assert t("Find the right office", lang) in home
    assert t("Know your rights", lang) in home


@pytest.mark.django_db
@pytest.mark.parametrize("lang", rights.RIGHTS_LANGUAGES)
@pytest.mark.parametrize("entry", rights.PAGES, ids=lambda p: p.slug)
def test_rights_pages_are_written_in_each_language(entry, lang):
    path, written_in = rights.page_file(entry.slug, lang)
    assert written_in == lang, f"{entry.slug} has no {lang} text"
    response = Client().get(reverse("portal_info:rights_page", args=[entry.slug]) + f"?lang={lang}")
    assert response.status_code == 200
    html = response.content.decode()
    title, _body, _lang = rights.render_page(entry.slug, lang)
    assert f'<article class="rights" lang="{lang}">' in html
    assert f"<h1>{title}</h1>" in html
    words = len(path.read_text(encoding="utf-8").split())
    assert words < 400, f"{path.name}: {words} words is not short"  # short pages
    assert "Fuente" in html or "Source" in html or "Fonte" in html or "Sous" in html


@pytest.mark.django_db
def test_the_trafficking_page_cites_a_source_next_to_each_line():
    for lang in rights.RIGHTS_LANGUAGES:
        text = rights.page_file("trafficking", lang)[0].read_text(encoding="utf-8")
        rows = [r for r in text.splitlines() if r.startswith("| ") and re.search(r"\d{3,}", r)]
        assert len(rows) >= 3
        for row in rows:
            assert "<https://" in row.split("|")[-2], row


@pytest.mark.django_db
def test_rights_index_links_every_page_and_the_remittance_comparison():
    html = Client().get(reverse("portal_info:rights")).content.decode()
    for entry in rights.PAGES:
        assert reverse("portal_info:rights_page", args=[entry.slug]) in html
    assert f'href="{reverse("remittances:compare")}"' in html


@pytest.mark.django_db
def test_unknown_rights_page_or_language_is_404():
    client = Client()
    assert client.get("/portal/rights/nothing-here/").status_code == 404
    url = reverse("portal_info:rights_page", args=["trafficking"])
    assert client.get(url + "?lang=xx").status_code == 404


def found(html: str) -> set[str]:
    return set(re.findall(r"<h3>([^<]+)</h3>", html))


@pytest.mark.django_db
def test_finder_guatemalan_in_mexico(offices):
    response = Client().get(reverse("portal_info:offices"), {"nationality": "GT", "country": "MX"})
    assert response.status_code == 200
    html = response.content.decode()
    assert found(html) == {
        "Consulado de Guatemala en Tapachula",
        "Albergue de prueba",
        "Instituto de migración (prueba)",
        "Ministerio de Relaciones Exteriores de Guatemala",
    }
    # The contact details the office publishes, with the phone callable.
    assert 'href="tel:+529625550100"' in html
    assert "tapachula@example.org" in html and "Lunes a viernes, 8:00 a 16:00" in html


@pytest.mark.django_db
def test_finder_without_a_consulate_shows_the_ministry_and_the_secretariat(offices):
    html = (
        Client()
        .get(reverse("portal_info:offices"), {"nationality": "GT", "country": "CA"})
        .content.decode()
    )
    assert found(html) == {
        "Ministerio de Relaciones Exteriores de Guatemala",
        "Secretaría Técnica (prueba)",
    }
    from enlace.core.models import Country

    with override("es"):
        names = {"nationality": Country.objects.get(pk="GT").name}
        names["country"] = Country.objects.get(pk="CA").name
    empty = t("No consulate of %(nationality)s in %(country)s is listed here yet.") % names
    assert empty in html
    assert t("The regional secretariat") in html


@pytest.mark.django_db
def test_finder_nationality_without_any_office_gets_the_secretariat(offices):
    html = (
        Client()
        .get(reverse("portal_info:offices"), {"nationality": "HT", "country": "US"})
        .content.decode()
    )
    assert found(html) == {"Secretaría Técnica (prueba)"}


@pytest.mark.django_db
def test_finder_at_home_shows_local_offices_and_the_ministry(offices):
    html = (
        Client()
        .get(reverse("portal_info:offices"), {"nationality": "mx", "country": "mx"})
        .content.decode()
    )
    assert found(html) == {
        "Albergue de prueba",
        "Instituto de migración (prueba)",
        "Cancillería de México (prueba)",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"nationality": "ZZ", "country": "MX"}, {"nationality": "GT"}, {"country": "<b>"}],
)
def test_finder_bad_input_is_a_clear_400(offices, query):
    response = Client().get(reverse("portal_info:offices"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "<b>" not in html
    assert not found(html)


@pytest.mark.django_db
def test_directory_shows_only_what_offices_publish(offices):
    staff = User.objects.create(username="x", first_name="Nombreúnico", last_name="Apellidoúnico")
    Membership.objects.create(user=staff, office=offices["gt_mx"], role=Role.OFFICER)
    html = Client().get(reverse("portal_info:directory")).content.decode()
    names = found(html)
    assert "Consulado de Guatemala en Tapachula" in names
    assert "Secretaría Técnica (prueba)" in names
    assert "Club de migrantes (prueba)" not in names  # associations are not offices that help
    assert "Consulado cerrado (prueba)" not in names  # inactive
    assert "Nombreúnico" not in html and "Apellidoúnico" not in html and "x@" not in html
    result = Client().get(reverse("portal_info:offices"), {"nationality": "GT", "country": "MX"})
    assert "Nombreúnico" not in result.content.decode()


@pytest.mark.django_db
def test_directory_empty_state(db):
    html = Client().get(reverse("portal_info:directory")).content.decode()
    assert t("No office is listed yet.") in html


@pytest.mark.django_db
def test_manifest(db):
    response = Client().get("/portal/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json; charset=utf-8"
    data = json.loads(response.content)
    assert data["start_url"] == "/portal/" and data["scope"] == "/portal/"
    assert data["display"] == "standalone"
    assert data["name"] == t("Enlace — help for migrants")
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in data["icons"]:
        path = STATIC / icon["src"].removeprefix("/static/")
        assert path.is_file(), icon["src"]
        if icon["type"] == "image/png":
            png = path.read_bytes()
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
            assert f"{width}x{height}" == icon["sizes"]


@pytest.mark.django_db
def test_service_worker_is_served_for_the_portal_scope(db):
    response = Client().get("/portal/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/portal/"
    assert "Content-Security-Policy" in response
    body = response.content.decode()
    offline = json.loads(re.search(r"const OFFLINE_URLS = (\[.*?\]);", body)[1])
    assert "/portal/offices/all/" in offline and "/portal/rights/" in offline
    for entry in rights.PAGES:
        assert f"/portal/rights/{entry.slug}/" in offline
    # Every page the worker keeps exists; the intake's pages are never kept.
    for url in offline:
        if url.startswith("/static/"):
            assert (STATIC / url.removeprefix("/static/")).is_file(), url
        else:
            assert Client().get(url).status_code == 200, url
    cacheable = json.loads(re.search(r"const CACHEABLE = (\[.*?\]);", body)[1])
    assert not any(p.startswith(("/portal/ask", "/portal/follow")) for p in cacheable)


@pytest.mark.django_db
def test_pages_register_the_worker_with_their_only_script(db):
    html = Client().get(reverse("portal_info:home")).content.decode()
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/portal/portal.js" defer>']
    assert "<style" not in html and " style=" not in html
    assert not re.search(r"<[^>]*\son[a-z]+=", html)  # no inline event handler
    assert '<link rel="manifest" href="/portal/manifest.webmanifest">' in html
    csp = Client().get(reverse("portal_info:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def resources(html: str) -> list[str]:
    """The files a page loads on first load: stylesheet, script, icons, images."""
    found = re.findall(r'<(?:link|script|img)[^>]+(?:href|src)="(/static/[^"]+)"', html)
    return sorted(set(found))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def weigh(client: Client, url: str) -> tuple[int, int, list[str]]:
    """(HTML compressed, HTML + loaded files compressed, the files) of a page."""
    html = client.get(url).content
    files = resources(html.decode())
    total = gz(html)
    for f in files:
        total += gz((STATIC / f.removeprefix("/static/")).read_bytes())
    manifest = client.get("/portal/manifest.webmanifest").content
    return gz(html), total + gz(manifest), files


@pytest.mark.django_db
@pytest.mark.parametrize("lang", LANGS)
def test_every_page_weighs_under_100_kb_compressed(offices, lang, capsys):
    from enlace.accounts.management.demo import seed_demo

    seed_demo()  # the demo network's offices too: a fuller directory
    client = client_in(lang)
    lines = []
    for url in page_urls() + intake_urls():
        html_gz, total, files = weigh(client, url)
        assert "/static/portal/portal.css" in files
        assert "/static/enlace/enlace.css" not in files  # the staff's heavier stylesheet
        assert total < BUDGET, f"{url}: {total} bytes compressed"
        lines.append(f"{lang} {url} html={html_gz} total={total}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))


def test_budget_helper_counts_the_loaded_files():
    html = (
        '<link rel="stylesheet" href="/static/portal/portal.css">'
        '<img src="/static/portal/icon.svg">'
    )
    assert resources(html) == ["/static/portal/icon.svg", "/static/portal/portal.css"]


def test_offline_list_holds_the_files_the_pages_load():
    urls = info_views.offline_urls()
    assert "/static/portal/portal.css" in urls and "/static/portal/portal.js" in urls


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        reverse("portal_info:directory"),
        reverse("portal_info:offices") + "?nationality=GT&country=MX",
    ],
)
def test_office_pages_make_the_same_few_queries_whatever_the_number_of_offices(offices, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert Client().get(url).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(5):
        office(f"Consulado de Guatemala {i}", K.CONSULATE, "GT", "MX", phone="+52 55 5555 0000")
        office(f"Albergue {i}", K.SHELTER, "MX", "MX")
    assert count() == few <= 4
