"""Security headers on every response, and nothing loaded from another origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from integritas.core.tests.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(world: World) -> None:
    for response in (Client().get("/accounts/login/"), client_for(world.admin).get("/")):
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "http" not in csp
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Request-ID"]


def test_signed_in_pages_are_not_cached(world: World) -> None:
    assert "no-store" in client_for(world.admin).get("/").headers["Cache-Control"]


def test_cookies_are_http_only(world: World) -> None:
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY


def test_templates_and_styles_load_nothing_from_other_origins() -> None:
    base = Path(settings.BASE_DIR)
    files = list(base.glob("templates/**/*.html")) + list(
        base.glob("integritas/*/templates/**/*.html")
    )
    files += list(base.glob("static/**/*.css")) + list(base.glob("static/**/*.js"))
    assert files
    pattern = re.compile(
        r"""(src|href)\s*=\s*["'](https?:)?//|url\(\s*["']?(https?:)?//|@import""", re.I
    )
    offenders = [str(f) for f in files if pattern.search(f.read_text(encoding="utf-8"))]
    assert offenders == []


def test_templates_use_no_inline_script_or_style_attributes() -> None:
    base = Path(settings.BASE_DIR)
    files = list(base.glob("templates/**/*.html")) + list(
        base.glob("integritas/*/templates/**/*.html")
    )
    offenders = [
        str(f)
        for f in files
        if re.search(
            r"<script(?![^>]*\ssrc=)|\sstyle=\"|\son[a-z]+=\"", f.read_text(encoding="utf-8")
        )
    ]
    assert offenders == []


def test_the_health_check_answers_without_signing_in(world: World) -> None:
    response = Client().get("/health/")
    assert response.status_code == 200 and response.content == b"ok"
