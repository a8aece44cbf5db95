"""Rate limits for public pages without storing IP addresses.

A client is counted under a keyed hash of its address: HMAC-SHA256 with a random key made for
the day. The key lives only in Django's cache (never in the database, a file or a log) and
expires after two days, so yesterday's counters cannot be traced back to an address by anyone,
us included: without the key, testing the four billion IPv4 addresses against a hash is
impossible. Counters are per hour (or per another ``window`` of seconds a caller names) and also
live only in the cache.

A client is its network, not its exact address: an IPv4 address counts whole (many phones share
one carrier address already), an IPv6 address counts as its /64 (one household, office or phone
is given a whole /64 and may pick any address in it), and an IPv4-mapped IPv6 address counts as
the IPv4 address it carries. A bucket can also be counted for everyone together
(``hit_everyone``), for a limit on the whole service.

Each public front-end names its buckets and limits (``surveys/ratelimit.py``,
``complaints/ratelimit.py``); docs/survey-anonymity.md explains the scheme for operators.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

KEY_LIFETIME = 2 * 24 * 3600  # the day's key outlives the day a little, then it is gone
WINDOW = 3600  # counters are per hour


def client_address(request: HttpRequest) -> str:
    """The address to count under: the peer, or, when the peer is our own reverse proxy, the
    address it passes on (X-Real-IP, else the last X-Forwarded-For entry, the one it added)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXIES
    if remote in trusted:
        real = request.META.get("HTTP_X_REAL_IP", "").strip()
        if real:
            return real
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return remote


IPV6_NETWORK_BITS = 64


def client_network(address: str) -> str:
    """What a client is counted as: an IPv4 address whole, an IPv6 address's /64, an
    IPv4-mapped IPv6 address as its IPv4 address; anything unparsable as it is."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip), IPV6_NETWORK_BITS), strict=False))
    return str(ip)


def _daily_key() -> bytes:
    name = f"ratelimit:key:{timezone.localdate().isoformat()}"
    key = cache.get(name)
    if key is None:
        cache.add(name, secrets.token_hex(32), KEY_LIFETIME)
        # Another process may have won the race: use whichever key the cache kept. A cache that
        # keeps nothing (the dummy backend) gets a throwaway key and, in effect, no limits.
        key = cache.get(name) or secrets.token_hex(32)
    return bytes.fromhex(key)


def address_hash(request: HttpRequest) -> str:
    """The keyed hash a client (its network, see ``client_network``) is counted under today;
    neither the address nor the network is ever kept."""
    network = client_network(client_address(request))
    return hmac.new(_daily_key(), network.encode(), hashlib.sha256).hexdigest()[:32]


def _hour() -> int:
    return int(time.time() // WINDOW)


def _counter(request: HttpRequest, bucket: str, window: int = WINDOW) -> str:
    if window == WINDOW:
        return f"ratelimit:{bucket}:{address_hash(request)}:{_hour()}"
    return f"ratelimit:{bucket}:{address_hash(request)}:{window}:{int(time.time() // window)}"


def seconds_left(window: int = WINDOW) -> int:
    """Seconds until the current counting window ends (and its counters start again at 0)."""
    return max(1, window - int(time.time()) % window)


def _everyone(bucket: str) -> str:
    return f"ratelimit:{bucket}:everyone:{_hour()}"


def _increment(key: str, window: int = WINDOW) -> int:
    cache.add(key, 0, window)
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def count(request: HttpRequest, bucket: str, *, window: int = WINDOW) -> int:
    """How many events of this kind the client had in the current hour (or ``window``)."""
    return int(cache.get(_counter(request, bucket, window), 0))


def hit(request: HttpRequest, bucket: str, *, limit: int, window: int = WINDOW) -> bool:
    """Count one event; True when it goes over ``limit`` (a limit of 0 or less means none)."""
    if limit <= 0:
        return False
    return _increment(_counter(request, bucket, window), window) > limit


def forgive(request: HttpRequest, bucket: str, *, window: int = WINDOW) -> None:
    """Take back one event counted with ``hit`` (it turned out not to count, e.g. an attempt
    that succeeded); never below zero."""
    key = _counter(request, bucket, window)
    try:
        if int(cache.decr(key)) < 0:
            cache.set(key, 0, window)
    except ValueError:  # the counter is gone (the window ended): nothing to take back
        pass


def count_everyone(bucket: str) -> int:
    """How many events of this kind all clients together had in the current hour."""
    return int(cache.get(_everyone(bucket), 0))


def hit_everyone(bucket: str) -> int:
    """Count one event for all clients together; returns the hour's count including it."""
    return _increment(_everyone(bucket))


def is_limited(request: HttpRequest, bucket: str, *, limit: int) -> bool:
    """Already over ``limit`` this hour (without counting this request)?"""
    return limit > 0 and count(request, bucket) >= limit
