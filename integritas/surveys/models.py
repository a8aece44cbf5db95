"""Survey instruments, waves and responses.

Storage is shaped by two rules. **Anonymity** (DOMAIN.md): a response row holds no token, account,
IP address, user agent or precise time; the invitation ledger holds only used/unused, so the two
cannot be joined. **Scale** (ARCHITECTURE.md "Data at scale"): one row per response, its coded
answers packed in one little-endian int16 vector (``Response.answers``), so the index engine reads
a whole wave in one scan with numpy.

Answer coding, per question *slot* (every single-choice, Likert and yes/no question has one):
``0`` = no answer (skipped, hidden by a condition, or not asked of this respondent type);
``k`` = the k-th choice of the question in its order (1-based). Multiple-choice questions store a
bit mask (bit k-1 set when choice k is ticked). Numbers, dates and free text, which do not fit a
small integer, live in ``Response.extra`` keyed by question code.
"""

from __future__ import annotations

import sys
import uuid
from array import array
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integritas.core.models import FiscalYear, Unit

CODE_VALIDATOR_MESSAGE = _("Use letters, digits, dots, dashes and underscores only.")


class RespondentType(models.TextChoices):
    INTERNAL = "internal", _("Internal (employee)")
    EXTERNAL = "external", _("External (service user or vendor)")
    EXPERT = "expert", _("Expert")
    PUBLIC = "public", _("Public")


class Bilingual:
    """Models with ``<field>_id`` and ``<field>_en`` pairs read them in the active language."""

    def text(self, field: str) -> str:
        lang = (get_language() or "id")[:2]
        preferred = getattr(self, f"{field}_{lang}", "") or ""
        return preferred or getattr(self, f"{field}_id", "") or getattr(self, f"{field}_en", "")


class Instrument(Bilingual, models.Model):
    """A questionnaire family (e.g. SKM); its content lives in versions."""

    class Kind(models.TextChoices):
        SATISFACTION = "satisfaction", _("Public satisfaction survey (SKM)")
        INTEGRITY = "integrity", _("Integrity self-survey")
        ZI_ANTICORRUPTION = (
            "zi_anticorruption",
            _("Integrity zone: anti-corruption perception (IPAK)"),
        )
        ZI_SERVICE = "zi_service", _("Integrity zone: service quality perception (IPKP)")
        OTHER = "other", _("Other")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code"]
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")

    def __str__(self) -> str:
        return f"{self.code} — {self.text('title')}"

    def latest_published(self) -> InstrumentVersion | None:
        return (
            self.versions.filter(status=InstrumentVersion.Status.PUBLISHED)
            .order_by("-number")
            .first()
        )


class InstrumentVersion(models.Model):
    """One version of an instrument. Once published it never changes; edits make a new version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class Scale(models.IntegerChoices):
        NONE = 0, _("No common scale")
        FOUR = 4, _("1–4")
        FIVE = 5, _("1–5")
        SIX = 6, _("1–6")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="surveys_version_unique")
        ]
        verbose_name = _("instrument version")
        verbose_name_plural = _("instrument versions")

    def __str__(self) -> str:
        return f"{self.instrument.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        """Only drafts change; a published version is what responses were collected against."""
        return self.status == self.Status.DRAFT

    def slot_questions(self) -> list[Question]:
        """Questions with a slot in the answer vector, in slot order."""
        return list(self.questions.filter(slot__isnull=False).order_by("slot"))


class Dimension(Bilingual, models.Model):
    """What scored questions measure: an SKM element, an SPI dimension, a ZI area."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=30)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    group = models.CharField(
        _("group"),
        max_length=20,
        blank=True,
        help_text=_(
            "Respondent group this dimension belongs to (internal, external, expert), if any."
        ),
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=4, null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="surveys_dimension_unique")
        ]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")

    def __str__(self) -> str:
        return f"{self.code} — {self.text('name')}"


class Section(Bilingual, models.Model):
    """A page of the questionnaire."""

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="sections"
    )
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    intro_id = models.TextField(_("introduction (Indonesian)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    respondent_types = models.JSONField(
        _("respondent types"), default=list, blank=True, help_text=_("Empty means every type.")
    )

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="surveys_section_unique")
        ]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self) -> str:
        return f"{self.code} — {self.text('title')}"

    def applies_to(self, respondent_type: str) -> bool:
        return not self.respondent_types or respondent_type in self.respondent_types


class Question(Bilingual, models.Model):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        LIKERT4 = "likert4", _("Likert, 4 points")
        LIKERT5 = "likert5", _("Likert, 5 points")
        LIKERT6 = "likert6", _("Likert, 6 points")
        YESNO = "yesno", _("Yes / no")
        MULTIPLE = "multiple", _("Multiple choice")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        TEXT = "text", _("Short text")
        LONGTEXT = "longtext", _("Long text")

    # Types answered by picking one choice: one slot, value = choice position.
    CHOICE_TYPES = frozenset({Type.SINGLE, Type.LIKERT4, Type.LIKERT5, Type.LIKERT6, Type.YESNO})
    # Types with a slot in the answer vector.
    SLOT_TYPES = CHOICE_TYPES | {Type.MULTIPLE}
    # Types that can carry a score and so must name a dimension when scored.
    SCORABLE_TYPES = CHOICE_TYPES
    LIKERT_POINTS = {Type.LIKERT4: 4, Type.LIKERT5: 5, Type.LIKERT6: 6}
    MAX_MULTIPLE_CHOICES = 15  # bits of an int16 answer slot

    version = models.ForeignKey(
        InstrumentVersion, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    text_id = models.TextField(_("question (Indonesian)"))
    text_en = models.TextField(_("question (English)"), blank=True)
    help_id = models.TextField(_("help (Indonesian)"), blank=True)
    help_en = models.TextField(_("help (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("dimension"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    respondent_types = models.JSONField(
        _("respondent types"), default=list, blank=True, help_text=_("Empty means every type.")
    )
    # Show only when an earlier question's answer matches: {"question": "Q1", "op": "in", "values": ["a", "b"]}
    # (values are choice codes; "op" is "in" or "not_in"; for yes/no the codes are "yes" and "no").
    condition = models.JSONField(_("condition"), null=True, blank=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    slot = models.PositiveIntegerField(_("answer slot"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["section__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="surveys_question_unique"),
            models.UniqueConstraint(
                fields=["version", "slot"], name="surveys_question_slot_unique"
            ),
        ]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.code

    @property
    def has_slot(self) -> bool:
        return self.type in self.SLOT_TYPES

    @property
    def is_scored(self) -> bool:
        return self.type in self.SCORABLE_TYPES and any(
            c.score is not None for c in self.choices.all()
        )

    def applies_to(self, respondent_type: str) -> bool:
        return not self.respondent_types or respondent_type in self.respondent_types


class Choice(Bilingual, models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    code = models.CharField(_("code"), max_length=30)
    order = models.PositiveIntegerField(_("order"), default=0)
    label_id = models.CharField(_("label (Indonesian)"), max_length=300)
    label_en = models.CharField(_("label (English)"), max_length=300, blank=True)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=3, null=True, blank=True)

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["question", "code"], name="surveys_choice_unique")
        ]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return f"{self.code} — {self.text('label')}"


class Service(models.Model):
    """A public service a unit provides (for SKM, e.g. 'Pembuatan KTP-el' at Disdukcapil)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="services"
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["unit__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="surveys_service_unique")
        ]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return f"{self.unit.code}/{self.code} — {self.name}"


class Wave(models.Model):
    """One run of a published instrument version over selected units for a period."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class SampleMethod(models.TextChoices):
        KREJCIE_MORGAN = "krejcie_morgan", _("Krejcie–Morgan")
        SLOVIN = "slovin", _("Slovin")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    version = models.ForeignKey(
        InstrumentVersion,
        verbose_name=_("instrument version"),
        on_delete=models.PROTECT,
        related_name="waves",
    )
    fiscal_year = models.ForeignKey(
        FiscalYear, verbose_name=_("fiscal year"), null=True, blank=True, on_delete=models.PROTECT
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    respondent_types = models.JSONField(_("respondent types"), default=list)
    margin_of_error = models.DecimalField(
        _("margin of error"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.050"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("0.20"))],
    )
    sample_method = models.CharField(
        _("sample size method"),
        max_length=20,
        choices=SampleMethod.choices,
        default=SampleMethod.KREJCIE_MORGAN,
    )
    min_group_size = models.PositiveIntegerField(
        _("smallest group shown"),
        default=10,
        validators=[MinValueValidator(2)],
        help_text=_("Breakdowns with fewer responses than this are hidden everywhere."),
    )
    public_links = models.BooleanField(_("public links and QR posters"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "code"]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def clean(self) -> None:
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError(
                {"closes_on": _("The closing date must not be before the opening date.")}
            )
        unknown = set(self.respondent_types or []) - set(RespondentType.values)
        if unknown:
            raise ValidationError(
                {
                    "respondent_types": _("Unknown respondent type: %(t)s")
                    % {"t": ", ".join(sorted(unknown))}
                }
            )
        if not self.respondent_types:
            raise ValidationError({"respondent_types": _("Choose at least one respondent type.")})

    def respondent_type_labels(self) -> list[str]:
        return [
            str(RespondentType(t).label)
            for t in self.respondent_types
            if t in RespondentType.values
        ]

    def accepts_responses(self, today: Any = None) -> bool:
        """Open for answers: status open and today within the dates (inclusive)."""
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and self.opens_on <= today <= self.closes_on


class WaveUnit(models.Model):
    """A unit taking part in a wave, with its population and target sample."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="wave_units")
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="wave_units"
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    target = models.PositiveIntegerField(_("target sample"), null=True, blank=True)
    public_code = models.CharField(max_length=16, unique=True)

    class Meta:
        ordering = ["unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "unit"], name="surveys_waveunit_unique")
        ]
        verbose_name = _("wave unit")
        verbose_name_plural = _("wave units")

    def __str__(self) -> str:
        return f"{self.wave.code}/{self.unit.code}"


class WaveService(models.Model):
    """A service counter taking part in a wave (SKM), with its own public link and poster."""

    wave_unit = models.ForeignKey(WaveUnit, on_delete=models.CASCADE, related_name="wave_services")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    public_code = models.CharField(max_length=16, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave_unit", "service"], name="surveys_waveservice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.wave_unit}/{self.service.code}"


class Invitation(models.Model):
    """A single-use invitation. The ledger knows only whether it was used, never when or for what
    answers; the token itself is stored only as a keyed digest."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)
    invited_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.wave.code}/{self.unit.code} {'used' if self.used else 'unused'}"


class ImportBatch(models.Model):
    """One file of responses imported into a wave; re-importing the same content is refused."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Rejected")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="import_batches")
    filename = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64)
    file = models.FileField(upload_to="survey-imports/", blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "content_hash"],
                condition=models.Q(status="done"),
                name="surveys_importbatch_once",
            )
        ]
        verbose_name = _("response import")
        verbose_name_plural = _("response imports")

    def __str__(self) -> str:
        return f"{self.wave.code}: {self.filename} ({self.status})"


class Response(models.Model):
    """One completed questionnaire. Deliberately without token, account, IP, user agent or time:
    only the day it was submitted (see the module docstring for the answer coding)."""

    class Source(models.TextChoices):
        WEB = "web", _("Online")
        IMPORT = "import", _("Imported")

    # No index of its own: the (wave, unit) index below answers every lookup by wave, and a
    # second index kept up to date on every insert cost a national import about a fifth of
    # its time (``make bench PARTS=import``).
    wave = models.ForeignKey(
        Wave, on_delete=models.CASCADE, related_name="responses", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    # Indexed only where set (``Meta.indexes``): most waves have no services (the SPI), and an
    # entry per response with none cost a national import about an eighth of its time.
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    respondent_type = models.CharField(max_length=10, choices=RespondentType.choices)
    submitted_on = models.DateField()
    answers = models.BinaryField()
    extra = models.JSONField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="responses"
    )

    class Meta:
        indexes = [
            models.Index(fields=["wave", "unit"], name="surveys_response_wave_unit"),
            models.Index(
                fields=["service"],
                name="surveys_response_service",
                condition=models.Q(service__isnull=False),
            ),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"{self.wave_id}/{self.unit_id} {self.submitted_on}"

    @staticmethod
    def pack(values: list[int]) -> bytes:
        """Answer codes (one per slot) to the stored little-endian int16 vector."""
        packed = array("h", values)
        if packed.itemsize != 2:  # pragma: no cover - every supported platform has 2-byte shorts
            raise RuntimeError("int16 arrays are not 2 bytes here")

        if sys.byteorder != "little":  # pragma: no cover
            packed.byteswap()
        return packed.tobytes()

    @staticmethod
    def unpack(data: bytes | memoryview) -> list[int]:
        values = array("h")
        values.frombytes(bytes(data))

        if sys.byteorder != "little":  # pragma: no cover
            values.byteswap()
        return values.tolist()


class Draft(models.Model):
    """Answers in progress, found again by the digest of a resume code (or invitation token).
    Deleted when the response is submitted, in the same transaction."""

    key_digest = models.CharField(max_length=64, unique=True)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitation = models.ForeignKey(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    respondent_type = models.CharField(max_length=10, choices=RespondentType.choices)
    answers = models.JSONField(default=dict)
    section_index = models.PositiveIntegerField(default=0)
    language = models.CharField(max_length=5, default="id")
    updated_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return f"draft {self.wave_id}/{self.unit_id}"


class ResponseExport(models.Model):
    """A wave's responses exported by the background worker, for a wave too large to export
    inside a web request (``settings.EXPORT_INLINE_MAX_RESPONSES``). The file is kept under
    ``settings.EXPORT_DIR`` (never a served folder) and removed with the export after
    ``settings.EXPORT_RETENTION_DAYS``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (in a ZIP file)")
        XLSX = "xlsx", _("Excel workbook (XLSX)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="response_exports")
    fmt = models.CharField(max_length=4, choices=Format.choices)
    labels = models.BooleanField(default=False)
    # The language of the requester, in which the labels and the codebook are written.
    language = models.CharField(max_length=5, default="id")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    filename = models.CharField(max_length=255, blank=True)  # the name the download is given
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("response export")
        verbose_name_plural = _("response exports")

    def __str__(self) -> str:
        return f"{self.wave.code}: {self.fmt} ({self.status})"

    @property
    def stored_name(self) -> str:
        """The file's name under ``settings.EXPORT_DIR``: our own id, never a user's text."""
        return f"{self.public_id}.{'xlsx' if self.fmt == self.Format.XLSX else 'zip'}"

    def is_working(self) -> bool:
        """Waiting for the worker or being written: its page keeps refreshing."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)
