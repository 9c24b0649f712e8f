"""Inbox writes: `notify` (what domain apps call at the end of a service), reading items, the
e-mail preference, and the e-mails themselves (sent by tasks, in the recipient's language)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enlace.accounts.actor import Actor
from enlace.accounts.models import Office, User
from enlace.core.errors import ValidationFailed
from enlace.core.models import Job

from . import selectors
from .models import Item, Kind, Preference, Receipt
from .present import title

# The only parameters an item keeps: what its title may show (see present.py).
PARAM_KEYS = (
    "reference",
    "office",
    "due",
    "job",
    "status",
    "step",
    "case_kind",
    "route",
    "date",
    "count",
)


@transaction.atomic
def notify(
    *,
    kind: str,
    user: User | None = None,
    office: Office | None = None,
    roles: Iterable[str] = (),
    params: dict[str, Any] | None = None,
    link: str = "",
    dedupe_key: str = "",
) -> Item | None:
    """Put an item in a user's inbox or in an office's (seen by its members in `roles`, or all
    of them), and e-mail it once the transaction commits. Returns None when an item with the
    same dedupe_key exists already."""
    if kind not in Kind.values or (user is None) == (office is None):
        raise ValueError("an item has a known kind and exactly one recipient")
    if dedupe_key and Item.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    role_list = sorted({str(r) for r in roles})
    clean = {k: str(v)[:200] for k, v in (params or {}).items() if k in PARAM_KEYS}
    try:
        with transaction.atomic():
            item = Item.objects.create(
                kind=kind,
                user=user,
                office=office,
                roles=f",{','.join(role_list)}," if role_list else "",
                params=clean,
                link=link[:500],
                dedupe_key=dedupe_key[:120],
            )
    except IntegrityError:  # the same dedupe_key, made by a concurrent run
        return None
    transaction.on_commit(lambda: _enqueue_email(item.pk))
    return item


def _enqueue_email(item_id: UUID) -> None:
    from .tasks import send_item_email

    send_item_email.enqueue(str(item_id))


@transaction.atomic
def items_withdraw(*, office: Office, kind: str, link: str) -> int:
    """Take back an office's items of `kind` that lead to `link` (what they were about has
    moved to another office: a forwarded request from the public). Returns how many."""
    _total, by_model = Item.objects.filter(office=office, kind=kind, link=link[:500]).delete()
    return by_model.get(Item._meta.label, 0)


@transaction.atomic
def item_mark_read(*, actor: Actor, item: Item) -> Item:
    """The actor has read this item (of theirs: selectors.item_get found it)."""
    Receipt.objects.get_or_create(item=item, user=actor.user)
    item.is_read = True  # type: ignore[attr-defined]
    return item


@transaction.atomic
def items_mark_all_read(*, actor: Actor) -> int:
    """Every unread item of the actor is read; returns how many."""
    unread = list(selectors.item_list(actor=actor, unread=True).values_list("pk", flat=True))
    Receipt.objects.bulk_create(
        [Receipt(item_id=pk, user=actor.user) for pk in unread], ignore_conflicts=True
    )
    return len(unread)


@transaction.atomic
def preference_set(*, actor: Actor, email: str) -> Preference:
    """How the user wants to hear of new items by e-mail."""
    if email not in Preference.Email.values:
        raise ValidationFailed({"email": [_("Choose one of the options.")]})
    pref, _created = Preference.objects.update_or_create(user=actor.user, defaults={"email": email})
    return pref


def on_job_finished(sender: Any, job: Job, **kwargs: Any) -> None:
    """core's signal: the user who started a job is told it finished (or failed)."""
    if job.created_by_id is None:
        return
    notify(
        kind=Kind.JOB_FINISHED,
        user=job.created_by,
        params={"job": job.kind, "status": job.status},
        link=reverse("core:job_detail", kwargs={"job_id": job.pk}),
    )


# ---------------------------------------------------------------- e-mail


def _language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    lang = (user.preferred_language or "")[:2]
    return lang if lang in codes else settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    return settings.ENLACE_BASE_URL.rstrip("/") + path


def item_email_send(*, item_id: UUID | str) -> int:
    """E-mail an item to each of its recipients who wants an e-mail per item, in their own
    language; returns how many were sent. The e-mail links to the item in the inbox (which
    marks it read and leads on to the record, if the reader may still open it)."""
    item = Item.objects.filter(pk=item_id).first()
    if item is None:
        return 0
    sent = 0
    for user in selectors.item_recipients(item):
        if not user.email or selectors.email_choice(user=user) != Preference.Email.EACH:
            continue
        with translation.override(_language(user)):
            # One line: a header cannot carry a line break (an office name could).
            subject = " ".join((_("[Enlace] %(title)s") % {"title": title(item)}).split())
            body = render_to_string(
                "inbox/email_item.txt",
                {
                    "title": title(item),
                    "url": _absolute(reverse("inbox:open", kwargs={"item_id": item.pk})),
                    "settings_url": _absolute(reverse("inbox:list")),
                },
            )
        sent += send_mail(subject, body, None, [user.email])
    return sent


def digest_send(*, now: dt.datetime | None = None) -> int:
    """One e-mail per user who chose the daily digest, listing their unread items of the last
    day (none: no e-mail); returns how many were sent."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=1)
    users = User.objects.filter(
        is_active=True, inbox_preference__email=Preference.Email.DIGEST
    ).exclude(email="")
    sent = 0
    for user in users.order_by("pk"):
        items = selectors.user_items_since(user=user, since=since)
        if not items:
            continue
        with translation.override(_language(user)):
            subject = _("[Enlace] Unread in your inbox: %(count)s") % {"count": len(items)}
            body = render_to_string(
                "inbox/email_digest.txt",
                {
                    "items": [
                        (title(i), _absolute(reverse("inbox:open", kwargs={"item_id": i.pk})))
                        for i in items
                    ],
                    "settings_url": _absolute(reverse("inbox:list")),
                },
            )
        sent += send_mail(subject, body, None, [user.email])
    return sent
