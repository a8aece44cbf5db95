"""The set-up shared by the bench scripts that also run alone (``python bench/<part>.py``):
Django configured for a throwaway or kept database and ``VAR_DIR``, the test environment, the
static files, the demo data, and the clean-up afterwards. ``bench/run.py`` does the same for
``make bench``."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def demo_database(keep: str | None) -> Iterator[None]:
    """A database with the demo data: in a new temporary directory, removed afterwards, or in
    ``keep`` (created if missing) and reused by the next run."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    tmp = keep or tempfile.mkdtemp(prefix="integritas-bench-")
    Path(tmp).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
    os.environ.setdefault("VAR_DIR", tmp)
    os.environ["DEMO_MODE"] = "true"
    os.environ["REQUIRE_2FA"] = "false"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("collectstatic", "--noinput", verbosity=0)
    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(Path(tmp) / "bench.sqlite3")
    # serialize=False: the test runner's copy of the database as a string (for tests that
    # roll back by reloading it) would hold the whole kept wave in this process's memory.
    db_name = connection.creation.create_test_db(verbosity=0, keepdb=bool(keep), serialize=False)
    try:
        from integritas.core.models import User

        if not User.objects.filter(username="admin").exists():
            call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        yield
    finally:
        if not keep:
            connection.creation.destroy_test_db(db_name, verbosity=0)
            shutil.rmtree(tmp, ignore_errors=True)
