"""Citizens' feedback on a published action plan: does the public see the action done (yes,
partly, no), a comment and at most one photo, sent from the portal without an account.

A comment waits for moderation (``PENDING``); the Inspectorate approves it or hides it with a
reason (``workflow.FEEDBACK_TRANSITIONS``). The unit that owns the plan may write one public
answer to an approved item. Nothing about the sender is stored: no address, no account, no
cookie; the rate limits count a keyed hash of the address in the cache only
(``followup/ratelimit.py``).

Every vote that is not hidden counts in the tally (``FeedbackQuerySet.counted``): the vote is
a vote from the moment it is sent, and hiding an abusive post removes its vote with it. An
action is *flagged* for the Inspectorate when its "no" votes reach
``FOLLOWUP_FEEDBACK_FLAG_NO_VOTES`` and are more than half of its votes.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.followup.workflow import FeedbackStatus

from .plans import ActionPlan

COMMENT_MAX_CHARS = 1000
ANSWER_MAX_CHARS = 2000


def feedback_photo_path(instance: Feedback, filename: str) -> str:
    """Stored under a random name; the uploaded name is never kept."""
    return f"feedback/{instance.plan.public_id}/{uuid.uuid4().hex}"


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def counted(self) -> FeedbackQuerySet:
        """The votes that count in the tally: every one that is not hidden."""
        return self.exclude(status=Feedback.Status.HIDDEN)

    def approved(self) -> FeedbackQuerySet:
        """What the public reads: approved items only."""
        return self.filter(status=Feedback.Status.APPROVED)

    def pending(self) -> FeedbackQuerySet:
        return self.filter(status=Feedback.Status.PENDING)


@dataclass(frozen=True)
class Tally:
    """The counted votes on one plan (or on several together)."""

    yes: int = 0
    partly: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.no

    @property
    def flagged(self) -> bool:
        """Many "no" answers: at least the threshold, and more than half of the votes."""
        threshold = int(settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES)
        return self.no >= threshold and 2 * self.no > self.total


def _votes(seen: str) -> Count:
    return Count(
        "feedback", filter=~Q(feedback__status=FeedbackStatus.HIDDEN) & Q(feedback__seen=seen)
    )


def flagged_plans(plans: models.QuerySet[ActionPlan]) -> models.QuerySet[ActionPlan]:
    """The plans among ``plans`` that citizens' "no" answers flag for the Inspectorate, with
    their counted votes (``fb_yes``, ``fb_partly``, ``fb_no``), the most "no" answers first."""
    return (
        plans.annotate(fb_yes=_votes("yes"), fb_partly=_votes("partly"), fb_no=_votes("no"))
        .filter(
            fb_no__gte=int(settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES),
            fb_no__gt=F("fb_yes") + F("fb_partly"),
        )
        .order_by("-fb_no", "recommendation__code", "unit__code")
    )


class Feedback(models.Model):
    """One citizen's feedback on one action plan."""

    class Seen(models.TextChoices):
        YES = "yes", _("Yes, it is done")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No, I do not see it done")

    class Status(models.TextChoices):
        PENDING = FeedbackStatus.PENDING.value, _("Waiting for moderation")
        APPROVED = FeedbackStatus.APPROVED.value, _("Approved")
        HIDDEN = FeedbackStatus.HIDDEN.value, _("Hidden")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="feedback"
    )
    seen = models.CharField(_("is it done?"), max_length=10, choices=Seen.choices)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX_CHARS)
    # SHA-256 of the comment with case and spacing ignored: the same text sent again is refused.
    fingerprint = models.CharField(max_length=64, editable=False)
    photo = models.FileField(_("photo"), upload_to=feedback_photo_path, max_length=200, blank=True)
    photo_type = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hide_reason = models.TextField(_("reason for hiding"), blank=True)
    answer = models.TextField(_("the unit's answer"), max_length=ANSWER_MAX_CHARS, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("citizen feedback")
        verbose_name_plural = _("citizen feedback")
        indexes = [models.Index(fields=["plan", "fingerprint"], name="followup_feedback_repeat")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="hidden") | ~models.Q(hide_reason=""),
                name="followup_feedback_hidden_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} #{self.pk}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
