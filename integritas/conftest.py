"""Browser tests: find Debian's Chromium, skip clearly without it, and drive it with Playwright.

Tests marked ``browser`` get a ``browser_page`` fixture: a fresh headless Chromium page. We never
download Playwright's own browsers; the system's ``chromium`` package is the one we use, in CI too.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

SYSTEM_CHROMIUM = Path("/usr/bin/chromium")
SKIP_REASON = "Chromium not found: browser tests skipped (install Debian's chromium package)"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Keep the browser quiet: no update checks, sync or other calls home during tests.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# A failing step should fail in seconds, not after Playwright's 30-second default.
TIMEOUT_MS = 5_000
SCREENSHOT_DIR = "test-results"

# What happened to the browser tests in this run, for the terminal summary.
_browser_run = pytest.StashKey[tuple[int, str | None]]()
# Each test's phase reports, so the fixture can tell at teardown whether the test failed.
_phase_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


def chromium_path() -> str | None:
    """Debian's Chromium, or any ``chromium`` on the PATH; None when there is none."""
    if SYSTEM_CHROMIUM.exists():
        return str(SYSTEM_CHROMIUM)
    return shutil.which("chromium")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # trylast: count only what survived deselection (-m, -k).
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    reason = None if chromium_path() else SKIP_REASON
    if reason:
        for item in browser_items:
            item.add_marker(pytest.mark.skip(reason=reason))
    config.stash[_browser_run] = (len(browser_items), reason)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    count, reason = config.stash.get(_browser_run, (0, None))
    if not count:
        return
    if reason:
        terminalreporter.write_line(
            f"{count} browser tests SKIPPED: {reason}", yellow=True, bold=True
        )
    else:
        terminalreporter.write_line(
            f"{count} browser tests ran in headless Chromium ({chromium_path()})"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    item.stash.setdefault(_phase_reports, {})[report.when] = report
    return report


@pytest.fixture
def browser_page(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Page]:
    """A page in a fresh headless Chromium with its own throwaway profile.

    Playwright is imported here, not at the top, so the rest of the suite runs without it.
    On failure a full-page screenshot goes to ``test-results/``.
    """
    from django.db import connections
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        pytest.skip(SKIP_REASON)
    # Playwright's sync API keeps an event loop in this thread, and Django refuses ORM calls
    # while one exists; the tests' ORM calls are plain synchronous code, so this is safe here.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with (
        tempfile.TemporaryDirectory(prefix="integritas-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            # Indonesian first, as for the people who use Integritas.
            locale="id-ID",
            timezone_id="Asia/Jakarta",
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            page = context.pages[0] if context.pages else context.new_page()
            yield page
            call = request.node.stash.get(_phase_reports, {}).get("call")
            if call is not None and call.failed:
                name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
                target = request.config.rootpath / SCREENSHOT_DIR / f"{name}.png"
                target.parent.mkdir(parents=True, exist_ok=True)
                with contextlib.suppress(PlaywrightError):
                    page.screenshot(path=str(target), full_page=True)
        finally:
            context.close()
            # Inside sync_playwright() Django's per-context connection storage is a different
            # one, so ORM calls made by the test opened connections pytest-django does not know
            # about. Close them here, in that context; on PostgreSQL a leftover one would keep
            # the test database from being dropped at the end of the run.
            connections.close_all()
