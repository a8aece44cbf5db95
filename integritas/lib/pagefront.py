"""Kept answers served in front of Django, from the memory of the web process.

``lib/pagecache.py`` keeps whole answers for anonymous visitors in the shared cache and serves
them from a middleware, which still costs Django's request and response objects, the outer
middleware and two reads of the shared cache. ``front(application)`` wraps the WSGI application
(``integritas/wsgi.py``, which gunicorn serves) and answers a repeated request for a kept page
itself, with the bytes and headers Django gave the last time:

- After Django answers, the front looks for the mark ``pagecache.middleware`` leaves in the
  request's environment when it kept an answer or served a kept one (namespace, generation and
  lifetime). Only such an answer, with status 200, no ``Set-Cookie`` and a body of bytes, is
  remembered, with its final status and headers (the outer middleware's included).
- A later request is answered from memory when everything Django's answer could depend on is the
  same: the address (scheme, host, path, query string, the forwarded-host and forwarded-scheme
  headers), the language cookie and today's date. The front's key is made of those raw values, so
  two requests with one key would also share ``pagecache``'s key.
- Before serving, the front reads the namespace's generation from the shared cache, as
  ``pagecache`` does; a change anywhere (any process) retires the remembered answer at once.
- A request that could be personal or conditional goes to Django untouched: any method but GET,
  a cookie other than the language's and the CSRF token's (a session), an ``Authorization``
  header, or ``If-None-Match``/``If-Modified-Since`` (Django answers those with ``304``).

Each answer gets a new ``X-Request-ID``. At most ``MAX_ENTRIES`` answers and ``MAX_BYTES`` bytes
are remembered per process; the oldest go first.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http.cookie import parse_cookie
from django.utils import timezone

from integritas.lib import pagecache

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024
# Request headers that make an answer personal or conditional: those requests go to Django.
PASS_THROUGH = ("HTTP_AUTHORIZATION", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE")
# The raw inputs, besides the language cookie and the date, that Django's answer and
# pagecache's key are made from.
KEY_FIELDS = (
    "wsgi.url_scheme",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
)


@dataclass(frozen=True)
class Entry:
    namespace: str
    generation: int
    expires: float  # time.monotonic()
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Memory:
    """The remembered answers of one process, oldest first, bounded in number and bytes."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...]) -> Entry | None:
        return self._entries.get(key)

    def put(self, key: tuple[str, ...], entry: Entry) -> None:
        if len(entry.body) > self.max_bytes:
            return
        with self._lock:
            self._drop(key)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._entries)))

    def forget(self, key: tuple[str, ...]) -> None:
        with self._lock:
            self._drop(key)

    def _drop(self, key: tuple[str, ...]) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)

    def __len__(self) -> int:
        return len(self._entries)


def _cookies(environ: dict[str, Any]) -> dict[str, str] | None:
    """The request's cookies when none is personal (only language and CSRF), else None."""
    header = environ.get("HTTP_COOKIE", "")
    if not header:
        return {}
    cookies = parse_cookie(header)  # read as Django reads them, so both see the same cookies
    if set(cookies) - {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}:
        return None
    return cookies


def request_key(environ: dict[str, Any]) -> tuple[str, ...] | None:
    """The front's key for the request, or None when it must go to Django."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if any(environ.get(name) for name in PASS_THROUGH):
        return None
    cookies = _cookies(environ)
    if cookies is None:
        return None
    fields = tuple(str(environ.get(name, "")) for name in KEY_FIELDS)
    language = cookies.get(settings.LANGUAGE_COOKIE_NAME, "")
    return (*fields, language, timezone.localdate().isoformat())


def front(application: WSGIApp, memory: Memory | None = None) -> WSGIApp:
    """``application`` with kept answers served from this process's memory (module docstring)."""
    remembered = memory if memory is not None else Memory()

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        key = request_key(environ)
        if key is not None:
            entry = remembered.get(key)
            if entry is not None:
                if (
                    time.monotonic() < entry.expires
                    and pagecache.generation(entry.namespace) == entry.generation
                ):
                    headers = [*entry.headers, ("X-Request-ID", uuid.uuid4().hex)]
                    start_response(entry.status, headers)
                    return [entry.body]
                remembered.forget(key)
        if key is None:
            return application(environ, start_response)
        return _remember(application, environ, start_response, key, remembered)

    serve.memory = remembered  # type: ignore[attr-defined]
    return serve


def _remember(
    application: WSGIApp,
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    key: tuple[str, ...],
    memory: Memory,
) -> Iterable[bytes]:
    """Django's answer, remembered when ``pagecache`` marked it as kept."""
    given: dict[str, Any] = {}

    def recording_start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Any:
        given["status"], given["headers"] = status, headers
        if exc_info is not None:
            return start_response(status, headers, exc_info)
        return start_response(status, headers)

    result = application(environ, recording_start_response)
    mark: pagecache.Mark | None = environ.get(pagecache.FRONT_MARK)
    status: str = given.get("status", "")
    headers: list[tuple[str, str]] = given.get("headers", [])
    if (
        mark is None
        or not status.startswith("200 ")
        or any(name.lower() == "set-cookie" for name, _value in headers)
    ):
        return result
    # A marked answer is a whole HttpResponse (pagecache keeps no streaming answer); reading it
    # here and closing it ends the request as the server would (``request_finished``).
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    memory.put(
        key,
        Entry(
            namespace=mark.namespace,
            generation=mark.generation,
            expires=time.monotonic() + mark.seconds,
            status=status,
            headers=tuple((n, v) for n, v in headers if n.lower() != "x-request-id"),
            body=body,
        ),
    )
    return [body]
