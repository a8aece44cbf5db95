"""Core's part of the public API (``/api/v1/``): the audit chain's published daily anchors, the
same list as ``/data/audit-anchors/`` and its downloads. The plumbing is ``lib/api.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Query, Router, Schema
from pydantic import Field

from integritas.audit.models import Anchor
from integritas.lib.api import Page, PageParams, paginate, responses

router = Router()


class AnchorOut(Schema):
    """The audit chain's head as published on one day. Keep copies: manage.py audit_verify
    --anchors checks the chain against them."""

    date: dt.date
    seq: int = Field(description="The sequence number of the chain's last event that day.")
    hash: str = Field(description="That event's hash (SHA-256, hexadecimal).")
    published_at: dt.datetime


def anchor_out(anchor: Anchor) -> dict[str, Any]:
    return {
        "date": anchor.date,
        "seq": anchor.seq,
        "hash": anchor.hash,
        "published_at": anchor.published_at,
    }


@router.get(
    "/audit-anchors",
    response=responses(Page[AnchorOut]),
    tags=["Audit anchors"],
    summary="Published audit anchors",
    url_name="audit_anchors",
)
def audit_anchors(request: Any, pages: Query[PageParams]) -> dict[str, Any]:
    """The audit chain's published daily anchors, newest first."""
    return paginate(Anchor.objects.order_by("-date"), pages, anchor_out)
