"""Kept answers (lib/pagecache.py): only what is the same for every anonymous visitor is kept."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory

from integritas.lib import pagecache

NAMESPACE = "test-pages"


def _counting_view(**extra: Any) -> tuple[Any, list[int]]:
    calls: list[int] = []

    @pagecache.cached(NAMESPACE, params=("page",), timeout=lambda: 60)
    def view(request: HttpRequest) -> HttpResponse:
        calls.append(1)
        if extra.get("csrf"):
            get_token(request)
        response = HttpResponse(f"answer {len(calls)}", status=extra.get("status", 200))
        if extra.get("cookie"):
            response.set_cookie("chosen", "yes")
        return response

    return view, calls


def _get(path: str = "/x/", user: Any = None, **query: str) -> HttpRequest:
    request = RequestFactory().get(path, query)
    request.user = user or AnonymousUser()
    return request


@pytest.fixture(autouse=True)
def _fresh_namespace() -> None:
    pagecache.invalidate(NAMESPACE)
    cache.delete(f"pagecache:{NAMESPACE}:generation")


def test_an_anonymous_get_is_answered_once_then_kept() -> None:
    view, calls = _counting_view()
    assert view(_get()).content == b"answer 1"
    assert view(_get()).content == b"answer 1"
    assert len(calls) == 1


def test_invalidating_the_namespace_builds_the_answer_again() -> None:
    view, calls = _counting_view()
    view(_get())
    pagecache.invalidate(NAMESPACE)
    assert view(_get()).content == b"answer 2"


def test_a_signed_in_visitor_is_never_served_nor_kept() -> None:
    view, calls = _counting_view()
    staff = type("Staff", (), {"is_authenticated": True})()
    view(_get(user=staff))
    view(_get(user=staff))
    assert len(calls) == 2
    assert view(_get()).content == b"answer 3"


@pytest.mark.parametrize(
    "extra", [{"csrf": True}, {"cookie": True}, {"status": 404}, {"status": 302}]
)
def test_an_answer_with_a_csrf_token_a_cookie_or_another_status_is_not_kept(
    extra: dict[str, Any],
) -> None:
    view, calls = _counting_view(**extra)
    view(_get())
    view(_get())
    assert len(calls) == 2


def test_declared_parameters_are_part_of_the_key_and_others_skip_the_cache() -> None:
    view, calls = _counting_view()
    assert view(_get(page="2")).content == b"answer 1"
    assert view(_get(page="3")).content == b"answer 2"
    assert view(_get(page="2")).content == b"answer 1"
    view(_get(other="1"))
    view(_get(page="a b"))
    assert len(calls) == 4
    view(_get(other="1"))
    assert len(calls) == 5


def test_a_post_is_never_kept() -> None:
    view, calls = _counting_view()
    request = RequestFactory().post("/x/")
    request.user = AnonymousUser()
    view(request)
    view(request)
    assert len(calls) == 2
