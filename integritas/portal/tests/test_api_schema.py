"""The public API against its own OpenAPI document, property-based (schemathesis): for
generated requests to every operation, answers conform to the document (status, content type,
headers, body) and the server never fails (5xx). The world has published and unpublished
recommendations, a published wave with withheld results, and official SPI results."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from integritas.audit.services import publish_anchor
from integritas.core.testing import World
from integritas.indices.models.official import Institution, SpiResult
from integritas.indices.tests.test_dashboards_withheld_counts import withheld_wave
from integritas.portal.services import publishing
from integritas.portal.tests.stories import story
from integritas.prevention.tests.conftest import ensure_rule_sets

OPENAPI = "/api/v1/openapi.json"


# The document is read once, without the database: it comes from the code alone.
schema = schemathesis.openapi.from_wsgi(OPENAPI, get_wsgi_application())

# Codes of records in the world below (published, unpublished, withheld, unknown), so that the
# detail operations are exercised on real records, not only on random codes that answer 404.
KNOWN_CODES = {
    "/units/": ["DINKES", "DINKES.LAB", "DISHUB", "DISDIK", "TIDAKADA"],
    "/waves/": ["withheld", "tidak-ada"],
    "/recommendations/": [],  # filled from the world's recommendations
}


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
    path = context.operation.path if context.operation else ""
    for prefix, codes in KNOWN_CODES.items():
        if prefix in path and codes and "code" in path_parameters:
            known = st.sampled_from(codes).map(lambda code: {**path_parameters, "code": code})
            return st.one_of(known, st.just(path_parameters))
    return st.just(path_parameters)


# The gratification checker judges a receipt only when it can count its deadlines: not in the
# future, and in years whose holidays the calendar has (core seeds 2024 to 2027). Outside them it
# answers 400 naming received_on, which the document cannot express for a date; generated dates
# outside that range are moved onto both sides of the change of rules (19 and 20 January 2026).
COUNTED_RECEIPTS = ("2024-01-01", "2026-11-30")


@schema.hook
def map_query(context: Any, query: dict[str, Any] | None) -> dict[str, Any] | None:
    path = context.operation.path if context.operation else ""
    if path.endswith("/gratification/check") and query and "received_on" in query:
        day = str(query["received_on"])
        if not COUNTED_RECEIPTS[0] <= day <= COUNTED_RECEIPTS[1]:
            query = {**query, "received_on": "2026-01-20" if day[-1:] in "13579" else "2026-01-19"}
    return query


@pytest.fixture
def keep_connection() -> Any:
    """The WSGI application closes the database connection at the end of each request; inside
    a test's transaction that would close it under the test (PostgreSQL), so, as Django's test
    client does, the connection stays open while the requests run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def published_world(db: None, world: World, keep_connection: None) -> World:
    ensure_rule_sets()  # the gratification checker's rules, emptied by a browser test run before
    s = story(world)
    KNOWN_CODES["/recommendations/"] = [s.rec.code, s.hidden_rec.code, "REK-9999-999"]
    publishing.publish(obj=withheld_wave(world), by=world.inspector)
    own = Institution.objects.create(
        code="kota-uji", name="Kota Uji", kind=Institution.Kind.CITY, is_own=True
    )
    SpiResult.objects.create(institution=own, year=2023, index=Decimal("63.26"))
    publish_anchor()
    return world


def test_the_document_loads_as_openapi_3_1() -> None:
    assert schema.raw_schema["openapi"].startswith("3.1")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,  # the same requests on every run: a failure here is reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_conforms_to_the_document_and_never_fails(
    case: schemathesis.Case, published_world: World
) -> None:
    case.call_and_validate()
