"""The government, its work units as a tree, fiscal years, people and their roles."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from integritas.core.validators import validate_nip, validate_unit_code
from integritas.lib import formatting


class Government(models.Model):
    """The city, regency or province that runs this installation (one row)."""

    class Kind(models.TextChoices):
        CITY = "city", _("City (Kota)")
        REGENCY = "regency", _("Regency (Kabupaten)")
        PROVINCE = "province", _("Province (Provinsi)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    province = models.CharField(_("province"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    emblem = models.ImageField(_("emblem"), upload_to="government/", blank=True)
    signing_place = models.CharField(
        _("place of signing"),
        max_length=100,
        blank=True,
        help_text=_("Written before the date above the signature of reports, e.g. “Bandung”."),
    )
    report_number_pattern = models.CharField(
        _("report number pattern"),
        max_length=100,
        blank=True,
        help_text=_(
            "Proposed as the number of a new report, which the person printing it completes. "
            "{year}, {month}, {roman_month} and {day} are replaced by the printing date, "
            "e.g. “700/…/Itda/{roman_month}/{year}”."
        ),
    )

    class Meta:
        verbose_name = _("government")
        verbose_name_plural = _("governments")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> Government | None:
        return cls.objects.order_by("pk").first()

    def proposed_report_number(self, on: dt.date) -> str:
        """The report number pattern filled in with the date ``on``; unknown braces stay as
        written, so a pattern is never refused when a report is printed."""
        values = {
            "{year}": str(on.year),
            "{month}": f"{on.month:02d}",
            "{roman_month}": formatting.roman_numeral(on.month),
            "{day}": f"{on.day:02d}",
        }
        number = self.report_number_pattern
        for placeholder, value in values.items():
            number = number.replace(placeholder, value)
        return number


class FiscalYear(models.Model):
    """A budget year (Tahun Anggaran); Indonesian fiscal years run January to December."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The end date must be after the start date.")})

    @classmethod
    def defaults_for(cls, year: int) -> dict[str, dt.date]:
        return {"starts_on": dt.date(year, 1, 1), "ends_on": dt.date(year, 12, 31)}


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self) -> UnitQuerySet:
        return self.filter(is_active=True)


class UnitManager(models.Manager["Unit"]):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db)

    def subtree_ids(self, roots: Iterable[int]) -> set[int]:
        """Ids of the given units and all their descendants, one query per tree level."""
        found: set[int] = set(roots)
        frontier = set(found)
        while frontier:
            children = set(self.filter(parent_id__in=frontier).values_list("pk", flat=True))
            frontier = children - found
            found |= frontier
        return found


class Unit(models.Model):
    """A work unit (Perangkat Daerah) or one of its sub-units, placed in a tree."""

    class Type(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat")
        INSPECTORATE = "inspectorate", _("Inspectorate")
        AGENCY = "agency", _("Agency (Badan)")
        OFFICE = "office", _("Office (Dinas)")
        DIVISION = "division", _("Division (Bagian)")
        DISTRICT = "district", _("District (Kecamatan)")
        SUBDISTRICT = "subdistrict", _("Sub-district (Kelurahan)")
        TECHNICAL_UNIT = "technical_unit", _("Technical unit (UPTD)")
        HOSPITAL = "hospital", _("Regional hospital (RSUD)")
        OTHER = "other", _("Other")

    class Size(models.TextChoices):
        LARGE = "large", _("Large")
        MEDIUM = "medium", _("Medium")
        SMALL = "small", _("Small")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[validate_unit_code])
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    size_class = models.CharField(_("size class"), max_length=10, choices=Size.choices, blank=True)
    head = models.ForeignKey(
        "User",
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_units",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    def ancestors(self) -> list[Unit]:
        """From the root down to the parent; stops on a cycle rather than looping."""
        chain: list[Unit] = []
        seen = {self.pk}
        node = self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return list(reversed(chain))

    def would_cycle(self, new_parent: Unit | None) -> bool:
        """True when making ``new_parent`` this unit's parent would put the unit under itself."""
        if new_parent is None or self.pk is None:
            return False
        return new_parent.pk in Unit.objects.subtree_ids([self.pk])

    def clean(self) -> None:
        if self.code:
            self.code = self.code.strip().upper()
        if self.parent_id is not None and self.pk is not None and self.would_cycle(self.parent):
            raise ValidationError(
                {"parent": _("A unit cannot be placed under itself or under one of its sub-units.")}
            )


class User(AbstractUser):
    """A person with an account: Inspectorate staff, unit staff, leadership, administrators."""

    class Language(models.TextChoices):
        INDONESIAN = "id", _("Indonesian")
        ENGLISH = "en", _("English")

    class Delivery(models.TextChoices):
        """How a person receives notifications: every one is in the application; email is a
        choice (``core/services/notifications.py``)."""

        IN_APP = "in_app", _("In the application only")
        EMAIL = "email", _("In the application and by email at once")
        DIGEST = "digest", _("In the application and one email a day (daily digest)")

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("full name"), max_length=200)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_nip],
        help_text=_("18-digit civil-servant number; leave empty for non-civil-servants."),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    can_sign = models.BooleanField(
        _("may sign reports"),
        default=False,
        help_text=_(
            "Offered as the signer of printed reports: officials with signing authority, "
            "such as the inspector general."
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.INDONESIAN
    )
    notification_delivery = models.CharField(
        _("notifications"), max_length=10, choices=Delivery.choices, default=Delivery.EMAIL
    )

    objects = UserManager()  # type: ignore[misc]
    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.username


class Role(models.TextChoices):
    INSPECTOR_GENERAL = "inspector_general", _("Inspector general")
    INSPECTOR = "inspector", _("Inspector")
    UNIT_HEAD = "unit_head", _("Unit head")
    UNIT_OFFICER = "unit_officer", _("Unit officer")
    LEADERSHIP = "leadership", _("Leadership")
    COMPLAINT_HANDLER = "complaint_handler", _("Complaint handler")
    IDENTITY_CUSTODIAN = "identity_custodian", _("Identity custodian")
    UPG_OFFICER = "upg_officer", _("Gratification control officer (UPG)")
    UPG_HEAD = "upg_head", _("Head of the gratification control unit (UPG)")
    ADMINISTRATOR = "administrator", _("Administrator")


# Role groups, named once for every app. The Inspectorate (APIP) runs surveys, issues and verifies
# follow-up; those who read every unit's data add leadership (read-only) and administrators.
INSPECTORATE_ROLES: frozenset[str] = frozenset({Role.INSPECTOR_GENERAL, Role.INSPECTOR})
READ_ALL_ROLES: frozenset[str] = INSPECTORATE_ROLES | {Role.LEADERSHIP, Role.ADMINISTRATOR}
# Those who set the government up: its units, fiscal years and computation settings.
SETUP_ROLES: frozenset[str] = frozenset({Role.INSPECTOR_GENERAL, Role.ADMINISTRATOR})
# Roles that only make sense for one unit, and roles that may optionally be limited to one.
UNIT_ROLES = frozenset({Role.UNIT_HEAD, Role.UNIT_OFFICER})
OPTIONALLY_SCOPED_ROLES = frozenset({Role.INSPECTOR})


class RoleAssignment(models.Model):
    """A role held by a person, for the whole government or for one unit and its sub-units."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["role", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], name="core_roleassignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=models.Q(unit__isnull=True),
                name="core_roleassignment_unique_global",
            ),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        label = Role(self.role).label
        return f"{label} — {self.unit.code}" if self.unit_id and self.unit else str(label)

    def clean(self) -> None:
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("This role needs a unit.")})
        if self.unit_id is not None and self.role not in UNIT_ROLES | OPTIONALLY_SCOPED_ROLES:
            raise ValidationError(
                {"unit": _("This role applies to the whole government; leave the unit empty.")}
            )


class LoginFailure(models.Model):
    """A failed staff login, kept for throttling. Only the username and the time are stored."""

    username = models.CharField(max_length=150, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed login")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M}"


# --- Working-day calendar (see integritas/core/calendar.py and docs/calendar.md) ---------------


class HolidayYear(models.Model):
    """A year whose holiday list has been entered. Deadlines that reach into a year without this
    row cannot be computed: a missing list must never be mistaken for a year without holidays."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    decree = models.CharField(
        _("decree"),
        max_length=300,
        blank=True,
        help_text=_("The joint ministerial decree (SKB 3 Menteri) that sets this year's list."),
    )
    confirmed = models.BooleanField(
        _("confirmed"),
        default=False,
        help_text=_("Tick when every date has been checked against the decree."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("holiday year")
        verbose_name_plural = _("holiday years")

    def __str__(self) -> str:
        return str(self.year)

    def clean(self) -> None:
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})


class Holiday(models.Model):
    """A day offices are closed: a national holiday or a collective leave day (cuti bersama)."""

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        COLLECTIVE_LEAVE = "collective_leave", _("Collective leave (cuti bersama)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    source = models.CharField(
        _("source"),
        max_length=300,
        blank=True,
        help_text=_("Decree that sets this day, when it is not the year's decree."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"

    def clean(self) -> None:
        if self.date and not HolidayYear.objects.filter(year=self.date.year).exists():
            raise ValidationError(
                {
                    "date": _(
                        "The calendar has no year %(year)d yet. Add the year first, with its decree."
                    )
                    % {"year": self.date.year}
                }
            )


class CalendarSettings(models.Model):
    """The calendar's one settings row.

    ``version`` changes with every edit of the calendar, so each process notices that its cached
    ``WorkingCalendar`` is stale with one small query.
    """

    collective_leave_is_day_off = models.BooleanField(
        _("collective leave days are non-working days"),
        default=True,
        help_text=_(
            "When ticked, deadlines skip collective leave days (cuti bersama) like national "
            "holidays."
        ),
    )
    version = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("calendar settings")
        verbose_name_plural = _("calendar settings")

    def __str__(self) -> str:
        return str(_("Calendar settings"))

    @classmethod
    def load(cls) -> CalendarSettings:
        settings, _created = cls.objects.get_or_create(pk=1)
        return settings


# --- In-app notifications (see integritas/core/notifications.py) --------------------------------


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one person inside the application (a reminder, an escalation, a digest).

    ``key`` names the event it reports (e.g. ``followup.due:<activity>:<date>``); one person gets
    each key once, which is what makes the senders safe to run twice.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("key"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    # A path inside the application (e.g. /followup/plans/<uuid>/), not a full address.
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When an email carried it (at once, or in a daily digest); None while only in the application.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_notification_once_per_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="core_notif_user_read")]

    def __str__(self) -> str:
        return self.title


class NotificationDigest(models.Model):
    """One daily digest email sent to one person: at most one a day, which is what makes the
    daily run safe to repeat."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    count = models.PositiveIntegerField(_("notifications"), default=0)

    class Meta:
        ordering = ["-day", "-pk"]
        verbose_name = _("notification digest")
        verbose_name_plural = _("notification digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="core_digest_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day.isoformat()}"


# --- Decisions to publish on the public portal (see integritas/core/services/publication.py) ---


class PublicationQuerySet(models.QuerySet[Any]):
    def live(self) -> Self:
        """The publications that are on the portal now (not taken down)."""
        return self.filter(unpublished_at__isnull=True)


class PublicationDecision(models.Model):
    """The decision to put something on the public portal: who published it and when, and once it
    is taken down who did, when and why. Taking it down keeps the row; publishing the same thing
    again makes a new row, so an app's table of decisions is the whole public history of what it
    publishes.

    Abstract: each app's table adds what it publishes (a record, a year) and its constraints
    from ``publication_constraints``; ``services/publication.py`` takes the decisions."""

    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    unpublished_at = models.DateTimeField(_("unpublished at"), null=True, blank=True)
    unpublished_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unpublish_reason = models.TextField(_("reason for unpublishing"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_live(self) -> bool:
        return self.unpublished_at is None


def publication_constraints(*, reason: str, live: Mapping[str, str]) -> list[models.BaseConstraint]:
    """A publication table's two rules, under the names its migrations gave them: taking it down
    needs a reason (the check constraint ``reason``), and one live publication at most for each
    thing it publishes (``live`` maps each field naming that thing to its unique constraint)."""
    return [
        models.CheckConstraint(
            condition=models.Q(unpublished_at__isnull=True) | ~models.Q(unpublish_reason=""),
            name=reason,
        ),
        *(
            models.UniqueConstraint(
                fields=[field],
                condition=models.Q(unpublished_at__isnull=True),
                name=name,
            )
            for field, name in live.items()
        ),
    ]


class AuditAction(models.TextChoices):
    """The actions core records in the audit trail, with the names the audit pages show."""

    GOVERNMENT_CREATED = "government.created", _("Government details entered")
    GOVERNMENT_UPDATED = "government.updated", _("Government details changed")
    FISCAL_YEAR_CREATED = "fiscal_year.created", _("Fiscal year added")
    FISCAL_YEAR_UPDATED = "fiscal_year.updated", _("Fiscal year changed")
    UNIT_CREATED = "unit.created", _("Unit added")
    UNIT_UPDATED = "unit.updated", _("Unit changed")
    UNIT_IMPORTED = "unit.imported", _("Units imported")
    HOLIDAY_CREATED = "holiday.created", _("Holiday added")
    HOLIDAY_UPDATED = "holiday.updated", _("Holiday changed")
    HOLIDAY_DELETED = "holiday.deleted", _("Holiday deleted")
    HOLIDAY_IMPORTED = "holiday.imported", _("Holidays imported")
    HOLIDAY_YEAR_CREATED = "holiday_year.created", _("Calendar year added")
    HOLIDAY_YEAR_UPDATED = "holiday_year.updated", _("Calendar year changed")
    CALENDAR_SETTINGS_CHANGED = "calendar.settings_changed", _("Calendar setting changed")
    USER_CREATED = "user.created", _("Account created")
    USER_UPDATED = "user.updated", _("Account changed")
    USER_INVITED = "user.invited", _("Password link sent")
    USER_LANGUAGE_CHANGED = "user.language_changed", _("Language changed")
    USER_NOTIFICATIONS_CHANGED = "user.notifications_changed", _("Notification delivery changed")
    ROLE_GRANTED = "role.granted", _("Role given")
    ROLE_REVOKED = "role.revoked", _("Role removed")
    AUTH_LOGIN = "auth.login", _("Signed in")
    AUTH_LOGOUT = "auth.logout", _("Signed out")
    AUTH_LOGIN_FAILED = "auth.login_failed", _("Failed sign-in")
    AUTH_LOCKED = "auth.locked", _("Account locked after failed sign-ins")
    AUTH_2FA_ENROLLED = "auth.2fa_enrolled", _("Two-factor sign-in set up")
    AUTH_2FA_REPLACED = "auth.2fa_replaced", _("Authenticator replaced")
    AUTH_RECOVERY_CODES_REGENERATED = (
        "auth.recovery_codes_regenerated",
        _("New recovery codes made"),
    )
    AUTH_RECOVERY_CODE_USED = "auth.recovery_code_used", _("Recovery code used")
    AUTH_PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    AUTH_PASSWORD_RESET = "auth.password_reset", _("Password reset by email")
