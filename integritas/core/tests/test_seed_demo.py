"""seed_demo: a fictional city with a realistic unit tree and a person for every role; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from integritas.audit.models import Event
from integritas.audit.services import verify_chain
from integritas.core.models import FiscalYear, Government, Role, RoleAssignment, Unit, User

pytestmark = pytest.mark.django_db


def test_it_creates_a_city_with_at_least_thirty_units_in_a_tree(settings) -> None:  # noqa: ANN001
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    assert Government.current() is not None and "Karyapura" in Government.current().name  # type: ignore[union-attr]
    assert Unit.objects.count() >= 30
    assert Unit.objects.filter(parent__isnull=True).count() >= 20
    kelurahan = Unit.objects.filter(type=Unit.Type.SUBDISTRICT).first()
    assert kelurahan is not None and kelurahan.parent is not None
    assert kelurahan.parent.type == Unit.Type.DISTRICT
    assert FiscalYear.objects.filter(status=FiscalYear.Status.OPEN).count() == 1


def test_every_role_has_someone_and_every_top_level_unit_has_a_head_and_an_officer(
    settings,
) -> None:  # noqa: ANN001
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)
    for unit in Unit.objects.filter(parent__isnull=True).exclude(code="INSP"):
        roles = set(RoleAssignment.objects.filter(unit=unit).values_list("role", flat=True))
        assert roles == {Role.UNIT_HEAD, Role.UNIT_OFFICER}, unit.code
        assert unit.head is not None
    for user in User.objects.exclude(username="walikota"):
        user.full_clean()  # every NIP is valid


def test_running_it_twice_creates_nothing_new(settings) -> None:  # noqa: ANN001
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        Event.objects.count(),
    )
    call_command("seed_demo", stdout=io.StringIO())
    assert counts == (
        Unit.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        Event.objects.count(),
    )
    assert verify_chain().ok


def test_credentials_are_printed_only_in_demo_mode(
    settings, capsys: pytest.CaptureFixture[str]
) -> None:  # noqa: ANN001
    settings.DEMO_MODE = False
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "karyapura-demo-2026" not in out
    assert not User.objects.get(username="admin").has_usable_password()


def test_demo_mode_gives_working_logins(settings, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: ANN001
    settings.DEMO_MODE = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "karyapura-demo-2026" in out and "operator.dinkes" in out
    assert User.objects.get(username="operator.dinkes").check_password("karyapura-demo-2026")
    assert (
        Event.objects.filter(action="unit.created", actor_label="seed_demo").count()
        == Unit.objects.count()
    )
