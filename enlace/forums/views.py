"""Forum pages. Staff pages (login): the forums and their meetings, an agenda item with every
country's position, the regional position with its endorsement grid (answered in place with
htmx, or by a plain form post), comments, the secretariat's forms, and the commitments
tracker. Public pages (no login, enlace.core.public): meetings, agenda items, public positions
and adopted regional positions. Views parse, call one service or selector, render."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.pagination import paginate
from enlace.core.public import public_page, public_render

from . import rules, selectors, services
from .forms import (
    CommentForm,
    CommitmentStatusForm,
    EndorsementForm,
    ForumForm,
    ItemForm,
    MeetingForm,
    PositionForm,
    RegionalForm,
)
from .models import AgendaItem, Decision, RegionalPosition, RegionalStatus


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _reader(request: HttpRequest) -> Any:
    actor = _actor(request)
    if not rules.reads_working_documents(actor):
        raise Http404
    return actor


def _country(code: str) -> str:
    if len(code) != 2 or not code.isalpha() or not code.isupper():
        raise Http404
    return code


def _form_failed(form: Any, exc: Exception) -> int:
    """Show a service's refusal on the form; the status the page answers with."""
    if isinstance(exc, ValidationFailed):
        apply_errors(form, exc)
        return 400
    return stale_edit(form)


def _forum_filter(actor: Any, raw: str) -> Any:
    """The forum a list is filtered by, or None when the filter names no forum."""
    try:
        return selectors.forum_get(actor=actor, forum_id=raw)
    except Http404:
        return None


# Staff pages --------------------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    q = request.GET.get("q", "")[:200]
    forum = None
    if request.GET.get("forum"):
        forum = _forum_filter(actor, request.GET["forum"])
        if forum is None:
            return render(
                request,
                "forums/index.html",
                {
                    "bad_filter": True,
                    "forums": selectors.forum_list(actor=actor),
                    "q": q,
                    "manages": rules.manages_forums(actor),
                },
                status=400,
            )
    meetings = selectors.meeting_list(actor=actor, forum=forum, q=q)
    return render(
        request,
        "forums/index.html",
        {
            "forums": selectors.forum_list(actor=actor),
            "page": paginate(request, meetings),
            "q": q,
            "forum": forum,
            "manages": rules.manages_forums(actor),
        },
    )


@login_required
@require_GET
def forum_detail(request: HttpRequest, forum_id: Any) -> HttpResponse:
    actor = _reader(request)
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)
    return render(
        request,
        "forums/forum.html",
        {
            "forum": forum,
            "members": forum.members.order_by("code"),
            "meetings": selectors.meeting_list(actor=actor, forum=forum),
            "manages": rules.manages_forums(actor),
        },
    )


@login_required
@require_GET
def meeting_detail(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = _reader(request)
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)
    return render(
        request,
        "forums/meeting.html",
        {
            "meeting": meeting,
            "items": selectors.item_list(actor=actor, meeting=meeting),
            "manages": rules.manages_forums(actor),
        },
    )


def _item_context(actor: Any, item: AgendaItem) -> dict[str, Any]:
    regional = selectors.regional_of(actor=actor, item=item)
    perms = rules.item_permissions(actor)
    context: dict[str, Any] = {
        "item": item,
        "meeting": item.meeting,
        "positions": selectors.position_list(actor=actor, item=item),
        "regional": regional,
        "perms": perms,
    }
    country = perms["country"]
    if country:
        context["own_position"] = selectors.position_of(actor=actor, item=item, country=country)
    if regional is not None:
        context.update(_grid_context(actor, regional))
        perms["comments"] = context["mine"] is not None  # member countries only
        context["comments"] = selectors.comment_list(actor=actor, regional=regional)
        context["comment_form"] = CommentForm(auto_id="comment_%s")
    return context


def _grid_context(
    actor: Any, regional: RegionalPosition, form: EndorsementForm | None = None
) -> dict[str, Any]:
    grid = selectors.endorsement_grid(actor=actor, regional=regional)
    mine = next((row for row in grid.rows if row.mine), None)
    open_ = regional.status == RegionalStatus.CONSULTATION
    if form is None and mine is not None and open_:
        form = EndorsementForm(initial={"version": mine.endorsement.version}, auto_id="endorse_%s")
    return {
        "regional": regional,
        "grid": grid,
        "mine": mine,
        "endorse_form": form if (mine is not None and open_) else None,
    }


@login_required
@require_GET
def item_detail(request: HttpRequest, agenda_item_id: Any) -> HttpResponse:
    actor = _reader(request)
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    return render(request, "forums/item.html", _item_context(actor, item))


@login_required
def position_edit(request: HttpRequest, agenda_item_id: Any, country: str) -> HttpResponse:
    """A country's position on an item: written and changed by its focal points while a draft."""
    actor = _actor(request)
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    position = selectors.position_of(actor=actor, item=item, country=_country(country))
    status = 200
    if request.method == "POST":
        form = PositionForm(request.POST)
        if form.is_valid():
            try:
                services.position_save(
                    actor=actor,
                    item=item,
                    country=country,
                    text=form.cleaned_data["text"],
                    is_public=form.cleaned_data["is_public"],
                    version=form.cleaned_data["version"],
                )
            except (ValidationFailed, StaleEdit) as exc:
                status = _form_failed(form, exc)
            else:
                messages.success(request, _("Your country's position is saved."))
                return redirect("forums:item", agenda_item_id=item.pk)
        else:
            status = 400
    else:
        initial = (
            {"version": position.version, "text": position.text, "is_public": position.is_public}
            if position
            else {}
        )
        form = PositionForm(initial=initial)
    return render(
        request,
        "forums/position_form.html",
        {"item": item, "position": position, "form": form, "country": country},
        status=status,
    )


@login_required
@require_POST
def position_step(
    request: HttpRequest, agenda_item_id: Any, country: str, step: str
) -> HttpResponse:
    actor = _actor(request)
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    position = selectors.position_of(actor=actor, item=item, country=_country(country))
    if position is None:
        raise Http404
    services.position_step(
        actor=actor, position=position, step=step, version=request.POST.get("version")
    )
    messages.success(request, _("Your country's position is saved."))
    return redirect("forums:item", agenda_item_id=item.pk)


@login_required
def regional_edit(request: HttpRequest, agenda_item_id: Any) -> HttpResponse:
    """The secretariat's draft of the regional position."""
    actor = _actor(request)
    if not rules.drafts_regional(actor):
        raise Http404
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    regional = selectors.regional_of(actor=actor, item=item)
    status = 200
    if request.method == "POST":
        form = RegionalForm(request.POST)
        if form.is_valid():
            try:
                services.regional_save(
                    actor=actor,
                    item=item,
                    text=form.cleaned_data["text"],
                    version=form.cleaned_data["version"],
                )
            except (ValidationFailed, StaleEdit) as exc:
                status = _form_failed(form, exc)
            else:
                messages.success(request, _("The regional position is saved."))
                return redirect("forums:item", agenda_item_id=item.pk)
        else:
            status = 400
    else:
        initial = {"version": regional.version, "text": regional.text} if regional else {}
        form = RegionalForm(initial=initial)
    return render(
        request,
        "forums/regional_form.html",
        {"item": item, "regional": regional, "form": form},
        status=status,
    )


@login_required
@require_POST
def regional_step(request: HttpRequest, agenda_item_id: Any, step: str) -> HttpResponse:
    """Circulate the draft for endorsement, or adopt it (the secretariat)."""
    actor = _actor(request)
    if not rules.drafts_regional(actor) or step not in services.REGIONAL_STEPS:
        raise Http404
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    regional = selectors.regional_get(actor=actor, item=item)
    services.REGIONAL_STEPS[step](
        actor=actor, regional=regional, version=request.POST.get("version")
    )
    messages.success(request, _("The regional position is saved."))
    return redirect("forums:item", agenda_item_id=item.pk)


@login_required
@require_POST
def endorse(request: HttpRequest, agenda_item_id: Any, country: str) -> HttpResponse:
    """A country's answer to the circulated draft: with htmx the grid is sent back in place;
    without JavaScript the item's page is shown again."""
    actor = _actor(request)
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    regional = selectors.regional_get(actor=actor, item=item)
    if not rules.speaks_for(actor, _country(country)):
        raise Http404
    form = EndorsementForm(request.POST, auto_id="endorse_%s")
    status = 200
    if form.is_valid():
        try:
            services.endorsement_answer(
                actor=actor,
                regional=regional,
                country=country,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except (ValidationFailed, StaleEdit) as exc:
            status = _form_failed(form, exc)
        else:
            decision = form.cleaned_data["decision"]
            text = (
                _("Your country endorsed the regional position.")
                if decision == Decision.ENDORSED
                else _("Your country objected to the regional position.")
            )
            if not _htmx(request):
                messages.success(request, text)
                return redirect("forums:item", agenda_item_id=item.pk)
            regional.refresh_from_db()
            context = _grid_context(actor, regional)
            context["done"] = text
            return render(request, "forums/_grid.html", context)
    else:
        status = 400
    if _htmx(request):
        return render(
            request, "forums/_grid.html", _grid_context(actor, regional, form), status=status
        )
    context = _item_context(actor, item)
    context.update(_grid_context(actor, regional, form))
    return render(request, "forums/item.html", context, status=status)


@login_required
@require_POST
def comment(request: HttpRequest, agenda_item_id: Any, country: str) -> HttpResponse:
    actor = _actor(request)
    item = selectors.item_get(actor=actor, item_id=agenda_item_id)
    regional = selectors.regional_get(actor=actor, item=item)
    if not rules.speaks_for(actor, _country(country)):
        raise Http404
    form = CommentForm(request.POST, auto_id="comment_%s")
    if form.is_valid():
        try:
            services.comment_add(
                actor=actor, regional=regional, country=country, text=form.cleaned_data["text"]
            )
        except ValidationFailed as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your comment is added."))
            return redirect("forums:item", agenda_item_id=item.pk)
    context = _item_context(actor, item)
    context["comment_form"] = form
    return render(request, "forums/item.html", context, status=400)


@login_required
@require_GET
def commitments(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    countries, rows = selectors.commitment_tracker(actor=actor)
    return render(
        request,
        "forums/commitments.html",
        {
            "countries": countries,
            "rows": rows,
            "my_country": rules.focal_country(actor),
        },
    )


@login_required
def commitment_status(request: HttpRequest, code: str, country: str) -> HttpResponse:
    actor = _actor(request)
    commitment = selectors.commitment_get(actor=actor, code=code)
    if not rules.speaks_for(actor, _country(country)):
        raise Http404
    current = commitment.statuses.filter(country_id=country).first()
    status = 200
    if request.method == "POST":
        form = CommitmentStatusForm(request.POST)
        if form.is_valid():
            try:
                services.commitment_status_set(
                    actor=actor,
                    commitment=commitment,
                    country=country,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                    version=form.cleaned_data["version"],
                )
            except (ValidationFailed, StaleEdit) as exc:
                status = _form_failed(form, exc)
            else:
                messages.success(request, _("The commitment's status is saved."))
                return redirect("forums:commitments")
        else:
            status = 400
    else:
        initial = (
            {"status": current.status, "note": current.note, "version": current.version}
            if current
            else {}
        )
        form = CommitmentStatusForm(initial=initial)
    return render(
        request,
        "forums/commitment_form.html",
        {"commitment": commitment, "form": form, "country": country},
        status=status,
    )


# The secretariat's forms ----------------------------------------------------------------------


def _create(
    request: HttpRequest, form_class: Any, save: Any, title: str, back: str
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                created = save(form.cleaned_data)
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Saved."))
                return created
        else:
            status = 400
    else:
        form = form_class()
    return render(
        request, "forums/create.html", {"form": form, "title": title, "back": back}, status=status
    )


@login_required
def forum_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not rules.manages_forums(actor):
        raise Http404

    def save(data: dict[str, Any]) -> HttpResponse:
        forum = services.forum_create(
            actor=actor,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            members=[c.code for c in data["members"]],
        )
        return redirect("forums:forum", forum_id=forum.pk)

    return _create(request, ForumForm, save, _("New forum"), "")


@login_required
def meeting_create(request: HttpRequest, forum_id: Any) -> HttpResponse:
    actor = _actor(request)
    if not rules.manages_forums(actor):
        raise Http404
    forum = selectors.forum_get(actor=actor, forum_id=forum_id)

    def save(data: dict[str, Any]) -> HttpResponse:
        meeting = services.meeting_create(
            actor=actor,
            forum=forum,
            title=data["title"],
            city=data["city"],
            country=data["country"].code,
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
        )
        return redirect("forums:meeting", meeting_id=meeting.pk)

    return _create(request, MeetingForm, save, _("New meeting"), forum.name)


@login_required
def item_create(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    actor = _actor(request)
    if not rules.manages_forums(actor):
        raise Http404
    meeting = selectors.meeting_get(actor=actor, meeting_id=meeting_id)

    def save(data: dict[str, Any]) -> HttpResponse:
        item = services.item_create(
            actor=actor,
            meeting=meeting,
            title=data["title"],
            description=data["description"],
            order=data["order"],
        )
        return redirect("forums:item", agenda_item_id=item.pk)

    return _create(request, ItemForm, save, _("New agenda item"), meeting.title)


# Public pages (no login, no actor) -----------------------------------------------------------


@require_GET
@public_page()
def public_index(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    meetings = selectors.meeting_list(actor=None, q=q)
    return public_render(
        request,
        "forums/public_index.html",
        {"page": paginate(request, meetings), "q": q, "forums": selectors.forum_list(actor=None)},
    )


@require_GET
@public_page()
def public_meeting(request: HttpRequest, meeting_id: Any) -> HttpResponse:
    meeting = selectors.meeting_get(actor=None, meeting_id=meeting_id)
    return public_render(
        request,
        "forums/public_meeting.html",
        {"meeting": meeting, "items": selectors.item_list(actor=None, meeting=meeting)},
    )


@require_GET
@public_page()
def public_item(request: HttpRequest, agenda_item_id: Any) -> HttpResponse:
    item = selectors.item_get(actor=None, item_id=agenda_item_id)
    return public_render(
        request,
        "forums/public_item.html",
        {
            "item": item,
            "meeting": item.meeting,
            "positions": selectors.position_list(actor=None, item=item),
            "regional": selectors.regional_of(actor=None, item=item),
        },
    )
