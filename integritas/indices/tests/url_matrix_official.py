"""Rows of the role × page matrix for the official SPI pages (gathered by core's matrix test).

Every staff member reads the published results; the inspector general, inspectors and
administrators add, edit and import. A signed-in account without a role sees empty lists and gets
404 for an institution or a national figure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from integritas.core.testing import World, row
from integritas.indices.models import Institution, NationalFigure

Kwargs = Callable[[World], dict[str, Any]]
NONE: Kwargs = lambda w: {}  # noqa: E731


def institution(w: World) -> dict[str, Any]:
    found, _created = Institution.objects.get_or_create(
        code="matrix-kota", defaults={"name": "Kota Matriks", "kind": Institution.Kind.CITY}
    )
    return {"code": found.code}


def national(w: World) -> dict[str, Any]:
    figure, _created = NationalFigure.objects.get_or_create(year=2024, defaults={"index": "71.53"})
    return {"year": figure.year}


READ_LIST = row(200)
READ_ONE = row(200, nobody=404)
MANAGE = row(403, admin=200, inspector_general=200, inspector=200)
MANAGE_ONE = row(403, admin=200, inspector_general=200, inspector=200, nobody=404)
# An empty POST: managers get the form back with its errors (400); nothing changes.
MANAGE_POST = row(403, anonymous=302, admin=400, inspector_general=400, inspector=400)
MANAGE_ONE_POST = row(
    403, anonymous=302, admin=400, inspector_general=400, inspector=400, nobody=404
)

MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "indices-spi-overview": (NONE, READ_LIST),
    "indices-spi-result-import": (NONE, MANAGE),
    "indices-spi-institution-list": (NONE, READ_LIST),
    "indices-spi-institution-create": (NONE, MANAGE),
    "indices-spi-institution-import": (NONE, MANAGE),
    "indices-spi-institution": (institution, READ_ONE),
    "indices-spi-institution-edit": (institution, MANAGE_ONE),
    "indices-spi-national-list": (NONE, READ_LIST),
    "indices-spi-national-create": (NONE, MANAGE),
    "indices-spi-national-edit": (national, MANAGE_ONE),
}

POST_MATRIX: dict[str, tuple[Kwargs, dict[str, int]]] = {
    "indices-spi-result-import": (NONE, MANAGE_POST),
    "indices-spi-institution-create": (NONE, MANAGE_POST),
    "indices-spi-institution-import": (NONE, MANAGE_POST),
    "indices-spi-institution-edit": (institution, MANAGE_ONE_POST),
    "indices-spi-national-create": (NONE, MANAGE_POST),
    "indices-spi-national-edit": (national, MANAGE_ONE_POST),
}
