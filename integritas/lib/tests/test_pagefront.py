"""Kept answers served in front of Django (lib/pagefront.py): a repeated request for a kept page
is answered from the process's memory with Django's last bytes and headers, until the page's
namespace changes; anything that could be personal or conditional goes to Django."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import path

from integritas.lib import pagecache, pagefront

pytestmark = pytest.mark.django_db

NAMESPACE = "front-test"
CALLS: list[str] = []  # the views' runs
DJANGO: list[str] = []  # the requests that reached Django


@pagecache.cached(NAMESPACE, params=("page",), timeout=lambda: 60)
def kept_view(request: HttpRequest) -> HttpResponse:
    CALLS.append(request.path)
    response = HttpResponse(f"kept answer {len(CALLS)}")
    response["X-View"] = "yes"
    return response


def plain_view(request: HttpRequest) -> HttpResponse:
    CALLS.append(request.path)
    return HttpResponse(f"plain answer {len(CALLS)}")


@pagecache.cached(NAMESPACE, timeout=lambda: 60)
def cookie_view(request: HttpRequest) -> HttpResponse:
    CALLS.append(request.path)
    response = HttpResponse("with a cookie")
    response.set_cookie("chosen", "yes")
    return response


urlpatterns = [
    path("kept/", kept_view),
    path("plain/", plain_view),
    path("cookie/", cookie_view),
]


@pytest.fixture(autouse=True)
def _urls_and_fresh_namespace() -> Iterable[None]:
    CALLS.clear()
    DJANGO.clear()
    pagecache.invalidate(NAMESPACE)
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"]):
        yield


def _environ(path: str = "/kept/", **extra: str) -> dict[str, Any]:
    query = extra.pop("QUERY_STRING", "")
    return {
        "REQUEST_METHOD": extra.pop("REQUEST_METHOD", "GET"),
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        **extra,
    }


def _app() -> Callable[..., tuple[str, dict[str, str], bytes]]:
    django = WSGIHandler()

    def counted(environ: dict[str, Any], start_response: Any) -> Any:
        DJANGO.append(environ["PATH_INFO"])
        return django(environ, start_response)

    application = pagefront.front(counted, pagefront.Memory())

    def get(path: str = "/kept/", **extra: str) -> tuple[str, dict[str, str], bytes]:
        given: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc: Any = None) -> None:
            given["status"], given["headers"] = status, dict(headers)

        result = application(_environ(path, **extra), start_response)
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        return given["status"], given["headers"], body

    return get


def test_a_kept_page_is_answered_again_from_memory_with_the_same_bytes_and_headers() -> None:
    get = _app()
    status, headers, body = get()
    assert CALLS == ["/kept/"]
    again_status, again_headers, again_body = get()
    assert CALLS == DJANGO == ["/kept/"]  # the request did not reach Django
    assert (again_status, again_body) == (status, body) == ("200 OK", b"kept answer 1")
    assert again_headers["X-View"] == "yes"
    assert again_headers["Content-Security-Policy"] == headers["Content-Security-Policy"]
    assert again_headers["X-Request-ID"] != headers["X-Request-ID"]


def test_a_change_in_the_namespace_retires_the_remembered_answer_at_once() -> None:
    get = _app()
    get()
    get()
    pagecache.invalidate(NAMESPACE)
    assert get()[2] == b"kept answer 2"
    assert get()[2] == b"kept answer 2"
    assert CALLS == ["/kept/", "/kept/"]


def test_a_page_kept_by_another_process_is_remembered_when_django_serves_it() -> None:
    get_elsewhere, get_here = _app(), _app()
    get_elsewhere()
    assert get_here()[2] == b"kept answer 1"  # from the shared cache, through Django
    assert get_here()[2] == b"kept answer 1"  # then from this process's memory
    assert CALLS == ["/kept/"] and DJANGO == ["/kept/", "/kept/"]


def test_an_answer_that_is_not_kept_is_never_remembered() -> None:
    get = _app()
    assert get("/plain/")[2] == b"plain answer 1"
    assert get("/plain/")[2] == b"plain answer 2"


def test_an_answer_that_sets_a_cookie_is_never_remembered() -> None:
    get = _app()
    get("/cookie/")
    get("/cookie/")
    assert CALLS == ["/cookie/", "/cookie/"]


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},
        {"HTTP_AUTHORIZATION": "Bearer x"},
        {"REQUEST_METHOD": "POST"},
    ],
    ids=["session", "authorization", "post"],
)
def test_a_request_that_could_be_personal_goes_to_django(extra: dict[str, str]) -> None:
    get = _app()
    get()
    get(**extra)
    assert len(DJANGO) == 2


def test_a_conditional_request_goes_to_django_which_answers_it() -> None:
    get = _app()
    get()
    get(HTTP_IF_NONE_MATCH='"anything"')
    assert len(DJANGO) == 2
    assert CALLS == ["/kept/"]  # Django served it from the shared cache, not the view
    assert get()[2] == b"kept answer 1"
    assert len(DJANGO) == 2


def test_the_language_cookie_and_the_query_are_part_of_the_key() -> None:
    get = _app()
    get()
    assert get(HTTP_COOKIE="integritas_language=en")[2] == b"kept answer 2"
    assert get(HTTP_COOKIE="integritas_language=en")[2] == b"kept answer 2"
    assert get(QUERY_STRING="page=2")[2] == b"kept answer 3"
    assert get(QUERY_STRING="page=2")[2] == b"kept answer 3"
    assert get()[2] == b"kept answer 1"


def test_a_new_day_is_a_new_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    get = _app()
    get()
    tomorrow = pagefront.timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(pagefront.timezone, "localdate", lambda: tomorrow)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: tomorrow)
    assert get()[2] == b"kept answer 2"


def test_a_remembered_answer_expires_with_its_lifetime(monkeypatch: pytest.MonkeyPatch) -> None:
    get = _app()
    get()
    now = pagefront.time.monotonic()
    monkeypatch.setattr(pagefront.time, "monotonic", lambda: now + 61)
    get()  # not from memory: Django serves it from the shared cache
    assert CALLS == ["/kept/"] and len(DJANGO) == 2


def test_memory_is_bounded_in_entries_and_bytes_oldest_first() -> None:
    memory = pagefront.Memory(max_entries=2, max_bytes=10)

    def entry(body: bytes) -> pagefront.Entry:
        return pagefront.Entry("n", 0, 1e18, "200 OK", (), body)

    memory.put(("a",), entry(b"1234"))
    memory.put(("b",), entry(b"1234"))
    memory.put(("c",), entry(b"1234"))
    assert memory.get(("a",)) is None and len(memory) == 2
    memory.put(("d",), entry(b"123456789"))
    assert len(memory) == 1 and memory.get(("d",)) is not None
    memory.put(("e",), entry(b"x" * 11))  # larger than the whole memory: not kept
    assert memory.get(("e",)) is None
