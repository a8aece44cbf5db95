"""Kept answers (lib/pagecache.py): only what is the same for every anonymous visitor is kept,
and served again until its namespace changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from integritas.lib import pagecache

pytestmark = pytest.mark.django_db

NAMESPACE = "test-pages"


def _handler(**extra: Any) -> tuple[Any, list[int]]:
    """The middleware around a cached view that counts its calls."""
    calls: list[int] = []

    @pagecache.cached(NAMESPACE, params=("page",), timeout=lambda: extra.get("seconds", 60))
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        if extra.get("csrf"):
            get_token(request)
        response = HttpResponse(f"answer {len(calls)}", status=extra.get("status", 200))
        response["X-View"] = "yes"
        if extra.get("etag"):
            response["ETag"] = '"v1"'
        if extra.get("cookie"):
            response.set_cookie("chosen", "yes")
        return response

    return pagecache.middleware(view), calls


def _get(
    path: str = "/x/", user: Any = None, cookies: dict[str, str] | None = None, **query: str
) -> HttpRequest:
    request = RequestFactory().get(path, query)
    request.COOKIES.update(cookies or {})
    request.user = user or AnonymousUser()
    return request


@pytest.fixture(autouse=True)
def _fresh_namespace() -> None:
    pagecache.invalidate(NAMESPACE)


def test_an_anonymous_get_is_answered_once_then_kept_with_its_headers() -> None:
    handler, calls = _handler()
    assert handler(_get()).content == b"answer 1"
    kept = handler(_get())
    assert kept.content == b"answer 1" and kept["X-View"] == "yes"
    assert len(calls) == 1


def test_invalidating_the_namespace_builds_the_answer_again() -> None:
    handler, calls = _handler()
    handler(_get())
    pagecache.invalidate(NAMESPACE)
    assert handler(_get()).content == b"answer 2"
    assert handler(_get()).content == b"answer 2"


def test_a_visitor_with_a_session_is_never_served_nor_kept() -> None:
    handler, calls = _handler()
    handler(_get())
    staff = type("Staff", (), {"is_authenticated": True})()
    signed_in = {"sessionid": "abc"}
    assert handler(_get(user=staff, cookies=signed_in)).content == b"answer 2"
    assert handler(_get(user=staff, cookies=signed_in)).content == b"answer 3"
    assert handler(_get()).content == b"answer 1"


def test_the_language_cookie_does_not_stop_the_cache() -> None:
    handler, calls = _handler()
    handler(_get(cookies={"integritas_language": "en"}))
    handler(_get(cookies={"integritas_language": "en"}))
    assert len(calls) == 1


@pytest.mark.parametrize(
    "extra", [{"csrf": True}, {"cookie": True}, {"status": 404}, {"status": 302}, {"seconds": 0}]
)
def test_an_answer_with_a_csrf_token_a_cookie_another_status_or_no_lifetime_is_not_kept(
    extra: dict[str, Any],
) -> None:
    handler, calls = _handler(**extra)
    handler(_get())
    handler(_get())
    assert len(calls) == 2


def test_declared_parameters_are_part_of_the_key_and_others_skip_the_cache() -> None:
    handler, calls = _handler()
    assert handler(_get(page="2")).content == b"answer 1"
    assert handler(_get(page="3")).content == b"answer 2"
    assert handler(_get(page="2")).content == b"answer 1"
    handler(_get(other="1"))
    handler(_get(page="a b"))
    assert len(calls) == 4
    handler(_get(other="1"))
    assert len(calls) == 5


def test_a_post_is_never_kept() -> None:
    handler, calls = _handler()
    request = RequestFactory().post("/x/")
    request.user = AnonymousUser()
    handler(request)
    handler(request)
    assert len(calls) == 2


def test_a_kept_answer_with_an_etag_answers_a_conditional_request_with_304() -> None:
    handler, calls = _handler(etag=True)
    handler(_get())
    request = _get()
    request.META["HTTP_IF_NONE_MATCH"] = '"v1"'
    answer = handler(request)
    assert answer.status_code == 304 and answer["ETag"] == '"v1"' and not answer.content
    stale = _get()
    stale.META["HTTP_IF_NONE_MATCH"] = '"v0"'
    assert handler(stale).status_code == 200
    assert len(calls) == 1


def test_no_more_than_a_bounded_number_of_variants_of_one_address_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pagecache, "MAX_VARIANTS", 3)
    handler, calls = _handler()
    for number in range(6):
        handler(_get(page=str(number)))
    for number in range(6):
        handler(_get(page=str(number)))
    assert len(calls) == 6 + 3  # the first three were kept, the last three are built each time
