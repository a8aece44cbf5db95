"""The kit for public pages (integritas/core/public.py): which paths are public, the log filter
that keeps their requests out of the logs, the CSRF refusal page and the URL map's agreement
with the settings."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from integritas.core import public
from integritas.core.tests.public_helpers import request_logs, runserver_line

TOKEN = "tokenabcdefghjkmnpqr"


def request_record(path: str, **fields: Any) -> logging.LogRecord:
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s", (path,), None)
    record.request = RequestFactory().get(path)
    record.__dict__.update(fields)
    return record


def test_public_paths_are_those_under_the_configured_prefixes(settings: Any) -> None:
    settings.PUBLIC_PATH_PREFIXES = ["/s/", "/lapor/"]
    assert public.is_public_path("/lapor/cek/") and public.is_public_path(f"/s/i/{TOKEN}/")
    assert not public.is_public_path("/surveys/") and not public.is_public_path("/login/")


def test_the_filter_drops_request_records_of_public_pages_and_keeps_the_others() -> None:
    quiet = public.QuietPublicPages()
    assert not quiet.filter(request_record(f"/s/i/{TOKEN}/"))
    assert quiet.filter(request_record("/surveys/waves/"))
    assert quiet.filter(logging.LogRecord("x", logging.INFO, __file__, 1, "no request", (), None))


def test_the_filter_reads_runserver_and_gunicorn_access_lines() -> None:
    quiet = public.QuietPublicPages()

    def line(*args: Any) -> logging.LogRecord:
        return logging.LogRecord("django.server", logging.INFO, __file__, 1, "%s", args, None)

    assert not quiet.filter(line(f"GET /s/i/{TOKEN}/?x=1 HTTP/1.1", "200", "512"))
    assert not quiet.filter(line("POST /%6Capor/ HTTP/1.1", "403", "512"))
    assert quiet.filter(line("GET /login/ HTTP/1.1", "200", "512"))
    atoms = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(r)s", (), None)
    atoms.args = {"U": "/lapor/cek/", "r": "POST /lapor/cek/ HTTP/1.1", "h": "198.51.100.7"}
    assert not quiet.filter(atoms)
    atoms.args = {"U": "/audit/", "r": "GET /audit/ HTTP/1.1", "h": "10.0.0.1"}
    assert quiet.filter(atoms)


def test_a_server_error_on_a_public_page_keeps_its_traceback_but_not_the_request() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = request_record(f"/s/i/{TOKEN}/", levelno=logging.ERROR, exc_info=exc_info)
    assert public.QuietPublicPages().filter(record)
    assert TOKEN not in record.getMessage() and not hasattr(record, "request")
    assert record.exc_info is exc_info


def test_runserver_lines_about_public_pages_reach_no_handler() -> None:
    with request_logs() as logs:
        runserver_line(f"GET /s/i/{TOKEN}/ HTTP/1.1", 404)
        runserver_line("GET /no-such-page/ HTTP/1.1", 404)
    assert {r.getMessage() for r in logs.records} == {'"GET /no-such-page/ HTTP/1.1" 404 512'}


@pytest.mark.django_db
def test_django_request_lines_about_public_pages_reach_no_handler(client: Client) -> None:
    with request_logs() as logs:
        assert client.put("/lapor/cek/").status_code == 405  # a refusal Django logs elsewhere
        assert client.get(f"/s/i/{TOKEN}/extra/").status_code == 404  # not even an unknown path
        assert client.get("/no-such-page/").status_code == 404
    messages = [r.getMessage() for r in logs.records if r.name.startswith("django")]
    assert set(messages) == {"Not Found: /no-such-page/"}  # seen by both handlers


def test_a_csrf_refusal_elsewhere_is_djangos_own_page() -> None:
    request = RequestFactory().post("/login/")
    response = public.csrf_failure(request, reason="CSRF cookie not set.")
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    assert "X-Robots-Tag" not in response


def test_the_public_page_decorator_answers_only_its_methods_with_private_headers() -> None:
    @public.public_page("GET")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    factory = RequestFactory()
    shown, refused = view(factory.get("/s/x/")), view(factory.post("/s/x/"))
    assert shown.status_code == 200 and refused.status_code == 405
    for response in (shown, refused):
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]
    switched = view(factory.get("/s/x/", {"lang": "en"}))
    assert switched.status_code == 302 and switched["Location"] == "/s/x/"


def test_switching_language_keeps_the_rest_of_the_query_so_an_answer_stays_on_screen() -> None:
    @public.public_page("GET")
    def view(request: Any) -> HttpResponse:
        return HttpResponse("ok")

    switched = view(RequestFactory().get("/s/x/?value=750000&lang=en&cash=true&lang=id"))
    assert switched.status_code == 302
    assert switched["Location"] == "/s/x/?value=750000&cash=true"
    assert switched.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"


def walk(patterns: list[Any], prefix: str = "/") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_view_under_a_public_prefix_is_a_public_page_and_only_those_are() -> None:
    routes = list(walk(get_resolver().url_patterns))
    public_routes = [(route, view) for route, view in routes if public.is_public_path(route)]
    assert len(public_routes) >= 10  # the survey and report pages
    for route, view in routes:
        # The public API's addresses follow their own contract (lib/api.py: cacheable, CORS).
        api = getattr(view, "public_api", False)
        assert api == route.startswith("/api/v1/"), route
        assert public.is_public_path(route) == (hasattr(view, "public_base") or api), route
