"""Action plans: each target unit's answer to a recommendation, its activities, the evidence that
proves them, and the returns for revision. A plan moves through ``workflow.py``."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from integritas.core.calendar import CalendarDataMissing
from integritas.core.models import Unit
from integritas.core.services.calendar import calendar_for
from integritas.followup.workflow import FINAL, ActivityStatus
from integritas.followup.workflow import Status as WorkflowStatus
from integritas.lib.formatting import format_date

from .deadlines import (
    bpk_answer_days,
    due_soon_limit,
    plan_draft_due,
)
from .recommendations import Recommendation


class PlanStage(models.TextChoices):
    """Stages of the cross-unit plan list beside the plain statuses (``ActionPlanQuerySet.
    listed``): plans waiting for their unit to start them, and plans the Inspectorate returned."""

    NOT_STARTED = "not_started", _("Not started (plan still a draft)")
    DRAFT_LATE = "draft_late", _("Plan not submitted in time")
    RETURNED = "returned", _("Returned to the unit")
    ACTIVITIES_DONE = "activities_done", _("Activities waiting for verification")


class PlanDue(models.TextChoices):
    """The deadline filters of the cross-unit plan list."""

    OVERDUE = "overdue", _("Overdue")
    SOON = "soon", _("Due soon")


class ActionPlanQuerySet(models.QuerySet["ActionPlan"]):
    """Named queries about plans. A plan is due when its last activity is."""

    def open(self) -> ActionPlanQuerySet:
        """Plans still being worked on (not verified, not cancelled)."""
        return self.exclude(status__in=FINAL)

    # The annotated querysets are typed loosely: the type checker cannot see ``due``.
    def with_due(self) -> models.QuerySet[Any]:
        """Plans annotated with ``due`` (their last activity's due date)."""
        return self.annotate(due=Max("activities__due_on"))

    def overdue(self, today: dt.date | None = None) -> models.QuerySet[Any]:
        """Open plans past the due date of their last activity (annotated with ``due``)."""
        today = today or timezone.localdate()
        return self.open().with_due().filter(due__lt=today)

    def due_soon(self, today: dt.date | None = None) -> models.QuerySet[Any]:
        """Open plans due between today and ``due_soon_limit`` (both included; annotated with
        ``due``)."""
        today = today or timezone.localdate()
        return self.open().with_due().filter(due__gte=today, due__lte=due_soon_limit(today))

    def returned(self) -> ActionPlanQuerySet:
        """Plans returned to their unit (the plan, its evidence or one activity's evidence) and
        not yet resubmitted."""
        return self.filter(
            models.Exists(
                PlanReturn.objects.filter(plan=models.OuterRef("pk"), resolved_at__isnull=True)
            )
        )

    def not_started(self) -> ActionPlanQuerySet:
        """Plans of issued recommendations still a first draft: their unit has not yet
        submitted a plan (a plan returned for revision is not counted here)."""
        return self.filter(
            status=ActionPlan.Status.DRAFT,
            recommendation__status=Recommendation.Status.ISSUED,
        ).exclude(pk__in=self.returned().values("pk"))

    def listed(
        self,
        *,
        q: str = "",
        status: str = "",
        unit: str = "",
        source: str = "",
        year: int | None = None,
        due: str = "",
        today: dt.date | None = None,
    ) -> models.QuerySet[Any]:
        """The plans of the cross-unit list that match its filters, annotated with ``due``:
        ``status`` is a plan status or a ``PlanStage``, ``unit`` a unit code, ``source`` the
        recommendation's, ``due`` a ``PlanDue``, ``q`` words of the recommendation's number,
        title or reference or of the unit's code or name. The home page's counts come from
        here too, so that a count and the list it links to always agree."""
        plans: models.QuerySet[Any]
        if due == PlanDue.OVERDUE:
            plans = self.overdue(today)
        elif due == PlanDue.SOON:
            plans = self.due_soon(today)
        else:
            plans = self.with_due()
        if status == PlanStage.RETURNED:
            plans = plans.filter(pk__in=self.returned().values("pk"))
        elif status == PlanStage.NOT_STARTED:
            plans = plans.filter(pk__in=self.not_started().values("pk"))
        elif status == PlanStage.DRAFT_LATE:
            plans = plans.filter(pk__in=self.draft_late(today).values("pk"))
        elif status == PlanStage.ACTIVITIES_DONE:
            plans = plans.filter(pk__in=self.activities_done().values("pk"))
        elif status:
            plans = plans.filter(status=status)
        if unit:
            plans = plans.filter(unit__code=unit)
        if source:
            plans = plans.filter(recommendation__source=source)
        if year is not None:
            plans = plans.filter(recommendation__year=year)
        for word in q.split():
            plans = plans.filter(
                models.Q(recommendation__code__icontains=word)
                | models.Q(recommendation__title__icontains=word)
                | models.Q(recommendation__reference_number__icontains=word)
                | models.Q(unit__code__icontains=word)
                | models.Q(unit__name__icontains=word)
            )
        return plans.order_by(
            models.F("due").asc(nulls_last=True), "recommendation__code", "unit__code"
        )

    def activities_done(self) -> ActionPlanQuerySet:
        """Open plans with an activity marked done whose evidence waits for verification."""
        return self.open().filter(
            models.Exists(
                Activity.objects.filter(plan=models.OuterRef("pk"), status=Activity.Status.DONE)
            )
        )

    def awaiting_first_submission(self) -> ActionPlanQuerySet:
        """Plans with a drafting deadline still to meet (``ActionPlan.draft_due_on``): drafts
        never submitted, of issued recommendations other than BPK findings with an answer due
        date (those have the BPK answer's deadline instead)."""
        return self.filter(
            status=ActionPlan.Status.DRAFT,
            submitted_by__isnull=True,
            recommendation__status=Recommendation.Status.ISSUED,
            recommendation__issued_at__isnull=False,
        ).exclude(
            recommendation__source=Recommendation.Source.BPK,
            recommendation__report_received_on__isnull=False,
        )

    def draft_late(self, today: dt.date | None = None) -> ActionPlanQuerySet:
        """Plans not submitted by their drafting deadline (from the day after it)."""
        today = today or timezone.localdate()
        waiting = self.awaiting_first_submission()
        issued = {
            timezone.localdate(moment)
            for moment in waiting.values_list("recommendation__issued_at", flat=True).distinct()
        }
        late = [day for day in issued if plan_draft_due(day) < today]
        return waiting.filter(recommendation__issued_at__date__in=late)

    def unanswered_bpk(self) -> ActionPlanQuerySet:
        """Draft plans of issued BPK recommendations with an answer due date: the units that
        still owe BPK their answer."""
        return self.filter(
            status=ActionPlan.Status.DRAFT,
            recommendation__status=Recommendation.Status.ISSUED,
            recommendation__source=Recommendation.Source.BPK,
            recommendation__report_received_on__isnull=False,
        )

    def answer_overdue(self, today: dt.date | None = None) -> ActionPlanQuerySet:
        """Plans whose unit has not answered BPK by the answer's due date (``Recommendation.
        answer_due_on``), from the day after it."""
        today = today or timezone.localdate()
        received_before = today - dt.timedelta(days=bpk_answer_days())
        return self.unanswered_bpk().filter(recommendation__report_received_on__lt=received_before)

    def answer_due_soon(self, today: dt.date | None = None) -> ActionPlanQuerySet:
        """Plans whose BPK answer is due between today and ``due_soon_limit(today)``."""
        today = today or timezone.localdate()
        days = dt.timedelta(days=bpk_answer_days())
        return self.unanswered_bpk().filter(
            recommendation__report_received_on__gte=today - days,
            recommendation__report_received_on__lte=due_soon_limit(today) - days,
        )


class ActionPlan(models.Model):
    """One target unit's answer to a recommendation: activities, evidence, verification."""

    class Status(models.TextChoices):
        DRAFT = WorkflowStatus.DRAFT.value, _("Draft")
        SUBMITTED = WorkflowStatus.SUBMITTED.value, _("Submitted for approval")
        APPROVED = WorkflowStatus.APPROVED.value, _("Approved")
        IN_PROGRESS = WorkflowStatus.IN_PROGRESS.value, _("In progress")
        EVIDENCE_SUBMITTED = WorkflowStatus.EVIDENCE_SUBMITTED.value, _("Evidence submitted")
        VERIFIED = WorkflowStatus.VERIFIED.value, _("Verified")
        CANCELLED = WorkflowStatus.CANCELLED.value, _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="plans",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="action_plans"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    last_reason = models.TextField(_("reason given"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation__code", "unit__code"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "unit"], name="followup_one_plan_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recommendation.code} / {self.unit.code}"

    @property
    def due_on(self) -> dt.date | None:
        """The plan is due when its last activity is."""
        return max((a.due_on for a in self.activities.all()), default=None)

    @property
    def is_open(self) -> bool:
        """Still being worked on: neither verified nor cancelled (both are final)."""
        return self.status not in FINAL

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Still open after the due date of its last activity."""
        due = self.due_on
        if due is None or not self.is_open:
            return False
        return (today or timezone.localdate()) > due

    @property
    def draft_due_on(self) -> dt.date | None:
        """The last day to submit the plan the first time: ``plan_draft_working_days()`` working
        days after the recommendation was issued. None once it was submitted (a plan returned
        for revision shows its return instead), before the recommendation is issued, and for a
        BPK finding with an answer due date, whose deadline is the BPK answer."""
        recommendation = self.recommendation
        if (
            self.status != self.Status.DRAFT
            or self.submitted_by_id is not None
            or recommendation.status != Recommendation.Status.ISSUED
            or recommendation.issued_at is None
            or recommendation.answer_due_on is not None
        ):
            return None
        return plan_draft_due(timezone.localdate(recommendation.issued_at))

    def is_draft_late(self, today: dt.date | None = None) -> bool:
        """Not submitted by its drafting deadline (from the day after it)."""
        due = self.draft_due_on
        return due is not None and (today or timezone.localdate()) > due

    @property
    def activities_editable(self) -> bool:
        """Activities are planned while the plan is a draft; once submitted, they are fixed."""
        return self.status == self.Status.DRAFT

    @property
    def accepts_evidence(self) -> bool:
        """Evidence and progress are reported once the plan is approved, until the evidence is
        submitted for verification."""
        return self.status in (self.Status.APPROVED, self.Status.IN_PROGRESS)

    def is_due_soon(self, today: dt.date | None = None, *, limit: dt.date | None = None) -> bool:
        """Still open and due between today and ``limit`` (both included; by default
        ``due_soon_limit(today)``, which callers looping over many plans pass in once)."""
        due = self.due_on
        if due is None or not self.is_open:
            return False
        today = today or timezone.localdate()
        return today <= due <= (limit or due_soon_limit(today))

    @property
    def unverified_activities(self) -> list[Activity]:
        """Activities the Inspectorate has not verified (verifying the plan while there are any
        needs a confirmation and a reason)."""
        return [a for a in self.activities.all() if a.status != Activity.Status.VERIFIED]

    @property
    def current_return(self) -> PlanReturn | None:
        """The return the unit has still to answer (its reason and the evidence concerned), or
        None. Earlier, answered returns are history (``returns`` with ``resolved_at`` set)."""
        return self.returns.filter(resolved_at__isnull=True).order_by("-returned_at").first()

    def progress(self) -> tuple[Decimal, Decimal]:
        """Weighted progress in percent: (claimed by the unit, verified by the Inspectorate). An
        activity's verified progress is set when the Inspectorate verifies that activity, so the
        verified figure is the weighted sum of the verified activities."""
        activities = list(self.activities.all())
        total = sum((a.weight for a in activities), Decimal("0"))
        if not total:
            return Decimal("0"), Decimal("0")
        claimed = sum((a.weight * a.progress_claimed for a in activities), Decimal("0")) / total
        verified = sum((a.weight * a.progress_verified for a in activities), Decimal("0")) / total
        return claimed.quantize(Decimal("0.1")), verified.quantize(Decimal("0.1"))


class Activity(models.Model):
    """One step of an action plan, with who answers for it and when it is due.

    ``status`` follows ``workflow.ACTIVITY_TRANSITIONS``: the unit marks the activity done
    (submitting its evidence), the Inspectorate verifies it (it then locks) or returns it.
    """

    class Status(models.TextChoices):
        OPEN = ActivityStatus.OPEN.value, _("In progress")
        DONE = ActivityStatus.DONE.value, _("Done, awaiting verification")
        VERIFIED = ActivityStatus.VERIFIED.value, _("Verified")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        ActionPlan,
        verbose_name=_("action plan"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    title = models.CharField(_("activity"), max_length=300)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    output = models.CharField(_("output / target indicator"), max_length=300)
    due_on = models.DateField(_("due date"))
    weight = models.DecimalField(
        _("weight (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )
    progress_claimed = models.DecimalField(
        _("progress claimed (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    progress_verified = models.DecimalField(
        _("progress verified (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    done_at = models.DateTimeField(_("marked done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "due_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        """Still being worked on: progress and evidence can change (not done, not verified)."""
        return self.status == self.Status.OPEN

    def check_due_on(self) -> None:
        """Raise a ValidationError on ``due_on`` unless it is a working day.

        Checked when the date is set or changed, not on every save: a holiday declared later
        must not block an activity planned before. The message names the next working day so
        the user can simply take it.
        """
        lang = (get_language() or "id")[:2]
        calendar = calendar_for()
        try:
            if calendar.is_working_day(self.due_on):
                return
            following = calendar.next_working_day(self.due_on)
        except CalendarDataMissing as missing:
            raise ValidationError(
                {
                    "due_on": gettext(
                        "The working-day calendar has no holidays for %(year)d yet, so this due "
                        "date cannot be checked. Ask the administrator to add that year."
                    )
                    % {"year": missing.year}
                }
            ) from missing
        raise ValidationError(
            {
                "due_on": gettext(
                    "%(day)s is not a working day (weekend, public holiday or collective leave). "
                    "The next working day is %(next)s."
                )
                % {"day": format_date(self.due_on, lang), "next": format_date(following, lang)}
            }
        )


class Evidence(models.Model):
    """A piece of evidence for an activity: a file (with every version kept) or a URL."""

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        URL = "url", _("Link")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    url = models.URLField(_("link"), max_length=500, blank=True)
    # The period the evidence proves, which is not the day it was uploaded.
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    publishable = models.BooleanField(_("may be published on the portal"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="followup_evidence_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def latest(self) -> EvidenceFile | None:
        return self.files.order_by("-version").first()

    def label(self) -> str:
        """How people name this evidence: its activity, title and latest file name (or link)."""
        if self.kind == self.Kind.URL:
            named = self.url
        else:
            files = sorted(self.files.all(), key=lambda f: f.version)  # prefetched when listed
            named = files[-1].original_name if files else ""
        return f"{self.activity.title} — {self.title}" + (f" ({named})" if named else "")


def evidence_path(instance: EvidenceFile, filename: str) -> str:
    """Stored under a random name: the uploaded name is kept in the row, never in the path."""
    return f"evidence/{instance.evidence.public_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """One uploaded version of a file evidence. Versions are added, never overwritten."""

    evidence = models.ForeignKey(
        Evidence, verbose_name=_("evidence"), on_delete=models.CASCADE, related_name="files"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["evidence", "-version"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        constraints = [
            models.UniqueConstraint(fields=["evidence", "version"], name="followup_file_version")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.version}"


class PlanReturn(models.Model):
    """One time the Inspectorate sent a plan, or its evidence, back to the unit: the reason, the
    evidence concerned, and when the unit answered by resubmitting (``resolved_at``)."""

    class Step(models.TextChoices):
        PLAN = "plan", _("Returned for revision")
        EVIDENCE = "evidence", _("Evidence returned for revision")
        ACTIVITY = "activity", _("Activity returned for revision")

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("action plan"), on_delete=models.CASCADE, related_name="returns"
    )
    step = models.CharField(_("what was returned"), max_length=10, choices=Step.choices)
    # For one activity's evidence returned on its own (``Step.ACTIVITY``).
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="returns",
    )
    reason = models.TextField(_("reason"))
    evidence = models.ManyToManyField(
        Evidence, verbose_name=_("evidence concerned"), blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), default=timezone.now)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["-returned_at", "-pk"]
        verbose_name = _("return for revision")
        verbose_name_plural = _("returns for revision")

    def __str__(self) -> str:
        return f"{self.plan} — {self.get_step_display()}"
