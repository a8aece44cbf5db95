"""Sign-in, two-factor, language, password and profile pages."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import devices_for_user
from django_otp import login as otp_login

from integritas import audit
from integritas.core import extensions, policy
from integritas.core.forms.accounts import (
    ConfirmIdentityForm,
    LanguageForm,
    LoginForm,
    TokenForm,
)
from integritas.core.models import User
from integritas.core.services import accounts
from integritas.core.services.people import user_set_language
from integritas.lib import ratelimit


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("core-home")


# Failed sign-ins are counted per network under this name (``lib/ratelimit.py``).
SIGN_IN_BUCKET = "sign-in"


def _address_window() -> int:
    return settings.LOGIN_ADDRESS_WINDOW_MINUTES * 60


@sensitive_post_parameters("password", "token")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Sign-in. Each attempt counts against the sender's network (a keyed hash of its address)
    and the username. A network over ``LOGIN_ADDRESS_MAX_FAILURES`` is refused without a check,
    so one source cannot lock accounts. A locked username lets through the right password from a
    browser where the account signed in before (its device cookie, whose tries are counted on
    their own), or the right password with a valid second factor; otherwise it answers the same
    whatever was typed."""
    if request.user.is_authenticated:
        return redirect("core-home")
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next")
    status = 200
    locked = False
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"].strip()
        password = form.cleaned_data["password"]
        window = _address_window()
        if ratelimit.hit(
            request, SIGN_IN_BUCKET, limit=settings.LOGIN_ADDRESS_MAX_FAILURES, window=window
        ):
            minutes = -(-ratelimit.seconds_left(window) // 60)
            form.add_error(
                None,
                _("Too many failed sign-ins from your network. Try again in %(minutes)d minutes.")
                % {"minutes": minutes},
            )
            status = 429
        elif (
            (minutes := accounts.start_attempt(username))
            and (
                purpose := accounts.device_purpose(
                    request.COOKIES.get(accounts.DEVICE_COOKIE), username
                )
            )
            and not accounts.start_attempt(username, purpose=purpose)
        ):
            user = authenticate(request, username=username, password=password)
            if user is None:
                accounts.device_login_failed(username, purpose)
                form.add_error(None, _("The username or password is not correct."))
                status = 400
            else:
                ratelimit.forgive(request, SIGN_IN_BUCKET, window=window)
                login(request, user)
                accounts.device_login_succeeded(user, purpose)
                return _signed_in(request, user, next_url)
        elif minutes:
            user, device = _past_the_lock(request, username, password, form.cleaned_data["token"])
            if user is not None and device is not None:
                ratelimit.forgive(request, SIGN_IN_BUCKET, window=window)
                login(request, user)
                otp_login(request, device)
                accounts.login_succeeded(user)
                return _signed_in(request, user, next_url)
            locked = True
            form.add_error(
                None,
                _(
                    "Too many failed attempts. Try again in %(minutes)d minutes, or reset your password."
                )
                % {"minutes": minutes},
            )
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                accounts.login_failed(username)
                form.add_error(None, _("The username or password is not correct."))
                status = 400
            else:
                ratelimit.forgive(request, SIGN_IN_BUCKET, window=window)
                login(request, user)
                accounts.login_succeeded(user)
                return _signed_in(request, user, next_url)
    elif request.method == "POST":
        status = 400
    if not locked:
        form.fields.pop("token")
    context = {"form": form, "next": next_url or "", "locked": locked}
    return render(request, "core/login.html", context, status=status)


def _signed_in(request: HttpRequest, user: Any, next_url: str | None) -> HttpResponse:
    """Go on to the page asked for, and let this browser remember the account
    (``accounts.device_cookie``)."""
    response = redirect(_safe_next(request, next_url))
    response.set_cookie(
        accounts.DEVICE_COOKIE,
        accounts.device_cookie(request.COOKIES.get(accounts.DEVICE_COOKIE), user),
        max_age=settings.LOGIN_DEVICE_COOKIE_DAYS * 86400,
        path=reverse("core-login").rsplit("/", 2)[0] + "/",
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _past_the_lock(
    request: HttpRequest, username: str, password: str, token: str
) -> tuple[Any, Any]:
    """The account and its second factor when the password is right and ``token`` is a valid
    code of the account's authenticator or an unused recovery code; (None, None) otherwise.
    The code is tried only after the right password, so guesses never slow down the owner's
    authenticator or use up a recovery code."""
    user = authenticate(request, username=username, password=password)
    if user is None or not token:
        return None, None
    device = accounts.verify_second_factor(user, token)
    return (user, device) if device is not None else (None, None)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        audit.record("auth.logout", obj=request.user)
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("core-login")


def _qr_svg(uri: str) -> str:
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111827", light="#ffffff")


# The session remembers the authenticator it started to set up: only that session may confirm it.
SETUP_SESSION_KEY = "integritas_2fa_setup"


def _identity_refused(form: ConfirmIdentityForm, user: Any) -> int:
    """Check the password and current code of a valid form; 0 when both are right, else the
    status to answer with (the form then holds the error)."""
    minutes = accounts.confirm_identity(
        user=user, password=form.cleaned_data["password"], token=form.cleaned_data["token"]
    )
    if minutes is None:
        return 0
    if minutes:
        form.add_error(
            None,
            _("Too many failed attempts. Try again in %(minutes)d minutes, or reset your password.")
            % {"minutes": minutes},
        )
        return 429
    form.add_error(None, _("The password or the code is not correct."))
    return 400


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator: a POST starts it (a fresh key, and for someone who already
    has one, only after their password and a current code), the page then shows the key, and a
    code from the new authenticator confirms it. Opening the page changes nothing."""
    user: Any = request.user
    current = accounts.totp_device(user, confirmed=True)
    if current is not None and not user.is_verified():
        # An enrolled user must prove the old factor before replacing it.
        return redirect("core-2fa-verify")
    if request.method == "POST" and request.POST.get("action") == "start":
        return _start_setup(request, user, replacing=current is not None)
    device = accounts.pending_totp_device(user, request.session.get(SETUP_SESSION_KEY))
    if device is None:
        if request.method == "POST":
            return redirect("core-2fa-setup")
        return _start_page(request, user, replacing=current is not None)
    form = TokenForm(request.POST or None)
    form.fields["token"].help_text = _(
        "The 6-digit code your authenticator app shows for Integritas."
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            codes = accounts.confirm_totp(user=user, device=device)
            request.session.pop(SETUP_SESSION_KEY, None)
            otp_login(request, device)
            return render(request, "core/recovery_codes.html", {"codes": codes, "first_time": True})
        if form.is_valid():
            form.add_error(
                "token", _("That code is not correct. Check the time on your phone and try again.")
            )
        status = 400
    secret_b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "form": form,
        "qr_svg": _qr_svg(device.config_url),
        "secret": " ".join(secret_b32[i : i + 4] for i in range(0, len(secret_b32), 4)),
        "required": policy.requires_two_factor(user),
        "replacing": current is not None,
    }
    return render(request, "core/two_factor_setup.html", context, status=status)


def _start_page(
    request: HttpRequest,
    user: Any,
    *,
    replacing: bool,
    form: ConfirmIdentityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form if form is not None else (ConfirmIdentityForm() if replacing else None),
        "replacing": replacing,
        "required": policy.requires_two_factor(user),
    }
    return render(request, "core/two_factor_start.html", context, status=status)


def _start_setup(request: HttpRequest, user: Any, *, replacing: bool) -> HttpResponse:
    if replacing:
        form = ConfirmIdentityForm(request.POST)
        status = _identity_refused(form, user) if form.is_valid() else 400
        if status:
            return _start_page(request, user, replacing=True, form=form, status=status)
    device = accounts.start_totp_setup(user)
    request.session[SETUP_SESSION_KEY] = device.pk
    return redirect("core-2fa-setup")


def _throttled(user: Any) -> bool:
    """True while django-otp's back-off refuses codes for the user's authenticator."""
    device = accounts.totp_device(user, confirmed=True)
    return device is not None and not device.verify_is_allowed()[0]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_safe_next(request, request.GET.get("next")))
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            token = form.cleaned_data["token"]
            for device in devices_for_user(request.user, confirmed=True):
                if device.verify_token(token):
                    otp_login(request, device)
                    if device.name == accounts.RECOVERY_DEVICE_NAME:
                        audit.record("auth.recovery_code_used", obj=request.user)
                        left = accounts.recovery_codes_left(request.user)  # type: ignore[arg-type]
                        messages.warning(
                            request,
                            ngettext(
                                "You used a recovery code. %(count)d code is left.",
                                "You used a recovery code. %(count)d codes are left.",
                                left,
                            )
                            % {"count": left},
                        )
                    return redirect(_safe_next(request, request.POST.get("next")))
            if _throttled(request.user):
                form.add_error(
                    "token",
                    _("Too many wrong codes. Wait a little and try again with a fresh code."),
                )
            else:
                form.add_error("token", _("That code is not correct or has already been used."))
    return render(
        request,
        "core/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes_regenerate(request: HttpRequest) -> HttpResponse:
    """New recovery codes, after the password and a current code (or an unused recovery code)."""
    user: Any = request.user
    has_totp = accounts.totp_device(user, confirmed=True) is not None
    form = ConfirmIdentityForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if has_totp and form.is_valid():
            status = _identity_refused(form, user)
            if not status:
                codes = accounts.regenerate_recovery_codes(user=user)
                return render(
                    request, "core/recovery_codes.html", {"codes": codes, "first_time": False}
                )
    return render(
        request,
        "core/recovery_codes_new.html",
        {"form": form, "has_totp": has_totp},
        status=status,
    )


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    next_url = _safe_next(request, request.POST.get("next"))
    if not form.is_valid():
        return redirect(next_url)
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {
        "person": user,
        "roles": user.role_assignments.select_related("unit"),  # type: ignore[union-attr]
        "has_totp": accounts.totp_device(user, confirmed=True) is not None,  # type: ignore[arg-type]
        "recovery_left": accounts.recovery_codes_left(user),  # type: ignore[arg-type]
        "two_factor_required": settings.REQUIRE_2FA and policy.requires_two_factor(user),
        "language_form": LanguageForm(initial={"language": user.language}),  # type: ignore[union-attr]
        "delivery": User.Delivery(user.notification_delivery).label,  # type: ignore[union-attr]
    }
    return render(request, "core/profile.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core-profile")

    @method_decorator(transaction.atomic)
    def form_valid(self, form: Any) -> HttpResponse:
        extensions.password_changing(
            user=self.request.user,
            old_password=form.cleaned_data["old_password"],
            new_password=form.cleaned_data["new_password1"],
        )
        response = super().form_valid(form)
        audit.record("auth.password_changed", obj=self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Queues the reset mail for the background worker, whatever the address: the answer and
    the time it takes do not tell whether the address belongs to an account."""

    template_name = "core/password_reset.html"
    success_url = reverse_lazy("core-password-reset-done")

    def form_valid(self, form: Any) -> HttpResponse:
        accounts.request_password_reset(
            email=form.cleaned_data["email"],
            domain=get_current_site(self.request).domain,
            use_https=self.request.is_secure(),
            language=get_language(),
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core-password-reset-complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record("auth.password_reset", obj=form.user, actor=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


def health(request: HttpRequest) -> HttpResponseBase:
    """For load balancers and monitoring: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
