"""Reading published anchors back: from a file or an http(s) address, bounded in time and size,
and checked for shape before anything is compared with the chain. No Django here.

The accepted document is the public JSON download (an object whose ``anchors`` is a list) or a
bare list; each anchor has ``date`` (YYYY-MM-DD), ``seq`` (a whole number, 0 or more) and
``hash`` (64 lowercase hexadecimal characters); other keys (``published_at``) are ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HASH_RE = re.compile(r"[0-9a-f]{64}")
USER_AGENT = "Integritas audit_verify"


class AnchorSourceError(Exception):
    """The anchors could not be read, or are not anchors; the message says which and why."""


@dataclass(frozen=True)
class PublishedAnchor:
    date: dt.date
    seq: int
    hash: str


def is_url(source: str) -> bool:
    return "://" in source


def read_source(source: str, *, timeout: float, max_bytes: int) -> bytes:
    """The bytes of a file path or an http(s) address, at most ``max_bytes`` of them."""
    if is_url(source):
        return _download(source, timeout=timeout, max_bytes=max_bytes)
    try:
        with Path(source).open("rb") as file:
            data = file.read(max_bytes + 1)
    except OSError as exc:
        raise AnchorSourceError(
            f"could not read the anchors file {source}: {exc.strerror or exc}"
        ) from exc
    if len(data) > max_bytes:
        raise AnchorSourceError(f"the anchors file {source} is larger than {max_bytes} bytes")
    return data


def _download(url: str, *, timeout: float, max_bytes: int) -> bytes:
    scheme = url.split("://", 1)[0].lower()
    if scheme not in {"http", "https"}:
        raise AnchorSourceError(
            f"only http:// and https:// addresses or a file path can be read, not {url}"
        )
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise AnchorSourceError(f"the anchors at {url} are larger than {max_bytes} bytes")
            data: bytes = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise AnchorSourceError(
            f"could not download the anchors from {url}: HTTP {exc.code} {exc.reason}"
        ) from exc
    except urllib.error.URLError as exc:
        raise AnchorSourceError(
            f"could not download the anchors from {url}: {_reason(exc.reason)}"
        ) from exc
    except (TimeoutError, OSError) as exc:
        raise AnchorSourceError(
            f"could not download the anchors from {url}: {_reason(exc)}"
        ) from exc
    if len(data) > max_bytes:
        raise AnchorSourceError(f"the anchors at {url} are larger than {max_bytes} bytes")
    return data


def _reason(reason: Any) -> str:
    if isinstance(reason, TimeoutError):
        return "timed out"
    return str(reason) or reason.__class__.__name__


def parse_anchors(data: bytes, *, source: str) -> list[PublishedAnchor]:
    """The anchors of a JSON document, in the order given; any fault is an ``AnchorSourceError``
    naming the anchor (counted from 1) and the field."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise AnchorSourceError(f"the anchors in {source} are not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise AnchorSourceError(
            f"the anchors in {source} are not valid JSON (line {exc.lineno}, column "
            f"{exc.colno}: {exc.msg})"
        ) from exc
    items = document.get("anchors") if isinstance(document, dict) else document
    if not isinstance(items, list):
        raise AnchorSourceError(
            f'the anchors in {source} must be an object with a list "anchors" (as the '
            "published download) or a list of anchors"
        )
    if not items:
        raise AnchorSourceError(f"{source} holds no anchors: there is nothing to check against")
    anchors = [_anchor(item, number) for number, item in enumerate(items, start=1)]
    seen: dict[int, str] = {}
    for anchor in anchors:
        if seen.setdefault(anchor.seq, anchor.hash) != anchor.hash:
            raise AnchorSourceError(
                f"two anchors give event #{anchor.seq} different hashes in {source}: "
                "the file is not one government's anchors"
            )
    return anchors


def _anchor(item: Any, number: int) -> PublishedAnchor:
    if not isinstance(item, dict):
        raise AnchorSourceError(f"anchor {number} is not an object with date, seq and hash")
    for key in ("date", "seq", "hash"):
        if key not in item:
            raise AnchorSourceError(f'anchor {number}: "{key}" is missing')
    try:
        date = dt.date.fromisoformat(item["date"]) if isinstance(item["date"], str) else None
    except ValueError:
        date = None
    if date is None:
        raise AnchorSourceError(f'anchor {number}: "date" must be a date like 2026-12-06')
    seq = item["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise AnchorSourceError(f'anchor {number}: "seq" must be a whole number, 0 or more')
    digest = item["hash"]
    if not isinstance(digest, str) or not HASH_RE.fullmatch(digest):
        raise AnchorSourceError(
            f'anchor {number}: "hash" must be 64 lowercase hexadecimal characters (SHA-256)'
        )
    return PublishedAnchor(date=date, seq=seq, hash=digest)
