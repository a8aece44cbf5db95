"""Rows of the role × page matrix for the index method settings (gathered by core's matrix test).

Every staff member reads the settings; the inspector general and administrators change them.
"""

from __future__ import annotations

from typing import Any

from integritas.core.testing import World, row
from integritas.indices.models import MethodSetting

MANAGERS = {"admin": 200, "inspector_general": 200}


def setting(w: World) -> dict[str, Any]:
    MethodSetting.objects.get_or_create(
        method=MethodSetting.Method.INTEGRITY, year=2022, defaults={"config": {"correction": 5.0}}
    )
    return {"method": "integrity", "year": 2022}


MATRIX = {
    "indices-settings": (lambda w: {}, row(200)),
    "indices-setting-create": (lambda w: {"method": "satisfaction"}, row(403, **MANAGERS)),
    "indices-setting": (setting, row(200, nobody=404)),
    "indices-setting-edit": (setting, row(403, nobody=404, **MANAGERS)),
    "indices-setting-delete": (setting, row(403, nobody=404, **MANAGERS)),
}

# An empty POST: the managers get the form back (400), nothing is created or deleted.
POST_MATRIX = {
    "indices-setting-create": (
        lambda w: {"method": "satisfaction"},
        row(403, anonymous=302, admin=400, inspector_general=400),
    ),
    "indices-setting-edit": (
        setting,
        row(403, anonymous=302, nobody=404, admin=400, inspector_general=400),
    ),
    "indices-setting-delete": (
        setting,
        row(403, anonymous=302, nobody=404, admin=400, inspector_general=400),
    ),
}
