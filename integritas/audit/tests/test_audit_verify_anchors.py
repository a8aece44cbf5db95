"""audit_verify --anchors FILE_OR_URL: the local chain against anchors kept outside the
database. A rewrite of the whole chain and its head, or a truncation, passes the chain check
alone but not this one; bad input is refused clearly."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from integritas import audit
from integritas.audit.models import Anchor
from integritas.audit.services import anchor_document, publish_anchor
from integritas.audit.tests.tampering import rewrite_chain, truncate_chain

pytestmark = pytest.mark.django_db

DAY_ONE = dt.datetime(2026, 12, 6, 1, 0, tzinfo=dt.UTC)


def events(count: int) -> None:
    for i in range(count):
        audit.record("test.thing", object_type="test.thing", object_id=str(i))


def published_anchors() -> bytes:
    """Three days of anchors (events #3, #5, #8), as the public JSON download holds them."""
    for day, count in enumerate((3, 2, 3)):
        events(count)
        with time_machine.travel(DAY_ONE + dt.timedelta(days=day), tick=False):
            publish_anchor()
    return json.dumps(anchor_document(Anchor.objects.order_by("date"))).encode()


class Served:
    """What the local HTTP server answers: a body, a status, and an optional delay."""

    def __init__(self) -> None:
        self.body = b""
        self.status = 200
        self.delay = 0.0
        self.requests = 0


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    """A plain HTTP server on 127.0.0.1 serving ``Served``'s body at every path."""
    served = Served()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            served.requests += 1
            if served.delay:
                time.sleep(served.delay)
            self.send_response(served.status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            try:
                self.wfile.write(served.body)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, *args: Any) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/data/audit-anchors.json", served
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def anchors_file(tmp_path: Path) -> Path:
    path = tmp_path / "audit-anchors.json"
    path.write_bytes(published_anchors())
    return path


# --- a file ---


def test_a_clean_chain_matches_its_anchors_from_a_file(
    anchors_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    events(2)  # the chain has grown since the last anchor
    call_command("audit_verify", "--anchors", str(anchors_file))
    out = capsys.readouterr().out
    assert "intact: 10 events" in out
    assert "matches all 3 published anchors (latest: event #8 of 2026-12-08)" in out


def test_a_rewritten_chain_and_head_pass_the_chain_check_but_not_the_anchors(
    anchors_file: Path,
) -> None:
    rewrite_chain(from_seq=4)
    call_command("audit_verify")  # without anchors the rewrite goes unnoticed
    with pytest.raises(CommandError, match=r"does NOT match 2 of 3 published anchors") as error:
        call_command("audit_verify", "--anchors", str(anchors_file))
    assert "event #5 differs from the anchor of 2026-12-07: the chain was rewritten" in str(
        error.value
    )


def test_a_truncated_chain_fails_against_its_anchors(anchors_file: Path) -> None:
    truncate_chain(keep=6)
    call_command("audit_verify")
    with pytest.raises(
        CommandError,
        match=r"the anchor of 2026-12-08 records event #8 but the chain ends at #6: "
        r"events were removed from the end",
    ):
        call_command("audit_verify", "--anchors", str(anchors_file))


def test_a_chain_emptied_and_restarted_fails_against_its_anchors(anchors_file: Path) -> None:
    truncate_chain(keep=0)
    events(9)  # a new chain, longer than the old one, with other content
    call_command("audit_verify")
    with pytest.raises(CommandError, match=r"does NOT match 3 of 3 published anchors"):
        call_command("audit_verify", "--anchors", str(anchors_file))


def test_a_chain_broken_in_place_is_reported_before_the_anchors(anchors_file: Path) -> None:
    from django.db import connection

    from integritas.audit.tests.tampering import tampering

    with tampering(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET reason = 'x' WHERE seq = 4")
    with pytest.raises(CommandError, match=r"BROKEN at event #4"):
        call_command("audit_verify", "--anchors", str(anchors_file))


def test_a_bare_list_of_anchors_is_accepted_too(tmp_path: Path) -> None:
    document = json.loads(published_anchors())
    path = tmp_path / "list.json"
    path.write_text(json.dumps(document["anchors"]))
    call_command("audit_verify", "--anchors", str(path))


# --- a URL ---


def test_a_clean_chain_matches_its_anchors_from_a_url(
    server: tuple[str, Served], capsys: pytest.CaptureFixture[str]
) -> None:
    url, served = server
    served.body = published_anchors()
    call_command("audit_verify", "--anchors", url)
    assert "matches all 3 published anchors" in capsys.readouterr().out
    assert served.requests == 1


def test_a_rewritten_chain_fails_against_anchors_from_a_url(server: tuple[str, Served]) -> None:
    url, served = server
    served.body = published_anchors()
    rewrite_chain(from_seq=1)
    with pytest.raises(CommandError, match=r"does NOT match 3 of 3 published anchors"):
        call_command("audit_verify", "--anchors", url)


def test_a_truncated_chain_fails_against_anchors_from_a_url(server: tuple[str, Served]) -> None:
    url, served = server
    served.body = published_anchors()
    truncate_chain(keep=7)
    with pytest.raises(CommandError, match=r"records event #8 but the chain ends at #7"):
        call_command("audit_verify", "--anchors", url)


def test_an_http_error_is_reported_with_its_status(server: tuple[str, Served]) -> None:
    url, served = server
    served.status, served.body = 404, b"not here"
    with pytest.raises(CommandError, match=r"could not download the anchors.*HTTP 404"):
        call_command("audit_verify", "--anchors", url)


def test_a_download_larger_than_the_bound_is_refused(
    server: tuple[str, Served], settings: Any
) -> None:
    url, served = server
    settings.AUDIT_ANCHORS_MAX_BYTES = 1000
    served.body = b"[" + b" " * 2000 + b"]"
    with pytest.raises(CommandError, match=r"larger than 1000 bytes"):
        call_command("audit_verify", "--anchors", url)


def test_a_server_that_does_not_answer_in_time_is_given_up(
    server: tuple[str, Served], settings: Any
) -> None:
    url, served = server
    settings.AUDIT_ANCHORS_TIMEOUT_SECONDS = 0.3
    served.delay, served.body = 1.5, b"[]"
    started = time.monotonic()
    with pytest.raises(CommandError, match=r"could not download the anchors.*timed out"):
        call_command("audit_verify", "--anchors", url)
    assert time.monotonic() - started < 1.4


def test_a_url_of_another_scheme_is_refused() -> None:
    with pytest.raises(CommandError, match=r"only http:// and https:// addresses"):
        call_command("audit_verify", "--anchors", "ftp://example.org/anchors.json")


# --- bad input ---


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"could not read the anchors file .*nothing.json"):
        call_command("audit_verify", "--anchors", str(tmp_path / "nothing.json"))


def test_malformed_json_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"anchors": [\n  {"seq": 1,,}\n]}')
    with pytest.raises(CommandError, match=r"not valid JSON \(line 2"):
        call_command("audit_verify", "--anchors", str(path))


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"items": []}, r"an object with a list \"anchors\""),
        ("anchors", r"an object with a list \"anchors\""),
        ([], r"holds no anchors"),
        ([{"seq": 1, "hash": "a" * 64}], r"anchor 1: \"date\" is missing"),
        ([{"date": "6 Dec", "seq": 1, "hash": "a" * 64}], r"anchor 1: \"date\" must be"),
        ([{"date": "2026-12-06", "seq": "1", "hash": "a" * 64}], r"anchor 1: \"seq\" must be"),
        ([{"date": "2026-12-06", "seq": -1, "hash": "a" * 64}], r"anchor 1: \"seq\" must be"),
        ([{"date": "2026-12-06", "seq": True, "hash": "a" * 64}], r"anchor 1: \"seq\" must be"),
        ([{"date": "2026-12-06", "seq": 1, "hash": "xyz"}], r"anchor 1: \"hash\" must be"),
        (["2026-12-06"], r"anchor 1 is not an object"),
    ],
)
def test_a_file_of_the_wrong_shape_is_reported(tmp_path: Path, content: Any, problem: str) -> None:
    path = tmp_path / "shape.json"
    path.write_text(json.dumps(content))
    with pytest.raises(CommandError, match=problem):
        call_command("audit_verify", "--anchors", str(path))


def test_two_anchors_that_contradict_each_other_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "twice.json"
    anchors = [
        {"date": "2026-12-06", "seq": 1, "hash": "a" * 64},
        {"date": "2026-12-07", "seq": 1, "hash": "b" * 64},
    ]
    path.write_text(json.dumps(anchors))
    with pytest.raises(CommandError, match=r"two anchors give event #1 different hashes"):
        call_command("audit_verify", "--anchors", str(path))
