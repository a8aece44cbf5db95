"""Abuse protection without IP addresses: report submissions per address per
hour, counted under a keyed hash of the address whose daily key lives only in the cache."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from integritas.complaints import ratelimit
from integritas.complaints.models import Report
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.test_public_helpers import form_data, main_part, reporter, send

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"


def cache_contents() -> str:
    return " ".join(f"{key} {value!r}" for key, value in cache.entries().items())  # type: ignore[attr-defined]


def test_too_many_submissions_from_one_address_get_a_friendly_429(
    desk: Desk, settings: Any
) -> None:
    settings.COMPLAINTS_SUBMISSIONS_PER_HOUR = 2
    assert send(reporter(REMOTE_ADDR=ADDRESS), form_data(desk.world.disdik)).status_code == 200
    # A refused form counts too: each attempt costs the server real work.
    assert send(reporter(REMOTE_ADDR=ADDRESS), form_data(None, what="")).status_code == 400
    refused = send(reporter(REMOTE_ADDR=ADDRESS), form_data(desk.world.disdik))
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(ratelimit.WINDOW)
    assert "Please wait a while" in main_part(refused)
    assert Report.objects.count() == 1
    other = send(reporter(REMOTE_ADDR="203.0.113.78"), form_data(desk.world.disdik))
    assert other.status_code == 200


def test_the_default_limits_leave_room_for_a_shared_carrier_address() -> None:
    assert ratelimit.submissions_per_hour() >= 20
    assert ratelimit.receipt_failures_per_hour() >= 10


def test_the_counters_hold_a_keyed_hash_never_the_address(desk: Desk) -> None:
    send(reporter(REMOTE_ADDR=ADDRESS), form_data(desk.world.disdik))
    held = cache_contents()
    assert "complaints-submit" in held
    assert ADDRESS not in held
