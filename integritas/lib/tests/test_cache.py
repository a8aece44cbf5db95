"""The shared cache: one-time tokens and rate-limit counters hold across processes.

Two real processes (as two gunicorn workers would be) use the cache at once: a token is claimed
by exactly one of them, and their counts add up with none lost.
"""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from integritas.lib.cache import SharedMemoryCache

WORKER = textwrap.dedent(
    """
    import json, sys
    import django
    from django.conf import settings

    settings.configure(
        CACHES={"default": {"BACKEND": "integritas.lib.cache.SharedMemoryCache",
                            "LOCATION": sys.argv[1]}},
        TRUSTED_PROXIES=[], USE_TZ=True, TIME_ZONE="Asia/Jakarta",
    )
    django.setup()
    from django.core.cache import cache
    from integritas.lib import ratelimit

    class Request:
        META = {"REMOTE_ADDR": "203.0.113.7"}

    claimed = cache.add("form-token", sys.argv[2], 600)
    for _ in range(int(sys.argv[3])):
        ratelimit.hit(Request(), "bucket", limit=10_000)
        cache.add("plain", 0, 3600)
        cache.incr("plain")
    print(json.dumps({"claimed": claimed, "count": ratelimit.count(Request(), "bucket")}))
    """
)


def run_two(location: Path, rounds: int) -> list[dict[str, object]]:
    root = Path(__file__).resolve().parents[3]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(location), name, str(rounds)],
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("first", "second")
    ]
    results = []
    for worker in workers:
        out, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0
        results.append(json.loads(out))
    return results


def test_two_processes_claim_a_token_once_and_their_counts_add_up(tmp_path: Path) -> None:
    results = run_two(tmp_path, rounds=150)
    assert sorted(r["claimed"] for r in results) == [False, True]
    cache = SharedMemoryCache(str(tmp_path), {})
    assert cache.get("plain") == 300
    # The rate-limit counter both processes saw at the end includes the other's hits.
    assert max(int(str(r["count"])) for r in results) == 300


def test_incr_keeps_the_entry_s_expiry(tmp_path: Path) -> None:
    cache = SharedMemoryCache(str(tmp_path), {})
    cache.add("counter", 0, 3600)
    before = time.time()
    for _ in range(3):
        cache.incr("counter")
    [entry] = tmp_path.glob("*.entry")
    with entry.open("rb") as handle:
        _key, expiry, _value = pickle.load(handle)  # noqa: S301 - the test's own cache file
    assert before + 3500 < expiry <= before + 3600
    assert cache.get("counter") == 3


def test_incr_of_a_missing_or_expired_key_fails_like_django_s(tmp_path: Path) -> None:
    cache = SharedMemoryCache(str(tmp_path), {})
    try:
        cache.incr("absent")
    except ValueError:
        pass
    else:
        raise AssertionError("incr of a missing key must raise ValueError")
    cache.set("short", 1, timeout=1)
    time.sleep(1.1)
    try:
        cache.incr("short")
    except ValueError:
        pass
    else:
        raise AssertionError("incr of an expired key must raise ValueError")


def test_a_folder_others_may_read_is_refused(tmp_path: Path) -> None:
    from django.core.exceptions import ImproperlyConfigured

    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    shared.chmod(0o755)
    try:
        SharedMemoryCache(str(shared), {})
    except ImproperlyConfigured:
        pass
    else:
        raise AssertionError("a folder others may read must be refused")
    shared.chmod(0o700)
    SharedMemoryCache(str(shared), {}).set("x", 1)
