"""The help page: the user guides of docs/ in the reader's language, the API docs only for the
roles that use the API, and no Swagger in the officers' navigation."""

import pytest

from enlace.accounts.models import Role
from enlace.core import help as guides

pytestmark = pytest.mark.django_db


def _get(client, settings, url, lang="es"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.content.decode()


def _nav(html):
    return html.split('class="mainnav"', 1)[1].split("</nav>", 1)[0]


def test_officers_get_help_in_the_navigation_and_no_swagger(network, client, settings):
    client.force_login(network.user(Role.OFFICER))
    nav = _nav(_get(client, settings, "/"))
    assert 'href="/help/"' in nav
    assert "/api/v1/docs/" not in nav
    page = _get(client, settings, "/help/", "en")
    assert 'href="/help/cases/"' in page and 'href="/help/tracing/"' in page
    assert "/api/v1/docs/" not in page


@pytest.mark.parametrize("role", [Role.NATIONAL_FOCAL_POINT, Role.ANALYST, Role.ADMINISTRATOR])
def test_the_roles_that_use_the_api_find_its_docs_on_the_help_page(network, client, settings, role):
    client.force_login(network.user(role))
    assert "/api/v1/docs/" not in _nav(_get(client, settings, "/"))
    assert 'href="/api/v1/docs/"' in _get(client, settings, "/help/")


def test_a_guide_is_shown_in_the_readers_language_with_its_screenshots(network, client, settings):
    client.force_login(network.user(Role.OFFICER))
    es = _get(client, settings, "/help/cases/", "es")
    assert "<h1>Guía de casos de protección y asistencia consular</h1>" in es
    assert '<img src="/help/img/person.png"' in es
    assert "not yet translated" not in es and "no está traducida" not in es
    en = _get(client, settings, "/help/cases/", "en")
    assert "<h1>Guide to protection and consular assistance cases</h1>" in en
    # The English guide's link to its Spanish version stays inside the help pages.
    assert 'href="/help/cases/?lang=es"' in en
    assert "Guía de casos" in _get(client, settings, "/help/cases/?lang=es", "en")
    image = client.get("/help/img/person.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert b"".join(image.streaming_content).startswith(b"\x89PNG")


def test_an_untranslated_guide_falls_back_to_english_and_says_so(network, client, settings):
    client.force_login(network.user(Role.OFFICER))
    fr = _get(client, settings, "/help/cases/", "fr")
    assert "<h1>Guide to protection and consular assistance cases</h1>" in fr
    assert '<article class="card guide" lang="en">' in fr
    assert 'class="notice" lang="fr"' in fr


@pytest.mark.parametrize("url", ["/help/nothing/", "/help/img/x.svg", "/help/img/.hidden.png"])
def test_unknown_guides_and_files_are_404(network, client, url):
    client.force_login(network.user(Role.OFFICER))
    assert client.get(url).status_code == 404


def test_markup_in_a_guide_is_escaped_not_run(tmp_path, monkeypatch):
    (tmp_path / "cases.en.md").write_text(
        "# Title\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) ![s](img/a.png)\n"
    )
    monkeypatch.setattr(guides, "DOCS", tmp_path)
    title, body, lang = guides.render_guide("cases", "en")
    assert (title, lang) == ("Title", "en")
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert 'href="javascript' not in body
    assert 'src="/help/img/a.png"' in body


def test_anonymous_visitors_are_sent_to_log_in(client):
    resp = client.get("/help/cases/")
    assert resp.status_code == 302 and "/accounts/login/" in resp["Location"]


def test_tables_have_no_empty_header_and_scroll_with_the_keyboard(tmp_path, monkeypatch):
    (tmp_path / "cases.en.md").write_text("# T\n\n|  | Officer |\n|---|---|\n| Sees | yes |\n")
    monkeypatch.setattr(guides, "DOCS", tmp_path)
    _title, body, _lang = guides.render_guide("cases", "en")
    assert '<table tabindex="0">' in body
    assert "<th></th>" not in body and "<td></td>" in body
    assert "<th>Officer</th>" in body
