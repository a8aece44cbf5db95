"""Waves: create and run them, units and populations, invitations and reminders.

Each operation is atomic and writes one audit event about the wave. Nothing here records which
person answered: invitation events carry counts per unit, never addresses or tokens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from integritas import audit
from integritas.audit.services import changes_between, snapshot
from integritas.core import workflow
from integritas.core.history import UnitChanges
from integritas.core.models import FiscalYear, Unit
from integritas.surveys import tokens
from integritas.surveys.models import (
    Instrument,
    InstrumentVersion,
    Invitation,
    Response,
    Service,
    Wave,
    WaveService,
    WaveUnit,
)
from integritas.surveys.sampling import sample_size

# The wave's events that name its units or add them up, cut to a unit-limited viewer's units in
# the wave's history (core/history.py); the invitation and response imports record on the wave too.
UNIT_CHANGES = {
    "wave.created": UnitChanges(totals=frozenset({"units"})),
    "wave.units_added": UnitChanges(codes=frozenset({"units"})),
    "wave.unit_removed": UnitChanges(codes=frozenset({"units"})),
    "wave.populations_set": UnitChanges(keyed=True),
    "wave.invitations_created": UnitChanges(per_unit=frozenset({"invitations"})),
    "wave.reminders_sent": UnitChanges(totals=frozenset({"reminders"})),
    "wave.responses_imported": UnitChanges(totals=frozenset({"responses"})),
    "wave.responses_exported": UnitChanges(totals=frozenset({"responses", "withheld"})),
}

ACTION_LABELS = {
    "wave.created": gettext_lazy("Survey wave created"),
    "wave.updated": gettext_lazy("Survey wave changed"),
    "wave.opened": gettext_lazy("Survey wave opened"),
    "wave.closed": gettext_lazy("Survey wave closed"),
    "wave.units_added": gettext_lazy("Units added to the wave"),
    "wave.unit_removed": gettext_lazy("Unit taken out of the wave"),
    "wave.populations_set": gettext_lazy("Populations and targets set"),
    "wave.invitations_created": gettext_lazy("Invitations sent"),
    "wave.reminders_sent": gettext_lazy("Reminders sent"),
    "service.created": gettext_lazy("Public service added"),
    "service.updated": gettext_lazy("Public service changed"),
}

# Names in the changes of wave events that are not fields of a wave, for the audit pages.
EVENT_FIELDS = {
    "units": gettext_lazy("units"),
    "invitations": gettext_lazy("invitations"),
    "reminders": gettext_lazy("reminders"),
}
# The names the app's commands and background imports act under, for the audit pages.
EVENT_ACTORS = {
    "import_responses": gettext_lazy("Import of responses"),
    "run_import": gettext_lazy("Import of responses"),
    "wave_create": gettext_lazy("Command: create a survey wave"),
    "export_responses": gettext_lazy("Command: export responses"),
    "load_instruments": gettext_lazy("Installation of the instruments"),
}

WAVE_FIELDS = [
    "title",
    "opens_on",
    "closes_on",
    "respondent_types",
    "margin_of_error",
    "sample_method",
    "min_group_size",
    "public_links",
    "fiscal_year",
]


def _public_code() -> str:
    """A short code for a public link or QR poster (~60 bits; not guessable, easy to type)."""
    return tokens.new_token(12)


def _snapshot(wave: Wave) -> dict[str, Any]:
    return snapshot(wave, WAVE_FIELDS + ["status"])


@transaction.atomic
def wave_create(
    *,
    version: InstrumentVersion,
    code: str,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    respondent_types: Sequence[str],
    units: Iterable[Unit],
    fiscal_year: FiscalYear | None = None,
    margin_of_error: Decimal = Decimal("0.050"),
    sample_method: str = Wave.SampleMethod.KREJCIE_MORGAN,
    min_group_size: int = 10,
    public_links: bool = True,
) -> Wave:
    """Create a draft wave over ``units`` (with every active service of each unit, for SKM)."""
    if version.status != InstrumentVersion.Status.PUBLISHED:
        raise ValidationError(
            {"version": _("Only a published instrument version can be used in a wave.")}
        )
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    wave = Wave(
        code=code,
        title=title,
        version=version,
        fiscal_year=fiscal_year,
        opens_on=opens_on,
        closes_on=closes_on,
        respondent_types=list(respondent_types),
        margin_of_error=margin_of_error,
        sample_method=sample_method,
        min_group_size=min_group_size,
        public_links=public_links,
    )
    wave.full_clean()
    wave.save()
    _add_units(wave, units)
    audit.record(
        "wave.created",
        obj=wave,
        changes={**{k: [None, v] for k, v in _snapshot(wave).items()}, "units": [None, len(units)]},
    )
    return wave


def _add_units(wave: Wave, units: Iterable[Unit]) -> list[WaveUnit]:
    created = []
    with_services = wave.version.instrument.kind == Instrument.Kind.SATISFACTION
    for unit in units:
        wave_unit = WaveUnit.objects.create(wave=wave, unit=unit, public_code=_public_code())
        created.append(wave_unit)
        if with_services:
            for service in Service.objects.filter(unit=unit, is_active=True):
                WaveService.objects.create(
                    wave_unit=wave_unit, service=service, public_code=_public_code()
                )
    return created


@transaction.atomic
def wave_update(*, wave: Wave, values: Mapping[str, Any]) -> Wave:
    before = _snapshot(wave)
    for name, value in values.items():
        if name not in WAVE_FIELDS:
            raise ValueError(f"{name} cannot be changed here")
        setattr(wave, name, value)
    wave.full_clean()
    wave.save()
    changes = _changes(before, _snapshot(wave))
    if changes:
        audit.record("wave.updated", obj=wave, changes=changes)
        if {"margin_of_error", "sample_method"} & set(changes):
            recompute_targets(wave=wave)
    return wave


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    return changes_between(before, after)


@transaction.atomic
def wave_add_units(*, wave: Wave, units: Iterable[Unit]) -> list[WaveUnit]:
    present = set(wave.wave_units.values_list("unit_id", flat=True))
    new = [u for u in units if u.pk not in present]
    created = _add_units(wave, new)
    if created:
        audit.record("wave.units_added", obj=wave, changes={"units": [None, [u.code for u in new]]})
    return created


@transaction.atomic
def wave_remove_unit(*, wave_unit: WaveUnit) -> None:
    """Take a unit out of a wave; refused once it has responses or invitations."""
    wave = wave_unit.wave
    if Response.objects.filter(wave=wave, unit=wave_unit.unit).exists():
        raise ValidationError(
            _("%(unit)s already has responses in this wave.") % {"unit": wave_unit.unit.code}
        )
    if Invitation.objects.filter(wave=wave, unit=wave_unit.unit).exists():
        raise ValidationError(
            _("%(unit)s already has invitations in this wave.") % {"unit": wave_unit.unit.code}
        )
    code = wave_unit.unit.code
    wave_unit.delete()
    audit.record("wave.unit_removed", obj=wave, changes={"units": [code, None]})


# Which status changes are allowed. Reopening a closed wave is allowed (a deadline extension is
# common) and recorded like every other change. Who may do it is the policy's "change".
TRANSITIONS: workflow.Table[workflow.Transition] = workflow.Table(
    [
        workflow.Transition(
            "open",
            frozenset({Wave.Status.DRAFT, Wave.Status.CLOSED}),
            Wave.Status.OPEN,
            event="wave.opened",
        ),
        workflow.Transition(
            "close", frozenset({Wave.Status.OPEN}), Wave.Status.CLOSED, event="wave.closed"
        ),
    ],
    event="wave.{name}",
)


@transaction.atomic
def wave_set_status(*, wave: Wave, status: str, reason: str = "") -> Wave:
    """Move the wave to ``status`` along ``TRANSITIONS``; opening needs at least one unit."""
    transition = TRANSITIONS.leading_to(status, status=wave.status)
    if transition is None:
        raise ValidationError(
            _("A wave cannot go from %(old)s to %(new)s.")
            % {"old": Wave.Status(wave.status).label, "new": Wave.Status(status).label}
        )

    def guard(transition: workflow.Transition) -> None:
        if transition.target == Wave.Status.OPEN and not wave.wave_units.exists():
            raise ValidationError(_("Add at least one unit before opening the wave."))

    workflow.apply(wave, transition.name, table=TRANSITIONS, reason=reason, guard=guard)
    return wave


def target_for(wave: Wave, population: int | None) -> int | None:
    if population is None:
        return None
    return sample_size(population, wave.margin_of_error, wave.sample_method).size


@transaction.atomic
def wave_set_populations(*, wave: Wave, populations: Mapping[int, int | None]) -> int:
    """Set populations by WaveUnit id and recompute their targets; returns how many changed."""
    changed: dict[str, list[Any]] = {}
    for wave_unit in wave.wave_units.select_related("unit").filter(pk__in=list(populations)):
        population = populations[wave_unit.pk]
        if population == wave_unit.population:
            continue
        changed[wave_unit.unit.code] = [wave_unit.population, population]
        wave_unit.population = population
        wave_unit.target = target_for(wave, population)
        wave_unit.save(update_fields=["population", "target"])
    if changed:
        audit.record("wave.populations_set", obj=wave, changes=changed)
    return len(changed)


def recompute_targets(*, wave: Wave) -> None:
    for wave_unit in wave.wave_units.all():
        target = target_for(wave, wave_unit.population)
        if target != wave_unit.target:
            wave_unit.target = target
            wave_unit.save(update_fields=["target"])


@dataclass
class UnitProgress:
    wave_unit: WaveUnit
    responses: int
    invited: int
    used: int

    @property
    def percent(self) -> float | None:
        target = self.wave_unit.target
        return min(100.0, 100.0 * self.responses / target) if target else None


def progress(wave: Wave, units: Iterable[int] | None = None) -> list[UnitProgress]:
    """Responses so far against target, per unit (three queries, grouped in the database)."""
    wave_units = wave.wave_units.select_related("unit").order_by("unit__code")
    if units is not None:
        wave_units = wave_units.filter(unit_id__in=list(units))
    counts = dict(
        Response.objects.filter(wave=wave)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "n")
    )
    invitations = {
        row["unit_id"]: (row["invited"], row["used_n"])
        for row in Invitation.objects.filter(wave=wave)
        .values("unit_id")
        .annotate(invited=Count("pk"), used_n=Count("pk", filter=Q(used=True)))
    }
    return [
        UnitProgress(wu, counts.get(wu.unit_id, 0), *invitations.get(wu.unit_id, (0, 0)))
        for wu in wave_units
    ]


# --- invitations ---------------------------------------------------------------------------


def send_invitation(invitation: Invitation, link: str, *, reminder: bool) -> None:
    """Email one invitation (or a reminder) with its link, in Indonesian."""
    wave = invitation.wave
    context = {"wave": wave, "link": link, "closes_on": wave.closes_on, "reminder": reminder}
    with override("id"):
        subject = (_("Reminder: %(title)s") if reminder else _("Invitation: %(title)s")) % {
            "title": wave.title
        }
        body = render_to_string("surveys/waves/email_invitation.txt", context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[invitation.email])


@transaction.atomic
def send_reminders(*, wave: Wave, base_url: str, min_days: int = 3) -> int:
    """Email a fresh link to every unused email invitation not reminded in the last ``min_days``.

    Tokens are not kept, so each reminder issues a new one and retires the old link; answers
    saved as a draft under the old link are not carried over (nothing links a draft to its
    invitation). Idempotent within ``min_days``.
    """
    if not wave.accepts_responses():
        return 0
    today = timezone.localdate()
    cutoff = today - dt.timedelta(days=min_days)
    due = Invitation.objects.filter(wave=wave, used=False).exclude(email="")
    due = due.exclude(reminded_on__gt=cutoff).exclude(invited_on__gt=cutoff)
    sent = 0
    for invitation in due.select_related("wave"):
        token = tokens.new_token()
        invitation.token_digest = tokens.digest(token, purpose="invitation")
        invitation.reminded_on = today
        invitation.save(update_fields=["token_digest", "reminded_on"])
        send_invitation(
            invitation,
            base_url.rstrip("/") + reverse("surveys-respond-invitation", args=[token]),
            reminder=True,
        )
        sent += 1
    if sent:
        audit.record("wave.reminders_sent", obj=wave, changes={"reminders": [None, sent]})
    return sent


# --- services ------------------------------------------------------------------------------


@transaction.atomic
def service_save(*, service: Service, values: Mapping[str, Any]) -> Service:
    fields = ["unit", "code", "name", "is_active"]
    creating = service.pk is None
    before = {} if creating else snapshot(service, fields)
    for name, value in values.items():
        setattr(service, name, value)
    service.full_clean()
    service.save()
    changes = changes_between(before, snapshot(service, fields))
    if creating or changes:
        audit.record(
            "service.created" if creating else "service.updated", obj=service, changes=changes
        )
    return service
