"""The application gunicorn serves answers repeated visits to kept portal pages in front of
Django (lib/pagefront.py), and a change to what they show is on the very next request."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler

from integritas.core.testing import World
from integritas.lib import pagefront
from integritas.portal.services import publishing
from integritas.portal.tests.stories import Story, story
from integritas.portal.tests.test_api_schema import keep_connection  # noqa: F401,F811 - a fixture

pytestmark = pytest.mark.django_db


def test_the_served_application_has_the_front() -> None:
    import integritas.wsgi

    assert isinstance(integritas.wsgi.application.memory, pagefront.Memory)  # type: ignore[attr-defined]


class Served:
    """A fresh front around Django, counting the requests that reach Django."""

    def __init__(self) -> None:
        self.reached: list[str] = []
        django = WSGIHandler()

        def counted(environ: dict[str, Any], start_response: Any) -> Any:
            self.reached.append(environ["PATH_INFO"])
            return django(environ, start_response)

        self.application = pagefront.front(counted, pagefront.Memory())

    def get(self, path: str) -> str:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": io.StringIO(),
        }
        status: list[str] = []
        result = self.application(environ, lambda s, h, e=None: status.append(s))
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
        assert status == ["200 OK"], (path, status)
        return body.decode()


@pytest.fixture
def published(world: World, keep_connection: None) -> Story:  # noqa: F811
    return story(world)


def test_a_repeated_visit_to_a_portal_page_does_not_reach_django(published: Story) -> None:
    served = Served()
    for url in ["/", "/unit/DINKES/", "/api/v1/recommendations"]:
        first = served.get(url)
        assert served.get(url) == first
        assert served.reached.count(url) == 1, url


def test_unpublishing_takes_a_recommendation_off_the_front_at_once(
    world: World, published: Story
) -> None:
    served = Served()
    for url in ["/", "/unit/DINKES/", "/api/v1/recommendations"]:
        assert published.rec.title in served.get(url)
        assert published.rec.title in served.get(url)
    publishing.unpublish(obj=published.rec, by=world.inspector, reason="Ditinjau ulang")
    for url in ["/", "/unit/DINKES/", "/api/v1/recommendations"]:
        assert published.rec.title not in served.get(url), url
