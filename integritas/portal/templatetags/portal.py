"""Template helpers of the portal's pages: the absolute addresses search engines and shared
links need (``services.seo``)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from integritas.portal.services import public, seo

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_url(context: dict[str, Any]) -> str:
    """The page's canonical address: its own path (or ``canonical_path`` when one page answers at
    two addresses), without the query string of filters and pages."""
    request = context["request"]
    return seo.absolute(request, context.get("canonical_path") or request.path)


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any]) -> str:
    """The page's own absolute address with its filters, as a printed page names it."""
    request = context["request"]
    return seo.absolute(request, request.get_full_path())


@register.simple_tag
def trend_chart(trend: public.SurveyTrend) -> str:
    """The bar chart of a questionnaire's published results per year, in the reader's numbers."""
    return mark_safe(public.trend_chart(trend, (get_language() or "id")[:2]))  # noqa: S308 - SVG built and escaped by lib.charts


@register.filter
def in_language(obj: Any, field: str) -> str:
    """A bilingual record's field (``title``, ``description``) in the reader's language."""
    return str(obj.text(field))
