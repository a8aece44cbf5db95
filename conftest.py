"""Test-wide settings: a fast password hasher, mail in memory, uploads and the cache in temporary
folders, and shared personas."""

from __future__ import annotations

import shutil
import tempfile

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests judge behaviour, not speed: no per-example deadline and no "too slow" health
# check, which fail on a loaded machine (timings belong in `make bench`).
hypothesis_settings.register_profile(
    "integritas", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("integritas")


def pytest_unconfigure(config: pytest.Config) -> None:
    if settings.configured and "integritas-test-media-" in str(settings.MEDIA_ROOT):
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    location = str(settings.CACHES["default"].get("LOCATION", "")) if settings.configured else ""
    if "integritas-test-cache-" in location:
        shutil.rmtree(location, ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    # Uploaded files of the whole run go to a fresh folder, never the developer's var/media.
    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="integritas-test-media-")
    # A cache of the run's own: runs side by side (SQLite and PostgreSQL) never share counters.
    settings.CACHES = {
        "default": {
            "BACKEND": "integritas.lib.cache.SharedMemoryCache",
            "LOCATION": tempfile.mkdtemp(prefix="integritas-test-cache-"),
        }
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The suite runs tasks in its own long process: its heap is not frozen like a worker's.
    settings.TASK_WORKER_FREEZE_HEAP = False
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


@pytest.fixture(autouse=True)
def _empty_shared_cache() -> None:
    """Each test starts with an empty shared cache, as it starts with a fresh database: no page
    kept for another test's data (lib/pagecache.py), no counter of another test's visits."""
    from django.core.cache import cache

    cache.clear()
