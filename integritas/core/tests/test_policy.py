"""The permission policy: scopes by role and unit subtree, 404 outside scope, 403 read-only."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from integritas.core import policy
from integritas.core.models import Role, RoleAssignment, Unit, User
from integritas.core.tests.conftest import World, make_user

pytestmark = pytest.mark.django_db


def codes(user: User) -> set[str]:
    return set(policy.scope(user, Unit).values_list("code", flat=True))


def test_unit_roles_cover_their_unit_and_every_sub_unit(world: World) -> None:
    grandchild = Unit.objects.create(
        code="DINKES.PKM.1", name="Pustu", type=Unit.Type.OTHER, parent=world.puskesmas
    )
    assert codes(world.officer_a) == {"DINKES", "DINKES.PKM", grandchild.code}
    assert codes(world.officer_b) == {"DISDIK"}


def test_a_sub_unit_officer_does_not_see_the_parent_unit(world: World) -> None:
    officer = make_user(
        "pkm_officer", unit=world.puskesmas, role=Role.UNIT_OFFICER, role_unit=world.puskesmas
    )
    assert codes(officer) == {"DINKES.PKM"}
    with pytest.raises(Http404):
        policy.get_for_user(officer, Unit, code="DINKES")


def test_global_roles_see_every_unit(world: World) -> None:
    for user in (
        world.admin,
        world.inspector_general,
        world.inspector,
        world.leader,
        world.handler,
        world.custodian,
    ):
        assert codes(user) == {"DINKES", "DINKES.PKM", "DISDIK"}, user.username


def test_an_inspector_can_be_limited_to_a_cluster_of_units(world: World) -> None:
    irban = make_user("irban", role=Role.INSPECTOR, role_unit=world.disdik)
    assert codes(irban) == {"DISDIK"}
    assert not policy.allows_model(irban, "view", policy.Event)


def test_read_only_access_to_a_write_is_403_and_out_of_scope_is_404(world: World) -> None:
    with pytest.raises(PermissionDenied):
        policy.get_for_user(world.leader, Unit, need="change", code="DINKES")
    with pytest.raises(Http404):
        policy.get_for_user(world.officer_b, Unit, need="change", code="DINKES")
    assert policy.get_for_user(world.admin, Unit, need="change", code="DINKES") == world.dinkes


def test_people_are_visible_within_the_unit_subtree_and_oneself(world: World) -> None:
    visible = set(policy.scope(world.officer_a, User).values_list("username", flat=True))
    assert visible == {"head_a", "officer_a"}
    assert set(policy.scope(world.handler, User).values_list("username", flat=True)) == {"handler"}
    assert set(policy.scope(world.nobody, User).values_list("username", flat=True)) == {"nobody"}


def test_a_deactivated_user_holds_nothing(world: World) -> None:
    world.admin.is_active = False
    world.admin.save()
    fresh = User.objects.get(pk=world.admin.pk)
    assert codes(fresh) == set()
    assert not policy.allows_model(fresh, "create", Unit)


def test_grants_are_recomputed_after_a_role_change(world: World) -> None:
    assert codes(world.officer_b) == {"DISDIK"}
    RoleAssignment.objects.create(user=world.officer_b, role=Role.UNIT_OFFICER, unit=world.dinkes)
    policy.forget(world.officer_b)
    assert codes(world.officer_b) == {"DISDIK", "DINKES", "DINKES.PKM"}


def test_only_administrators_manage_people_and_roles(world: World) -> None:
    for user in world.personas().values():
        if user is None:
            continue
        assert policy.allows(user, "manage_roles", world.officer_a) is (user == world.admin), (
            user.username
        )


def test_every_model_the_views_use_has_a_rule(world: World) -> None:
    from integritas.audit.models import Event
    from integritas.core.models import FiscalYear, Government

    for model in (Unit, User, RoleAssignment, Government, FiscalYear, Event):
        policy.scope(world.admin, model)
    with pytest.raises(LookupError):
        from integritas.core.models import LoginFailure

        policy.scope(world.admin, LoginFailure)
