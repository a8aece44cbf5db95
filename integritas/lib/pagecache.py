"""Whole answers for anonymous visitors kept in the shared cache, retired by a generation counter.

Two parts work together:

- ``cached(namespace, params=..., timeout=...)`` decorates a view whose answer is the same for
  every anonymous visitor. It reads the namespace's generation *before* the view runs and marks
  the answer with it. It marks nothing for a signed-in visitor, or when the query string holds a
  parameter the view does not declare.
- ``middleware`` (in ``settings.MIDDLEWARE`` right after the language is chosen) keeps a marked
  answer and serves it again to the next request with the same key, for as long as the
  namespace's generation stands: before the session, authentication, CSRF and message
  middleware, the address resolution and the view, which a kept answer does not need. The
  middleware around it (security headers, the request id, the language's headers) runs on
  every answer, kept or not; a kept answer carries the headers the inner middleware and the view
  gave it, and answers a conditional request (``If-None-Match``, ``If-Modified-Since``) with
  ``304`` when it has an ``ETag`` or ``Last-Modified`` that matches.

``invalidate(namespace)`` increments the counter, retiring every answer of the namespace at
once; the app that owns the namespace calls it whenever something its pages show changes. A
retired entry is replaced by the next answer to the same request, or expires.

An answer is kept, and served again, only when nothing about it can belong to one visitor:

- a GET carrying no cookie but the language's and the CSRF cookie (no session: a signed-in
  visitor is never served a kept answer, and never has theirs kept);
- answered ``200``, setting no cookie and using no CSRF token: a page with a form that posts
  back is not kept, since the token baked into it would go to every other visitor;
- the key holds the address (scheme, host, path), the language, today's date (pages say what is
  overdue) and the query string. A query string is kept only when every parameter is one the
  view declares, given once, with a short word as value (a code, a number, a choice; free text
  never), and at most ``MAX_VARIANTS`` answers of one address are kept per generation, so
  made-up addresses cannot fill the memory the cache lives in.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

View = Callable[..., HttpResponse]
Handler = Callable[[HttpRequest], HttpResponse]

# A query value worth keeping a page for: a code, a number, a choice (free text never is).
SHORT_WORD = re.compile(r"[\w.-]{1,40}")
MARK = "_pagecache"
# Where the middleware tells ``lib/pagefront.py`` (in the request's WSGI environment) that the
# answer is a kept one: the Mark it was kept under.
FRONT_MARK = "integritas.pagecache"
# At most this many answers of one address (query strings, languages, hosts) are kept per
# generation: an address whose view shows the same page for any value of a parameter (an
# out-of-range page number, an unknown year) cannot be made to fill the cache's memory.
MAX_VARIANTS = 64


@dataclass(frozen=True)
class Mark:
    """What a cached view says about its answer: whose it is and how long it may be kept."""

    namespace: str
    generation: int
    seconds: int


def _generation_key(namespace: str) -> str:
    return f"pagecache:{namespace}:generation"


def generation(namespace: str) -> int:
    """The namespace's current generation (0 before the first change)."""
    value = cache.get(_generation_key(namespace))
    return int(value) if value is not None else 0


def _bump(namespace: str) -> None:
    key = _generation_key(namespace)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # removed between add and incr: start again
            cache.add(key, 1, timeout=None)


def invalidate(namespace: str, *, data: bool = True) -> None:
    """Retire every kept answer of ``namespace``: now, and, for a change of data (``data``),
    again once the current transaction commits, so that a page rendered from the data before the
    commit is never kept as new. A change of something else (a setting) needs no database."""
    _bump(namespace)
    if data:
        transaction.on_commit(lambda: _bump(namespace))


def _query(request: HttpRequest) -> list[tuple[str, str]] | None:
    """The query parameters, sorted, or None when one is repeated or not a short word."""
    found: list[tuple[str, str]] = []
    for name, values in request.GET.lists():
        if (
            len(values) != 1
            or not SHORT_WORD.fullmatch(name)
            or not SHORT_WORD.fullmatch(values[0])
        ):
            return None
        found.append((name, values[0]))
    return sorted(found)


def _room_for(request: HttpRequest, mark: Mark) -> bool:
    """Whether another answer of this address may be kept in the mark's generation (counts it)."""
    path = hashlib.sha256(request.path.encode()).hexdigest()
    key = f"pagecache:{mark.namespace}:{mark.generation}:variants:{path}"
    if cache.add(key, 1, timeout=mark.seconds):
        return True
    try:
        return int(cache.incr(key)) <= MAX_VARIANTS
    except ValueError:  # expired between add and incr
        return cache.add(key, 1, timeout=mark.seconds)


def request_key(request: HttpRequest) -> str | None:
    """The key of the answer to ``request``, or None when it is never served from the cache."""
    if request.method != "GET":
        return None
    if set(request.COOKIES) - {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}:
        return None
    query = _query(request)
    if query is None:
        return None
    parts = [
        request.scheme or "",
        request.get_host(),
        request.path,
        "&".join(f"{name}={value}" for name, value in query),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    ]
    return "pagecache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer is the same for every anonymous visitor and may be kept."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _entry(mark: Mark, response: HttpResponse) -> dict[str, Any]:
    return {
        "namespace": mark.namespace,
        "generation": mark.generation,
        "expires": time.time() + mark.seconds,
        "content": response.content,
        "headers": list(response.items()),
    }


def _served(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    """The kept answer, or ``304 Not Modified`` when it carries an ``ETag`` or ``Last-Modified``
    that the request's ``If-None-Match`` or ``If-Modified-Since`` already has."""
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"]:
        response[name] = value
    etag, modified = response.get("ETag"), response.get("Last-Modified")
    if not etag and not modified:
        return response
    answer = get_conditional_response(
        request,
        etag=etag,
        last_modified=parse_http_date_safe(modified) if modified else None,
        response=response,
    )
    if answer is None or answer is response:
        return response
    # A 304 keeps the answer's other headers (CORS, security), as the view's own 304 would.
    for name, value in entry["headers"]:
        if not name.lower().startswith("content-") and name not in answer:
            answer[name] = value
    return answer


def middleware(get_response: Handler) -> Handler:
    """Serve kept answers; keep the answers the views marked (see the module's docstring)."""

    def serve(request: HttpRequest) -> HttpResponse:
        key = request_key(request)
        if key is not None:
            entry = cache.get(key)
            if entry is not None and entry["generation"] == generation(entry["namespace"]):
                served = _served(request, entry)
                left = int(entry.get("expires", 0) - time.time())
                if served.status_code == 200 and left > 0:
                    request.META[FRONT_MARK] = Mark(entry["namespace"], entry["generation"], left)
                return served
        response = get_response(request)
        mark: Mark | None = getattr(response, MARK, None)
        if (
            key is not None
            and mark is not None
            and may_keep(request, response)
            and _room_for(request, mark)
        ):
            cache.set(key, _entry(mark, response), timeout=mark.seconds)
            request.META[FRONT_MARK] = mark
        return response

    return serve


def cached(
    namespace: str, *, params: Collection[str] = (), timeout: Callable[[], int]
) -> Callable[[View], View]:
    """A view decorator: the view's answers to anonymous GETs may be kept by ``middleware`` while
    the generation of ``namespace`` stands, for at most ``timeout()`` seconds (read on each
    request; 0 keeps nothing). ``params`` are the query parameters the view reads."""
    allowed = frozenset(params)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = timeout()
            user = getattr(request, "user", None)
            keep = (
                seconds > 0
                and request.method == "GET"
                and not (user is not None and user.is_authenticated)
                and set(request.GET) <= allowed
            )
            current = generation(namespace) if keep else 0
            response = view(request, *args, **kwargs)
            if keep:
                setattr(response, MARK, Mark(namespace, current, seconds))
            return response

        return wrapper

    return decorator
