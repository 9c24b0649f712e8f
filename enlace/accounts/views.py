"""Log in and out, pick the active office, two-factor, and an office's members."""

import base64
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from enlace.audit.models import Purpose
from enlace.audit.services import access_record
from enlace.core.errors import StaleEdit, ValidationFailed
from enlace.core.filters import filtered
from enlace.core.forms import apply_errors, stale_edit
from enlace.core.pagination import paginate

from . import selectors, services
from .actor import actor_for
from .filters import OfficeFilter
from .forms import MembershipForm, OfficeContactForm, TOTPForm
from .security import address_blocked


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Password spraying: past the per-address limit no password is even checked.
        if address_blocked(request):
            minutes = settings.ENLACE_LOGIN_IP_WINDOW_MINUTES
            return render(
                request, "accounts/too_many_attempts.html", {"minutes": minutes}, status=429
            )
        return super().post(request, *args, **kwargs)


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out account: JSON for the API, the page for people."""
    message = _(
        "Too many failed log-in attempts. Try again in 30 minutes or ask your administrator."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked_out.html", status=429)


class LogoutView(auth_views.LogoutView):
    """Log out, and end the user's API token with the session."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            services.api_token_revoke(actor=actor_for(request.user), reason="logout")  # type: ignore[arg-type]
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password; the API token stops working (scripts must log in again)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        # Logged here, with its reason; saving the new password would end the token anyway.
        services.api_token_revoke(actor=actor_for(form.user), reason="password_change")
        return super().form_valid(form)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@require_POST
@login_required
def office_select(request: HttpRequest) -> HttpResponse:
    membership = services.active_membership_set(
        user=request.user,  # type: ignore[arg-type]
        membership_id=request.POST.get("membership", ""),
    )
    messages.success(
        request, _("You are now working as %(office)s.") % {"office": membership.office.name}
    )
    nxt = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        nxt = "/"
    return redirect(nxt)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up (first time) or verify a TOTP device."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    form = TOTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if not device.confirmed:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect("core:home")
        form.add_error("token", _("The code is not valid. Check your device's clock."))
    secret = base64.b32encode(device.bin_key).decode() if not device.confirmed else ""
    return render(
        request,
        "accounts/two_factor.html",
        {"form": form, "secret": secret, "otpauth": device.config_url if secret else ""},
    )


@login_required
def office_members(request: HttpRequest, office_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    office = selectors.office_get(actor=actor, office_id=office_id)
    members = selectors.membership_list(actor=actor, office_id=office.pk)
    can_manage = selectors.can_manage_members(actor, office)
    form = MembershipForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.membership_create(
                actor=actor,
                office_id=office.pk,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
            )
        except ValidationFailed as exc:
            for field, errs in exc.errors.items():
                for err in errs:
                    form.add_error(field if field in form.fields else None, err)
        else:
            messages.success(request, _("Role granted."))
            return redirect("accounts:office_members", office_id=office.pk)
    access_record(actor=actor, obj=office, owner_office=office, purpose=Purpose.LIST)
    return render(
        request,
        "accounts/office_members.html",
        {
            "office": office,
            "page": paginate(request, members),
            "form": form,
            "can_manage": can_manage,
            "can_edit_contact": actor.is_admin,
        },
    )


@require_POST
@login_required
def membership_deactivate(request: HttpRequest, membership_id: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    membership = selectors.membership_get(actor=actor, membership_id=membership_id)
    services.membership_deactivate(actor=actor, membership=membership)
    messages.success(request, _("Role removed."))
    return redirect("accounts:office_members", office_id=membership.office_id)


@login_required
def office_directory(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    q = request.GET.get("q", "").strip()
    # The page's ?q= is the directory's search; a bad one is a 400 page with the message.
    offices = filtered(
        OfficeFilter, {"search": request.GET.get("q", "")}, selectors.office_list(actor=actor)
    )
    template = "accounts/_office_rows.html" if request.htmx else "accounts/offices.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": paginate(request, offices), "q": q})


@login_required
def office_edit(request: HttpRequest, office_id: str) -> HttpResponse:
    """Administrators keep each office's contact details (shown on confirmed tracing matches)."""
    actor = request.actor  # type: ignore[attr-defined]
    office = selectors.office_get(actor=actor, office_id=office_id)
    if not actor.is_admin:
        raise Http404
    initial = {k: getattr(office, k) for k in services.OFFICE_CONTACT_FIELDS}
    form = OfficeContactForm(request.POST or None, initial=initial | {"version": office.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.office_contact_update(
                    actor=actor,
                    office=office,
                    version=form.cleaned_data["version"],
                    data=form.cleaned_data,
                )
            except StaleEdit:
                status = stale_edit(form)
            except ValidationFailed as exc:
                apply_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Contact details saved."))
                return redirect("accounts:office_members", office_id=office.pk)
        else:
            status = 400
    return render(
        request, "accounts/office_edit.html", {"office": office, "form": form}, status=status
    )
