"""Follow-up reminders and escalation, sent by ``manage.py send_reminders`` once a day.

For every activity of an open action plan (not verified, not cancelled) that the unit has not yet
reported as done (claimed progress below 100 %):

- **before**: from ``FOLLOWUP_REMINDER_WORKING_DAYS`` working days before its due date (default
  3; counted with the working-day calendar, so holidays and collective leave are skipped), the
  unit officers and the responsible person are reminded once;
- **due**: on the due date itself, they are reminded again;
- **overdue**: from the day after the due date, the unit heads are told once, and again every
  seven days while it stays overdue.

For every target unit of an issued BPK recommendation that has not answered yet (its plan is still
a draft; see ``Recommendation.answer_due_on``, 60 calendar days after the audit report was
received):

- **answer**: from ``FOLLOWUP_REMINDER_WORKING_DAYS`` working days before the answer's due date,
  the unit officers are reminded once;
- **answer_overdue**: from the day after it, the unit heads are told once, and again every seven
  days while the unit has not answered.

For every plan not yet submitted for its drafting deadline (``ActionPlan.draft_due_on``,
``FOLLOWUP_PLAN_DRAFT_WORKING_DAYS`` working days after the recommendation was issued):

- **draft**: from ``FOLLOWUP_REMINDER_WORKING_DAYS`` working days before the deadline, the unit
  heads and officers are reminded once;
- **draft_overdue**: from the day after it, the unit heads and the Inspectorate answering for the
  unit (``notifications.inspectorate_for``) are told once.

Once a week the leadership gets one digest of every overdue plan, by unit (nothing is sent in a
week without overdue plans). "Unit officers" and "unit heads" are the holders of those roles for
the plan's unit or for a unit above it.

Each message is an in-app notification with a ``key`` naming the event (activity, kind, due date,
and the week for repeats); a person gets each key once, so running this twice a day, or after a
missed day, sends nothing twice. The new notifications of one person who chose email at once
are emailed together, in the person's language; when the email cannot be sent, that person's
notifications of this run are rolled back so the next run tries again. Those who chose in-app
only get no email, and those who chose the daily digest get them in the digest, which this run
sends last (``core.services.notifications.send_digests``), once a day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integritas import audit
from integritas.core.calendar import CalendarDataMissing, WorkingCalendar
from integritas.core.models import Notification, Role, RoleAssignment, Unit, User
from integritas.core.services.calendar import calendar_for
from integritas.core.services.notifications import emails_at_once, notify, send_digests
from integritas.followup.models import ActionPlan, Activity
from integritas.followup.services.notifications import inspectorate_for
from integritas.lib.formatting import format_date

logger = logging.getLogger(__name__)

BEFORE, DUE, OVERDUE, DIGEST = "before", "due", "overdue", "digest"
ANSWER, ANSWER_OVERDUE = "answer", "answer_overdue"
DRAFT, DRAFT_OVERDUE = "draft", "draft_overdue"
FALLBACK_BASE_URL = "http://localhost:8000"


def reminder_working_days() -> int:
    return int(settings.FOLLOWUP_REMINDER_WORKING_DAYS)


@dataclass(frozen=True)
class Reminder:
    """One thing to tell one person about: an activity (before, due, overdue), a plan whose BPK
    answer is due or overdue, or the digest."""

    kind: str
    key: str
    activity: Activity | None = None
    plans: tuple[ActionPlan, ...] = ()
    plan: ActionPlan | None = None


@dataclass
class Report:
    """What a run sent (or, in a dry run, would send), and what it had to skip."""

    today: dt.date
    dry_run: bool
    notifications: Counter[str] = field(default_factory=Counter)
    emails: int = 0
    digests: int = 0
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.notifications.values())


# --- Who is told ---------------------------------------------------------------------------------


class _Recipients:
    """Holders of a unit role for a unit or a unit above it, looked up once per unit and role."""

    def __init__(self) -> None:
        self._cache: dict[tuple[int, str], list[User]] = {}

    def __call__(self, unit: Unit, role: str) -> list[User]:
        found = self._cache.get((unit.pk, role))
        if found is None:
            covering = [unit.pk, *(u.pk for u in unit.ancestors())]
            found = list(
                User.objects.filter(
                    is_active=True,
                    role_assignments__role=role,
                    role_assignments__unit_id__in=covering,
                )
                .distinct()
                .order_by("pk")
            )
            self._cache[(unit.pk, role)] = found
        return found


def _leaders() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            pk__in=RoleAssignment.objects.filter(role=Role.LEADERSHIP, unit__isnull=True).values(
                "user_id"
            ),
        ).order_by("pk")
    )


# --- What is due ---------------------------------------------------------------------------------


def _activity_reminder(
    activity: Activity, today: dt.date, calendar: WorkingCalendar, n: int, report: Report
) -> Reminder | None:
    due = activity.due_on
    ref = f"{activity.public_id}:{due.isoformat()}"
    if today == due:
        return Reminder(DUE, f"followup.{DUE}:{ref}", activity)
    if today > due:
        # Told the day it becomes overdue, then every seven days (week 0, 1, 2, ...).
        week = ((today - due).days - 1) // 7
        return Reminder(OVERDUE, f"followup.{OVERDUE}:{ref}:{week}", activity)
    # n working days never span more than about n weeks plus the longest leave period, so far
    # dates are skipped without consulting the calendar (which may not know their year yet).
    if (due - today).days > 2 * n + 21:
        return None
    try:
        starts = calendar.add_working_days(due, -n)
    except CalendarDataMissing as missing:
        message = (
            f"activity {activity.public_id} (due {due.isoformat()}): the working-day calendar "
            f"has no holidays for {missing.year}; no advance reminder"
        )
        logger.warning(message)
        report.warnings.append(message)
        return None
    if today >= starts:
        return Reminder(BEFORE, f"followup.{BEFORE}:{ref}", activity)
    return None


def _answer_reminder(
    plan: ActionPlan, today: dt.date, calendar: WorkingCalendar, n: int
) -> Reminder | None:
    due = plan.recommendation.answer_due_on
    if due is None:
        return None
    ref = f"{plan.public_id}:{due.isoformat()}"
    if today > due:
        week = ((today - due).days - 1) // 7
        return Reminder(ANSWER_OVERDUE, f"followup.{ANSWER_OVERDUE}:{ref}:{week}", plan=plan)
    if (due - today).days > 2 * n + 21:
        return None
    try:
        starts = calendar.add_working_days(due, -n)
    except CalendarDataMissing:
        # The deadline is in calendar days; without holiday data, warn n calendar days ahead.
        starts = due - dt.timedelta(days=n)
    if today >= starts:
        return Reminder(ANSWER, f"followup.{ANSWER}:{ref}", plan=plan)
    return None


def _draft_reminder(
    plan: ActionPlan, today: dt.date, calendar: WorkingCalendar, n: int
) -> Reminder | None:
    due = plan.draft_due_on
    if due is None:
        return None
    ref = f"{plan.public_id}:{due.isoformat()}"
    if today > due:
        return Reminder(DRAFT_OVERDUE, f"followup.{DRAFT_OVERDUE}:{ref}", plan=plan)
    if (due - today).days > 2 * n + 21:
        return None
    try:
        starts = calendar.add_working_days(due, -n)
    except CalendarDataMissing:
        starts = due - dt.timedelta(days=n)
    if today >= starts:
        return Reminder(DRAFT, f"followup.{DRAFT}:{ref}", plan=plan)
    return None


def collect(today: dt.date, report: Report) -> dict[User, list[Reminder]]:
    """Every reminder due ``today``, per person (new or already sent; ``notify`` sorts that out)."""
    calendar = calendar_for()
    n = reminder_working_days()
    recipients = _Recipients()
    per_user: dict[User, list[Reminder]] = {}

    def add(users: Iterable[User], reminder: Reminder) -> None:
        for user in users:
            bucket = per_user.setdefault(user, [])
            if all(r.key != reminder.key for r in bucket):
                bucket.append(reminder)

    activities = (
        Activity.objects.filter(plan__in=ActionPlan.objects.open(), progress_claimed__lt=100)
        .select_related("plan__unit__parent", "plan__recommendation", "responsible")
        .order_by("due_on", "pk")
    )
    for activity in activities:
        reminder = _activity_reminder(activity, today, calendar, n, report)
        if reminder is None:
            continue
        unit = activity.plan.unit
        if reminder.kind == OVERDUE:
            heads = recipients(unit, Role.UNIT_HEAD)
            if not heads:
                message = f"unit {unit.code}: nobody holds the unit-head role; no escalation"
                if message not in report.warnings:
                    logger.warning(message)
                    report.warnings.append(message)
            add(heads, reminder)
        else:
            people = list(recipients(unit, Role.UNIT_OFFICER))
            responsible = activity.responsible
            if responsible is not None and responsible.is_active and responsible not in people:
                people.append(responsible)
            add(people, reminder)

    unanswered = ActionPlan.objects.unanswered_bpk().select_related(
        "unit__parent", "recommendation"
    )
    for plan in unanswered.order_by("recommendation__report_received_on", "pk"):
        reminder = _answer_reminder(plan, today, calendar, n)
        if reminder is not None:
            role = Role.UNIT_HEAD if reminder.kind == ANSWER_OVERDUE else Role.UNIT_OFFICER
            add(recipients(plan.unit, role), reminder)

    drafts = ActionPlan.objects.awaiting_first_submission().select_related(
        "unit__parent", "recommendation"
    )
    for plan in drafts.order_by("recommendation__issued_at", "pk"):
        reminder = _draft_reminder(plan, today, calendar, n)
        if reminder is None:
            continue
        heads = recipients(plan.unit, Role.UNIT_HEAD)
        if reminder.kind == DRAFT_OVERDUE:
            add([*heads, *inspectorate_for(plan.unit)], reminder)
        else:
            add([*heads, *recipients(plan.unit, Role.UNIT_OFFICER)], reminder)

    leaders = _leaders()
    if leaders:
        overdue = tuple(
            ActionPlan.objects.overdue(today)
            .select_related("unit", "recommendation")
            .order_by("unit__code", "due", "recommendation__code")
        )
        if overdue:
            year, week, _day = today.isocalendar()
            add(leaders, Reminder(DIGEST, f"followup.{DIGEST}:{year}-W{week:02d}", plans=overdue))
    return per_user


# --- Messages ------------------------------------------------------------------------------------


def _language(user: User) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return user.language if user.language in codes else "id"


def _title(reminder: Reminder) -> str:
    activity = reminder.activity
    if reminder.kind == DIGEST:
        count = len(reminder.plans)
        return ngettext(
            "Weekly follow-up digest: %(count)d overdue action plan",
            "Weekly follow-up digest: %(count)d overdue action plans",
            count,
        ) % {"count": count}
    if reminder.plan is not None and reminder.kind in (DRAFT, DRAFT_OVERDUE):
        names = {
            "recommendation": reminder.plan.recommendation.code,
            "unit": reminder.plan.unit.code,
        }
        if reminder.kind == DRAFT_OVERDUE:
            return _("Action plan not submitted in time: %(recommendation)s (%(unit)s)") % names
        return _("Action plan due soon: %(recommendation)s (%(unit)s)") % names
    if reminder.plan is not None:
        answer = {
            "recommendation": reminder.plan.recommendation.code,
            "unit": reminder.plan.unit.code,
        }
        if reminder.kind == ANSWER_OVERDUE:
            return _("BPK answer overdue: %(recommendation)s (%(unit)s)") % answer
        return _("BPK answer due soon: %(recommendation)s (%(unit)s)") % answer
    assert activity is not None
    values = {"activity": activity.title, "unit": activity.plan.unit.code}
    if reminder.kind == BEFORE:
        return _("Due soon: %(activity)s (%(unit)s)") % values
    if reminder.kind == DUE:
        return _("Due today: %(activity)s (%(unit)s)") % values
    return _("Overdue: %(activity)s (%(unit)s)") % values


def _body(reminder: Reminder, today: dt.date, lang: str) -> str:
    if reminder.kind == DIGEST:
        units = sorted({plan.unit.code for plan in reminder.plans})
        return _("Units with overdue action plans: %(units)s.") % {"units": ", ".join(units)}
    if reminder.plan is not None and reminder.kind in (DRAFT, DRAFT_OVERDUE):
        return _draft_body(reminder.plan, today, lang)
    if reminder.plan is not None:
        return _answer_body(reminder.plan, today, lang)
    activity = reminder.activity
    assert activity is not None
    plan = activity.plan
    days = (today - activity.due_on).days
    values = {
        "recommendation": f"{plan.recommendation.code} {plan.recommendation.title}",
        "date": format_date(activity.due_on, lang),
        "days": days,
    }
    if reminder.kind == OVERDUE:
        return (
            ngettext(
                "Recommendation %(recommendation)s. The activity was due on %(date)s and is "
                "%(days)d day late.",
                "Recommendation %(recommendation)s. The activity was due on %(date)s and is "
                "%(days)d days late.",
                days,
            )
            % values
        )
    return _("Recommendation %(recommendation)s. The activity is due on %(date)s.") % values


def _answer_body(plan: ActionPlan, today: dt.date, lang: str) -> str:
    recommendation = plan.recommendation
    due = recommendation.answer_due_on
    assert due is not None and recommendation.report_received_on is not None
    days = (today - due).days
    values = {
        "recommendation": f"{recommendation.code} {recommendation.title}",
        "reference": recommendation.reference_number,
        "received": format_date(recommendation.report_received_on, lang),
        "date": format_date(due, lang),
        "days": days,
    }
    if today > due:
        return (
            ngettext(
                "Recommendation %(recommendation)s. The answer to BPK audit report %(reference)s "
                "(received on %(received)s) was due on %(date)s and is %(days)d day late: submit "
                "the action plan.",
                "Recommendation %(recommendation)s. The answer to BPK audit report %(reference)s "
                "(received on %(received)s) was due on %(date)s and is %(days)d days late: submit "
                "the action plan.",
                days,
            )
            % values
        )
    return (
        _(
            "Recommendation %(recommendation)s. The answer to BPK audit report %(reference)s "
            "(received on %(received)s) is due on %(date)s: submit the action plan by then."
        )
        % values
    )


def _draft_body(plan: ActionPlan, today: dt.date, lang: str) -> str:
    recommendation = plan.recommendation
    due = plan.draft_due_on
    assert due is not None and recommendation.issued_at is not None
    values = {
        "recommendation": f"{recommendation.code} {recommendation.title}",
        "issued": format_date(timezone.localdate(recommendation.issued_at), lang),
        "date": format_date(due, lang),
    }
    if today > due:
        return (
            _(
                "Recommendation %(recommendation)s, issued on %(issued)s. The unit's action plan "
                "was due on %(date)s and has not been submitted."
            )
            % values
        )
    return (
        _(
            "Recommendation %(recommendation)s, issued on %(issued)s. Submit the action plan by "
            "%(date)s."
        )
        % values
    )


def _url(reminder: Reminder) -> str:
    if reminder.plan is not None:
        return reverse("followup-plan", args=[reminder.plan.public_id])
    if reminder.activity is not None:
        return reverse("followup-plan", args=[reminder.activity.plan.public_id])
    return reverse("followup-overdue")


def _email(
    user: User,
    items: list[tuple[Reminder, Notification]],
    today: dt.date,
    base_url: str,
    lang: str,
) -> EmailMultiAlternatives:
    digest = next((r for r, _n in items if r.kind == DIGEST), None)
    by_unit: dict[str, list[ActionPlan]] = {}
    for plan in digest.plans if digest else ():
        by_unit.setdefault(str(plan.unit), []).append(plan)
    context: dict[str, Any] = {
        "user": user,
        "today": today,
        "items": [
            {
                "kind": reminder.kind,
                "title": notification.title,
                "body": notification.body,
                "link": base_url + notification.url,
            }
            for reminder, notification in items
            if reminder.kind != DIGEST
        ],
        "digest_units": sorted(by_unit.items()),
        "digest_link": base_url + reverse("followup-overdue"),
    }
    if len(items) == 1:
        subject = items[0][1].title
    else:
        subject = _("Follow-up: %(count)d reminders") % {"count": len(items)}
    text = render_to_string("followup/email/reminders.txt", context)
    html = render_to_string("followup/email/reminders.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def _base_url(report: Report) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    if not base:
        message = f"PUBLIC_BASE_URL is not set; links in emails point to {FALLBACK_BASE_URL}"
        logger.warning(message)
        report.warnings.append(message)
        base = FALLBACK_BASE_URL
    return base


# --- The run -------------------------------------------------------------------------------------


def send_reminders(*, today: dt.date, dry_run: bool = False) -> Report:
    """Send (or, with ``dry_run``, only count) the reminders due on ``today``. Idempotent."""
    report = Report(today=today, dry_run=dry_run)
    per_user = collect(today, report)
    if per_user:
        _send(per_user, today, report)
    if not dry_run:
        digests = send_digests(today=today)
        report.digests = digests.emails
        report.failures.extend(digests.failures)
    return report


def _send(per_user: dict[User, list[Reminder]], today: dt.date, report: Report) -> None:
    dry_run = report.dry_run
    base_url = _base_url(report)
    for user, reminders in sorted(per_user.items(), key=lambda pair: pair[0].pk):
        lang = _language(user)
        if dry_run:
            sent = set(
                Notification.objects.filter(
                    user=user, key__in=[r.key for r in reminders]
                ).values_list("key", flat=True)
            )
            new = [r for r in reminders if r.key not in sent]
            report.notifications.update(r.kind for r in new)
            report.emails += bool(new and emails_at_once(user))
            continue
        try:
            with transaction.atomic(), translation.override(lang):
                items: list[tuple[Reminder, Notification]] = []
                for reminder in reminders:
                    notification = notify(
                        user=user,
                        title=_title(reminder),
                        body=_body(reminder, today, lang),
                        url=_url(reminder),
                        key=reminder.key,
                        email=False,  # one email for the run, below, or the digest
                    )
                    if notification is not None:
                        items.append((reminder, notification))
                if items and emails_at_once(user):
                    _email(user, items, today, base_url, lang).send()
                    Notification.objects.filter(pk__in=[n.pk for _r, n in items]).update(
                        emailed_at=timezone.now()
                    )
                    report.emails += 1
        except Exception as exc:  # noqa: BLE001 - one unreachable mailbox must not stop the rest
            message = f"user {user.pk}: {exc.__class__.__name__}: {exc}; will retry next run"
            logger.exception("reminder email to user %s failed", user.pk)
            report.failures.append(message)
            continue
        report.notifications.update(reminder.kind for reminder, _n in items)
    if report.total and not dry_run:
        audit.record(
            "followup.reminders_sent",
            object_type="followup.reminders",
            object_id=today.isoformat(),
            object_label=format_date(today, "id"),
            changes={
                "notifications": [None, dict(report.notifications)],
                "emails": [None, report.emails],
            },
        )
