"""Whole answers for anonymous visitors kept in the shared cache, dropped by a generation counter.

A namespace (``"portal"``) has one counter in the cache. Every kept answer's key holds the
counter's value, so ``invalidate(namespace)`` (one increment) retires every answer of the
namespace at once; the retired entries expire on their own. The app that owns the namespace
calls ``invalidate`` whenever something its pages show changes (model signals, its services).

An answer is kept, and served again, only when nothing about it can belong to one visitor:

- only a GET from someone who is not signed in (``request.user``), answered ``200``;
- not when the answer sets a cookie, or its page used a CSRF token (a form posting back): a
  token baked into a kept page would be handed to every other visitor;
- the key holds the address (scheme, host, path), the language, today's date (pages say what is
  overdue) and the query parameters the view declares; a request with any other parameter, a
  parameter given twice or a value that is not a short word is answered without the cache, so
  made-up addresses cannot fill the memory the cache lives in.

Headers that middleware adds outside the view (security headers, ``Vary``, the request id) are
added to a kept answer as to a fresh one; the answer kept is the view's own.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

View = Callable[..., HttpResponse]

# A query value worth keeping a page for: a code, a number, a choice (free text never is).
SHORT_WORD = re.compile(r"[\w.-]{1,40}")
# Headers of the view's answer that are kept with it (the rest come from the middleware).
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "Last-Modified", "ETag")


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


def invalidate(namespace: str) -> None:
    """Retire every kept answer of ``namespace``: now, and again once the current transaction
    commits, so that a page rendered from the data before the commit is never kept as new."""
    _bump(namespace)
    transaction.on_commit(lambda: _bump(namespace))


def cache_key(request: HttpRequest, namespace: str, params: Collection[str]) -> str | None:
    """The key of the answer to ``request``, or None when it must not come from the cache."""
    if request.method != "GET":
        return None
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    query: list[tuple[str, str]] = []
    for name, values in request.GET.lists():
        if name not in params or len(values) != 1 or not SHORT_WORD.fullmatch(values[0]):
            return None
        query.append((name, values[0]))
    parts = [
        request.scheme or "",
        request.get_host(),
        request.path,
        "&".join(f"{name}={value}" for name, value in sorted(query)),
        translation.get_language() or "",
        timezone.localdate().isoformat(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"pagecache:{namespace}:{generation(namespace)}:{digest}"


def may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether the answer is the same for every anonymous visitor and may be kept."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def _kept(response: HttpResponse) -> dict[str, Any]:
    return {
        "content": response.content,
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
    }


def _served(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"])
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def cached(
    namespace: str, *, params: Collection[str] = (), timeout: Callable[[], int]
) -> Callable[[View], View]:
    """A view decorator: anonymous GETs are answered from the cache of ``namespace`` while its
    generation stands, for at most ``timeout()`` seconds (read on each request; 0 turns the
    cache off). ``params`` are the query parameters the view reads; they are part of the key."""
    allowed = frozenset(params)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            seconds = timeout()
            key = cache_key(request, namespace, allowed) if seconds > 0 else None
            if key is None:
                return view(request, *args, **kwargs)
            entry = cache.get(key)
            if entry is not None:
                return _served(entry)
            response = view(request, *args, **kwargs)
            if may_keep(request, response):
                cache.set(key, _kept(response), timeout=seconds)
            return response

        return wrapper

    return decorator
