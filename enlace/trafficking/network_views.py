"""The network page: clusters of linked cases the reader may see, drawn and listed."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe

from enlace.core.pagination import paginate

from . import network, rules
from .links import HUB_CAP


@login_required
def network_page(request: HttpRequest) -> HttpResponse:
    actor: Any = request.actor  # type: ignore[attr-defined]
    if not rules.may_see_some(actor):
        raise Http404
    filters = network.NetworkFilter(request.GET)
    status = 200
    if filters.is_valid():
        data = filters.form.cleaned_data
        found = network.cluster_list(
            actor=actor, country=data.get("country") or None, kind=data.get("kind") or None
        )
    else:
        found, status = [], 400
    page = paginate(request, found, per_page=network.CLUSTERS_PER_PAGE)  # type: ignore[arg-type]
    first = (page.number - 1) * network.CLUSTERS_PER_PAGE + 1
    clusters = network.clusters_shown(actor=actor, found=list(page.object_list), first=first)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": filters.form,
        "page": page,
        "clusters": clusters,
        # Built from case references and kind labels only, every one escaped (network.svg).
        "picture": mark_safe(network.svg(clusters)) if clusters else "",  # nosec B308 B703 # SVG of escaped references and labels  # noqa: S308
        "filtered": bool(request.GET.get("country") or request.GET.get("kind")),
        "common_keys": network.common_keys_shown(actor=actor),
        "hub_cap": HUB_CAP,
    }
    return render(request, "trafficking/network.html", context, status=status)
