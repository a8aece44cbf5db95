"""Security headers, sessions kept off public pages, the user's language, and the two-factor
gate."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django_otp import user_has_device

from integritas.core import public
from integritas.core.context_processors import owes_second_factor

Handler = Callable[[HttpRequest], HttpResponse]

# Pages a signed-in user may reach before finishing two-factor login.
TWO_FACTOR_OPEN = frozenset(
    {
        "core-2fa-verify",
        "core-2fa-setup",
        "core-logout",
        "core-language",
        "core-health",
    }
)


def security_headers(get_response: Handler) -> Handler:
    """A strict Content-Security-Policy and friends on every response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            # Pages behind a login must not linger in shared browsers or proxies.
            response.setdefault("Cache-Control", "no-store")
        return response

    return middleware


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except on public pages (``core.public``): there a visitor
    gets an empty session that is never saved. A signed-in employee who opens a survey or the
    report form is anonymous on it, and their session is neither read nor saved, so its expiry
    (moved on every request by ``SESSION_SAVE_EVERY_REQUEST``) stays where it was."""

    def process_request(self, request: HttpRequest) -> None:
        if public.is_public_path(request.path_info):
            request.session = self.SessionStore()
            return
        super().process_request(request)

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if public.is_public_path(request.path_info):
            return response
        return super().process_response(request, response)


def language(get_response: Handler) -> Handler:
    """Indonesian unless the visitor chose otherwise (the language cookie, set by the switch).

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: office laptops
    and phones are often set to English, and the product is Indonesian first.
    """
    supported = {code for code, _name in settings.LANGUAGES}

    def middleware(request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        code = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = get_response(request)
        response.setdefault("Content-Language", translation.get_language() or code)
        patch_vary_headers(response, ("Cookie",))
        return response

    return middleware


def user_language(get_response: Handler) -> Handler:
    """Signed-in users see the language they chose in their profile."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return get_response(request)

    return middleware


def two_factor_required(get_response: Handler) -> Handler:
    """Send signed-in users who still owe a second factor to enrolment or verification."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return get_response(request)

        if not owes_second_factor(user):
            return get_response(request)
        has_device = user_has_device(user, confirmed=True)
        if request.path_info.startswith(settings.STATIC_URL):
            return get_response(request)
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            name = None
        if name in TWO_FACTOR_OPEN or public.is_public_path(request.path_info):
            return get_response(request)
        return redirect("core-2fa-verify" if has_device else "core-2fa-setup")

    return middleware
