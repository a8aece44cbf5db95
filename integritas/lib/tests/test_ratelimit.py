"""What a client is counted as: its network, never more precise than an IPv4 address or an
IPv6 /64, and never stored (the counters hold a keyed hash of it)."""

from __future__ import annotations

import pytest

from integritas.lib.ratelimit import client_network


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2:0:0:0:1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("fe80::1%eth0", "fe80::/64"),
        ("", ""),
        ("not an address", "not an address"),
    ],
)
def test_a_client_is_counted_as_its_network(address: str, counted_as: str) -> None:
    assert client_network(address) == counted_as
