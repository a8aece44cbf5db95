"""Notifications at every hand-over of the follow-up workflow: whoever must act next is told, in
the application and by email as they chose (``core/services/notifications.py``).

| step | who is told |
|---|---|
| recommendation issued | each target unit's heads and officers |
| plan submitted, evidence submitted | the Inspectorate: the inspectors assigned to the unit (a role held for the unit or a unit above it), or else every inspector and the inspector general |
| plan returned, approved or cancelled, evidence returned or verified | the unit's heads and officers |
| activity marked done (its evidence waits for verification) | the Inspectorate, as above |
| activity returned or verified | the unit's heads and officers |
| recommendation closed | each target unit's heads and officers (nothing more is asked of them) |
| recommendation reopened | each target unit's heads and officers, and the Inspectorate as above (it classifies the follow-up again) |

"Heads and officers" are the holders of those roles for the plan's unit or a unit above it, as
for the reminders. Whoever took the step is never told about it. A returned evidence
notification names the files concerned (``plan.current_return``) and the reason.

The services call ``announce_issued`` and ``announce_step`` inside their transaction; the
notifications are made once it commits (``transaction.on_commit``), so a step that fails or is
rolled back tells nobody. Each message is written in the recipient's language, and its key
names the step and the moment of the status change, so a plan submitted, returned and submitted
again notifies each time, but the same step never twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from integritas.core.models import INSPECTORATE_ROLES, Role, Unit, User
from integritas.core.services.notifications import language_of, notify
from integritas.followup.models import ActionPlan, Activity, PlanReturn, Recommendation
from integritas.lib.formatting import format_date

logger = logging.getLogger(__name__)


# --- Who is told ---------------------------------------------------------------------------------


def _holders(roles: Iterable[str], units: Q) -> list[User]:
    return list(
        User.objects.filter(is_active=True)
        .filter(
            pk__in=User.objects.filter(Q(role_assignments__role__in=list(roles)) & units).values(
                "pk"
            )
        )
        .order_by("pk")
    )


def _covering(unit: Unit) -> Q:
    """Role assignments held for ``unit`` or a unit above it."""
    return Q(role_assignments__unit_id__in=[unit.pk, *(u.pk for u in unit.ancestors())])


def unit_people(
    unit: Unit, roles: Iterable[str] = (Role.UNIT_HEAD, Role.UNIT_OFFICER)
) -> list[User]:
    """The active holders of ``roles`` (by default head and officer) for ``unit`` or above it."""
    return _holders(roles, _covering(unit))


def inspectorate_for(unit: Unit) -> list[User]:
    """The Inspectorate people who answer for ``unit``: inspectors whose role is limited to the
    unit (or a unit above it) when there are any, else every inspector and inspector general
    holding the role for the whole government."""
    assigned = _holders([Role.INSPECTOR], _covering(unit))
    return assigned or _holders(INSPECTORATE_ROLES, Q(role_assignments__unit__isnull=True))


# --- Sending -------------------------------------------------------------------------------------


def _send(
    people: Iterable[User],
    *,
    by: User | None,
    key: str,
    url: str,
    message: Callable[[str], tuple[str, str]],
) -> int:
    """Notify each of ``people`` but ``by``; ``message(lang)`` gives the title and body, called
    with the recipient's language active. Returns how many were notified."""
    sent = 0
    for user in people:
        if by is not None and user.pk == by.pk:
            continue
        lang = language_of(user)
        with translation.override(lang):
            title, body = message(lang)
            sent += notify(user=user, title=title, body=body, url=url, key=key) is not None
    return sent


def _names(plan: ActionPlan) -> dict[str, str]:
    return {
        "recommendation": f"{plan.recommendation.code} {plan.recommendation.title}",
        "code": plan.recommendation.code,
        "unit": plan.unit.code,
    }


# --- A recommendation issued ---------------------------------------------------------------------


def announce_issued(*, recommendation: Recommendation, by: User | None) -> None:
    """After the transaction commits, tell each target unit that the recommendation came."""
    pk, by_pk = recommendation.pk, by.pk if by else None
    transaction.on_commit(lambda: _issued(pk, by_pk))


def _issued(pk: int, by_pk: int | None) -> None:
    by = User.objects.filter(pk=by_pk).first() if by_pk else None
    plans = ActionPlan.objects.filter(recommendation_id=pk).select_related(
        "recommendation", "unit__parent"
    )
    for plan in plans.order_by("unit__code"):

        def message(lang: str, plan: ActionPlan = plan) -> tuple[str, str]:
            names = _names(plan)
            title = _("New recommendation for %(unit)s: %(code)s") % names
            body = (
                _("Recommendation %(recommendation)s. Draft the action plan and submit it.") % names
            )
            due = plan.draft_due_on
            if due is not None:
                body += " " + _("It is due on %(date)s.") % {"date": format_date(due, lang)}
            return title, body

        _send(
            unit_people(plan.unit),
            by=by,
            key=f"followup.issued:{plan.public_id}",
            url=reverse("followup-plan", args=[plan.public_id]),
            message=message,
        )


# --- A workflow step -----------------------------------------------------------------------------

TO_INSPECTORATE = frozenset({"submit", "submit_evidence"})
TO_UNIT = frozenset({"return_plan", "approve", "return", "verify", "cancel"})


def announce_step(*, plan: ActionPlan, name: str, by: User) -> None:
    """After the transaction commits, tell whoever acts next that ``name`` was taken on
    ``plan`` (nothing for starting work, which nobody waits on)."""
    if name not in TO_INSPECTORATE | TO_UNIT:
        return
    pk, by_pk, stamp = plan.pk, by.pk, plan.status_changed_at.isoformat()
    transaction.on_commit(lambda: _stepped(pk, name, by_pk, stamp))


def _step_message(plan: ActionPlan, name: str, returned: PlanReturn | None) -> tuple[str, str]:
    names = _names(plan)
    if name == "submit":
        return (
            _("Action plan submitted: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Approve the plan, or return it with a reason.")
            % names,
        )
    if name == "submit_evidence":
        return (
            _("Evidence submitted: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Verify the evidence, or return it with a reason.")
            % names,
        )
    if name == "approve":
        return (
            _("Action plan approved: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Start the activities and report their progress.")
            % names,
        )
    if name == "verify":
        return (
            _("Action plan verified: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. The Inspectorate verified the evidence.") % names,
        )
    reason = returned.reason if returned else plan.last_reason
    if name == "cancel":
        return (
            _("Action plan cancelled: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Reason: %(reason)s")
            % {**names, "reason": reason},
        )
    if name == "return_plan":
        return (
            _("Action plan returned: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Reason: %(reason)s")
            % {**names, "reason": reason},
        )
    files = [e.label() for e in returned.evidence.all()] if returned else []
    body = _("Recommendation %(recommendation)s. Reason: %(reason)s") % {**names, "reason": reason}
    if files:
        body += "\n" + _("Files concerned: %(files)s") % {"files": "; ".join(files)}
    return _("Evidence returned: %(code)s (%(unit)s)") % names, body


def _stepped(pk: int, name: str, by_pk: int, stamp: str) -> None:
    plan = ActionPlan.objects.select_related("recommendation", "unit__parent").get(pk=pk)
    by = User.objects.filter(pk=by_pk).first()
    returned = plan.current_return if name in ("return_plan", "return") else None
    people = inspectorate_for(plan.unit) if name in TO_INSPECTORATE else unit_people(plan.unit)
    _send(
        people,
        by=by,
        key=f"followup.{name}:{plan.public_id}:{stamp}",
        url=reverse("followup-plan", args=[plan.public_id]),
        message=lambda lang: _step_message(plan, name, returned),
    )


# --- An activity's step --------------------------------------------------------------------------

ACTIVITY_TO_INSPECTORATE = frozenset({"done"})
ACTIVITY_TO_UNIT = frozenset({"return", "verify"})


def announce_activity_step(*, activity: Activity, name: str, by: User) -> None:
    """After the transaction commits, tell whoever acts next that ``name`` was taken on one
    activity: done → the Inspectorate verifies it; returned or verified → the unit."""
    if name not in ACTIVITY_TO_INSPECTORATE | ACTIVITY_TO_UNIT:
        return
    moment = activity.verified_at if name == "verify" else activity.done_at
    stamp = (moment.isoformat() if moment else "") + f":{activity.status}"
    pk, by_pk = activity.pk, by.pk
    if name == "return":
        latest = activity.returns.order_by("-returned_at", "-pk").first()
        stamp = f"return:{latest.pk if latest else ''}"
    transaction.on_commit(lambda: _activity_stepped(pk, name, by_pk, stamp))


def _activity_message(
    plan: ActionPlan, activity: Activity, name: str, returned: PlanReturn | None
) -> tuple[str, str]:
    names = {**_names(plan), "activity": activity.title}
    if name == "done":
        return (
            _("Activity done, evidence waiting for verification: %(code)s (%(unit)s)") % names,
            _(
                "Recommendation %(recommendation)s. Activity: %(activity)s. Verify its evidence, "
                "or return it with a reason."
            )
            % names,
        )
    if name == "verify":
        return (
            _("Activity verified: %(code)s (%(unit)s)") % names,
            _("Recommendation %(recommendation)s. Activity: %(activity)s.") % names,
        )
    body = _("Recommendation %(recommendation)s. Activity: %(activity)s. Reason: %(reason)s") % {
        **names,
        "reason": returned.reason if returned else "",
    }
    files = [e.label() for e in returned.evidence.all()] if returned else []
    if files:
        body += "\n" + _("Files concerned: %(files)s") % {"files": "; ".join(files)}
    return _("Activity returned: %(code)s (%(unit)s)") % names, body


def _activity_stepped(pk: int, name: str, by_pk: int, stamp: str) -> None:
    activity = Activity.objects.select_related("plan__recommendation", "plan__unit__parent").get(
        pk=pk
    )
    plan = activity.plan
    by = User.objects.filter(pk=by_pk).first()
    returned = (
        activity.returns.order_by("-returned_at", "-pk").first() if name == "return" else None
    )
    people = (
        inspectorate_for(plan.unit) if name in ACTIVITY_TO_INSPECTORATE else unit_people(plan.unit)
    )
    _send(
        people,
        by=by,
        key=f"followup.activity.{name}:{activity.public_id}:{stamp}",
        url=reverse("followup-plan", args=[plan.public_id]),
        message=lambda lang: _activity_message(plan, activity, name, returned),
    )


# --- A recommendation closed or reopened ---------------------------------------------------------


def _plans_of(pk: int) -> list[ActionPlan]:
    plans = ActionPlan.objects.filter(recommendation_id=pk).select_related(
        "recommendation", "unit__parent"
    )
    return list(plans.order_by("unit__code"))


def announce_closed(*, recommendation: Recommendation, by: User | None) -> None:
    """After the transaction commits, tell each target unit that the recommendation is closed:
    in which category, with the reason or the Inspectorate's note; nothing more is asked."""
    pk, by_pk = recommendation.pk, by.pk if by else None
    stamp = recommendation.closed_at.isoformat() if recommendation.closed_at else ""
    transaction.on_commit(lambda: _closed(pk, by_pk, stamp))


def _closed_message(plan: ActionPlan) -> tuple[str, str]:
    rec = plan.recommendation
    names = {**_names(plan), "category": rec.get_tlhp_display()}
    body = (
        _(
            "Recommendation %(recommendation)s. The Inspectorate closed it as “%(category)s”: "
            "nothing more is needed from %(unit)s."
        )
        % names
    )
    if rec.tlhp == Recommendation.Tlhp.TIDAK_DAPAT and rec.tlhp_reason:
        body += "\n" + _("Reason: %(reason)s") % {"reason": rec.tlhp_reason}
    if rec.closing_note:
        body += "\n" + _("Note: %(note)s") % {"note": rec.closing_note}
    return _("Recommendation closed: %(code)s") % names, body


def _closed(pk: int, by_pk: int | None, stamp: str) -> None:
    by = User.objects.filter(pk=by_pk).first() if by_pk else None
    for plan in _plans_of(pk):

        def message(lang: str, plan: ActionPlan = plan) -> tuple[str, str]:
            return _closed_message(plan)

        _send(
            unit_people(plan.unit),
            by=by,
            key=f"followup.closed:{plan.public_id}:{stamp}",
            url=reverse("followup-recommendation", args=[plan.recommendation.code]),
            message=message,
        )


def announce_reopened(*, recommendation: Recommendation, by: User, reason: str) -> None:
    """After the transaction commits, tell each target unit and the Inspectorate people who
    answer for it that the recommendation was reopened, with the reason: the Inspectorate
    classifies its follow-up again."""
    pk, by_pk = recommendation.pk, by.pk
    stamp = timezone.now().isoformat()
    transaction.on_commit(lambda: _reopened(pk, by_pk, reason, stamp))


def _reopened(pk: int, by_pk: int, reason: str, stamp: str) -> None:
    by = User.objects.filter(pk=by_pk).first()
    told: set[int] = set()
    for plan in _plans_of(pk):
        names = {**_names(plan), "reason": reason}
        people = [
            user
            for user in [*unit_people(plan.unit), *inspectorate_for(plan.unit)]
            if user.pk not in told
        ]
        told.update(user.pk for user in people)

        def message(lang: str, names: dict[str, str] = names) -> tuple[str, str]:
            return (
                _("Recommendation reopened: %(code)s") % names,
                _(
                    "Recommendation %(recommendation)s. The inspector general reopened it; the "
                    "Inspectorate classifies its follow-up again. Reason: %(reason)s"
                )
                % names,
            )

        _send(
            people,
            by=by,
            key=f"followup.reopened:{plan.public_id}:{stamp}",
            url=reverse("followup-recommendation", args=[plan.recommendation.code]),
            message=message,
        )
