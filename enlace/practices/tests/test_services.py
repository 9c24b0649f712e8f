"""The practice's workflow (draft → submitted → published / returned, withdrawn), its checks,
the 409 of a stale edit, files, the inbox items it sends, and the audit trail."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from enlace.audit.models import ChangeEvent
from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.inbox.models import Item, Kind
from enlace.inbox.selectors import item_list
from enlace.practices import rules, services
from enlace.practices.models import PracticeTranslation, Review, Status

from .conftest import practice_data

pytestmark = pytest.mark.django_db


def test_a_draft_belongs_to_the_authors_office_with_its_translations(pw):
    p = pw.draft()
    assert p.status == Status.DRAFT
    assert p.author_office == pw.author.office and p.author == pw.author.user
    assert set(p.translations.values_list("language", flat=True)) == {"en", "pt"}
    assert sorted(p.countries.values_list("code", flat=True)) == ["GT", "MX"]
    assert ChangeEvent.objects.filter(record_id=str(p.pk), action="practice_create").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"language": "de"}, "language"),
        ({"themes": ["nonsense"]}, "themes"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"gcm_objectives": [24]}, "gcm_objectives"),
        ({"started_on": "2024-05-01", "ended_on": "2023-01-01"}, "ended_on"),
        ({"started_on": "yesterday"}, "started_on"),
        ({"translations": {"es": {"title": "T", "summary": "S"}}}, "title_es"),
        ({"translations": {"fr": {"title": "Seulement un titre"}}}, "summary_fr"),
    ],
)
def test_bad_input_is_refused_with_the_fields_name(pw, changes, field):
    with pytest.raises(ValidationFailed) as exc:
        services.practice_create(actor=pw.author, data=practice_data(**changes))
    assert field in exc.value.errors


def test_submit_tells_the_secretariats_reviewers_only(pw):
    p = pw.submitted()
    assert p.status == Status.SUBMITTED and p.submitted_at
    item = Item.objects.get(kind=Kind.PRACTICE_SUBMITTED)
    assert item.office == pw.secretariat
    assert item_list(actor=pw.analyst).filter(pk=item.pk).exists()
    assert item_list(actor=pw.admin).filter(pk=item.pk).exists()
    assert not item_list(actor=pw.author).filter(pk=item.pk).exists()


def test_publish_and_return_tell_the_author(pw):
    published = pw.published()
    assert published.status == Status.PUBLISHED and published.published_at
    assert item_list(actor=pw.author).filter(kind=Kind.PRACTICE_PUBLISHED).exists()
    other = pw.submitted(title="Otra práctica", translations={})
    returned = services.practice_review(
        actor=pw.admin,
        practice=other,
        version=other.version,
        publish=False,
        comments="Añadan datos.",
    )
    assert returned.status == Status.RETURNED
    assert Review.objects.get(practice=returned).comments == "Añadan datos."
    assert item_list(actor=pw.author).filter(kind=Kind.PRACTICE_RETURNED).exists()


def test_returning_needs_comments(pw):
    p = pw.submitted()
    with pytest.raises(ValidationFailed) as exc:
        services.practice_review(actor=pw.analyst, practice=p, version=p.version, publish=False)
    assert "comments" in exc.value.errors


def test_only_the_secretariats_analysts_and_administrators_review(pw, network):
    from enlace.accounts.actor import actor_for
    from enlace.accounts.models import Role

    p = pw.submitted()
    analyst_elsewhere = actor_for(network.user(Role.ANALYST))  # an analyst, not at the secretariat
    for actor in (pw.author, pw.colleague, pw.outsider, analyst_elsewhere):
        assert not rules.can_review(actor, p)
    assert rules.can_review(pw.analyst, p) and rules.can_review(pw.admin, p)
    with pytest.raises(Http404):  # the outsider cannot even see it
        services.practice_review(actor=pw.outsider, practice=p, version=p.version, publish=True)


def test_a_reviewer_does_not_review_their_own_practice(pw):
    p = services.practice_create(actor=pw.analyst, data=practice_data())
    p = services.practice_submit(actor=pw.analyst, practice=p, version=p.version)
    assert not rules.can_review(pw.analyst, p)
    assert rules.can_review(pw.admin, p)


def test_a_draft_is_its_offices_own(pw):
    p = pw.draft()
    assert rules.sees(pw.colleague, p) and rules.can_edit(pw.colleague, p)
    assert not rules.sees(pw.analyst, p)
    assert not rules.sees(pw.outsider, p)


def test_stale_edit_is_refused(pw):
    p = pw.draft()
    services.practice_update(
        actor=pw.colleague, practice=p, version=p.version, data=practice_data(title="Nuevo")
    )
    with pytest.raises(StaleEdit):
        services.practice_update(
            actor=pw.author, practice=p, version=p.version, data=practice_data()
        )


def test_a_submitted_practice_cannot_be_edited_until_withdrawn(pw):
    p = pw.submitted()
    with pytest.raises(TransitionNotAllowed):
        services.practice_update(
            actor=pw.author, practice=p, version=p.version, data=practice_data()
        )
    p = services.practice_withdraw(actor=pw.author, practice=p, version=p.version)
    assert p.status == Status.WITHDRAWN
    p = services.practice_update(
        actor=pw.author, practice=p, version=p.version, data=practice_data(translations={})
    )
    assert not PracticeTranslation.objects.filter(practice=p).exists()  # translations removed
    p = services.practice_submit(actor=pw.author, practice=p, version=p.version)
    assert p.status == Status.SUBMITTED


def test_withdrawing_a_published_practice_takes_it_off_the_library(pw):
    from enlace.practices.selectors import search_practices

    p = pw.published()
    assert list(search_practices(q="reunificación"))
    services.practice_withdraw(actor=pw.colleague, practice=p, version=p.version)
    assert not list(search_practices(q="reunificación"))
    with pytest.raises(TransitionNotAllowed):
        services.practice_withdraw(actor=pw.author, practice=p, version=p.version + 1)


def _pdf(name="informe.pdf", body=b"%PDF-1.4 informe"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_files_are_checked_by_type_size_and_content(pw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = pw.draft()
    a = services.attachment_add(actor=pw.author, practice=p, upload=_pdf())
    assert a.content_type == "application/pdf" and a.size == len(b"%PDF-1.4 informe")
    for upload, message_part in [
        (_pdf("virus.exe"), "PDF"),
        (_pdf("vacio.pdf", b""), ""),
        (_pdf("falso.pdf", b"MZ not a pdf"), ""),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.attachment_add(actor=pw.author, practice=p, upload=upload)
        assert "file" in exc.value.errors
        assert message_part in str(exc.value.errors["file"][0])
    with pytest.raises(Http404):
        services.attachment_add(actor=pw.outsider, practice=p, upload=_pdf())
    services.attachment_remove(actor=pw.author, attachment=a)
    assert not p.attachments.exists()


def test_ask_the_author_keeps_the_message_tells_the_inbox_and_mails_the_contact(
    pw, mailoutbox, django_capture_on_commit_callbacks
):
    p = pw.published()
    with django_capture_on_commit_callbacks(execute=True):
        q = services.question_ask(
            practice=p, name="Ana", email="ana.lectora@example.com", message="¿Cómo empezaron?"
        )
    assert q.practice == p
    assert item_list(actor=pw.author).filter(kind=Kind.PRACTICE_QUESTION).exists()
    direct = [m for m in mailoutbox if m.to == ["secret.contact-4f1d@example.org"]]
    assert len(direct) == 1
    assert direct[0].reply_to == ["ana.lectora@example.com"]
    assert "¿Cómo empezaron?" in direct[0].body


def test_nobody_asks_about_an_unpublished_practice(pw):
    with pytest.raises(Http404):
        services.question_ask(practice=pw.submitted(), name="A", email="a@example.com", message="M")
