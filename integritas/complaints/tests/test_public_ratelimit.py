"""Abuse protection without IP addresses: report submissions and wrong receipts per network per
hour (an IPv4 address, an IPv6 /64), counted under a keyed hash whose daily key lives only in the
cache; and a cap on wrong receipts from everyone together, which alerts the handlers."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.cache import cache

from integritas.audit.models import Event
from integritas.complaints import ratelimit
from integritas.complaints.models import HandlerKey, Report
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.complaints.tests.test_public_helpers import (
    form_data,
    main_part,
    open_report,
    reporter,
    send,
)
from integritas.core.models import Notification
from integritas.lib import crypto

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


# -- wrong receipts: per network, and a cap for everyone together ------------------------------


def wrong_receipt(receipt: str) -> str:
    while (candidate := crypto.new_receipt()) == receipt:
        pass
    return candidate


def guess(address: str, receipt: str) -> int:
    return open_report(reporter(REMOTE_ADDR=address), receipt).status_code


@pytest.fixture
def receipt(desk: Desk, settings: Any) -> str:
    settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR = 2
    _report, receipt = submit(desk.world.disdik)
    return receipt


def test_two_addresses_in_one_ipv6_64_share_the_limit_on_wrong_receipts(receipt: str) -> None:
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False):
        assert guess("2001:db8:1:2::1", wrong_receipt(receipt)) == 400
        assert guess("2001:db8:1:2:ffff:ffff:ffff:fffe", wrong_receipt(receipt)) == 400
        # A third address of the same /64, even with the right receipt, is refused.
        assert guess("2001:db8:1:2:dead:beef:0:7", receipt) == 429


def test_different_ipv6_64s_have_limits_of_their_own(receipt: str) -> None:
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False):
        for _ in range(2):
            assert guess("2001:db8:1:2::1", wrong_receipt(receipt)) == 400
        assert guess("2001:db8:1:2::1", receipt) == 429
        assert guess("2001:db8:1:3::1", receipt) == 200


def test_ipv4_addresses_are_counted_whole_and_a_mapped_one_counts_as_ipv4(receipt: str) -> None:
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False):
        assert guess("203.0.113.9", wrong_receipt(receipt)) == 400
        assert guess("::ffff:203.0.113.9", wrong_receipt(receipt)) == 400
        assert guess("203.0.113.9", receipt) == 429
        assert guess("203.0.113.10", receipt) == 200  # the neighbour has its own limit


def test_the_networks_counted_keep_no_address_and_no_prefix(receipt: str) -> None:
    guess("2001:db8:1:2::1", wrong_receipt(receipt))
    guess("::ffff:203.0.113.9", wrong_receipt(receipt))
    held = cache_contents()
    assert "complaints-receipt" in held
    for trace in ("2001:db8", "2001:0db8", "203.0.113.9", "ffff"):
        assert trace not in held


def test_the_cap_for_everyone_refuses_every_lookup_for_the_rest_of_the_hour_and_alerts_the_handlers_once(
    desk: Desk, receipt: str, settings: Any
) -> None:
    settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL = 3
    with time_machine.travel("2026-03-02 09:10 +07:00", tick=False) as clock:
        for n in range(3):  # each from a network of its own, none over its own limit
            assert guess(f"198.51.100.{n}", wrong_receipt(receipt)) == 400
        refused = open_report(reporter(REMOTE_ADDR="192.0.2.200"), receipt)
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(ratelimit.WINDOW)
        assert "Opening reports is paused" in main_part(refused)
        assert guess("2001:db8:9::1", wrong_receipt(receipt)) == 429
        holders = set(HandlerKey.objects.values_list("user_id", flat=True))
        alerts = Notification.objects.filter(key__startswith="complaints-receipt-cap:")
        assert set(alerts.values_list("user_id", flat=True)) == holders
        assert alerts.count() == len(holders)
        for alert in alerts:
            assert "198.51.100" not in f"{alert.title} {alert.body} {alert.url}"
        event = Event.objects.get(action="complaints.receipt_lookups_paused")
        assert event.actor is None and event.request_id == ""  # no link to the request
        clock.shift(3600)
        assert guess("192.0.2.200", receipt) == 200
    assert Notification.objects.filter(key__startswith="complaints-receipt-cap:").count() == len(
        holders
    )


def test_the_cap_for_everyone_has_a_default_in_settings() -> None:
    from django.conf import settings

    assert settings.COMPLAINTS_RECEIPT_FAILURES_PER_HOUR_TOTAL >= 50
