"""Prevention's part of the public API (``/api/v1/``): the gratification checker, the same
answer as the page /gratifikasi/cek/. The plumbing (errors, caching headers, CORS) is
``lib/api.py``; the answer comes from ``services/checker.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from integritas.lib.api import responses
from integritas.prevention.gratification import Action, Gift
from integritas.prevention.models import Category
from integritas.prevention.services.checker import MAX_VALUE, CheckError, answer

router = Router()


class CheckParams(Schema):
    received_on: dt.date = Field(description="The date the gift was received (YYYY-MM-DD).")
    category: Category = Field(
        description=(
            "The kind of gift: ceremony (wedding, birth, religious or customary ceremony), "
            "colleague (from a colleague, no occasion), colleague_occasion (from colleagues at a "
            "farewell, retirement, promotion or birthday), family, other."
        )
    )
    value: int = Field(ge=0, le=MAX_VALUE, description="The gift's value in whole Rupiah.")
    cash: bool = Field(description="Whether the gift is money.")
    giver_ytd: int = Field(
        0,
        ge=0,
        le=MAX_VALUE,
        description="Whole Rupiah already received from the same giver this calendar year.",
    )
    duty_related: bool = Field(
        description=(
            "Whether the gift is connected to the recipient's office (from a service user, a "
            "vendor or an auditee)."
        )
    )


class CheckOut(Schema):
    """What to do with the gift, under the rules in force on the date of receipt."""

    action: Action = Field(description="refuse, report or none (no report needed).")
    rule: str = Field(description="The name of the rule that decides.")
    regulation: str = Field(description='The regulation of that rule, e.g. "Perkom 1/2026".')
    deadline_upg: dt.date | None = Field(
        None, description="When action is report: the last day to report to the UPG."
    )
    deadline_kpk: dt.date | None = Field(
        None, description="When action is report: the last day for the report to reach KPK."
    )


@router.get(
    "/gratification/check",
    response=responses(CheckOut),
    exclude_none=True,
    tags=["Gratification"],
    summary="Does a gift need to be reported?",
    url_name="gratification_check",
)
def gratification_check(request: Any, params: Query[CheckParams]) -> dict[str, Any]:
    """Whether a gift must be refused, reported or needs no report, the rule and regulation that
    decide (chosen by the date of receipt) and, for a gift to report, the deadlines to the UPG
    and to KPK counted in working days."""
    try:
        result = answer(Gift(**params.dict()))
    except CheckError as exc:
        raise ValidationError([{"loc": ["query", exc.parameter], "msg": exc.message}]) from exc
    body: dict[str, Any] = {
        "action": result.action,
        "rule": result.rule,
        "regulation": result.regulation,
    }
    if result.action == Action.REPORT:
        body |= {"deadline_upg": result.deadline_upg, "deadline_kpk": result.deadline_kpk}
    return body
