"""Citizens' feedback on published action plans: receiving it (every check before anything is
stored), moderating it, the unit's answer, and the tallies the dashboards show.

Receiving is anonymous: nothing about the sender is stored and no audit event is written (an
event would date a citizen's visit). Moderation and answers are decisions by staff: each writes
one audit event. Photos are decoded and only their pixels written again with ``lib/uploads.py``,
as whistleblowing cleans reporters' photos, so EXIF, GPS positions and comments never reach the
disk.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core import workflow as state
from integritas.core.models import User
from integritas.followup import workflow
from integritas.followup.access import actors_for
from integritas.followup.models import ActionPlan, Feedback, Tally
from integritas.followup.models.feedback import ANSWER_MAX_CHARS, COMMENT_MAX_CHARS
from integritas.lib import files, uploads
from integritas.lib.formatting import format_number

PHOTO_KINDS = frozenset({"jpeg", "png", "webp"})
PHOTO_MAX_PIXELS = 40_000_000  # refused before decoding: a phone photo is 12 to 50 MP at most
PHOTO_MAX_SIDE = 2048  # stored photos are scaled down to this, which is plenty on a portal


def _number(n: int) -> str:
    return format_number(n, 0, get_language() or "id")


def photo_max_bytes() -> int:
    return int(settings.FOLLOWUP_FEEDBACK_PHOTO_MAX_MB) * 1024 * 1024


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str


def clean_photo(content: bytes) -> CleanPhoto:
    """A photo re-drawn from its pixels only (turned upright first), scaled down to
    ``PHOTO_MAX_SIDE``; ``ValidationError`` for anything that is not a real JPEG, PNG or WebP
    photo within the size and pixel limits, judged by its content, not its name."""
    if len(content) > photo_max_bytes():
        raise ValidationError(
            _("The photo is larger than %(mb)d MB.") % {"mb": photo_max_bytes() >> 20}
        )
    sniffed = files.sniff(io.BytesIO(content))
    if sniffed is None or sniffed.kind not in PHOTO_KINDS:
        raise ValidationError(
            _("The photo must be a JPEG, PNG or WebP image (judged by its content).")
        )
    try:
        image = uploads.decode_image(content, max_pixels=PHOTO_MAX_PIXELS)
    except files.TooLargeUnpacked as exc:  # judged from the header, before decoding
        raise ValidationError(_("The photo has too many pixels. Send a smaller version.")) from exc
    except ValueError as exc:
        raise ValidationError(_("The photo is damaged and cannot be opened.")) from exc
    mode = "RGBA" if uploads.has_alpha(image) and sniffed.kind != "jpeg" else "RGB"
    clean = uploads.pixels_only(image, mode, max_side=PHOTO_MAX_SIDE)  # a new image: no info
    out = io.BytesIO()
    if sniffed.kind == "jpeg":
        clean.save(out, format="JPEG", quality=88)
    elif sniffed.kind == "webp":
        clean.save(out, format="WEBP", quality=88)
    else:
        clean.save(out, format="PNG")
    return CleanPhoto(out.getvalue(), sniffed.content_type, sniffed.extension)


def fingerprint(comment: str) -> str:
    """The comment with case and spacing ignored, hashed: the same text sent twice matches."""
    normal = " ".join(comment.casefold().split())
    return hashlib.sha256(normal.encode()).hexdigest()


def submit(*, plan: ActionPlan, seen: str, comment: str, photo: bytes | None = None) -> Feedback:
    """Store one citizen's feedback, waiting for moderation, after every check; on any problem
    ``ValidationError`` (by field: ``seen``, ``comment``, ``photo``) and nothing is stored."""
    problems: dict[str, list[str]] = {}
    # Browsers send line breaks as CRLF but count them as one character against ``maxlength``.
    text = comment.replace("\r\n", "\n").strip()
    if seen not in Feedback.Seen.values:
        problems["seen"] = [_("Say whether you see the action done: yes, partly or no.")]
    if not text:
        problems["comment"] = [_("Write a comment: what did you see?")]
    elif len(text) > COMMENT_MAX_CHARS:
        problems["comment"] = [
            _("The comment is too long: at most %(n)s characters (it has %(m)s).")
            % {"n": _number(COMMENT_MAX_CHARS), "m": _number(len(text))}
        ]
    cleaned = None
    if photo:
        try:
            cleaned = clean_photo(photo)
        except ValidationError as error:
            problems["photo"] = list(error.messages)
    digest = fingerprint(text)
    if (
        "comment" not in problems
        and Feedback.objects.filter(plan=plan, fingerprint=digest).exists()
    ):
        problems["comment"] = [
            _("This comment was already received for this action. Thank you; it is not sent twice.")
        ]
    if problems:
        raise ValidationError(problems)
    item = Feedback(plan=plan, seen=seen, comment=text, fingerprint=digest)
    if cleaned is not None:
        item.photo_type = cleaned.content_type
        item.photo.save(f"photo.{cleaned.extension}", ContentFile(cleaned.content), save=False)
    try:
        with transaction.atomic():
            item.save()
    except Exception:
        if item.photo:
            item.photo.delete(save=False)  # no file without its row
        raise
    return item


def moderation_roles(user: Any, item: Feedback) -> frozenset[str]:
    return actors_for(user, item.plan)


def moderate(*, feedback: Feedback, step: str, by: User, reason: str = "") -> Feedback:
    """Approve or hide (with a reason) an item: the Inspectorate's decision, audited.
    ``TransitionError`` when the step is not allowed from the item's state or for ``by``."""
    with transaction.atomic():
        item = Feedback.objects.select_for_update().select_related("plan").get(pk=feedback.pk)

        def effects(transition: state.Transition) -> Iterable[str]:
            item.moderated_at = timezone.now()
            item.moderated_by = by
            item.hide_reason = reason.strip() if transition.name == "hide" else ""
            return ["moderated_at", "moderated_by", "hide_reason"]

        state.apply(
            item,
            step,
            table=workflow.FEEDBACK_TRANSITIONS,
            roles=moderation_roles(by, item),
            reason=reason,
            effects=effects,
            actor=by,
        )
    return item


def can_answer(user: Any, item: Feedback) -> bool:
    """The unit that owns the plan (its head or officers) answers approved items, once."""
    return (
        bool(actors_for(user, item.plan) & workflow.UNIT)
        and item.status == Feedback.Status.APPROVED
        and not item.answer
    )


def answer(*, feedback: Feedback, by: User, text: str) -> Feedback:
    """The unit's one public answer to an approved item, audited. ``PermissionDenied`` for
    anyone but the head or an officer of the plan's unit; ``ValidationError`` for an empty or
    too long answer, an item not approved, or one already answered."""
    with transaction.atomic():
        item = Feedback.objects.select_for_update().select_related("plan").get(pk=feedback.pk)
        if not actors_for(by, item.plan) & workflow.UNIT:
            raise PermissionDenied
        body = text.strip()
        if item.answer:
            raise ValidationError({"answer": _("This feedback already has the unit's answer.")})
        if item.status != Feedback.Status.APPROVED:
            raise ValidationError(
                {"answer": _("Only feedback approved for the portal can be answered.")}
            )
        if not body:
            raise ValidationError({"answer": _("Write the answer.")})
        if len(body) > ANSWER_MAX_CHARS:
            raise ValidationError(
                {
                    "answer": _("The answer is too long: at most %(n)s characters.")
                    % {"n": _number(ANSWER_MAX_CHARS)}
                }
            )
        item.answer = body
        item.answered_at = timezone.now()
        item.answered_by = by
        item.save(update_fields=["answer", "answered_at", "answered_by"])
        audit.record("feedback.answered", obj=item, changes={"answer": [None, body]}, actor=by)
    return item


def tally(plan: ActionPlan) -> Tally:
    """The counted votes on one plan."""
    return tallies([plan.pk]).get(plan.pk, Tally())


def tallies(plan_ids: Iterable[int]) -> dict[int, Tally]:
    """The counted votes of each of these plans (plans without votes are left out)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Feedback.objects.counted()
        .filter(plan_id__in=list(plan_ids))
        .values_list("plan_id", "seen")
        .order_by()
    )
    for plan_id, seen in rows:
        by_seen = counts.setdefault(plan_id, {})
        by_seen[seen] = by_seen.get(seen, 0) + 1
    return {plan_id: Tally(**by_seen) for plan_id, by_seen in counts.items()}
