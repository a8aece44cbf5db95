"""Operations on the government's own details and its fiscal years."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from integritas.audit.services import save_with_event
from integritas.core.models import FiscalYear, Government

GOVERNMENT_FIELDS = [
    "name",
    "kind",
    "province",
    "address",
    "phone",
    "email",
    "website",
    "emblem",
    "signing_place",
    "report_number_pattern",
]

FISCAL_YEAR_FIELDS = ["year", "starts_on", "ends_on", "status"]


@transaction.atomic
def government_save(*, government: Government, values: Mapping[str, Any]) -> Government:
    values = dict(values)
    if values.get("emblem") is None:
        values.pop("emblem", None)  # no new upload: keep the current emblem
    elif values["emblem"] is False:
        values["emblem"] = ""  # the "clear" box was ticked
    return save_with_event(government, values, fields=GOVERNMENT_FIELDS, kind="government")


@transaction.atomic
def fiscal_year_save(*, fiscal_year: FiscalYear, values: Mapping[str, Any]) -> FiscalYear:
    return save_with_event(fiscal_year, values, fields=FISCAL_YEAR_FIELDS, kind="fiscal_year")
