"""The portal over HTTP, served as `make run` serves it. Prints measurements; asserts nothing.

gunicorn starts with the project's ``gunicorn.conf.py`` (as `make run` does) on the bench's
database, with ``BENCH_MINIMAL_VIEW`` on, which adds ``/bench/minimal/``: the smallest Django
answer through the whole middleware stack, measured in the same run as the yardstick. Each
address is then loaded for ``BENCH_HTTP_SECONDS`` (10) at ``BENCH_HTTP_CONNECTIONS`` (64)
keep-alive connections, by wrk when it is installed, else by the small asyncio client below.
An address that does not answer 200 (the API before it exists answers 404) is skipped with a
note. Targets for each portal page on a 2-core machine: ≥ 2,000 requests/s, p99 < 50 ms and
≥ 50% of the minimal view's requests/s.

Before loading, each page's cold cost is measured in this process with Django's test client:
the median time of one anonymous request right after the portal's cache was emptied.

`make bench` runs this after seeding the demo (bench/run.py); `make bench PARTS=portal` runs only
this part. ``BENCH_HTTP_URLS`` (space-separated paths) replaces the list of addresses;
``WEB_WORKERS`` and ``WEB_THREADS`` reach gunicorn.conf.py.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECONDS = float(os.environ.get("BENCH_HTTP_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_HTTP_CONNECTIONS", "64"))
MINIMAL = "/bench/minimal/"
API_LISTS = ["/api/v1/recommendations", "/api/v1/units"]
TARGET_RPS = 2000
TARGET_P99_MS = 50
TARGET_SHARE = 0.5


def line(name: str, value: str) -> None:
    print(f"  {name:<44} {value}")


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # failed connections, timeouts and answers other than 2xx/3xx
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# -- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    """The address of the database the bench process uses (its test database)."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def serve(port: int) -> subprocess.Popen[bytes]:
    """gunicorn as `make run` starts it (gunicorn.conf.py), on the bench's database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "BENCH_MINIMAL_VIEW": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "false",
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "integritas.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{MINIMAL}", timeout=2).read()  # noqa: S310 - our own loopback server
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 60 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by gunicorn's master and its workers (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    pids = [server.pid]
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
        pids += [int(pid) for pid in children.split()]
    except OSError:
        return 0.0
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def client_cpu_seconds() -> float:
    """CPU time used so far by this process's finished children (wrk) and by this process."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:  # noqa: S310 - loopback
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# -- load generators ------------------------------------------------------------------------

_DURATION = re.compile(r"([\d.]+)(us|ms|s|m)\b")
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    found = _DURATION.fullmatch(text.strip())
    if not found:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(found.group(1)) * _UNIT_MS[found.group(2)]


def parse_wrk(output: str) -> Load:
    """The figures of ``wrk --latency``'s report."""

    def grab(pattern: str) -> str:
        found = re.search(pattern, output)
        if not found:
            raise ValueError(f"wrk said something unexpected:\n{output}")
        return found.group(1)

    requests = int(grab(r"(\d+) requests in"))
    seconds = _ms(grab(r"requests in ([\d.]+\w+),")) / 1000
    errors = (
        int(re.search(r"Non-2xx or 3xx responses: (\d+)", output).group(1))
        if "Non-2xx" in output
        else 0
    )  # type: ignore[union-attr]
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    return Load(
        requests=requests,
        seconds=seconds,
        p50_ms=_ms(grab(r"\s50%\s+(\S+)")),
        p99_ms=_ms(grab(r"\s99%\s+(\S+)")),
        errors=errors,
        tool="wrk",
    )


def wrk(url: str, seconds: float, connections: int) -> Load:
    command = [
        "wrk",
        f"-t{min(2, connections)}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    return parse_wrk(done.stdout)


async def _connection(
    host: str, port: int, request: bytes, until: float, latencies: list[float], errors: list[int]
) -> None:
    reader = writer = None
    while time.perf_counter() < until:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            assert reader is not None
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            await reader.readexactly(int(length.group(1)) if length else 0)
            latencies.append(time.perf_counter() - start)
            if not 200 <= status < 400:
                errors.append(status)
            if re.search(rb"(?i)\r\nconnection:\s*close", head):
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError):
            errors.append(0)
            if writer is not None:
                writer.close()
            writer = None
    if writer is not None:
        writer.close()


def python_load(url: str, seconds: float, connections: int) -> Load:
    """A keep-alive HTTP/1.1 load generator for when wrk is not installed: ``connections``
    connections, each sending its next request as soon as the last answer is read."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    request = (
        f"GET {parts.path}{'?' + parts.query if parts.query else ''} HTTP/1.1\r\n"
        f"Host: {parts.netloc}\r\nUser-Agent: integritas-bench\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors: list[int] = []

    async def main() -> float:
        start = time.perf_counter()
        until = start + seconds
        await asyncio.gather(
            *(
                _connection(host, port, request, until, latencies, errors)
                for _ in range(connections)
            )
        )
        return time.perf_counter() - start

    elapsed = asyncio.run(main())
    ordered = sorted(latencies) or [0.0]
    return Load(
        requests=len(latencies),
        seconds=elapsed,
        p50_ms=ordered[len(ordered) // 2] * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        errors=len(errors),
        tool="python",
    )


def ensure_wrk() -> bool:
    """Whether wrk is there; as root, try to install it quietly first (Debian's package)."""
    if shutil.which("wrk"):
        return True
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"],  # noqa: S607
            capture_output=True,
            check=False,
            timeout=300,
        )
    return shutil.which("wrk") is not None


def load(url: str, *, seconds: float = SECONDS, connections: int = CONNECTIONS) -> Load:
    if shutil.which("wrk"):
        return wrk(url, seconds, connections)
    return python_load(url, seconds, connections)


# -- the run --------------------------------------------------------------------------------


def default_paths() -> list[str]:
    """The portal's home (at / and /publik/), the page of the unit with the most published
    actions, and the API's lists."""
    from django.db.models import Count

    from integritas.portal.services import public as published

    unit = published.units().annotate(n=Count("action_plans")).order_by("-n", "code").first()
    paths = ["/", "/publik/"]
    if unit is not None:
        paths.append(f"/unit/{unit.code}/")
    return paths + API_LISTS


def cold_ms(path: str, repeat: int = 10) -> float | None:
    """The median time of one anonymous request to ``path`` just after the portal's cache was
    emptied (in this process, Django's test client); None when it does not answer 200."""
    from django.test import Client

    from integritas.portal.services import cache

    client = Client()
    times = []
    for _ in range(repeat):
        cache.invalidate()
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        if response.status_code != 200:
            return None
    return statistics.median(times) * 1000


def run(paths: list[str] | None = None) -> None:
    from django.conf import settings

    paths = paths or os.environ.get("BENCH_HTTP_URLS", "").split() or default_paths()
    tool = "wrk" if ensure_wrk() else "python asyncio client (wrk is not installed)"
    workers = os.environ.get("WEB_WORKERS", "2 (gunicorn.conf.py)")
    threads = os.environ.get("WEB_THREADS", "4 (gunicorn.conf.py)")
    print(
        f"portal over HTTP: gunicorn, {workers} workers × {threads} threads; {tool}, "
        f"{CONNECTIONS} connections, {SECONDS:g} s per address; load average "
        f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}"
    )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    for path in paths:
        ms = cold_ms(path)
        if ms is not None:
            line(f"cold GET {path} (in process, median of 10)", f"{ms:.1f} ms")
    port = free_port()
    server = serve(port)
    base = f"http://127.0.0.1:{port}"
    try:
        results: dict[str, Load] = {}
        for path in [MINIMAL, *paths]:
            status = status_of(base + path)
            if status != 200:
                line(f"GET {path}", f"skipped: it answers {status}")
                continue
            load(base + path, seconds=2)  # warm-up, not counted: every worker, every thread
            server_before, client_before = cpu_seconds(server), client_cpu_seconds()
            results[path] = result = load(base + path)
            server_us = (cpu_seconds(server) - server_before) / max(result.requests, 1) * 1e6
            client_us = (client_cpu_seconds() - client_before) / max(result.requests, 1) * 1e6
            line(
                f"GET {path}",
                f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, "
                f"p99 {result.p99_ms:.1f} ms"
                + (f", {result.errors} errors" if result.errors else ""),
            )
            # Other work on the machine slows the figures above; the CPU time per request does
            # not depend on it, and says what two idle cores could serve.
            line(
                "  CPU per request: server, load generator",
                f"{server_us:,.0f} µs, {client_us:,.0f} µs "
                f"(2 idle cores ≈ {2e6 / (server_us + client_us):,.0f} req/s)",
            )
        minimal = results.get(MINIMAL)
        if minimal is None:
            return
        for path, result in results.items():
            if path == MINIMAL:
                continue
            share = result.rps / minimal.rps if minimal.rps else 0.0
            met = (
                result.rps >= TARGET_RPS
                and result.p99_ms < TARGET_P99_MS
                and share >= TARGET_SHARE
                and not result.errors
            )
            line(
                f"{path} ÷ minimal view",
                f"{share:.0%} (targets ≥ {TARGET_RPS:,} req/s, p99 < {TARGET_P99_MS} ms, "
                f"≥ {TARGET_SHARE:.0%}: {'met' if met else 'NOT met'})",
            )
    finally:
        stop(server)
