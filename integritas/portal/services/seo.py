"""Addresses as search engines and shared links should see them: absolute, on the public address
the government configured (``PUBLIC_BASE_URL``), else on the address the request came to."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute(request: HttpRequest, path: str) -> str:
    """``path`` (starting with "/") as an absolute address."""
    base = (settings.PUBLIC_BASE_URL or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)
