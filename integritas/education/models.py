"""Socialization and training events, and the people who register for them (DOMAIN.md §7b).

An event is organised by a unit (usually the Inspectorate) for audience groups inside and outside
the government. Anyone may register on the event's public page; the registration holds the
ticket whose code the QR carries and the staff type or scan at the door.

Participants' personal data (name, phone, email) is kept for the event only and never written to
the audit trail, which cannot forget (UU 27/2022 on personal data protection): the trail records
what staff did, naming a registration by its ticket number.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.models import Unit


class Kind(models.TextChoices):
    SOCIALIZATION = "socialization", _("Socialization")
    TRAINING = "training", _("Training (bimtek)")
    WORKSHOP = "workshop", _("Workshop")
    CAMPAIGN = "campaign", _("Campaign")


class Theme(models.TextChoices):
    GRATIFICATION = "gratification", _("Gratification")
    CONFLICT_OF_INTEREST = "conflict_of_interest", _("Conflict of interest")
    WHISTLEBLOWING = "whistleblowing", _("Whistleblowing")
    SPI_FOLLOW_UP = "spi_follow_up", _("SPI follow-up")
    PUBLIC_SERVICE = "public_service", _("Public service")
    PROCUREMENT = "procurement", _("Procurement")
    INTEGRITY_ZONE = "integrity_zone", _("Integrity zone")
    GENERAL = "general", _("Anti-corruption in general")


class AudienceGroup(models.TextChoices):
    """Who an event is for and who came, in the groups attendance is reported by."""

    UNIT_HEAD = "unit_head", _("Unit heads")
    OFFICIAL = "official", _("Officials")
    STAFF = "staff", _("Staff")
    FORKOPIMDA = "forkopimda", _("Forkopimda")
    LEGISLATOR = "legislator", _("Legislators")
    PRESS = "press", _("Press")
    COMMUNITY = "community", _("Community organisations")
    BUSINESS = "business", _("Business")
    STUDENT = "student", _("Students")
    PUBLIC = "public", _("General public")


INTERNAL_GROUPS: tuple[str, ...] = (
    AudienceGroup.UNIT_HEAD,
    AudienceGroup.OFFICIAL,
    AudienceGroup.STAFF,
)
EXTERNAL_GROUPS: tuple[str, ...] = tuple(
    g for g in AudienceGroup.values if g not in INTERNAL_GROUPS
)


class EventQuerySet(models.QuerySet["Event"]):
    def upcoming(self) -> EventQuerySet:
        return self.filter(ends_at__gte=timezone.now())

    def public(self) -> EventQuerySet:
        """Events whose registration page is published."""
        return self.filter(published_at__isnull=False)


class Event(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    organiser = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="education_events", verbose_name=_("organiser")
    )
    audience = models.JSONField(_("audience groups"), default=list, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One per line."))
    registration_open = models.BooleanField(_("registration open"), default=True)
    # Empty: the registration page is not public (it answers the public 404) until the
    # Inspectorate publishes it; event codes are guessable, so no page shows by default.
    published_at = models.DateTimeField(_("public since"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # When the participants' and invitees' names and contacts were blanked after the retention
    # period (``services.retention``); counts, scores and certificates stay.
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"), null=True, blank=True, editable=False
    )
    # The participants' evaluation: a wave of the surveys app, answered through its public link
    # under the survey's anonymity rules (nothing ties an answer to a ticket).
    evaluation = models.OneToOneField(
        "surveys.Wave",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("evaluation survey"),
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at", "code"]
        verbose_name = _("education event")
        verbose_name_plural = _("education events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="education_event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def audience_labels(self) -> list[str]:
        labels = dict(AudienceGroup.choices)
        return [str(labels[g]) for g in self.audience if g in labels]

    def speaker_list(self) -> list[str]:
        return [s.strip() for s in self.speakers.splitlines() if s.strip()]

    @property
    def is_public(self) -> bool:
        """Whether the registration page is published (shown to anyone with its address)."""
        return self.published_at is not None

    def accepts_registrations(self) -> bool:
        """Open for registration while public, until the event ends."""
        return self.is_public and self.registration_open and self.ends_at >= timezone.now()

    def accepts_invited_registrations(self) -> bool:
        """Open to those with a personal invitation link, public or not, until the event ends."""
        return self.registration_open and self.ends_at >= timezone.now()


class Registration(models.Model):
    """One person's place at an event (or on its waiting list)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    # The random part of the ticket code (``services/tickets.py``); the code adds its signature.
    ticket = models.CharField(_("ticket"), max_length=16, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    group = models.CharField(_("audience group"), max_length=20, choices=AudienceGroup.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    # The work unit of a participant from inside the government (internal groups only), as they
    # gave it; the dashboard counts the units reached by it (or by the unit whose invitation the
    # participant registered through).
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("work unit"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    class Meta:
        ordering = ["registered_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per email and per phone number at an event.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~models.Q(email="") & ~models.Q(status="cancelled"),
                name="education_registration_one_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "phone"],
                condition=~models.Q(phone="") & ~models.Q(status="cancelled"),
                name="education_registration_one_per_phone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_live(self) -> bool:
        return self.status != self.Status.CANCELLED


def material_path(instance: Material, filename: str) -> str:
    """Stored under a random name (the uploaded name is kept only in ``file_name``), with the
    extension of the kind the content was judged to be."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"education/materials/{instance.event.public_id}/{uuid.uuid4().hex}.{extension}"


class Material(models.Model):
    """An event's material: a link (slides, a video, a guide, the KPK letter) or an uploaded
    file (a PDF, an office document or an image, judged by its content)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to=material_path, max_length=200, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    added_at = models.DateTimeField(_("added at"), default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(file=""),
                name="education_material_link_or_file",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_file(self) -> bool:
        return bool(self.file)


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def valid(self) -> CertificateQuerySet:
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A participant's certificate of attendance, named by a random serial that its QR and the
    public verification page (/sertifikat/<serial>/) carry. The signer is kept as printed on the
    day of issue, so a later change of office does not rewrite an issued certificate."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("registration"),
    )
    # ``XXXXX-XXXXX`` in Crockford's base 32: 50 random bits (``services/certificates.py``).
    serial = models.CharField(_("serial number"), max_length=11, unique=True, editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    signer_name = models.CharField(_("signer"), max_length=150, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["issued_at", "pk"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self) -> str:
        return self.serial

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class InvitationLetter(models.Model):
    """An event's official invitation letter (undangan): its number, date and place, subject and
    signer, kept as printed so a later change of office does not rewrite a letter already sent."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="invitation_letter", verbose_name=_("event")
    )
    number = models.CharField(_("letter number"), max_length=100)
    letter_date = models.DateField(_("letter date"))
    place = models.CharField(_("place"), max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    note = models.TextField(_("additional note"), blank=True)
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("invitation letter")
        verbose_name_plural = _("invitation letters")

    def __str__(self) -> str:
        return self.number


class Invitee(models.Model):
    """Someone invited to an event: a work unit (the letter goes to its head) or an external
    guest. Each has a personal, signed registration link; ``registration`` is set when they
    register through it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="invitees", verbose_name=_("event")
    )
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=150)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    group = models.CharField(_("audience group"), max_length=20, choices=AudienceGroup.choices)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    invited_at = models.DateTimeField(_("invited at"), default=timezone.now, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    emailed_at = models.DateTimeField(_("link emailed at"), null=True, blank=True)
    registration = models.OneToOneField(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitation",
        verbose_name=_("registration"),
    )

    class Meta:
        ordering = ["invited_at", "pk"]
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "unit"],
                condition=models.Q(unit__isnull=False),
                name="education_invitee_one_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_internal(self) -> bool:
        return self.unit_id is not None

    @property
    def has_registered(self) -> bool:
        """Registered through the personal link, and not cancelled since."""
        return self.registration is not None and self.registration.is_live


class EvidenceLink(models.Model):
    """An event counted as evidence for a follow-up activity. The activity is another app's
    record, named by the id ``core.extensions`` gives it (no foreign key: education and
    follow-up do not import each other)."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="evidence_link", verbose_name=_("event")
    )
    target = models.CharField(_("follow-up activity"), max_length=64, db_index=True)
    linked_at = models.DateTimeField(_("linked at"), default=timezone.now)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("evidence link")
        verbose_name_plural = _("evidence links")

    def __str__(self) -> str:
        return self.target


class AuditAction(models.TextChoices):
    """What staff do to events and registrations, as the audit trail names it."""

    EVENT_CREATED = "education.event_created", _("Created an education event")
    EVENT_UPDATED = "education.event_updated", _("Changed an education event")
    EVENT_PUBLISHED = "education.event_published", _("Published an event's registration page")
    EVENT_UNPUBLISHED = (
        "education.event_unpublished",
        _("Withdrew an event's registration page from the public"),
    )
    CHECKED_IN = "education.checked_in", _("Checked a participant in")
    WALK_IN = "education.walk_in", _("Registered a participant at the door")
    MATERIAL_ADDED = "education.material_added", _("Added a material to an education event")
    MATERIAL_REMOVED = "education.material_removed", _("Removed a material from an education event")
    CERTIFICATES_ISSUED = (
        "education.certificates_issued",
        _("Issued certificates to an event's participants"),
    )
    CERTIFICATE_REVOKED = "education.certificate_revoked", _("Revoked a participant's certificate")
    TEST_UPDATED = "education.test_updated", _("Changed an event's pre- and post-test")
    TEST_PHASE_OPENED = "education.test_phase_opened", _("Opened a test for participants")
    TEST_PHASE_CLOSED = "education.test_phase_closed", _("Closed a test for participants")
    TEST_SCORES_IMPORTED = "education.test_scores_imported", _("Imported paper test scores")
    INVITEES_ADDED = "education.invitees_added", _("Invited people to an education event")
    INVITEE_REMOVED = "education.invitee_removed", _("Removed an invitee from an education event")
    INVITATION_LETTER_SAVED = (
        "education.invitation_letter_saved",
        _("Saved an education event's invitation letter"),
    )
    EVIDENCE_LINKED = (
        "education.evidence_linked",
        _("Linked an education event to a follow-up activity as evidence"),
    )
    EVIDENCE_UNLINKED = (
        "education.evidence_unlinked",
        _("Unlinked an education event from a follow-up activity"),
    )
    INVITATIONS_EMAILED = (
        "education.invitations_emailed",
        _("Emailed personal registration links to invitees"),
    )
    EVALUATION_CREATED = (
        "education.evaluation_created",
        _("Created the participants' evaluation survey of an education event"),
    )
    PERSONAL_DATA_REMOVED = (
        "education.personal_data_removed",
        _("Removed the participants' personal data of an education event after its retention"),
    )
    REPORT_SAVED = "education.report_saved", _("Saved an education event's report")
    REPORT_PHOTO_ADDED = (
        "education.report_photo_added",
        _("Added a photo to an education event's report"),
    )
    REPORT_PHOTO_REMOVED = (
        "education.report_photo_removed",
        _("Removed a photo from an education event's report"),
    )


# --- Pre- and post-tests -------------------------------------------------------------------------


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    TRUE_FALSE = "true_false", _("True or false")


class Question(models.Model):
    """A question of the bank of a theme: single choice with exactly one correct option, or true
    or false (two options, "true" first), with the explanation shown after the test."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices)
    kind = models.CharField(_("question type"), max_length=12, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    explanation = models.TextField(_("explanation"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["theme", "created_at", "pk"]
        verbose_name = _("test question")
        verbose_name_plural = _("test questions")

    def __str__(self) -> str:
        return self.text[:80]


class Choice(models.Model):
    """One option of a question. A true/false question has two without text: true, then false."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("option"), max_length=300, blank=True)
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        if self.text:
            return self.text
        return str(_("True") if self.position == 0 else _("False"))


class Phase(models.TextChoices):
    PRE = "pre", _("Pre-test")
    POST = "post", _("Post-test")


class EventTest(models.Model):
    """An event's test: the questions picked from the bank, the pre- and post-test phases the
    Inspectorate opens and closes, and whether a certificate needs a passed post-test."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="test", verbose_name=_("event")
    )
    questions: models.ManyToManyField[Question, TestItem] = models.ManyToManyField(
        Question, through="TestItem", related_name="tests", verbose_name=_("questions")
    )
    pre_opened_at = models.DateTimeField(_("pre-test opened at"), null=True, blank=True)
    pre_closed_at = models.DateTimeField(_("pre-test closed at"), null=True, blank=True)
    post_opened_at = models.DateTimeField(_("post-test opened at"), null=True, blank=True)
    post_closed_at = models.DateTimeField(_("post-test closed at"), null=True, blank=True)
    certificate_needs_pass = models.BooleanField(
        _("certificate only for those who pass the post-test"), default=False
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"),
        default=70,
        validators=[MaxValueValidator(100)],
        help_text=_("The lowest post-test score (0–100) that passes."),
    )

    class Meta:
        verbose_name = _("event test")
        verbose_name_plural = _("event tests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="education_test_pass_mark_0_100"
            )
        ]

    def __str__(self) -> str:
        return str(self.event)

    def is_open(self, phase: str) -> bool:
        opened = getattr(self, f"{phase}_opened_at")
        return opened is not None and getattr(self, f"{phase}_closed_at") is None

    @property
    def pre_open(self) -> bool:
        return self.is_open(Phase.PRE)

    @property
    def post_open(self) -> bool:
        return self.is_open(Phase.POST)


class TestItem(models.Model):
    """A question's place in an event's test."""

    test = models.ForeignKey(EventTest, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["test", "question"], name="education_test_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.question}"


class Submission(models.Model):
    """A participant's pre- or post-test: taken on a phone (with its answers) or typed from paper
    (the score only). One per registration and phase: the first counts."""

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    registration = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("registration"),
    )
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    correct = models.PositiveSmallIntegerField(_("correct answers"), null=True, blank=True)
    total = models.PositiveSmallIntegerField(_("questions"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "phase"], name="education_submission_once_per_phase"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="education_submission_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration} {self.phase}"


class Answer(models.Model):
    """One answer of an online submission, marked right or wrong when it was submitted."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    choice = models.ForeignKey(Choice, on_delete=models.PROTECT, related_name="+")
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "question"], name="education_answer_once_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.choice}"


# --- The event report (laporan pelaksanaan kegiatan) ---------------------------------------------


class EventReport(models.Model):
    """The parts of an event's report that staff write: why the event was held and on what basis
    (a KPK letter), what happened, the commitments made, and the signer, kept as printed on the
    day the report is saved. Attendance and test results come from the event itself."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="report", verbose_name=_("event")
    )
    purpose = models.TextField(_("purpose"))
    basis = models.TextField(_("basis"), blank=True)
    summary = models.TextField(_("summary of the proceedings"))
    commitments = models.TextField(_("follow-up commitments"), blank=True)
    signer_name = models.CharField(_("signer"), max_length=150)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_nip = models.CharField(_("signer's NIP"), max_length=30, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")

    def __str__(self) -> str:
        return str(self.event)

    @property
    def commitment_list(self) -> list[str]:
        return [line.strip() for line in self.commitments.splitlines() if line.strip()]


def report_photo_path(instance: ReportPhoto, filename: str) -> str:
    """Stored under a random name (the uploaded name is never kept), with the extension of the
    kind the content was judged to be."""
    extension = filename.rsplit(".", 1)[-1] if "." in filename else "jpg"
    return f"education/report/{instance.report.event.public_id}/{uuid.uuid4().hex}.{extension}"


class ReportPhoto(models.Model):
    """A photo of the event for its report, re-drawn from its pixels only (no metadata)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(
        EventReport, on_delete=models.CASCADE, related_name="photos", verbose_name=_("report")
    )
    image = models.FileField(_("photo"), upload_to=report_photo_path, max_length=200)
    content_type = models.CharField(max_length=30)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.caption or self.image.name
