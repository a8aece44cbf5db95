"""Append events to the chain, verify it, and publish and check its daily anchors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from integritas.audit.anchors import PublishedAnchor
from integritas.audit.context import current_actor
from integritas.audit.models import GENESIS_HASH, Anchor, ChainHead, Event
from integritas.lib.spreadsheets import write_csv, write_xlsx

_UNSET: Any = object()


def _json_safe(value: Any) -> Any:
    """Dates, decimals and UUIDs become strings so the stored JSON reads back identically."""
    return json.loads(json.dumps(value, default=str))


def changes_between(
    before: Mapping[str, Any], after: Mapping[str, Any], *, hide: Iterable[str] = ()
) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for fields whose value differs; hidden fields show as ***."""
    hidden = set(hide)
    result: dict[str, list[Any]] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            result[key] = ["***", "***"] if key in hidden else [old, new]
    return _json_safe(result)


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, related objects by their label, for ``changes_between``."""
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_one:
            # A reader of the trail wants "DINKES — Dinas Kesehatan", not an internal id.
            related = getattr(obj, name)
            values[name] = str(related) if related is not None else None
        else:
            values[name] = getattr(obj, field.attname)  # type: ignore[union-attr]
    return _json_safe(values)


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: Mapping[str, Any] | None = None,
    reason: str = "",
    actor: Any = _UNSET,
    actor_label: str = "",
) -> Event:
    """Append one event to the chain, in the caller's transaction.

    The actor defaults to the user of the current request (or the ``acting_as`` label in commands).
    The chain head row is locked for the rest of the transaction, so appends are serialised and
    every event's ``prev_hash`` is the hash of the event before it.
    """
    who = current_actor()
    if actor is _UNSET:
        actor, label = who.user, actor_label or who.label
    else:
        label = actor_label or (
            actor.get_full_name() or actor.get_username() if actor else "system"
        )
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_label = object_label or str(obj)
    with transaction.atomic():
        head, _created = ChainHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        event = Event(
            seq=head.seq + 1,
            created_at=timezone.now().astimezone(dt.UTC),
            actor=actor,
            actor_label=label[:200],
            action=action,
            object_type=object_type,
            object_id=object_id[:64],
            object_label=object_label[:300],
            changes=_json_safe(dict(changes or {})),
            reason=reason,
            request_id=who.request_id,
            prev_hash=head.hash,
        )
        event.hash = event.compute_hash()
        event.save()
        head.seq, head.hash = event.seq, event.hash
        head.save(update_fields=["seq", "hash"])
    return event


M = TypeVar("M", bound=models.Model)


def save_with_event(
    obj: M, values: Mapping[str, Any], *, fields: list[str], kind: str, reason: str = ""
) -> M:
    """Apply ``values``, validate, save, and record ``<kind>.created`` or ``<kind>.updated``
    with the fields that changed (nothing is recorded when nothing changed)."""
    creating = obj.pk is None
    before = {} if creating else snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    changes = changes_between(before, snapshot(obj, fields))
    if creating or changes:
        action = f"{kind}.created" if creating else f"{kind}.updated"
        record(action, obj=obj, changes=changes, reason=reason)
    return obj


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(*, chunk_size: int = 5000, until: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the chain in order and report the first event that was edited, removed or inserted.

    ``until`` (a sequence number and hash read from the head earlier) checks the chain up to
    that event instead of up to the head row, so events appended meanwhile do not count.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    walked = Event.objects.order_by("seq")
    if until is not None:
        walked = walked.filter(seq__lte=until[0])
    for event in walked.iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerifyResult(
                False,
                checked,
                expected_seq,
                f"event #{expected_seq} is missing (next is #{event.seq})",
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, checked, event.seq, f"event #{event.seq} does not follow the event before it"
            )
        if event.compute_hash() != event.hash:
            return VerifyResult(
                False, checked, event.seq, f"event #{event.seq} was changed after it was written"
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    if until is not None:
        head_seq, head_hash = until
    else:
        head = ChainHead.objects.filter(pk=1).first()
        head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != checked or head_hash != prev_hash:
        return VerifyResult(
            False,
            checked,
            checked + 1 if head_seq > checked else head_seq,
            f"the chain ends at #{checked} but its head records #{head_seq}: events were removed "
            "from the end or the head was altered",
        )
    return VerifyResult(True, checked)


class ChainBroken(Exception):
    """The chain failed its check; no anchor was published."""


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    checked: int
    problems: list[str]
    latest: PublishedAnchor | None = None


def check_anchors(anchors: Sequence[PublishedAnchor], *, chunk_size: int = 5000) -> AnchorCheck:
    """Compare the local chain with anchors published earlier: for each, the local event at its
    sequence number must exist and carry its hash (sequence 0 is the empty chain).

    Run it after ``verify_chain``, which shows that the local events link up; this shows that
    they are the ones that were published, which a rewrite of the whole chain and its head, or a
    cut-off end, is not.
    """
    last = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    wanted = sorted({anchor.seq for anchor in anchors if 0 < anchor.seq <= last})
    local: dict[int, str] = {0: GENESIS_HASH}
    for start in range(0, len(wanted), chunk_size):
        batch = wanted[start : start + chunk_size]
        local.update(Event.objects.filter(seq__in=batch).values_list("seq", "hash"))
    problems = []
    for anchor in sorted(anchors, key=lambda a: (a.date, a.seq)):
        day = anchor.date.isoformat()
        if anchor.seq > last:
            problems.append(
                f"the anchor of {day} records event #{anchor.seq} but the chain ends at "
                f"#{last}: events were removed from the end"
            )
        elif local.get(anchor.seq) != anchor.hash:
            problems.append(
                f"event #{anchor.seq} differs from the anchor of {day}: the chain was "
                f"rewritten (published {anchor.hash[:16]}…, here "
                f"{local.get(anchor.seq, '-')[:16]}…)"
            )
    latest = max(anchors, key=lambda a: (a.seq, a.date), default=None)
    return AnchorCheck(not problems, len(anchors), problems, latest)


def stored_anchors() -> list[PublishedAnchor]:
    return [
        PublishedAnchor(date=date, seq=seq, hash=digest)
        for date, seq, digest in Anchor.objects.order_by("date").values_list("date", "seq", "hash")
    ]


def publish_anchor(*, today: dt.date | None = None) -> tuple[Anchor, bool]:
    """Publish the chain head as today's anchor (the government's local date) unless today has
    one; returns the anchor and whether it is new.

    The head is read first and the chain is verified up to it, and against the anchors already
    published, outside the lock, so appends go on meanwhile; a chain that fails either check is
    never anchored (``ChainBroken``). The anchor records the head that was verified.
    """
    today = today or timezone.localdate()
    existing = Anchor.objects.filter(date=today).first()
    if existing is not None:
        return existing, False
    head = ChainHead.objects.filter(pk=1).first()
    until = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    result = verify_chain(until=until)
    if not result.ok:
        raise ChainBroken(f"event #{result.first_bad_seq}: {result.problem}")
    earlier = check_anchors(stored_anchors())
    if not earlier.ok:
        raise ChainBroken(earlier.problems[0])
    try:
        with transaction.atomic():
            anchor = Anchor(date=today, seq=until[0], hash=until[1], published_at=timezone.now())
            anchor.save()
    except IntegrityError:  # another run published today's meanwhile
        return Anchor.objects.get(date=today), False
    return anchor, True


def anchor_record(anchor: Anchor) -> dict[str, Any]:
    """One anchor as the downloads give it (and ``anchors.parse_anchors`` reads it)."""
    return {
        "date": anchor.date.isoformat(),
        "seq": anchor.seq,
        "hash": anchor.hash,
        "published_at": anchor.published_at.astimezone(dt.UTC).isoformat(),
    }


ANCHOR_COLUMNS = ["date", "seq", "hash", "published_at"]
ANCHOR_FORMATS = ("json", "csv", "xlsx")


def anchor_file(fmt: str, **about: Any) -> bytes:
    """Every anchor, oldest first, as the download ``fmt`` ("json", "csv" or "xlsx"); the same
    bytes until the next anchor. Column names and keys are fixed (not translated), so a copy
    made today compares with one made next year."""
    anchors = list(Anchor.objects.order_by("date"))
    if fmt == "json":
        document = anchor_document(anchors, **about)
        return json.dumps(document, ensure_ascii=False, indent=1).encode()
    records = [anchor_record(anchor) for anchor in anchors]
    rows = [[r[c] for c in ANCHOR_COLUMNS] for r in records]
    if fmt == "csv":
        return write_csv(ANCHOR_COLUMNS, rows)
    if fmt == "xlsx":
        stamp = anchors[-1].published_at if anchors else dt.datetime(1980, 1, 1, tzinfo=dt.UTC)
        return write_xlsx(ANCHOR_COLUMNS, rows, "audit-anchors", stamp=stamp.astimezone(dt.UTC))
    raise ValueError(f"unknown format {fmt!r}")


def anchor_document(anchors: Iterable[Anchor], **about: Any) -> dict[str, Any]:
    """The JSON download: what the anchors are and how to check them (``about`` adds keys such
    as the publisher), then every anchor, oldest first."""
    return {
        **about,
        "description": (
            "Daily anchors of the audit trail's hash chain: on each date, the sequence number "
            "and SHA-256 hash of the newest event. Keep copies; check a database against them "
            "with: manage.py audit_verify --anchors FILE_OR_URL"
        ),
        "hash_algorithm": "sha256",
        "anchors": [anchor_record(anchor) for anchor in anchors],
    }
