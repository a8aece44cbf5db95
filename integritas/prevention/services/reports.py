"""Gratification reports and the UPG's workflow on them (``prevention/workflow.py``).

``submit`` files a report (by the employee, or by the UPG for a paper report): it refuses a date
of receipt in the future, a report dated before the receipt or after today, a value below zero
or beyond belief and a category it does not know, storing nothing; it picks the rule set in force
on the date of receipt and flags a report made after that set's window to report to KPK as late
(possibly state property). ``act`` fires one step of the workflow, audited; the reporter never
processes their own report. ``deadline`` is the last day of the current step, counted in working
days on the shared calendar; ``run_daily`` lapses reports not completed in time and tells the
UPG's head about overdue steps through core's notifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core import workflow as core_workflow
from integritas.core.calendar import CalendarDataMissing, WorkingCalendar
from integritas.core.models import Role, RoleAssignment, User
from integritas.core.services.calendar import calendar_for
from integritas.core.services.notifications import language_of, notify
from integritas.lib.formatting import format_date
from integritas.prevention import workflow
from integritas.prevention.models import (
    AuditAction,
    Decision,
    EventKind,
    GratificationReport,
    ObjectKind,
    Relation,
    ReportKind,
    ReportStatus,
    RuleSet,
)
from integritas.prevention.services.checker import MAX_VALUE

UPG_ROLES = frozenset({Role.UPG_OFFICER, Role.UPG_HEAD})

REPORT_FIELDS = [
    "kind",
    "reporter_name",
    "reporter_unit",
    "confidential",
    "giver",
    "relation",
    "event",
    "object_kind",
    "description",
    "value",
    "location",
    "received_on",
    "reported_on",
    "chronology",
]
# What the trail keeps of a new report: nothing that names or points at the reporter.
AUDITED_FIELDS = ["kind", "relation", "event", "object_kind", "value", "received_on", "reported_on"]
CHOICES = {
    "kind": ReportKind,
    "relation": Relation,
    "event": EventKind,
    "object_kind": ObjectKind,
}


def is_upg(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and RoleAssignment.objects.filter(user=user, role__in=UPG_ROLES).exists()
    )


def roles_for(user: Any, report: GratificationReport) -> frozenset[str]:
    """The workflow roles ``user`` holds on ``report``: the UPG's, unless it is their own."""
    own = user.pk is not None and user.pk == report.reporter_id
    roles: set[str] = set()
    if own:
        roles.add(workflow.REPORTER)
    elif is_upg(user):
        roles.add(workflow.UPG)
    return frozenset(roles)


def shows_reporter(user: Any, report: GratificationReport) -> bool:
    """Whether ``user`` may see who filed ``report``: everyone who reads it, unless it is
    confidential; then only the UPG and the reporter."""
    if not report.confidential:
        return True
    return user.pk == report.reporter_id or is_upg(user)


def _validate(values: Mapping[str, Any], today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, choices in CHOICES.items():
        if values.get(name) not in choices.values:
            errors[name] = _("Choose one of the listed options.")
    value = values.get("value")
    if not isinstance(value, int) or value < 0:
        errors["value"] = _("Give an amount of zero or more.")
    elif value > MAX_VALUE:
        errors["value"] = _("This amount is not believable; check the number.")
    received, reported = values.get("received_on"), values.get("reported_on")
    if not isinstance(received, dt.date):
        errors["received_on"] = _("Give the date of receipt.")
    elif received > today:
        errors["received_on"] = _("The date of receipt cannot be in the future.")
    if not isinstance(reported, dt.date):
        errors["reported_on"] = _("Give the date of the report.")
    elif reported > today:
        errors["reported_on"] = _("The date of the report cannot be in the future.")
    elif isinstance(received, dt.date) and reported < received:
        errors["reported_on"] = _("A report cannot be dated before the gift was received.")
    for name in ("reporter_name", "giver", "description", "location", "chronology"):
        if not str(values.get(name) or "").strip():
            errors[name] = _("This field is required.")
    return errors


def _calendar_error(exc: CalendarDataMissing) -> ValidationError:
    return ValidationError(
        _(
            "The deadlines reach into %(year)s, whose holidays are not entered yet: ask the "
            "administrator to enter them."
        )
        % {"year": exc.year}
    )


def _next_number(year: int) -> str:
    prefix = f"GRT-{year}-"
    last = (
        GratificationReport.objects.filter(tracking_number__startswith=prefix)
        .order_by("-tracking_number")
        .values_list("tracking_number", flat=True)
        .first()
    )
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:05d}"


@transaction.atomic
def submit(
    *,
    values: Mapping[str, Any],
    reporter: User | None,
    by: User,
    today: dt.date | None = None,
) -> GratificationReport:
    """File a report; ``reporter`` None for a paper report whose reporter has no account.
    ``by`` is who files it (the reporter, or the UPG officer typing a paper report in)."""
    today = today or timezone.localdate()
    errors = _validate(values, today)
    if errors:
        raise ValidationError(errors)
    rule_set = RuleSet.objects.in_force_on(values["received_on"])
    if rule_set is None:
        raise ValidationError(
            {"received_on": _("No gratification rules are recorded for this date.")}
        )
    try:
        kpk_due = calendar_for().add_working_days(values["received_on"], rule_set.kpk_report_days)
    except CalendarDataMissing as exc:
        raise _calendar_error(exc) from exc
    report = GratificationReport(
        **{name: values[name] for name in REPORT_FIELDS if name in values},
        reporter=reporter,
        on_paper=reporter is None or reporter != by,
        entered_by=by,
        rule_set=rule_set,
        late=values["reported_on"] > kpk_due,
        step_started_on=values["reported_on"],
        tracking_number=_next_number(values["reported_on"].year),
    )
    report.full_clean()
    report.save()
    audit.record(
        AuditAction.REPORT_SUBMITTED,
        obj=report,
        changes={
            **{name: [None, _plain(getattr(report, name))] for name in AUDITED_FIELDS},
            "late": [None, report.late],
        },
    )
    return report


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def deadline(
    report: GratificationReport, calendar: WorkingCalendar | None = None
) -> dt.date | None:
    """The last day of the report's current step (None when nothing is due of anyone)."""
    calendar = calendar or calendar_for()
    rules = report.rule_set
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.COMPLETE):
        return calendar.add_working_days(report.step_started_on, rules.upg_forward_days)
    if report.status == ReportStatus.RETURNED:
        return calendar.add_working_days(report.step_started_on, rules.completeness_days)
    if report.status == ReportStatus.FORWARDED:
        return calendar.add_working_days(report.step_started_on, rules.kpk_decision_days)
    if report.status == ReportStatus.DECIDED and report.decision == Decision.STATE:
        return calendar.add_working_days(report.step_started_on, rules.handover_days)
    return None


def is_overdue(report: GratificationReport, today: dt.date) -> bool:
    try:
        due = deadline(report)
    except CalendarDataMissing:
        return False
    return due is not None and due < today


# What each step fills in, and which of them it requires.
STEP_FIELDS: dict[str, list[str]] = {
    "forward": ["gol_reference", "forwarded_on"],
    "decide": ["decision", "decree_number", "decree_date"],
    "hand_over": ["handover_receipt"],
}


@transaction.atomic
def act(
    *,
    report: GratificationReport,
    step: str,
    by: User,
    values: Mapping[str, Any] | None = None,
    reason: str = "",
    today: dt.date | None = None,
    system: bool = False,
) -> GratificationReport:
    """Fire ``step`` on ``report`` (``workflow.REPORT``), audited. ``system``: the daily run,
    which holds the UPG's role for the lapse. ``report`` is read again, locked, and refreshed
    afterwards."""
    today = today or timezone.localdate()
    values = dict(values or {})
    given = report
    report = GratificationReport.objects.select_for_update().get(pk=report.pk)
    roles = frozenset({workflow.UPG}) if system else roles_for(by, report)

    def guard(transition: core_workflow.Transition) -> None:
        errors: dict[str, str] = {}
        for name in STEP_FIELDS.get(step, []):
            if values.get(name) in (None, ""):
                errors[name] = _("This field is required.")
        for name in ("forwarded_on", "decree_date"):
            day = values.get(name)
            if isinstance(day, dt.date) and day > today:
                errors[name] = _("This date cannot be in the future.")
        if step == "forward" and isinstance(values.get("forwarded_on"), dt.date):
            if values["forwarded_on"] < report.reported_on:
                errors["forwarded_on"] = _("The report cannot be forwarded before it was made.")
        if step == "decide" and values.get("decision") not in (*Decision.values, None, ""):
            errors["decision"] = _("Choose one of the listed options.")
        if step == "decide" and isinstance(values.get("decree_date"), dt.date):
            if report.forwarded_on and values["decree_date"] < report.forwarded_on:
                errors["decree_date"] = _("KPK cannot decide before the report reached it.")
        if step == "hand_over" and report.decision != Decision.STATE:
            raise ValidationError(_("Only a gift that became state property is handed over."))
        if step == "close" and report.decision != Decision.RECIPIENT:
            raise ValidationError(_("A gift that became state property is closed by its handover."))
        if step == "lapse":
            due = deadline(report)
            if due is None or due >= today:
                raise ValidationError(_("The report may lapse only after its window to complete."))
        if errors:
            raise ValidationError(errors)

    def effects(transition: core_workflow.Transition) -> list[str]:
        fields = STEP_FIELDS.get(step, [])
        for name in fields:
            setattr(report, name, values[name])
        if step == "forward":
            report.step_started_on = values["forwarded_on"]
        elif step == "decide":
            report.step_started_on = values["decree_date"]
        elif step in ("return", "resubmit"):
            report.step_started_on = today
        elif step != "complete":
            report.step_started_on = today
        report.escalated_on = None
        return [*fields, "step_started_on", "escalated_on"]

    try:
        core_workflow.apply(
            report,
            step,
            table=workflow.REPORT,
            roles=roles,
            reason=reason,
            guard=guard,
            effects=effects,
            changes={name: [None, _plain(values.get(name))] for name in STEP_FIELDS.get(step, [])},
        )
    except core_workflow.TransitionError as exc:
        raise ValidationError(_transition_message(exc)) from exc
    given.refresh_from_db()
    return given


def _transition_message(exc: core_workflow.TransitionError) -> str:
    if exc.code == "reason":
        return _("Say what must be completed.")
    if exc.code == "role":
        return _("You may not take this step on this report.")
    return _("This step is not possible in the report's present state.")


def upg_heads() -> list[User]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role=Role.UPG_HEAD)
        .distinct()
        .order_by("pk")
    )


@dataclass
class DailyRun:
    lapsed: list[str]
    escalated: list[str]
    notifications: int


def run_daily(*, today: dt.date, by: User | None = None) -> DailyRun:
    """Lapse the reports not completed in time; tell the UPG's head of each overdue step once."""
    lapsed: list[str] = []
    for report in GratificationReport.objects.filter(status=ReportStatus.RETURNED):
        if is_overdue(report, today):
            act(report=report, step="lapse", by=by, today=today, system=True)  # type: ignore[arg-type]
            lapsed.append(report.tracking_number)
    heads = upg_heads()
    escalated: list[str] = []
    sent = 0
    for report in GratificationReport.objects.open().select_related("rule_set"):
        if not is_overdue(report, today) or report.escalated_on is not None:
            continue
        escalated.append(report.tracking_number)
        due = deadline(report)
        for head in heads:
            language = language_of(head)
            with translation.override(language):
                created = notify(
                    user=head,
                    title=_("Overdue gratification report %(number)s")
                    % {"number": report.tracking_number},
                    body=_("The step “%(status)s” was due on %(due)s.")
                    % {
                        "status": report.get_status_display(),
                        "due": format_date(due, language) if due else "",
                    },
                    url=reverse("prevention-report", args=[report.pk]),
                    key=f"prevention-overdue-{report.pk}-{report.status}-{report.step_started_on}",
                )
            sent += created is not None
        GratificationReport.objects.filter(pk=report.pk).update(escalated_on=today)
    if escalated:
        audit.record(
            AuditAction.REPORTS_ESCALATED,
            object_type=GratificationReport._meta.label_lower,
            changes={"reports": [None, len(escalated)], "notifications": [None, sent]},
        )
    return DailyRun(lapsed=lapsed, escalated=escalated, notifications=sent)
