"""The inbox page: the reader's items newest first, unread only on request, open one (marks it
read and leads to its record), mark all read, and the e-mail preference."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enlace.core.pagination import paginate

from . import selectors, services
from .forms import InboxFilterForm, PreferenceForm
from .models import Item
from .present import item_fields


def _actor(request: HttpRequest) -> Any:
    return request.actor  # type: ignore[attr-defined]


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = InboxFilterForm(request.GET)
    status = 200
    if form.is_valid():
        unread = form.cleaned_data["unread"]
        qs = selectors.item_list(actor=actor, unread=unread)
    else:
        unread, status = None, 400
        qs = Item.objects.none()
    page = paginate(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [item_fields(i) for i in page.object_list],
        "query": query.urlencode(),
        "unread_only": unread is True,
        "pref_form": PreferenceForm(initial={"email": selectors.email_choice(user=actor.user)}),
    }
    return render(request, "inbox/list.html", context, status=status)


@require_GET
@login_required
def item_open(request: HttpRequest, item_id: str) -> HttpResponse:
    """Mark the item read and go to what it concerns (which may since have closed to the
    reader: then its own page answers 404, as for anyone)."""
    actor = _actor(request)
    item = selectors.item_get(actor=actor, item_id=item_id)
    services.item_mark_read(actor=actor, item=item)
    if item.link and url_has_allowed_host_and_scheme(item.link, allowed_hosts=None):
        return redirect(item.link)
    return redirect("inbox:list")


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.items_mark_all_read(actor=_actor(request))
    messages.success(request, _("Items marked as read: %(count)s.") % {"count": count})
    return redirect("inbox:list")


@require_POST
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you want to hear of new items."))
        return redirect("inbox:list")
    services.preference_set(actor=_actor(request), email=form.cleaned_data["email"])
    messages.success(request, _("Your e-mail setting was saved."))
    nxt = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return redirect(nxt)
    return redirect("inbox:list")
