"""Test-wide settings: a fast password hasher, mail in memory, and shared personas."""

from __future__ import annotations

import pytest
from django.conf import settings


def pytest_configure(config: pytest.Config) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STATIC_ROOT = None  # tests serve static files from the finders, not var/static
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


from integritas.core.testing import world  # noqa: E402,F401  (the shared persona fixture)


@pytest.fixture(autouse=True)
def _english_outside_requests() -> object:
    """Code run outside a request (services, imports, commands) speaks English in tests, so
    assertions on messages read naturally; requests still pick Indonesian by default."""
    from django.utils import translation

    with translation.override("en"):
        yield
