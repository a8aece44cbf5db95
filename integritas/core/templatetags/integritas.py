"""Template filters for Indonesian-first formatting and small page helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone, translation

from integritas.audit import labels
from integritas.core import extensions, records
from integritas.core.models import Role
from integritas.lib import formatting

register = template.Library()


def _lang() -> str:
    return (translation.get_language() or "id")[:2]


@register.filter
def tanggal(value: Any) -> str:
    """A date as "29 Mei 2024" (or "29 May 2024" in English); datetimes use the local date."""
    if value in (None, ""):
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formatting.format_date(value, _lang())


@register.filter
def bulan(value: Any) -> str:
    """A date's month as "Oktober 2026" (or "October 2026" in English)."""
    if value in (None, ""):
        return ""
    return formatting.format_month(value, _lang())


@register.filter
def waktu(value: Any) -> str:
    """A moment as "29 Mei 2024 14.05" in the government's time zone."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formatting.format_datetime(value, _lang())


@register.filter
def angka(value: Any, decimals: int = 0) -> str:
    if value in (None, ""):
        return ""
    return formatting.format_number(Decimal(str(value)), int(decimals), _lang())


@register.filter
def rupiah(value: Any) -> str:
    if value in (None, ""):
        return ""
    return formatting.format_rupiah(Decimal(str(value)), _lang())


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """A link to page ``number`` that keeps the list's filters."""
    query = context.get("query", "")
    return f"?{query}&page={number}" if query else f"?page={number}"


@register.simple_tag(takes_context=True)
def export_url(context: dict[str, Any], fmt: str) -> str:
    query = context.get("query", "")
    return f"?{query}&export={fmt}" if query else f"?export={fmt}"


@register.filter
def role_label(value: str) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return value


@register.filter
def action_label(action: str) -> str:
    return labels.action_label(action)


@register.simple_tag
def field_label(object_type: str, name: str) -> str:
    return labels.field_label(object_type, name)


@register.simple_tag
def value_label(object_type: str, name: str, value: Any) -> str:
    return labels.value_label(object_type, name, value)


@register.simple_tag
def readable(events: Any) -> list[records.Record]:
    """``{% readable history as rows %}``: the events as their reader sees them."""
    return records.readable(events or [])


@register.filter
def actor_name(event: Any) -> str:
    """Who acted in an event: a person's name, or a task or the system in words."""
    return labels.actor_name(event.actor_label, has_person=event.actor_id is not None)


@register.filter
def object_kind(object_type: str) -> str:
    return labels.object_kind(object_type)


@register.simple_tag(takes_context=True)
def object_links(context: dict[str, Any], obj: Any, kind: str) -> list[dict[str, str]]:
    """``{% object_links obj "publish" as links %}``: the links apps above this one registered
    for ``obj`` (``core.extensions.register_object_links``) that the signed-in user gets."""
    request = context.get("request")
    if request is None:
        return []
    return extensions.object_links(request.user, obj, kind)
