"""Assessment frameworks as versioned data (DOMAIN.md §4, §4a).

A framework is one year's edition of KPK's MCP/MCSP indicators or of the Zona Integritas
self-assessment worksheet (LKE): a tree of nodes (areas → indicators or sub-components →
requirements or questions) with weights in points, a scoring method on every leaf
(``scoring.METHODS``), the officials and units responsible, and for the LKE the threshold sets a
unit must meet to be proposed for WBK or WBBM. The structure changes every year, so a framework
is never edited once it is active: the Inspectorate imports the year's workbook as a new draft
version, or copies last year's framework into the new year, and activates it.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integritas.assessments import scoring
from integritas.core import extensions
from integritas.core.models import Unit


class FrameworkKind(models.TextChoices):
    MCSP = "mcsp", _("MCSP (KPK's Monitoring Center for Prevention)")
    LKE = "lke", _("Integrity zone self-assessment (LKE)")


class FrameworkStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class NodeKind(models.TextChoices):
    COMPONENT = "component", _("Component")
    AREA = "area", _("Area")
    SUB_COMPONENT = "sub_component", _("Sub-component")
    INDICATOR = "indicator", _("Indicator")
    REQUIREMENT = "requirement", _("Required document")
    QUESTION = "question", _("Question")


class Method(models.TextChoices):
    YES_NO = scoring.YES_NO, _("Yes/no")
    CHOICE = scoring.CHOICE, _("Tiered choices (A–E)")
    PERCENT = scoring.PERCENT, _("Percentage (0–100)")
    SCALE = scoring.SCALE, _("Value 0–4")
    DOCUMENTS = scoring.DOCUMENTS, _("Proportional to documents accepted")


class Scope(models.TextChoices):
    TOTAL = scoring.TOTAL, _("Total score")
    NODE = scoring.NODE, _("One node")
    EACH = scoring.EACH, _("Each node of a kind")


class BandColour(models.TextChoices):
    RED = "red", _("Red")
    YELLOW = "yellow", _("Yellow")
    BLUE = "blue", _("Blue")
    GREEN = "green", _("Green")


class Measure(models.TextChoices):
    POINTS = scoring.POINTS, _("Points")
    SHARE = scoring.SHARE, _("Share of the weight")
    VALUE = scoring.VALUE, _("Value answered")


def _localized(name_id: str, name_en: str) -> str:
    return name_en if (get_language() or "id").startswith("en") and name_en else name_id


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def active(self) -> FrameworkQuerySet:
        return self.filter(status=FrameworkStatus.ACTIVE)


class Framework(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=FrameworkKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    title = models.CharField(_("title"), max_length=200)
    guideline_reference = models.CharField(_("guideline reference"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    total_weight = models.DecimalField(
        _("total weight"), max_digits=8, decimal_places=4, default=Decimal(100)
    )
    is_example = models.BooleanField(
        _("example data"),
        default=False,
        help_text=_("An example for trying the product out, not an official list."),
    )
    notes = models.TextField(_("notes"), blank=True)
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment framework")
        verbose_name_plural = _("assessment frameworks")
        ordering = ["-year", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "version"], name="assessments_framework_version_unique"
            ),
            models.UniqueConstraint(
                fields=["kind", "year"],
                condition=models.Q(status="active"),
                name="assessments_framework_one_active_per_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year}, v{self.version})"

    @property
    def is_draft(self) -> bool:
        return self.status == FrameworkStatus.DRAFT

    def specs(self) -> list[scoring.NodeSpec]:
        """The tree as plain data for ``scoring``, parents before their children."""
        nodes = list(self.nodes.select_related("parent").prefetch_related("choices"))
        return [node.spec() for node in nodes]


class Node(models.Model):
    """One node of a framework's tree; a leaf (no children) is an item scored by its ``method``."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    name_id = models.CharField(_("name (Indonesian)"), max_length=500)
    name_en = models.CharField(_("name (English)"), max_length=500, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=8, decimal_places=4)
    method = models.CharField(
        _("scoring method"), max_length=20, choices=Method.choices, blank=True
    )
    required_documents = models.PositiveSmallIntegerField(
        _("required documents"), null=True, blank=True
    )
    responsible = models.CharField(_("responsible officials"), max_length=300, blank=True)
    units = models.ManyToManyField(Unit, blank=True, related_name="+", verbose_name=_("units"))
    guidance = models.TextField(_("guidance"), blank=True)
    register = models.CharField(
        _("data from the register"),
        max_length=60,
        blank=True,
        validators=[extensions.validate_data_register_key],
        help_text=_("The key of the register whose figures are this node's evidence."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("framework node")
        verbose_name_plural = _("framework nodes")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessments_node_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _localized(self.name_id, self.name_en)

    def spec(self) -> scoring.NodeSpec:
        return scoring.NodeSpec(
            code=self.code,
            weight=self.weight,
            parent=self.parent.code if self.parent_id and self.parent else "",
            method=self.method,
            kind=self.kind,
            choices={c.code: c.value for c in self.choices.all()},
            required_documents=self.required_documents,
        )


class Choice(models.Model):
    """A tiered answer of a ``choice`` item (A–E) and the share of the weight it earns."""

    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=10)
    label_id = models.CharField(_("label (Indonesian)"), max_length=500)
    label_en = models.CharField(_("label (English)"), max_length=500, blank=True)
    value = models.DecimalField(
        _("value"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["node", "code"], name="assessments_choice_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return _localized(self.label_id, self.label_en)


class Band(models.Model):
    """A colour band of a score on 0–100, from ``lower`` up to the next band's lower bound; the
    year's bands are data (some years' green starts at 78 rather than 75)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="bands")
    lower = models.DecimalField(
        _("lower bound"),
        max_digits=7,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    colour = models.CharField(_("colour"), max_length=10, choices=BandColour.choices)
    label_id = models.CharField(_("label (Indonesian)"), max_length=100, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)

    class Meta:
        ordering = ["lower"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "lower"], name="assessments_band_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.lower.normalize()}+ {self.colour}"

    @property
    def label(self) -> str:
        return _localized(self.label_id, self.label_en) or self.get_colour_display()

    def spec(self) -> scoring.BandSpec:
        return scoring.BandSpec(self.lower, self.colour, self.label)


class ThresholdSet(models.Model):
    """The conditions a unit must meet for a predicate (WBK, WBBM), versioned with the framework."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="threshold_sets"
    )
    code = models.CharField(_("code"), max_length=20)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    requires = models.CharField(
        _("predicate already held"),
        max_length=20,
        blank=True,
        help_text=_("A predicate the unit must already hold (WBBM needs WBK)."),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="assessments_threshold_set_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return _localized(self.name_id, self.name_en)

    def specs(self) -> list[scoring.ConditionSpec]:
        return [c.spec() for c in self.conditions.all()]


class Condition(models.Model):
    threshold_set = models.ForeignKey(
        ThresholdSet, on_delete=models.CASCADE, related_name="conditions"
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    target = models.CharField(_("target"), max_length=40, blank=True)
    measure = models.CharField(
        _("measure"), max_length=10, choices=Measure.choices, default=Measure.POINTS
    )
    minimum = models.DecimalField(_("minimum"), max_digits=8, decimal_places=4)
    label_id = models.CharField(_("label (Indonesian)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return _localized(self.label_id, self.label_en)

    def spec(self) -> scoring.ConditionSpec:
        return scoring.ConditionSpec(
            scope=self.scope,
            minimum=self.minimum,
            measure=self.measure,
            target=self.target,
            label=self.label,
        )


# --- The Zona Integritas self-assessment (LKE) ---------------------------------------------------


class LkeStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment")
    SUBMITTED = "submitted", _("Submitted to the TPI")
    REVIEWED = "reviewed", _("Reviewed by the TPI")
    PROPOSED = "proposed", _("Proposed to KemenPAN-RB")
    AWARDED = "awarded", _("Predicate awarded")
    NOT_AWARDED = "not_awarded", _("Predicate not awarded")


class LkeAssessment(models.Model):
    """A unit's LKE for one year's active LKE framework and one target predicate (a threshold
    set's code, WBK or WBBM): its answers, the TPI's review and its stage (``services/lke.py``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="lkes", verbose_name=_("framework")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    target = models.CharField(_("target predicate"), max_length=20)
    held = models.CharField(
        _("predicates already held"),
        max_length=100,
        blank=True,
        help_text=_("Predicates the unit already holds, separated by commas (WBBM needs WBK)."),
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=LkeStage.choices, default=LkeStage.SELF_ASSESSMENT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    decided_on = models.DateField(_("predicate decided on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("integrity zone self-assessment")
        verbose_name_plural = _("integrity zone self-assessments")
        ordering = ["-framework__year", "unit__code", "target"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "unit", "target"], name="assessments_lke_once_per_target"
            )
        ]

    def __str__(self) -> str:
        return f"LKE {self.framework.year} {self.unit.code} {self.target}"

    def held_codes(self) -> list[str]:
        return [c.strip().upper() for c in self.held.split(",") if c.strip()]


class AnswerSource(models.TextChoices):
    UNIT = "unit", _("Answered by the unit")
    SURVEY = "survey", _("Taken from a perception survey in this system")
    ELSEWHERE = "elsewhere", _("Measured elsewhere")


class ReviewVerdict(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    NOTED = "noted", _("Accepted with a note")
    ADJUSTED = "adjusted", _("Adjusted")


class LkeAnswer(models.Model):
    """The unit's answer to one question (a leaf) and the TPI's review of it: the reviewed
    answer is the unit's when accepted or noted, ``reviewed_answer`` when adjusted."""

    lke = models.ForeignKey(LkeAssessment, on_delete=models.CASCADE, related_name="answers")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(_("answer"), max_length=20)
    note = models.TextField(_("explanation"), blank=True)
    source = models.CharField(
        _("source"), max_length=10, choices=AnswerSource.choices, default=AnswerSource.UNIT
    )
    source_detail = models.CharField(_("source details"), max_length=300, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now=True)
    verdict = models.CharField(
        _("review"), max_length=10, choices=ReviewVerdict.choices, blank=True
    )
    reviewed_answer = models.CharField(_("reviewed answer"), max_length=20, blank=True)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["node__order"]
        constraints = [
            models.UniqueConstraint(fields=["lke", "node"], name="assessments_lke_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.node.code}: {self.answer}"

    @property
    def final_answer(self) -> str:
        return self.reviewed_answer if self.verdict == ReviewVerdict.ADJUSTED else self.answer


def lke_evidence_path(instance: LkeEvidence, filename: str) -> str:
    """Stored under a random name: the uploaded name is kept in the row, never in the path."""
    return f"assessments/lke/{instance.lke.public_id}/{uuid.uuid4().hex}"


class LkeEvidence(models.Model):
    """Evidence for one question: an uploaded file (checked through ``lib/uploads``) or a link."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    lke = models.ForeignKey(LkeAssessment, on_delete=models.CASCADE, related_name="evidence")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300)
    link = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=lke_evidence_path, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["node__order", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class LkeAuditAction(models.TextChoices):
    """What units and the TPI do to an LKE, as the audit trail names it."""

    CREATED = "assessments.lke_created", _("Started an integrity zone self-assessment")
    ANSWERED = "assessments.lke_answered", _("Answered an LKE question")
    EVIDENCE_ADDED = "assessments.lke_evidence_added", _("Added evidence to an LKE question")
    SURVEY_RESULTS = (
        "assessments.lke_survey_results",
        _("Took the LKE results from the perception surveys"),
    )
    SUBMITTED = "assessments.lke_submitted", _("Submitted an LKE to the TPI")
    RETURNED = "assessments.lke_returned", _("Returned an LKE to its unit")
    QUESTION_REVIEWED = "assessments.lke_question_reviewed", _("Reviewed an LKE question")
    REVIEWED = "assessments.lke_reviewed", _("Completed the TPI review of an LKE")
    PROPOSED = "assessments.lke_proposed", _("Proposed a unit to KemenPAN-RB")
    DECIDED = "assessments.lke_decided", _("Recorded the predicate decision of an LKE")


# --- The MCSP document desk ---------------------------------------------------------------------


class Assessment(models.Model):
    """One year's run of an active MCSP framework: the requirements assigned to units, the
    documents they upload, and the upload deadline after which new uploads are locked unless an
    administrator reopens them (``reopened_until``, with a reason)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    framework = models.ForeignKey(
        Framework, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("framework")
    )
    upload_deadline = models.DateTimeField(_("upload deadline"))
    reopened_until = models.DateTimeField(_("uploads reopened until"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("MCSP assessment")
        verbose_name_plural = _("MCSP assessments")
        ordering = ["-framework__year", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["framework"], name="assessments_one_desk_per_framework")
        ]

    def __str__(self) -> str:
        return f"MCSP {self.framework.year}"

    def uploads_open(self, now: datetime) -> bool:
        """Before the deadline, or while an administrator's reopening lasts."""
        if now <= self.upload_deadline:
            return True
        return self.reopened_until is not None and now <= self.reopened_until


class Assignment(models.Model):
    """A requirement of the assessment's framework assigned to one unit."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="assignments")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["node__order", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "node", "unit"], name="assessments_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.node.code} → {self.unit.code}"


class DocumentStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned to the unit")
    READY = "ready", _("Ready to upload")
    UPLOADED = "uploaded", _("Uploaded to KPK")
    ACCEPTED = "accepted", _("Accepted by KPK")
    REJECTED = "rejected", _("Rejected by KPK")


# Documents that count for the projected score (everything ready would be accepted).
PROJECTED_STATUSES = (DocumentStatus.READY, DocumentStatus.UPLOADED, DocumentStatus.ACCEPTED)


class Document(models.Model):
    """A document a unit provides for a requirement; its file is versioned (``versions``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="documents")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.SUBMITTED,
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kpk_uploaded_on = models.DateField(_("uploaded to KPK on"), null=True, blank=True)
    kpk_note = models.TextField(_("KPK's note"), blank=True)

    class Meta:
        verbose_name = _("MCSP document")
        verbose_name_plural = _("MCSP documents")
        ordering = ["node__order", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "number"], name="assessments_document_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"D-{self.number:04d} {self.title}"

    @property
    def code(self) -> str:
        return f"D-{self.number:04d}"


def document_path(instance: DocumentVersion, filename: str) -> str:
    """Stored under a random name: the uploaded name is kept in the row, never in the path."""
    return f"assessments/{instance.document.public_id}/{uuid.uuid4().hex}"


class DocumentVersion(models.Model):
    """One uploaded file of a document; a new version is added, never overwriting the old."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    valid_from = models.DateField(_("effective from"))
    valid_to = models.DateField(_("effective until"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["document", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version"], name="assessments_document_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document.code} v{self.version}"


class AuditAction(models.TextChoices):
    """What the Inspectorate does to frameworks, as the audit trail names it."""

    FRAMEWORK_IMPORTED = (
        "assessments.framework_imported",
        _("Imported an assessment framework from a workbook"),
    )
    FRAMEWORK_COPIED = (
        "assessments.framework_copied",
        _("Copied an assessment framework into a new year"),
    )
    FRAMEWORK_ACTIVATED = "assessments.framework_activated", _("Activated an assessment framework")
    FRAMEWORK_DELETED = "assessments.framework_deleted", _("Deleted a draft assessment framework")
    ASSESSMENT_CREATED = "assessments.assessment_created", _("Opened an MCSP document desk")
    ASSIGNMENTS_CHANGED = (
        "assessments.assignments_changed",
        _("Changed the units assigned to an MCSP requirement"),
    )
    DOCUMENT_UPLOADED = "assessments.document_uploaded", _("Uploaded an MCSP document")
    DOCUMENT_RETURNED = "assessments.document_returned", _("Returned an MCSP document to its unit")
    DOCUMENT_READY = "assessments.document_ready", _("Marked an MCSP document ready to upload")
    KPK_UPLOAD_RECORDED = (
        "assessments.kpk_upload_recorded",
        _("Recorded the upload of an MCSP document to KPK"),
    )
    KPK_VERDICT_RECORDED = (
        "assessments.kpk_verdict_recorded",
        _("Recorded KPK's verdict on an MCSP document"),
    )
    STATUS_SHEET_IMPORTED = (
        "assessments.status_sheet_imported",
        _("Imported a KPK status sheet"),
    )
    UPLOADS_REOPENED = (
        "assessments.uploads_reopened",
        _("Reopened MCSP uploads after the deadline"),
    )


# --- MCSP score snapshots --------------------------------------------------------------------------


class SnapshotKind(models.TextChoices):
    ON_DEMAND = "on_demand", _("Taken on demand")
    VERDICT = "verdict", _("After KPK's verdicts")
    KPK = "kpk", _("Published by KPK")


class ScoreSnapshot(models.Model):
    """The desk's scores on one day: taken on demand, automatically when KPK's verdicts are
    recorded (one per day, kept up to date), or KPK's published score entered by hand with its
    date and source. ``areas`` holds each area's scores ({code: {"projected", "verified"}}) as
    text, so a snapshot keeps meaning what it meant when the framework's scoring is read again."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(_("kind"), max_length=10, choices=SnapshotKind.choices)
    taken_on = models.DateField(_("date"))
    projected = models.DecimalField(
        _("projected score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    verified = models.DecimalField(_("verified score"), max_digits=6, decimal_places=2)
    areas = models.JSONField(_("areas"), default=dict, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")
        ordering = ["assessment", "taken_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(verified__gte=0, verified__lte=100),
                name="assessments_snapshot_verified_0_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.taken_on} {self.verified}"


class ScoreAuditAction(models.TextChoices):
    """What the Inspectorate does with the desk's scores, as the audit trail names it."""

    SNAPSHOT_TAKEN = "assessments.snapshot_taken", _("Took a snapshot of the MCSP scores")
    KPK_SCORE_RECORDED = (
        "assessments.kpk_score_recorded",
        _("Recorded KPK's published MCSP score"),
    )
    RECOMMENDATION_RAISED = (
        "assessments.recommendation_raised",
        _("Raised a recommendation from an assessment"),
    )
    RESULT_PUBLISHED = "assessments.result_published", _("Published the result on the portal")
    RESULT_UNPUBLISHED = "assessments.result_unpublished", _("Took the result off the portal")


# --- Recommendations raised from assessments -------------------------------------------------------


class RaisedRecommendation(models.Model):
    """A follow-up recommendation raised from an assessment: a weak area or a requirement whose
    document KPK rejected on an MCSP desk, or a failing eligibility condition of an LKE (its
    ``condition``). The recommendation's plans and their evidence are shown back on the desk."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raised_recommendations",
    )
    node = models.ForeignKey(
        Node, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.ForeignKey(
        Document, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lke = models.ForeignKey(
        LkeAssessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="raised_recommendations",
    )
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    recommendation = models.OneToOneField(
        "followup.Recommendation", on_delete=models.PROTECT, related_name="assessment_origin"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.recommendation_id} ← {self.node or self.condition}"


# Results published on the portal (kept in their own module for the module size limit).
from integritas.assessments.publication_models import ResultPublication  # noqa: E402, F401
