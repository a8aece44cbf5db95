"""manage.py wave_create: scripted waves, with clear errors."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.models import Wave
from integritas.surveys.testing import SMALL_SPEC, build_version

pytestmark = pytest.mark.django_db
ARGS = [
    "--instrument",
    "skm-test",
    "--code",
    "skm-2027",
    "--title",
    "SKM 2027",
    "--opens",
    "2027-02-01",
    "--closes",
    "2027-03-31",
]


def test_it_creates_an_open_wave_over_the_named_units(world: World) -> None:
    build_version()
    out = io.StringIO()
    call_command("wave_create", *ARGS, "--units", "dinkes,DISDIK", "--open", stdout=out)
    wave = Wave.objects.get(code="skm-2027")
    assert wave.status == Wave.Status.OPEN
    assert sorted(wave.wave_units.values_list("unit__code", flat=True)) == ["DINKES", "DISDIK"]
    assert "created" in out.getvalue()
    assert Event.objects.filter(action="wave.created", actor_label="wave_create").exists()


def test_all_and_top_select_units(world: World) -> None:
    build_version()
    call_command("wave_create", *ARGS, "--units", "all", stdout=io.StringIO())
    assert Wave.objects.get().wave_units.count() == 3
    call_command(
        "wave_create",
        *[a if a != "skm-2027" else "skm-2028" for a in ARGS],
        "--units",
        "top",
        stdout=io.StringIO(),
    )
    assert Wave.objects.get(code="skm-2028").wave_units.count() == 2


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--units", "NOPE"], "unknown unit codes: NOPE"),
        (["--units", "all", "--types", "aliens"], "Unknown respondent type"),
        (["--units", "all", "--margin", "lots"], "not a number"),
    ],
)
def test_bad_arguments_create_nothing(world: World, extra: list[str], message: str) -> None:
    build_version()
    with pytest.raises(CommandError, match=message):
        call_command("wave_create", *ARGS, *extra, stdout=io.StringIO())
    assert not Wave.objects.exists()


def test_an_unknown_instrument_is_named(world: World) -> None:
    with pytest.raises(CommandError, match="no instrument"):
        call_command("wave_create", *ARGS, "--units", "all", stdout=io.StringIO())


def test_an_unknown_instrument_lists_the_codes_that_exist(world: World) -> None:
    build_version()
    build_version({**SMALL_SPEC, "code": "integritas-test"})
    with pytest.raises(CommandError) as raised:
        call_command("wave_create", *ARGS[:1], "skm-2017", *ARGS[2:], "--units", "all")
    assert "skm-2017" in str(raised.value)
    assert "integritas-test, skm-test" in str(raised.value)


def test_the_help_shows_an_example_with_an_instrument_that_ships(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        call_command("wave_create", "--help")
    text = capsys.readouterr().out
    assert "--instrument skm " in text and "--units all" in text
    assert "skm-permenpanrb" not in text
