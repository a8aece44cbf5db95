"""How a page for anonymous visitors is built: survey respondents, reporters, the public portal.

Such a page is reached under one of ``settings.PUBLIC_PATH_PREFIXES`` and its view is decorated
with ``public_page``. Together they give every answer the same guarantees:

- **No referrer to other sites, no copy in caches**: ``Referrer-Policy: same-origin`` (links to
  other sites carry no address; our own CSRF check over HTTPS still gets the Referer it needs),
  ``Cache-Control: no-store``, ``X-Robots-Tag: noindex, nofollow`` (``private``; pages meant to
  be found, the portal's, ask ``public_page(indexed=True)``).
- **No session**: the session middleware gives these paths an empty session that is never saved
  (``core.middleware.SessionMiddleware``), so a signed-in employee is anonymous here, and their
  session row, expiry included, stays as it was.
- **Nothing in the logs**: ``QuietPublicPages``, a logging filter registered in
  ``settings.LOGGING``, drops the request records (Django's 4xx lines, CSRF refusals, runserver's
  and gunicorn's access lines) whose path is public; an invitation's path holds its token.
- **CSRF by Django's own check**, with a refusal page a visitor can act on (``csrf_failure``,
  ``settings.CSRF_FAILURE_VIEW``); on the reporter's pages its cookie is a session cookie
  (``public_page(session_csrf_cookie=True)``).
- **A post too large** for the server's limits is answered with a notice and the same headers
  (``too_large``), not Django's bare error page.
- **A language switch by plain link** (``?lang=en``), which needs neither JavaScript nor a form.

``render`` and ``notice`` make the pages; ``templates/public/base.html`` and
``templates/public/notice.html`` are the templates every public area extends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render as django_render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.csrf import csrf_exempt, csrf_protect

View = Callable[..., HttpResponse]

BASE_TEMPLATE = "public/base.html"
NOTICE_TEMPLATE = "public/notice.html"
REFERRER_POLICY = "same-origin"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600


def is_public_path(path: str) -> bool:
    """Whether ``path`` (a request's ``path_info``) belongs to the pages for anonymous visitors."""
    return path.startswith(tuple(settings.PUBLIC_PATH_PREFIXES))


def private(response: HttpResponse) -> HttpResponse:
    """The headers of every public answer: no referrer to other sites, no copy kept in a
    browser's or a proxy's cache, not indexed."""
    response["Referrer-Policy"] = REFERRER_POLICY
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def session_cookie(response: HttpResponse, name: str) -> HttpResponse:
    """The cookie ``name`` the response sets, made a session cookie (no ``Max-Age`` or
    ``Expires``): the browser forgets it when it closes."""
    morsel = response.cookies.get(name)
    if morsel is not None:
        morsel["max-age"] = ""
        morsel["expires"] = ""
    return response


def too_large(request: HttpRequest, error: SuspiciousOperation, base: str) -> HttpResponse:
    """A post beyond the server's limits (``DATA_UPLOAD_MAX_MEMORY_SIZE``,
    ``DATA_UPLOAD_MAX_NUMBER_FIELDS``, ``DATA_UPLOAD_MAX_NUMBER_FILES``): a notice with the
    headers of every public answer, instead of Django's bare error page (413 when the body is
    too large, 400 for too many fields or files). Nothing was read or stored, and nothing is
    logged."""
    return notice(
        request,
        status=413 if isinstance(error, RequestDataTooBig) else 400,
        title=_("The form is too large"),
        message=_(
            "What was sent is larger than this server accepts, so nothing of it was read or stored."
        ),
        detail=_("Go back, shorten the text or send fewer or smaller files, and send it again."),
        base=base,
    )


def public_page(
    *methods: str,
    base: str = BASE_TEMPLATE,
    upload_handler: type[FileUploadHandler] | None = None,
    indexed: bool = False,
    session_csrf_cookie: bool = False,
) -> Callable[[View], View]:
    """The contract of a public view: the HTTP methods it answers, the headers of ``private``,
    ``?lang=`` as a language switch, and Django's CSRF check on POST. A post beyond the
    server's size limits gets ``too_large``, with the same headers.

    ``indexed`` lets search engines index the page's successful answers (the portal's pages,
    whose addresses hold no token); every other public page stays ``noindex``.

    ``session_csrf_cookie`` makes the CSRF cookie the page sets a session cookie (Django's lives
    ``CSRF_COOKIE_AGE``, a year): the reporter's pages leave nothing lasting on a device.

    ``base`` is the area's base template, used for the CSRF refusal page. ``upload_handler``
    replaces Django's upload handlers on POST (to keep files in memory, say); the CSRF check
    reads the body, so it runs after they are in place, as Django's documentation shows for
    per-view upload handlers (``csrf_exempt`` outside, ``csrf_protect`` inside).
    """

    def decorator(view: View) -> View:
        checked = csrf_protect(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return private(HttpResponseNotAllowed(methods))
            if request.method == "GET" and "lang" in request.GET:
                return private(switch_language(request))
            if upload_handler is not None and request.method == "POST":
                request.upload_handlers = [upload_handler(request)]
            try:
                response = private(checked(request, *args, **kwargs))
            except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent) as error:
                response = too_large(request, error, base)
            if session_csrf_cookie:
                session_cookie(response, settings.CSRF_COOKIE_NAME)
            if indexed and response.status_code == 200:
                del response["X-Robots-Tag"]
            return response

        exempt = csrf_exempt(wrapper)  # checked by ``checked``, once the upload handlers are set
        exempt.public_base = base  # type: ignore[attr-defined]
        return exempt

    return decorator


def switch_language(request: HttpRequest) -> HttpResponse:
    """``?lang=en`` on a public page: remember the language in its cookie, show the page again
    with the rest of its query (a checker's answer or a list's filters stay on screen)."""
    rest = request.GET.copy()
    rest.pop("lang", None)
    query = rest.urlencode()
    response = HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)
    language = request.GET.get("lang", "")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def render(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    """A public page: Django's ``render`` with the headers of ``private``."""
    return private(django_render(request, template, context, status=status))


def notice(
    request: HttpRequest,
    *,
    status: int,
    title: str,
    message: str,
    detail: str = "",
    base: str = BASE_TEMPLATE,
    template: str = NOTICE_TEMPLATE,
    context: Mapping[str, Any] | None = None,
    retry_after: int | None = None,
) -> HttpResponse:
    """A page that says what happened and what to do: a refusal, an expired link, a limit.

    ``template`` extends ``public/notice.html`` to add an area's own links (its blocks
    ``notice_top`` and ``notice_links``); ``retry_after`` (seconds) goes with a 429.
    """
    page = {
        **(context or {}),
        "public_base": base,
        "title": title,
        "message": message,
        "detail": detail,
    }
    response = render(request, template, page, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``settings.CSRF_FAILURE_VIEW``: on a public page, a notice a visitor can act on (cookies
    blocked, or a form left open too long); elsewhere Django's own page."""
    if not is_public_path(request.path_info):
        return csrf.csrf_failure(request, reason=reason)
    view = getattr(request.resolver_match, "func", None)
    return notice(
        request,
        status=403,
        title=_("The form could not be sent"),
        message=_(
            "Your browser did not send back the small security cookie this form needs, "
            "or the page was open for a very long time."
        ),
        detail=_(
            "Allow cookies for this site, open the page again and send it again. "
            "Nothing was stored."
        ),
        base=getattr(view, "public_base", BASE_TEMPLATE),
    )


def record_path(record: logging.LogRecord) -> str | None:
    """The request path a log record is about, if it is about a request.

    Django's records carry the request (``django.request``, ``django.security.csrf``);
    runserver's access lines have the request line as first argument (``django.server``);
    gunicorn's access lines have their atoms as arguments, ``U`` being the path.
    """
    request = getattr(record, "request", None)
    path_info = getattr(request, "path_info", None)
    if isinstance(path_info, str):
        return path_info
    args = record.args
    if isinstance(args, Mapping):
        path = args.get("U")
        return unquote(path) if isinstance(path, str) else None
    if isinstance(args, tuple) and args and isinstance(args[0], str):
        parts = args[0].split()
        if len(parts) == 3 and parts[1].startswith("/"):
            return unquote(urlsplit(parts[1]).path)
    return None


class QuietPublicPages(logging.Filter):
    """Drops the log records of requests to public pages: nothing about a respondent's or a
    reporter's visit (path, token, time) reaches a log. A server error there is still logged,
    with its traceback but without the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        path = record_path(record)
        if path is None or not is_public_path(path):
            return True
        if record.exc_info and record.levelno >= logging.ERROR:
            record.msg = "Server error on a public page"
            record.args = ()
            record.__dict__.pop("request", None)
            return True
        return False
