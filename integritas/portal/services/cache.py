"""The portal's pages from the shared cache (``lib/pagecache.py``): ``page`` decorates a portal
view, ``invalidate`` retires every kept page. ``portal/signals.py`` calls ``invalidate`` when a
record a public page shows is saved or deleted; publishing and unpublishing call it too."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings

from integritas.lib import pagecache

NAMESPACE = "portal"
# The query parameters the API's lists read (``q``, free text, is never kept).
API_PARAMS = ("page", "page_size", "unit", "source", "status", "year", "level")


def _seconds() -> int:
    return int(settings.PORTAL_CACHE_SECONDS)


def page(*params: str) -> Callable[[pagecache.View], pagecache.View]:
    """Serve the view's answers to anonymous visitors from the cache; ``params`` are the query
    parameters the view reads (a request with any other parameter skips the cache)."""
    return pagecache.cached(NAMESPACE, params=params, timeout=_seconds)


def invalidate(*, data: bool = True) -> None:
    """Every portal page is built again on its next request (``data``: see ``pagecache``)."""
    pagecache.invalidate(NAMESPACE, data=data)
