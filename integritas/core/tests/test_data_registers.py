"""The registry of data registers (``core.extensions``): an app registers a register under a
stable key with its title, its staff page, its figure for a year and who may read it; other apps
point at it by key (an MCSP indicator whose evidence is the LHKPN compliance)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from integritas.core import extensions
from integritas.core.testing import World


def _figure(year: int) -> str | None:
    return f"{year}: 3 of 4" if year == 2026 else None


def _other_figure(year: int) -> str | None:
    return None


@pytest.fixture
def test_register() -> Iterator[str]:
    key = "test-register"
    extensions.register_data_register(
        key,
        title="Test register",
        url="/test/register/",
        figure=_figure,
        may_view=lambda user: getattr(user, "username", "") == "inspector",
    )
    yield key
    extensions._data_registers.pop(key, None)


def test_the_prevention_registers_are_registered_with_their_pages() -> None:
    keys = extensions.data_register_keys()
    assert {"lhkpn-compliance", "gratification-register"} <= set(keys)
    lhkpn = extensions.data_register("lhkpn-compliance")
    assert lhkpn is not None and str(lhkpn.url) == "/pencegahan/lhkpn/kepatuhan/"
    gratification = extensions.data_register("gratification-register")
    assert gratification is not None and str(gratification.url) == "/pencegahan/gratifikasi/"
    assert extensions.data_register("no-such-register") is None


def test_a_second_register_under_the_same_key_is_refused(test_register: str) -> None:
    with pytest.raises(ValueError, match="test-register"):
        extensions.register_data_register(
            test_register, title="Another", url="/other/", figure=_other_figure
        )
    # Registering the same register again (an app loaded twice) changes nothing.
    extensions.register_data_register(
        test_register, title="Test register", url="/test/register/", figure=_figure
    )
    entry = extensions.data_register(test_register)
    assert entry is not None and entry.figure is _figure


def test_a_key_that_is_not_a_plain_slug_is_refused() -> None:
    with pytest.raises(ValueError, match="Bad Key"):
        extensions.register_data_register("Bad Key", title="x", url="/", figure=_figure)


def test_an_unknown_key_fails_validation_naming_the_key_in_indonesian() -> None:
    extensions.validate_data_register_key("")  # empty: no register, always fine
    extensions.validate_data_register_key("lhkpn-compliance")
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        extensions.validate_data_register_key("lhkpn-kepatuhan")
    [message] = caught.value.messages
    assert "lhkpn-kepatuhan" in message and "Tidak ada register" in message
    assert "lhkpn-compliance" in message  # the keys that exist are listed
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        extensions.validate_data_register_key("lhkpn-kepatuhan")
    assert "There is no register" in caught.value.messages[0]


def test_a_reader_gets_the_figure_and_the_link_others_only_the_title(
    world: World, test_register: str
) -> None:
    reading = extensions.read_data_register(world.inspector, test_register, 2026)
    assert reading is not None
    assert (reading.title, reading.url, reading.figure, reading.readable) == (
        "Test register",
        "/test/register/",
        "2026: 3 of 4",
        True,
    )
    empty = extensions.read_data_register(world.inspector, test_register, 2025)
    assert empty is not None and empty.figure is None and empty.readable
    outsider = extensions.read_data_register(world.officer_a, test_register, 2026)
    assert outsider is not None
    assert (outsider.url, outsider.figure, outsider.readable) == ("", None, False)
    assert extensions.read_data_register(world.inspector, "no-such-register", 2026) is None


def test_without_a_permission_check_anyone_signed_in_may_read(world: World) -> None:
    seen: list[Any] = []
    extensions.register_data_register(
        "open-register", title="Open", url="/open/", figure=lambda y: seen.append(y) or "x"
    )
    try:
        assert extensions.read_data_register(world.nobody, "open-register", 2026).readable  # type: ignore[union-attr]
        assert seen == [2026]
    finally:
        extensions._data_registers.pop("open-register", None)
