"""Every URL pattern is in the role × page matrix, and every cell of the matrix holds.

Adding a URL without adding it here fails ``test_every_url_pattern_is_in_the_matrix``: a page
cannot ship without someone deciding who may open it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from integritas.core.models import FiscalYear, Holiday, RoleAssignment
from integritas.core.testing import (
    ADMIN_AND_IG,
    ADMIN_ONLY,
    OUT_OF_SCOPE_A,
    PERSONAS,
    POST_ONLY,
    row,
)
from integritas.core.tests.conftest import World, client_for


def _officer_a_notification(w: World) -> dict[str, Any]:
    from integritas.core.services.notifications import notify

    notification = notify(user=w.officer_a, title="Pengingat", body="", url="/", key="matrix")
    if notification is None:
        notification = w.officer_a.notifications.get(key="matrix")
    return {"public_id": notification.public_id}


def _eid_2024() -> Any:
    """Idul Fitri 2024, seeded by the calendar's data migration."""
    return Holiday.objects.get(date=dt.date(2024, 4, 10)).public_id


# url name -> (kwargs builder, expected GET status per persona)
Kwargs = Callable[[World], dict[str, Any]]
NONE: Kwargs = lambda w: {}  # noqa: E731
MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "core-home": (NONE, row(200, anonymous=200)),  # signed out: the transparency portal
    "core-health": (NONE, row(200, anonymous=200)),
    "core-audit-anchors": (NONE, row(200, anonymous=200)),
    "core-audit-anchors-json": (NONE, row(200, anonymous=200)),
    "core-audit-anchors-csv": (NONE, row(200, anonymous=200)),
    "core-audit-anchors-xlsx": (NONE, row(200, anonymous=200)),
    # The public API's plumbing (lib/api.py) and core's router: the same answer for everyone.
    "api-v1:audit_anchors": (NONE, row(200, anonymous=200)),
    "api-v1:openapi-json": (NONE, row(200, anonymous=200)),
    "api-v1:openapi-view": (NONE, row(200, anonymous=200)),
    "api-v1:api-root": (NONE, row(404, anonymous=404)),
    "api-v1:not-found": (lambda w: {"rest": "tidak-ada"}, row(404, anonymous=404)),
    "core-language": (NONE, POST_ONLY),
    "core-login": (NONE, row(302, anonymous=200)),
    "core-logout": (NONE, POST_ONLY),
    "core-profile": (NONE, row(200)),
    "core-2fa-verify": (NONE, row(302)),
    "core-2fa-setup": (NONE, row(200)),
    "core-2fa-recovery-codes": (NONE, row(200)),
    "core-password-change": (NONE, row(200)),
    "core-password-reset": (NONE, row(200, anonymous=200)),
    "core-password-reset-done": (NONE, row(200, anonymous=200)),
    "core-password-reset-confirm": (
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        row(200, anonymous=200),
    ),
    "core-password-reset-complete": (NONE, row(200, anonymous=200)),
    "core-notification-list": (NONE, row(200)),
    "core-notification-settings": (NONE, row(200)),
    "core-notification-read-all": (NONE, POST_ONLY),
    "core-notification-open": (_officer_a_notification, POST_ONLY),
    "core-notification-read": (_officer_a_notification, POST_ONLY),
    "core-government": (NONE, row(200)),
    "core-government-edit": (NONE, ADMIN_ONLY),
    "core-fiscal-years": (NONE, row(200)),
    "core-fiscal-year-edit": (
        lambda w: {"year": 2026},
        row(403, admin=200, inspector_general=200, nobody=404),
    ),
    "core-unit-list": (NONE, row(200)),
    "core-unit-create": (NONE, ADMIN_AND_IG),
    "core-unit-import": (NONE, ADMIN_AND_IG),
    "core-unit": (lambda w: {"code": w.dinkes.code}, row(200, **OUT_OF_SCOPE_A)),
    "core-unit-edit": (
        lambda w: {"code": w.dinkes.code},
        row(403, admin=200, inspector_general=200, **OUT_OF_SCOPE_A),
    ),
    "core-person-list": (NONE, row(200)),
    "core-person-create": (NONE, ADMIN_ONLY),
    "core-person": (
        lambda w: {"public_id": w.officer_a.public_id},
        row(200, handler=404, custodian=404, **OUT_OF_SCOPE_A),
    ),
    "core-person-edit": (
        lambda w: {"public_id": w.officer_a.public_id},
        row(403, admin=200, handler=404, custodian=404, **OUT_OF_SCOPE_A),
    ),
    "core-person-invite": (lambda w: {"public_id": w.officer_a.public_id}, POST_ONLY),
    "core-person-role-grant": (lambda w: {"public_id": w.officer_a.public_id}, POST_ONLY),
    "core-person-role-revoke": (
        lambda w: {
            "public_id": w.officer_a.public_id,
            "assignment_id": RoleAssignment.objects.get(user=w.officer_a).public_id,
        },
        POST_ONLY,
    ),
    "audit-event-list": (NONE, row(403, admin=200, inspector_general=200, inspector=200)),
    "core-calendar": (NONE, row(200)),
    "core-calendar-years": (NONE, row(200)),
    "core-calendar-year-edit": (lambda w: {"year": 2024}, ADMIN_ONLY),
    "core-calendar-settings": (NONE, ADMIN_ONLY),
    "core-calendar-import": (NONE, ADMIN_ONLY),
    "core-holiday-create": (NONE, ADMIN_ONLY),
    "core-holiday-edit": (lambda w: {"public_id": _eid_2024()}, ADMIN_ONLY),
    "core-holiday-delete": (lambda w: {"public_id": _eid_2024()}, ADMIN_ONLY),
}

# POST-only endpoints that change data: who may post (the rest get 403, or 404 out of scope).
POST_MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "core-person-invite": (
        lambda w: {"public_id": w.officer_a.public_id},
        row(403, anonymous=302, admin=302, handler=404, custodian=404, **OUT_OF_SCOPE_A),
    ),
    "core-person-role-grant": (
        lambda w: {"public_id": w.officer_a.public_id},
        row(403, anonymous=302, admin=400, handler=404, custodian=404, **OUT_OF_SCOPE_A),
    ),
    "core-person-role-revoke": (
        lambda w: {
            "public_id": w.officer_a.public_id,
            "assignment_id": RoleAssignment.objects.get(user=w.officer_a).public_id,
        },
        row(403, anonymous=302, admin=302, handler=404, custodian=404, **OUT_OF_SCOPE_A),
    ),
    "core-holiday-delete": (lambda w: {"public_id": _eid_2024()}, row(403, admin=400)),
    # Each person's own notifications: everyone signed in may post; another's is not found.
    "core-notification-read-all": (NONE, row(302)),
    "core-notification-open": (_officer_a_notification, row(404, anonymous=302, officer_a=302)),
    "core-notification-read": (_officer_a_notification, row(404, anonymous=302, officer_a=302)),
    "core-calendar-years": (NONE, row(403, admin=400)),
    "core-calendar-import": (NONE, row(403, admin=400)),
}


def _gather_app_matrices() -> None:
    """Apps above core keep their rows in ``integritas/<app>/tests/url_matrix*.py`` (``MATRIX`` and
    optionally ``POST_MATRIX``), so each area owns its part of the matrix."""
    import importlib
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in sorted(root.glob("*/tests/url_matrix*.py")):
        module = importlib.import_module(f"integritas.{path.parent.parent.name}.tests.{path.stem}")
        for name, entry in getattr(module, "MATRIX", {}).items():
            assert name not in MATRIX, f"{name} is in the matrix twice"
            MATRIX[name] = entry
        POST_MATRIX.update(getattr(module, "POST_MATRIX", {}))


_gather_app_matrices()


def _names(patterns: list[Any], prefix: str = "") -> set[str]:
    found: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            found |= _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                raise AssertionError(f"URL pattern {pattern.pattern} has no name")
            found.add(prefix + pattern.name)
    return found


def test_every_url_pattern_is_in_the_matrix() -> None:
    names = _names(get_resolver().url_patterns)
    missing = names - set(MATRIX)
    stale = set(MATRIX) - names
    assert not missing, f"add these URL names to the role matrix: {sorted(missing)}"
    assert not stale, f"these matrix rows name no URL: {sorted(stale)}"


def test_every_matrix_row_names_every_persona() -> None:
    for name, (_kwargs, expected) in MATRIX.items():
        assert set(expected) == set(PERSONAS), name


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_access_matches_the_matrix(world: World, name: str) -> None:
    FiscalYear.objects.create(year=2026, **FiscalYear.defaults_for(2026))
    kwargs_for, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(world))
    wrong = {}
    for persona, user in world.personas().items():
        status = client_for(user).get(url).status_code
        if status != expected[persona]:
            wrong[persona] = (expected[persona], status)
    assert not wrong, f"{url}: persona -> (expected, got): {wrong}"


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_post_access_matches_the_matrix(world: World, name: str) -> None:
    kwargs_for, expected = POST_MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(world))
    wrong = {}
    for persona, user in world.personas().items():
        # An empty POST: allowed users get a validation answer (400) or a redirect, never a change
        # of someone else's data; the others are refused before validation.
        status = client_for(user).post(url, {}).status_code
        if status != expected[persona]:
            wrong[persona] = (expected[persona], status)
    assert not wrong, f"{url}: persona -> (expected, got): {wrong}"
