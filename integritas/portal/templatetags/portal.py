"""Template helpers of the portal's pages: the absolute addresses search engines and shared
links need (``services.seo``)."""

from __future__ import annotations

from typing import Any

from django import template

from integritas.portal.services import seo

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
