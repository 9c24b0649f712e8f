"""The library's pages and API: the public library (search, filters, pages that keep them, empty
states, 400 on a bad filter), a published practice in the reader's language, "Ask the author"
(honeypot, validation, rate limit, and the contact's address nowhere), files, and the staff
pages (form, 409, submit, review queue, review, withdrawal with a confirmation)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from rest_framework.test import APIClient

from enlace.inbox.models import Kind
from enlace.inbox.selectors import item_list
from enlace.practices import services
from enlace.practices.models import Question, Status

from .conftest import FAMILY

pytestmark = pytest.mark.django_db

SECRET = FAMILY["contact_email"]
LIBRARY = "/practices/"


def client_for(actor):
    c = Client()
    c.force_login(actor.user)
    return c


def test_anyone_searches_the_library_without_logging_in(pw):
    pw.published()
    pw.submitted(title="Un borrador que nadie ve", translations={})
    response = Client().get(LIBRARY, {"q": "reunificacion familiares"})
    assert response.status_code == 200
    body = response.content.decode()
    assert FAMILY["title"] in body and "Un borrador" not in body
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_the_reader_sees_the_translation_in_their_language(pw):
    pw.published()
    client = Client()
    client.cookies["django_language"] = "en"  # pages follow the language chosen, not the browser
    response = client.get(LIBRARY)
    body = response.content.decode()
    assert FAMILY["translations"]["en"]["title"] in body
    assert 'lang="en"' in body


def test_a_bad_filter_is_a_400_with_the_message(pw):
    response = Client().get(LIBRARY, {"theme": "nonsense"})
    assert response.status_code == 400
    with override("es"):
        assert _("Correct the search above.") in response.content.decode()


def test_empty_states(pw):
    with override("es"):
        assert _("No practice is published yet.") in Client().get(LIBRARY).content.decode()
        pw.published()
        body = Client().get(LIBRARY, {"q": "zzqx"}).content.decode()
        assert _("No practice matches this search. Try fewer words or fewer filters.") in body


def test_pages_keep_the_filters(pw, monkeypatch):
    from enlace.practices import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    pw.published()
    pw.published(title="Reunificación familiar en la frontera", translations={})
    body = Client().get(LIBRARY, {"q": "reunificación", "country": "GT"}).content.decode()
    assert 'href="?q=reunificaci%C3%B3n&amp;country=GT&amp;page=2"' in body
    second = Client().get(LIBRARY, {"q": "reunificación", "country": "GT", "page": "2"})
    assert 'href="?q=reunificaci%C3%B3n&amp;country=GT&amp;page=1"' in second.content.decode()


def test_a_published_practice_and_its_language_versions(pw):
    p = pw.published()
    url = reverse("practices:public_detail", kwargs={"practice_id": p.pk})
    body = Client().get(url).content.decode()
    assert FAMILY["title"] in body and "Unidad de Niñez" in body
    english = Client().get(url, {"lang": "en"}).content.decode()
    assert FAMILY["translations"]["en"]["title"] in english
    assert Client().get(url, {"lang": "fr"}).status_code == 404  # no French version


def test_unpublished_practices_are_not_public(pw):
    for p in (pw.draft(), pw.submitted()):
        url = reverse("practices:public_detail", kwargs={"practice_id": p.pk})
        assert Client().get(url).status_code == 404
        assert APIClient().get(f"/api/v1/practices/{p.pk}/").status_code == 404
    assert Client().get("/practices/not-a-uuid/").status_code == 404


def _ask(practice, **data):
    url = reverse("practices:ask", kwargs={"practice_id": practice.pk})
    body = {"name": "Ana", "email": "ana@example.com", "message": "¿Cómo empezaron?", **data}
    return Client(enforce_csrf_checks=True).post(url, body)


def test_ask_the_author_sends_and_says_so(pw, mailoutbox, django_capture_on_commit_callbacks):
    p = pw.published()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(p)
    assert response.status_code == 303 and "sent=1" in response["Location"]
    assert Question.objects.filter(practice=p, email="ana@example.com").exists()
    assert any(m.to == [SECRET] for m in mailoutbox)
    with override("es"):
        shown = Client().get(response["Location"]).content.decode()
        assert _("Your message was sent. The author will reply to your e-mail address.") in shown


def test_ask_the_author_drops_what_a_bot_sends(pw, mailoutbox, django_capture_on_commit_callbacks):
    p = pw.published()
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(p, website="http://spam.example")
    assert response.status_code == 303  # looks the same to the bot
    assert not Question.objects.exists() and not mailoutbox


def test_ask_the_author_validates_next_to_the_fields(pw):
    p = pw.published()
    response = _ask(p, email="not-an-address", message="")
    assert response.status_code == 400
    assert not Question.objects.exists()
    body = response.content.decode()
    assert 'role="alert"' in body and "not-an-address" in body  # the input is kept


def test_ask_the_author_is_rate_limited_per_ip(pw, settings):
    settings.ENLACE_PRACTICE_ASK_RATE = "2/h"
    p = pw.published()
    assert _ask(p).status_code == 303
    assert _ask(p).status_code == 303
    third = _ask(p)
    assert third.status_code == 429 and third["Retry-After"]
    assert Question.objects.count() == 2


def test_the_contacts_address_appears_nowhere_public(pw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = pw.draft()
    services.attachment_add(
        actor=pw.author,
        practice=p,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    p.refresh_from_db()
    p = services.practice_submit(actor=pw.author, practice=p, version=p.version)
    services.practice_review(actor=pw.analyst, practice=p, version=p.version, publish=True)
    pages = [
        Client().get(LIBRARY),
        Client().get(LIBRARY, {"q": "reunificación"}),
        Client().get(reverse("practices:public_detail", kwargs={"practice_id": p.pk})),
        Client().get(
            reverse("practices:public_detail", kwargs={"practice_id": p.pk}), {"lang": "en"}
        ),
        _ask(p, email="bad"),  # the form re-shown with errors
        APIClient().get("/api/v1/practices/"),
        APIClient().get("/api/v1/practices/", {"q": "reunificacion"}),
        APIClient().get(f"/api/v1/practices/{p.pk}/"),
        APIClient().get("/api/v1/schema/"),
    ]
    for response in pages:
        assert response.status_code in (200, 400)
        assert SECRET.encode() not in response.content
        assert b"secret.contact" not in response.content


def test_files_of_a_published_practice_are_public_others_are_not(pw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = pw.draft()
    a = services.attachment_add(
        actor=pw.author,
        practice=p,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
    )
    public_url = reverse(
        "practices:public_attachment", kwargs={"practice_id": p.pk, "attachment_id": a.pk}
    )
    staff_url = reverse(
        "practices:attachment_download", kwargs={"practice_id": p.pk, "attachment_id": a.pk}
    )
    assert Client().get(public_url).status_code == 404  # a draft's file
    assert client_for(pw.colleague).get(staff_url).status_code == 200
    assert client_for(pw.outsider).get(staff_url).status_code == 404
    p.refresh_from_db()
    p = services.practice_submit(actor=pw.author, practice=p, version=p.version)
    assert client_for(pw.analyst).get(staff_url).status_code == 200  # the reviewer reads it
    services.practice_review(actor=pw.analyst, practice=p, version=p.version, publish=True)
    response = Client().get(public_url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"


def test_api_searches_published_practices(pw):
    pw.published()
    pw.submitted(title="Borrador enviado", translations={})
    data = APIClient().get("/api/v1/practices/", {"q": "family reunification"}).json()
    assert [r["title"] for r in data["results"]] == [FAMILY["title"]]
    english = APIClient().get("/api/v1/practices/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["results"][0]["title"] == FAMILY["translations"]["en"]["title"]
    assert english["results"][0]["shown_language"] == "en"
    assert APIClient().get("/api/v1/practices/", {"country": "X1"}).status_code == 400
    assert APIClient().get("/api/v1/practices/", {"theme": ""}).status_code == 400
    detail = APIClient().get(f"/api/v1/practices/{data['results'][0]['id']}/").json()
    assert detail["target_groups"] == ["children", "unaccompanied"]
    assert "contact_email" not in detail


def test_the_api_is_in_the_schema(pw):
    import yaml

    schema = yaml.safe_load(APIClient().get("/api/v1/schema/").content)
    assert "/api/v1/practices/" in schema["paths"]
    assert "/api/v1/practices/{practice_id}/" in schema["paths"]
    params = {p["name"] for p in schema["paths"]["/api/v1/practices/"]["get"]["parameters"]}
    assert {"q", "country", "theme", "target_group", "gcm", "page"} <= params


# ---------------------------------------------------------------- staff


def _form(**changes):
    data = {
        "language": "es",
        "title": "Ferias de documentación consular",
        "summary": "Jornadas de documentación en comunidades alejadas.",
        "description": "El consulado lleva sus servicios a las comunidades.",
        "contact_name": "Sección consular",
        "contact_email": "ferias@example.org",
        "countries": ["MX"],
        "themes": ["consular"],
        "target_groups": ["workers"],
        "title_en": "Consular documentation fairs",
        "summary_en": "Documentation days in remote communities.",
    }
    return data | changes


def test_an_office_member_shares_a_practice_and_submits_it(pw):
    c = client_for(pw.author)
    response = c.post(reverse("practices:create"), _form())
    assert response.status_code == 302
    manage = response["Location"]
    page = c.get(manage).content.decode()
    assert "Ferias de documentación consular" in page
    p = pw.author.office.practices.get()
    assert p.translations.get().title == "Consular documentation fairs"
    response = c.post(
        reverse("practices:submit", kwargs={"practice_id": p.pk}), {"version": p.version}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.SUBMITTED
    mine = c.get(reverse("practices:mine")).content.decode()
    assert "Ferias de documentación consular" in mine


def test_the_form_shows_errors_next_to_the_fields(pw):
    response = client_for(pw.author).post(
        reverse("practices:create"), _form(title="", title_pt="Só título")
    )
    assert response.status_code == 400
    assert response.content.decode().count('role="alert"') >= 1
    assert not pw.author.office.practices.exists()


def test_a_stale_edit_is_a_409_that_keeps_the_input(pw):
    p = pw.draft()
    url = reverse("practices:edit", kwargs={"practice_id": p.pk})
    services.practice_update(
        actor=pw.colleague,
        practice=p,
        version=p.version,
        data={**FAMILY, "title": "Cambio de otro"},
    )
    response = client_for(pw.author).post(url, _form(version=p.version, title="Mi cambio"))
    assert response.status_code == 409
    body = response.content.decode()
    assert "Mi cambio" in body and "Cambio de otro" in body


def test_the_review_queue_and_a_review(pw):
    p = pw.submitted()
    reviewer = client_for(pw.analyst)
    queue = reviewer.get(reverse("practices:review_queue")).content.decode()
    assert FAMILY["title"] in queue
    url = reverse("practices:review", kwargs={"practice_id": p.pk})
    refused = reviewer.post(url, {"version": p.version, "decision": "return", "comments": ""})
    assert refused.status_code == 400
    done = reviewer.post(
        url, {"version": p.version, "decision": "return", "comments": "Falta la evidencia."}
    )
    assert done.status_code == 302
    p.refresh_from_db()
    assert p.status == Status.RETURNED
    assert item_list(actor=pw.author).filter(kind=Kind.PRACTICE_RETURNED).exists()
    author_page = client_for(pw.author).get(
        reverse("practices:manage", kwargs={"practice_id": p.pk})
    )
    assert "Falta la evidencia." in author_page.content.decode()
    assert client_for(pw.author).get(reverse("practices:review_queue")).status_code == 404


def test_withdrawing_asks_for_a_confirmation_first(pw):
    p = pw.published()
    c = client_for(pw.author)
    url = reverse("practices:withdraw", kwargs={"practice_id": p.pk})
    assert c.get(url).status_code == 200
    unconfirmed = c.post(url, {"version": p.version})
    assert unconfirmed.status_code == 400
    p.refresh_from_db()
    assert p.status == Status.PUBLISHED
    assert c.post(url, {"version": p.version, "confirm": "on"}).status_code == 302
    p.refresh_from_db()
    assert p.status == Status.WITHDRAWN
    public = reverse("practices:public_detail", kwargs={"practice_id": p.pk})
    assert Client().get(public).status_code == 404


def test_questions_are_shown_to_the_authors_office_only(pw):
    p = pw.published()
    services.question_ask(practice=p, name="Ana", email="ana.q@example.com", message="Hola")
    url = reverse("practices:manage", kwargs={"practice_id": p.pk})
    assert "ana.q@example.com" in client_for(pw.colleague).get(url).content.decode()
    assert "ana.q@example.com" not in client_for(pw.analyst).get(url).content.decode()
    assert client_for(pw.outsider).get(url).status_code == 404


def test_my_practices_refuses_a_bad_status(pw):
    assert client_for(pw.author).get(reverse("practices:mine"), {"status": "x"}).status_code == 400
