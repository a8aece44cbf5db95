"""Operations on the tree of work units; each is atomic and writes one audit event."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from integritas.audit.services import save_with_event
from integritas.core.models import Unit

UNIT_FIELDS = ["code", "name", "type", "parent", "size_class", "head", "address", "is_active"]


@transaction.atomic
def unit_create(*, values: Mapping[str, Any]) -> Unit:
    return save_with_event(Unit(), values, fields=UNIT_FIELDS, kind="unit")


@transaction.atomic
def unit_update(*, unit: Unit, values: Mapping[str, Any], reason: str = "") -> Unit:
    return save_with_event(unit, values, fields=UNIT_FIELDS, kind="unit", reason=reason)
