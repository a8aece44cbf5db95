"""Rate limits without IP addresses (integritas/lib/ratelimit.py, surveys/ratelimit.py): starts through public links
are counted per keyed hash of the address, with a daily key that lives only in the cache."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from integritas.core.testing import World
from integritas.lib import ratelimit
from integritas.surveys.models import Draft, Wave
from integritas.surveys.tests.test_respond_helpers import invite, main_part, make_wave, start, t

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.45"


@pytest.fixture(autouse=True)
def _fresh_counters() -> None:
    cache.clear()


@pytest.fixture
def wave(world: World) -> Wave:
    return make_wave(world.dinkes)


def cache_contents() -> str:
    """Everything the shared cache holds, keys and values, as text."""
    return " ".join(f"{key} {value!r}" for key, value in cache.entries().items())  # type: ignore[attr-defined]


def test_too_many_starts_from_one_address_get_a_friendly_429(wave: Wave, settings: Any) -> None:
    settings.SURVEY_STARTS_PER_HOUR = 3
    for _ in range(3):
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 302
    refused = start(Client(), wave, REMOTE_ADDR=ADDRESS)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert t("Please wait a while") in main_part(refused)
    assert Draft.objects.count() == 3
    assert start(Client(), wave, REMOTE_ADDR="203.0.113.46").status_code == 302


def test_the_default_limit_is_thirty_starts_an_hour(wave: Wave) -> None:
    for _ in range(30):
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 302
    assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 429


def test_the_limit_resets_after_the_hour(wave: Wave, settings: Any) -> None:
    settings.SURVEY_STARTS_PER_HOUR = 1
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.UTC), tick=False) as clock:
        Wave.objects.filter(pk=wave.pk).update(
            opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 3, 31)
        )
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 302
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 429
        clock.shift(dt.timedelta(hours=1))
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 302


def test_invitations_are_not_counted(world: World, wave: Wave, settings: Any) -> None:
    settings.SURVEY_STARTS_PER_HOUR = 1
    for _ in range(3):  # a whole office behind one address answering its invitations
        _invitation, token = invite(wave, world.dinkes)
        response = Client(REMOTE_ADDR=ADDRESS).post(
            reverse("surveys-respond-start"), {"token": token}
        )
        assert response.status_code == 302


def test_neither_the_address_nor_anything_reversible_is_kept(wave: Wave) -> None:
    start(Client(), wave, REMOTE_ADDR=ADDRESS)
    held = cache_contents()
    assert "ratelimit:surveys-start:" in held  # the counter is there...
    assert ADDRESS not in held  # ...under a hash, never the address
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    assert ratelimit.address_hash(request) in held
    assert ADDRESS not in ratelimit.address_hash(request)
    for draft in Draft.objects.values():
        assert ADDRESS not in repr(draft)


def test_the_hash_key_is_new_every_day() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        monday = ratelimit.address_hash(request)
        assert ratelimit.address_hash(request) == monday  # stable within the day
        clock.shift(dt.timedelta(days=1))
        assert ratelimit.address_hash(request) != monday


def test_a_lost_cache_just_means_a_new_key() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    before = ratelimit.address_hash(request)
    cache.clear()
    assert ratelimit.address_hash(request) != before


def test_behind_the_local_proxy_the_forwarded_address_counts() -> None:
    factory = RequestFactory()
    proxied = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=ADDRESS)
    assert ratelimit.client_address(proxied) == ADDRESS
    chained = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.9.9.9, {ADDRESS}")
    assert ratelimit.client_address(chained) == ADDRESS  # the entry our proxy added
    # Anyone else claiming to forward for someone is counted as themselves.
    spoofed = factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_REAL_IP=ADDRESS)
    assert ratelimit.client_address(spoofed) == "198.51.100.1"


def test_a_limit_of_zero_turns_the_limit_off(wave: Wave, settings: Any) -> None:
    settings.SURVEY_STARTS_PER_HOUR = 0
    for _ in range(3):
        assert start(Client(), wave, REMOTE_ADDR=ADDRESS).status_code == 302
