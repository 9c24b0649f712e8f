"""Writes of the good practices library: create and edit (with translations), submit, review
(publish or return with comments), withdraw, files, and "Ask the author". Each checks the
rules (enlace.practices.rules), writes the audit row, keeps the search index in step
(enlace.practices.search) and tells whoever waits through the inbox."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enlace.accounts.actor import Actor
from enlace.accounts.models import Office
from enlace.audit.services import change_record
from enlace.core.errors import TransitionNotAllowed, ValidationFailed
from enlace.core.models import Country
from enlace.core.validation import check_text, lock_for_edit, parse_date
from enlace.inbox.models import Kind
from enlace.inbox.services import notify

from . import rules, search
from .models import (
    LANGUAGES,
    Attachment,
    GcmObjective,
    Practice,
    PracticeTargetGroup,
    PracticeTheme,
    PracticeTranslation,
    Question,
    Review,
    Status,
    TargetGroup,
    Theme,
)

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENTS_PER_PRACTICE = 10
# extension: (content type, magic prefix): documents and images a reader opens safely.
ATTACHMENT_TYPES: dict[str, tuple[str, bytes]] = {
    "pdf": ("application/pdf", b"%PDF-"),
    "png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    "jpg": ("image/jpeg", b"\xff\xd8\xff"),
    "jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", b"PK"),
    "odt": ("application/vnd.oasis.opendocument.text", b"PK"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
}
TEXT_LIMITS = {
    "title": 200,
    "summary": 1000,
    "description": 20000,
    "partners": 2000,
    "results": 5000,
    "evidence": 5000,
    "contact_name": 200,
}
REQUIRED = ("title", "summary", "description", "contact_name")
NOT_EDITABLE = _("This practice can no longer be changed: withdraw it first.")


def _audit(
    actor: Actor, practice: Practice, action: str, changes: dict[str, Any] | None = None
) -> None:
    change_record(
        actor=actor,
        obj=practice,
        owner_office=practice.author_office,
        action=action,
        changes=changes,
    )


def _lock(practice: Practice, version: Any) -> Practice:
    return lock_for_edit(Practice.objects.select_related("author_office"), practice.pk, version)


def reindex(practice: Practice) -> None:
    """Write the practice's search entry from its text in every language."""
    versions = [
        (practice.language, f"{practice.title}\n{practice.summary}\n{practice.description}")
    ]
    for t in practice.translations.all():
        versions.append((t.language, f"{t.title}\n{t.summary}\n{t.description}"))
    search.index_practice(practice.pk, versions)


def _choices(field: str, values: Iterable[Any], allowed: Iterable[str]) -> list[str]:
    values = [str(v) for v in values or []]
    bad = sorted(set(values) - set(allowed))
    if bad:
        raise ValidationFailed({field: [_("Choose among the options offered.")]})
    return sorted(set(values))


def _clean(data: Mapping[str, Any]) -> dict[str, Any]:
    """The practice's own fields, checked (400 with the field's name when one is wrong)."""
    clean: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        clean[name] = check_text(name, data.get(name), limit=limit, required=name in REQUIRED)
    language = str(data.get("language") or "")
    if language not in LANGUAGES:
        raise ValidationFailed({"language": [_("Choose among the options offered.")]})
    clean["language"] = language
    email = str(data.get("contact_email") or "").strip()
    try:
        validate_email(email)
    except Exception as exc:
        raise ValidationFailed({"contact_email": [_("Enter a valid e-mail address.")]}) from exc
    clean["contact_email"] = email
    started = parse_date("started_on", data.get("started_on"))
    ended = parse_date("ended_on", data.get("ended_on"))
    if started and ended and ended < started:
        raise ValidationFailed({"ended_on": [_("The period cannot end before it starts.")]})
    clean["started_on"], clean["ended_on"] = started, ended
    return clean


def _clean_translations(
    language: str, translations: Mapping[str, Mapping[str, Any]] | None
) -> dict[str, dict[str, str]]:
    """{language: {title, summary, description}}: a language left blank has no translation; a
    translation needs a title and a summary; the original language has none."""
    clean: dict[str, dict[str, str]] = {}
    for lang, values in (translations or {}).items():
        if lang not in LANGUAGES:
            raise ValidationFailed({"translations": [_("Choose among the options offered.")]})
        texts = {
            name: check_text(f"{name}_{lang}", values.get(name), limit=TEXT_LIMITS[name])
            for name in ("title", "summary", "description")
        }
        if not any(v.strip() for v in texts.values()):
            continue
        if lang == language:
            raise ValidationFailed(
                {f"title_{lang}": [_("This is the practice's original language.")]}
            )
        for name in ("title", "summary"):
            if not texts[name].strip():
                raise ValidationFailed(
                    {f"{name}_{lang}": [_("A translation needs a title and a summary.")]}
                )
        clean[lang] = texts
    return clean


def _set_relations(practice: Practice, data: Mapping[str, Any]) -> None:
    codes = [str(c).upper() for c in data.get("countries") or []]
    countries = list(Country.objects.filter(code__in=codes))
    if len(countries) != len(set(codes)):
        raise ValidationFailed({"countries": [_("Choose among the options offered.")]})
    practice.countries.set(countries)
    numbers = {int(n) for n in data.get("gcm_objectives") or [] if str(n).isdigit()}
    if len(numbers) != len(set(map(str, data.get("gcm_objectives") or []))):
        raise ValidationFailed({"gcm_objectives": [_("Choose among the options offered.")]})
    objectives = list(GcmObjective.objects.filter(number__in=numbers))
    if len(objectives) != len(numbers):
        raise ValidationFailed({"gcm_objectives": [_("Choose among the options offered.")]})
    practice.gcm_objectives.set(objectives)
    themes = _choices("themes", data.get("themes") or [], Theme.values)
    groups = _choices("target_groups", data.get("target_groups") or [], TargetGroup.values)
    practice.themes.exclude(theme__in=themes).delete()
    have = set(practice.themes.values_list("theme", flat=True))
    PracticeTheme.objects.bulk_create(
        [PracticeTheme(practice=practice, theme=t) for t in themes if t not in have]
    )
    practice.target_groups.exclude(group__in=groups).delete()
    have = set(practice.target_groups.values_list("group", flat=True))
    PracticeTargetGroup.objects.bulk_create(
        [PracticeTargetGroup(practice=practice, group=g) for g in groups if g not in have]
    )


def _set_translations(actor: Actor, practice: Practice, texts: dict[str, dict[str, str]]) -> None:
    practice.translations.exclude(language__in=list(texts)).delete()
    for lang, values in texts.items():
        PracticeTranslation.objects.update_or_create(
            practice=practice,
            language=lang,
            defaults={**values, "created_by": actor.user},
        )


@transaction.atomic
def practice_create(*, actor: Actor, data: Mapping[str, Any]) -> Practice:
    """A new draft practice of the actor's office. `data`: the fields of Practice, and
    countries (ISO codes), themes, target_groups, gcm_objectives (numbers) and translations
    ({language: {title, summary, description}})."""
    if not rules.may_submit(actor):
        raise Http404
    clean = _clean(data)
    texts = _clean_translations(clean["language"], data.get("translations"))
    practice = Practice.objects.create(
        author_office=actor.require_office(),
        author=actor.user,
        created_by=actor.user,
        **clean,
    )
    _set_relations(practice, data)
    _set_translations(actor, practice, texts)
    reindex(practice)
    _audit(actor, practice, "practice_create")
    return practice


@transaction.atomic
def practice_update(
    *, actor: Actor, practice: Practice, version: Any, data: Mapping[str, Any]
) -> Practice:
    """Change a draft, returned or withdrawn practice (409 when `version` is stale)."""
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, version)
    if not rules.can_edit(actor, practice):
        raise TransitionNotAllowed(NOT_EDITABLE)
    clean = _clean(data)
    texts = _clean_translations(clean["language"], data.get("translations"))
    changed = {
        k: [str(getattr(practice, k) or ""), str(v or "")]
        for k, v in clean.items()
        if getattr(practice, k) != v and k != "contact_email"
    }
    for name, value in clean.items():
        setattr(practice, name, value)
    practice.version += 1
    practice.save()
    _set_relations(practice, data)
    _set_translations(actor, practice, texts)
    reindex(practice)
    _audit(actor, practice, "practice_update", changed)
    return practice


def _secretariats() -> list[Office]:
    return list(Office.objects.filter(kind=Office.Kind.SECRETARIAT, is_active=True))


def _practice_link(practice: Practice) -> str:
    return reverse("practices:manage", kwargs={"practice_id": practice.pk})


def _title_param(practice: Practice) -> str:
    return practice.title[:200]


@transaction.atomic
def practice_submit(*, actor: Actor, practice: Practice, version: Any) -> Practice:
    """Send the practice to the secretariat for review (its reviewers are told)."""
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, version)
    if not rules.can_submit(actor, practice):
        raise TransitionNotAllowed(_("Only a draft, returned or withdrawn practice is submitted."))
    practice.status = Status.SUBMITTED
    practice.submitted_at = timezone.now()
    practice.version += 1
    practice.save(update_fields=["status", "submitted_at", "version", "modified"])
    _audit(actor, practice, "practice_submit", {"status": ["", Status.SUBMITTED]})
    for office in _secretariats():
        notify(
            kind=Kind.PRACTICE_SUBMITTED,
            office=office,
            roles=rules.REVIEWER_ROLES,
            params={"reference": _title_param(practice), "office": practice.author_office.name},
            link=_practice_link(practice),
        )
    return practice


@transaction.atomic
def practice_review(
    *, actor: Actor, practice: Practice, version: Any, publish: bool, comments: str = ""
) -> Practice:
    """Publish a submitted practice, or return it to its office with comments (required);
    the author is told either way."""
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, version)
    if not rules.can_review(actor, practice):
        raise TransitionNotAllowed(_("Only a submitted practice is reviewed."))
    comments = check_text("comments", comments, limit=5000, required=not publish)
    if publish:
        practice.status = Status.PUBLISHED
        practice.published_at = timezone.now()
    else:
        practice.status = Status.RETURNED
    practice.version += 1
    practice.save(update_fields=["status", "published_at", "version", "modified"])
    Review.objects.create(
        practice=practice,
        reviewer=actor.user,
        decision=Review.Decision.PUBLISH if publish else Review.Decision.RETURN,
        comments=comments,
        created_by=actor.user,
    )
    _audit(actor, practice, "practice_review", {"status": [Status.SUBMITTED, practice.status]})
    notify(
        kind=Kind.PRACTICE_PUBLISHED if publish else Kind.PRACTICE_RETURNED,
        user=practice.author,
        params={"reference": _title_param(practice)},
        link=_practice_link(practice),
    )
    return practice


@transaction.atomic
def practice_withdraw(*, actor: Actor, practice: Practice, version: Any) -> Practice:
    """The office takes its practice back: out of the review queue, or off the public library.
    It can be changed and submitted again."""
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, version)
    if not rules.can_withdraw(actor, practice):
        raise TransitionNotAllowed(_("Only a submitted or published practice is withdrawn."))
    before = practice.status
    practice.status = Status.WITHDRAWN
    practice.version += 1
    practice.save(update_fields=["status", "version", "modified"])
    _audit(actor, practice, "practice_withdraw", {"status": [before, Status.WITHDRAWN]})
    return practice


@transaction.atomic
def attachment_add(*, actor: Actor, practice: Practice, upload: UploadedFile) -> Attachment:
    """Keep a file of the practice privately (served through a view), after checking its
    size, extension and content signature."""
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, None)
    if not rules.can_edit(actor, practice):
        raise TransitionNotAllowed(NOT_EDITABLE)
    if practice.attachments.count() >= ATTACHMENTS_PER_PRACTICE:
        raise ValidationFailed(
            {"file": [_("A practice has at most %(n)d files.") % {"n": ATTACHMENTS_PER_PRACTICE}]}
        )
    name = (upload.name or "file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        raise ValidationFailed(
            {"file": [_("Allowed file types: PDF, PNG, JPEG, DOCX, ODT, XLSX.")]}
        )
    if not upload.size:
        raise ValidationFailed({"file": [_("The file is empty.")]})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationFailed({"file": [_("The file is larger than 10 MB.")]})
    content_type, magic = ATTACHMENT_TYPES[ext]
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(magic):
        raise ValidationFailed({"file": [_("The file's content does not match its type.")]})
    attachment = Attachment(
        practice=practice,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        created_by=actor.user,
    )
    attachment.file.save(f"{attachment.id}.{ext}", upload, save=False)
    attachment.save()
    _audit(actor, practice, "attachment_add", {"file": ["", name]})
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Actor, attachment: Attachment) -> None:
    practice = attachment.practice
    if not rules.sees(actor, practice):
        raise Http404
    practice = _lock(practice, None)
    if not rules.can_edit(actor, practice):
        raise TransitionNotAllowed(NOT_EDITABLE)
    name = attachment.original_name
    attachment.file.delete(save=False)
    attachment.delete()
    _audit(actor, practice, "attachment_remove", {"file": [name, ""]})


def _question_email(question: Question) -> EmailMessage:
    practice = question.practice
    body = _(
        '%(name)s sent you a question about your practice "%(title)s" through the Enlace '
        "library. Reply to this e-mail to answer them.\n\n%(message)s"
    ) % {"name": question.name, "title": practice.title, "message": question.message}
    return EmailMessage(
        subject=" ".join(str(_("[Enlace] A question about your practice")).split()),
        body=body,
        to=[practice.contact_email],
        reply_to=[question.email],
    )


@transaction.atomic
def question_ask(*, practice: Practice, name: str, email: str, message: str) -> Question:
    """ "Ask the author" (anonymous): the message is kept for the practice's office, put in its
    author's inbox and e-mailed to the contact once the transaction commits. The contact's
    address never leaves the server; the sender's is the e-mail's Reply-To."""
    if practice.status != Status.PUBLISHED:
        raise Http404
    name = check_text("name", name, limit=120, required=True)
    message = check_text("message", message, limit=3000, required=True)
    email = str(email or "").strip()
    try:
        validate_email(email)
    except Exception as exc:
        raise ValidationFailed({"email": [_("Enter a valid e-mail address.")]}) from exc
    question = Question.objects.create(practice=practice, name=name, email=email, message=message)
    notify(
        kind=Kind.PRACTICE_QUESTION,
        user=practice.author,
        params={"reference": _title_param(practice)},
        link=_practice_link(practice) + "#questions",
    )
    # robust: the question is kept (and in the inbox) even if the mail server refuses it.
    transaction.on_commit(lambda: _question_email(question).send(), robust=True)
    return question
