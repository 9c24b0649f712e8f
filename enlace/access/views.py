from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .history import recent_events, record_history


@login_required
def history(request: HttpRequest, record_type: str, record_id: str) -> HttpResponse:
    """Who viewed and who changed one record."""
    reads, changes = record_history(
        actor=request.actor,  # type: ignore[attr-defined]
        record_type=record_type,
        record_id=record_id,
    )
    return render(
        request,
        "audit/history.html",
        {
            "reads": reads[:200],
            "changes": changes[:200],
            "record_type": record_type,
            "record_id": record_id,
        },
    )


@login_required
def recent(request: HttpRequest) -> HttpResponse:
    events = recent_events(actor=request.actor)  # type: ignore[attr-defined]
    return render(request, "audit/recent.html", {"events": events})
