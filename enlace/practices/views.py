"""Pages of the good practices library.

Public (no login, enlace.core.public): the library (search, filters, pages that keep them), a
published practice in the reader's language (or another of its versions), its files, and "Ask
the author". Staff: my office's practices, the practice form (with translations), the practice's
own page (status, reviews, files, questions; submit, review, withdraw with a confirmation), and
the secretariat's review queue. Views parse, call one service or selector, render."""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from enlace.core.errors import StaleEdit, TransitionNotAllowed, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.pagination import PAGE_SIZE, ListPaginator, paginate
from enlace.core.public import public_page, public_render, too_many_requests

from . import rules, selectors, services
from .filters import FILTER_NAMES, PracticeFilter
from .forms import (
    AskForm,
    AttachmentForm,
    PracticeForm,
    ReviewForm,
    VersionForm,
    WithdrawForm,
    initial_of,
)
from .models import LANGUAGES, Attachment, Practice, Status
from .present import group_labels, row, text_in, theme_labels, versions

# "Ask the author": messages one client IP may send (on top of the public pages' budget).
DEFAULT_ASK_RATE = "5/h"


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _language() -> str:
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return lang if lang in LANGUAGES else "es"


def _link(params: dict[str, Any], **changes: Any) -> str:
    merged = {**params, **changes}
    return "?" + urlencode({k: v for k, v in merged.items() if v not in (None, "")})


# ---------------------------------------------------------------- public


@public_page(max_age=300, group="practices")
def library(request: HttpRequest) -> HttpResponse:
    """The public library: published practices, searched and filtered, the reader's language
    first."""
    language = _language()
    filterset = PracticeFilter(request.GET, queryset=Practice.objects.none())
    status = 200
    if filterset.is_valid():
        found = selectors.search_practices(
            q=filterset.form.cleaned_data.get("q") or "",
            filters=filterset.values(),
            language=language,
        )
    else:
        found, status = Practice.objects.none(), 400
    page = ListPaginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = {k: request.GET.get(k, "") for k in FILTER_NAMES}
    context = {
        "form": filterset.form,
        "page": page,
        "rows": [row(p, language) for p in page.object_list],
        "filtered": any(kept.values()),
        "previous_url": _link(kept, page=page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _link(kept, page=page.next_page_number()) if page.has_next() else "",
    }
    return public_render(request, "practices/library.html", context, status=status)


def _public_detail(
    request: HttpRequest, practice: Practice, form: AskForm | None = None, status: int = 200
) -> HttpResponse:
    shown = request.GET.get("lang", "")
    all_versions = versions(practice)
    if shown and shown not in all_versions:
        raise Http404
    text = all_versions[shown] if shown else text_in(practice, _language())
    context = {
        "practice": practice,
        "text": text,
        "versions": list(all_versions.values()),
        "themes": theme_labels(practice),
        "groups": group_labels(practice),
        "countries": sorted(c.name for c in practice.countries.all()),
        "objectives": list(practice.gcm_objectives.all()),
        "attachments": list(practice.attachments.all()),
        "form": form or AskForm(),
        "sent": request.GET.get("sent") == "1",
    }
    return public_render(request, "practices/public_detail.html", context, status=status)


@public_page(max_age=300, group="practices")
def public_detail(request: HttpRequest, practice_id: str) -> HttpResponse:
    practice = selectors.published_get(practice_id=practice_id)
    return _public_detail(request, practice)


@public_page(max_age=3600, group="practices")
def public_attachment(request: HttpRequest, practice_id: str, attachment_id: str) -> HttpResponse:
    attachment = selectors.published_attachment(
        practice_id=practice_id, attachment_id=attachment_id
    )
    return _file(attachment)  # type: ignore[return-value]  # streamed (public_page passes it on)


def _ask_rate() -> str:
    return str(getattr(settings, "ENLACE_PRACTICE_ASK_RATE", DEFAULT_ASK_RATE))


# No CSRF token: the form is on a public page that is the same for everyone (cached, no
# session, no cookie), and the request acts for no one; the rate limit per IP, the honeypot and
# the validation keep spam out.
@csrf_exempt
@require_POST
@public_page(group="practices-ask")
def ask(request: HttpRequest, practice_id: str) -> HttpResponse:
    """ "Ask the author": the message goes to the author's inbox and to the contact's e-mail;
    the contact's address is never shown."""
    practice = selectors.published_get(practice_id=practice_id)
    if is_ratelimited(request, group="practices:ask", key="ip", rate=_ask_rate(), increment=True):
        return too_many_requests(request)
    form = AskForm(request.POST)
    done = reverse("practices:public_detail", kwargs={"practice_id": practice.pk})
    if form.is_bot():  # looks sent, is dropped
        return HttpResponseRedirect(f"{done}?sent=1#ask", status=303)
    if form.is_valid():
        try:
            services.question_ask(
                practice=practice,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                message=form.cleaned_data["message"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            return HttpResponseRedirect(f"{done}?sent=1#ask", status=303)
    return _public_detail(request, practice, form, status=400)


def _file(attachment: Attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- staff


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The practices of the actor's office, whatever their status."""
    actor = _actor(request)
    if not rules.may_submit(actor):
        raise Http404
    status_filter = request.GET.get("status", "")
    if status_filter and status_filter not in Status.values:
        return render(
            request,
            "practices/mine.html",
            {"rows": [], "page": None, "statuses": Status.choices, "bad_status": True},
            status=400,
        )
    qs = selectors.my_practices(actor=actor)
    if status_filter:
        qs = qs.filter(status=status_filter)
    page = paginate(request, qs)
    language = _language()
    context = {
        "page": page,
        "rows": [row(p, language) for p in page.object_list],
        "statuses": Status.choices,
        "status_filter": status_filter,
        "is_reviewer": rules.is_reviewer(actor),
    }
    return render(request, "practices/mine.html", context)


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.is_reviewer(actor):
        raise Http404
    page = paginate(request, selectors.review_queue(actor=actor))
    language = _language()
    rows = [row(p, language) | {"submitted_at": p.submitted_at} for p in page.object_list]
    return render(request, "practices/review_queue.html", {"page": page, "rows": rows})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.may_submit(actor):
        raise Http404
    form = PracticeForm(
        request.POST or None,
        initial={
            "language": _language(),
            "contact_name": actor.user.get_full_name(),
            "contact_email": actor.user.email,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                practice = services.practice_create(actor=actor, data=form.service_data())
            except ValidationFailed as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The practice is saved as a draft."))
                return redirect("practices:manage", practice_id=practice.pk)
        status = 400
    return render(request, "practices/form.html", {"form": form, "practice": None}, status=status)


@login_required
def edit(request: HttpRequest, practice_id: str) -> HttpResponse:
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    if not rules.can_edit(actor, practice):
        raise Http404
    form = PracticeForm(request.POST or None, initial=initial_of(practice))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.practice_update(
                    actor=actor,
                    practice=practice,
                    version=form.cleaned_data.get("version"),
                    data=form.service_data(),
                )
            except ValidationFailed as exc:
                apply_errors(form, exc)
            except StaleEdit:
                fresh = selectors.practice_get(actor=actor, practice_id=practice.pk)
                status = stale_edit(form, initial_of(fresh))
            except TransitionNotAllowed as exc:
                form.add_error(None, exc.message)
                status = 409
            else:
                messages.success(request, _("The practice is saved."))
                return redirect("practices:manage", practice_id=practice.pk)
        status = status if status != 200 else 400
    return render(
        request, "practices/form.html", {"form": form, "practice": practice}, status=status
    )


@login_required
def manage(request: HttpRequest, practice_id: str) -> HttpResponse:
    """The practice's staff page: its text, status, reviews, files and the questions sent to
    its author, with what the reader may do now."""
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    return _manage(request, actor, practice)


def _manage(
    request: HttpRequest,
    actor: Any,
    practice: Practice,
    review_form: ReviewForm | None = None,
    upload_form: AttachmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "practice": practice,
        "text": text_in(practice, practice.language),
        "versions": list(versions(practice).values()),
        "themes": theme_labels(practice),
        "groups": group_labels(practice),
        "countries": sorted(c.name for c in practice.countries.all()),
        "objectives": list(practice.gcm_objectives.all()),
        "attachments": list(practice.attachments.all()),
        "reviews": list(practice.reviews.all()),
        "questions": list(selectors.questions(actor=actor, practice=practice)[:50]),
        "can": rules.practice_permissions(actor, practice),
        "review_form": review_form or ReviewForm(initial={"version": practice.version}),
        "upload_form": upload_form or AttachmentForm(),
        "version_form": VersionForm(initial={"version": practice.version}),
    }
    return render(request, "practices/manage.html", context, status=status)


def _refused(request: HttpRequest, practice_id: Any, exc: Exception) -> HttpResponse:
    if isinstance(exc, StaleEdit):
        messages.error(request, _("This practice was changed by someone else. Look again."))
    elif isinstance(exc, TransitionNotAllowed):
        messages.error(request, str(exc.message))
    elif isinstance(exc, ValidationFailed):
        messages.error(request, " ".join(str(m) for v in exc.errors.values() for m in v))
    return redirect("practices:manage", practice_id=practice_id)


@login_required
@require_POST
def submit(request: HttpRequest, practice_id: str) -> HttpResponse:
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    if not rules.can_submit(actor, practice):
        raise Http404
    form = VersionForm(request.POST)
    try:
        if not form.is_valid():
            raise StaleEdit
        services.practice_submit(
            actor=actor, practice=practice, version=form.cleaned_data["version"]
        )
    except (StaleEdit, TransitionNotAllowed) as exc:
        return _refused(request, practice.pk, exc)
    messages.success(request, _("The practice is submitted: the secretariat will review it."))
    return redirect("practices:manage", practice_id=practice.pk)


@login_required
@require_POST
def review(request: HttpRequest, practice_id: str) -> HttpResponse:
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    if not rules.can_review(actor, practice):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        publish = form.cleaned_data["decision"] == "publish"
        try:
            services.practice_review(
                actor=actor,
                practice=practice,
                version=form.cleaned_data["version"],
                publish=publish,
                comments=form.cleaned_data["comments"],
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except (StaleEdit, TransitionNotAllowed) as exc:
            return _refused(request, practice.pk, exc)
        else:
            messages.success(
                request,
                _("The practice is published.")
                if publish
                else _("The practice is returned to its office with your comments."),
            )
            return redirect("practices:review_queue")
    return _manage(request, actor, practice, review_form=form, status=400)


@login_required
def withdraw(request: HttpRequest, practice_id: str) -> HttpResponse:
    """Withdraw a submitted or published practice, after a confirmation."""
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    if not rules.can_withdraw(actor, practice):
        raise Http404
    form = WithdrawForm(request.POST or None, initial={"version": practice.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.practice_withdraw(
                    actor=actor, practice=practice, version=form.cleaned_data["version"]
                )
            except (StaleEdit, TransitionNotAllowed) as exc:
                return _refused(request, practice.pk, exc)
            messages.success(request, _("The practice is withdrawn."))
            return redirect("practices:manage", practice_id=practice.pk)
        status = 400
    return render(
        request, "practices/withdraw.html", {"form": form, "practice": practice}, status=status
    )


@login_required
@require_POST
def attachment_upload(request: HttpRequest, practice_id: str) -> HttpResponse:
    actor = _actor(request)
    practice = selectors.practice_get(actor=actor, practice_id=practice_id)
    if not rules.can_edit(actor, practice):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                actor=actor, practice=practice, upload=form.cleaned_data["file"]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        except TransitionNotAllowed as exc:
            return _refused(request, practice.pk, exc)
        else:
            messages.success(request, _("The file is added."))
            return redirect("practices:manage", practice_id=practice.pk)
    return _manage(request, actor, practice, upload_form=form, status=400)


@login_required
def attachment_download(request: HttpRequest, practice_id: str, attachment_id: str) -> FileResponse:
    actor = _actor(request)
    attachment = selectors.attachment_get(
        actor=actor, practice_id=practice_id, attachment_id=attachment_id
    )
    return _file(attachment)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, practice_id: str, attachment_id: str) -> HttpResponse:
    actor = _actor(request)
    attachment = selectors.attachment_get(
        actor=actor, practice_id=practice_id, attachment_id=attachment_id
    )
    if not rules.can_edit(actor, attachment.practice):
        raise Http404
    try:
        services.attachment_remove(actor=actor, attachment=attachment)
    except TransitionNotAllowed as exc:
        return _refused(request, attachment.practice_id, exc)
    messages.success(request, _("The file is removed."))
    return redirect("practices:manage", practice_id=attachment.practice_id)
