"""Action plans: plan activities, report progress, add evidence and move plans through
``workflow.py``. Each operation is atomic and writes one audit event.

Services take the acting user (``by``) because the workflow depends on who acts: the unit head
submits, the Inspectorate approves and verifies, and whoever uploaded or submitted evidence may
not verify it (segregation of duties).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from integritas import audit
from integritas.audit.services import snapshot
from integritas.core import extensions, workflow
from integritas.core.models import User
from integritas.followup.access import actors_for
from integritas.followup.models import (
    ActionPlan,
    Activity,
    Evidence,
    EvidenceFile,
    PlanReturn,
    Recommendation,
)
from integritas.followup.services.notifications import announce_activity_step, announce_step
from integritas.followup.workflow import ACTIVITY_TRANSITIONS, TRANSITIONS, UNIT
from integritas.lib import files, uploads
from integritas.lib.formatting import format_number

# Names in the changes of plan events that are not fields of ActionPlan, for the history table.
EVENT_FIELDS: dict[str, tuple[Any, dict[str, Any]]] = {
    "activity": (gettext_lazy("Activity"), {}),
    "activity.title": (gettext_lazy("Activity"), {}),
    "activity.responsible": (gettext_lazy("Responsible person"), {}),
    "activity.output": (gettext_lazy("Output / target indicator"), {}),
    "activity.due_on": (gettext_lazy("Due date"), {}),
    "activity.weight": (gettext_lazy("Weight (%)"), {}),
    "activity.order": (gettext_lazy("Order"), {}),
    "progress_claimed": (gettext_lazy("Progress claimed (%)"), {}),
    "title": (gettext_lazy("Title"), {}),
    "kind": (gettext_lazy("Kind"), dict(Evidence.Kind.choices)),
    "url": (gettext_lazy("Link"), {}),
    "sha256": (gettext_lazy("SHA-256"), {}),
    "version": (gettext_lazy("Version"), {}),
    # The daily reminders' event (``services/reminders.py``): messages by kind, and emails.
    "notifications": (
        gettext_lazy("Notifications"),
        {
            "before": gettext_lazy("Activity due soon"),
            "due": gettext_lazy("Activity due today"),
            "overdue": gettext_lazy("Activity overdue"),
            "digest": gettext_lazy("Weekly summary of overdue plans"),
            "answer": gettext_lazy("BPK answer due"),
            "answer_overdue": gettext_lazy("BPK answer overdue"),
        },
    ),
    "emails": (gettext_lazy("Emails"), {}),
    "evidence_concerned": (gettext_lazy("Evidence concerned"), {}),
    "activity.status": (gettext_lazy("Activity status"), dict(Activity.Status.choices)),
    "unverified_activities": (gettext_lazy("Activities not verified"), {}),
    "suggested": (gettext_lazy("Suggested category"), dict(Recommendation.Tlhp.choices)),
}
# Object types of the app's events that are not models, and the names its tasks act under.
EVENT_KINDS = {"followup.reminders": gettext_lazy("Follow-up reminders")}
EVENT_ACTORS = {"send_reminders": gettext_lazy("Scheduled task: follow-up reminders")}


ACTIVITY_FIELDS = ["title", "responsible", "output", "due_on", "weight", "order"]
ACCEPTED_KINDS = files.DOCUMENTS | files.IMAGES


# Activities ------------------------------------------------------------------------------------


def _require_unit_actor(plan: ActionPlan, by: User) -> None:
    if not actors_for(by, plan) & UNIT:
        raise PermissionDenied


def _require_open(activity: Activity) -> None:
    """A done or verified activity takes no more progress, evidence or versions."""
    if activity.status == Activity.Status.VERIFIED:
        raise ValidationError(
            _("This activity is verified and locked: its progress and evidence no longer change.")
        )
    if activity.status == Activity.Status.DONE:
        raise ValidationError(
            _(
                "This activity is marked done and awaits verification: its progress and evidence "
                "change only if the Inspectorate returns it."
            )
        )


@transaction.atomic
def activity_save(
    *, plan: ActionPlan, activity: Activity, values: Mapping[str, Any], by: User
) -> Activity:
    """Add or change an activity while the plan is a draft (the unit's own staff only)."""
    _require_unit_actor(plan, by)
    if not plan.activities_editable:
        raise ValidationError(_("Activities can only be changed while the plan is a draft."))
    creating = activity.pk is None
    before = {} if creating else snapshot(activity, ACTIVITY_FIELDS)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.plan = plan
    activity.full_clean()
    if creating or before.get("due_on") != activity.due_on.isoformat():
        activity.check_due_on()
    activity.save()
    after = snapshot(activity, ACTIVITY_FIELDS)
    audit.record(
        "activity.saved",
        obj=plan,
        changes={
            f"activity.{name}": [before.get(name), value]
            for name, value in after.items()
            if before.get(name) != value
        },
        object_label=f"{plan} — {activity.title}",
    )
    return activity


@transaction.atomic
def activity_delete(*, activity: Activity, by: User) -> None:
    plan = activity.plan
    _require_unit_actor(plan, by)
    if not plan.activities_editable:
        raise ValidationError(_("Activities can only be changed while the plan is a draft."))
    title = activity.title
    activity.delete()
    audit.record("activity.deleted", obj=plan, changes={"activity": [title, None]})


@transaction.atomic
def activity_report_progress(*, activity: Activity, progress: Decimal, by: User) -> Activity:
    """The unit reports how far an activity is (0–100 %) while the plan is being carried out."""
    plan = activity.plan
    _require_unit_actor(plan, by)
    if not plan.accepts_evidence:
        raise ValidationError(_("Progress can be reported once the plan is approved."))
    _require_open(activity)
    if not Decimal("0") <= progress <= Decimal("100"):
        raise ValidationError({"progress": _("Progress is a percentage from 0 to 100.")})
    old = activity.progress_claimed
    activity.progress_claimed = progress
    activity.save(update_fields=["progress_claimed"])
    audit.record(
        "activity.progress",
        obj=plan,
        changes={"progress_claimed": [str(old), str(progress)]},
        object_label=f"{plan} — {activity.title}",
    )
    return activity


# Evidence --------------------------------------------------------------------------------------


MB = 1024 * 1024


def check_upload(upload: BinaryIO, name: str) -> files.Sniffed:
    """The upload's real type; ValidationError ("file") when it is empty, over the size limit,
    not a PDF, image or office document, named as something it is not, or not sound as a whole
    (an image that does not decode or has too many pixels, a PDF that does not parse). The forms call this
    too, so the error shows beside the file field together with the others."""
    size = files.size_of(upload)
    limit = settings.UPLOAD_MAX_BYTES
    if size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > limit:
        lang = (get_language() or "id")[:2]
        rounded_up = Decimal(math.ceil(size * 10 / MB)) / 10  # never "20.0 MB; the limit is 20"
        raise ValidationError(
            {
                "file": _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": format_number(rounded_up, 1, lang),
                    "limit": format_number(Decimal(limit) / MB, 0, lang),
                }
            }
        )
    sniffed = uploads.sniff_document(upload, name, ACCEPTED_KINDS)
    _check_structure(upload, sniffed)
    return sniffed


def _check_structure(upload: BinaryIO, sniffed: files.Sniffed) -> None:
    """The whole file judged, not its first bytes (``lib.uploads.check_structure``): an image
    decodes to its end within ``uploads.MAX_IMAGE_PIXELS``, a PDF parses, an office file's zip
    reads to its end. ValidationError ("file") otherwise."""
    try:
        uploads.check_structure(upload, sniffed)
    except files.TooLargeUnpacked as exc:
        if sniffed.kind in files.IMAGES:
            millions = uploads.MAX_IMAGE_PIXELS // 1_000_000
            message = _(
                "This image has too many pixels to be checked safely (at most %(n)s million). "
                "Save a smaller version of it and upload that."
            ) % {"n": millions}
        else:
            message = _(
                "This file is far larger when unpacked than its size and cannot be checked "
                "safely. Save it again, or as PDF, and upload that."
            )
        raise ValidationError({"file": message}) from exc
    except uploads.PasswordProtected as exc:
        raise ValidationError(
            {
                "file": _(
                    "This PDF needs a password to be opened, so the Inspectorate could not read "
                    "it. Upload a version without a password."
                )
            }
        ) from exc
    except ValueError as exc:
        raise ValidationError(
            {
                "file": _(
                    "This file is damaged or is not really a %(kind)s file: it cannot be opened. "
                    "Choose the right file, or save it again and upload that."
                )
                % {"kind": sniffed.kind.upper()}
            }
        ) from exc


def _checked_upload(upload: BinaryIO, name: str) -> tuple[files.Sniffed, int, str]:
    """The sniffed type, size and SHA-256 of an accepted upload."""
    sniffed = check_upload(upload, name)
    return sniffed, files.size_of(upload), files.sha256_of(upload)


def _store_version(
    evidence: Evidence, upload: BinaryIO, name: str, by: User, version: int
) -> EvidenceFile:
    sniffed, size, digest = _checked_upload(upload, name)
    stored = EvidenceFile(
        evidence=evidence,
        version=version,
        original_name=name[:255],
        content_type=sniffed.content_type,
        size=size,
        sha256=digest,
        uploaded_by=by,
    )
    stored.file.save(f"v{version}.{sniffed.extension}", File(upload), save=False)
    stored.save()
    return stored


@transaction.atomic
def evidence_add(
    *,
    activity: Activity,
    values: Mapping[str, Any],
    by: User,
    upload: BinaryIO | None = None,
    upload_name: str = "",
) -> Evidence:
    """Add evidence (a file or a link) to an activity of an approved or running plan."""
    plan = activity.plan
    _require_unit_actor(plan, by)
    if not plan.accepts_evidence:
        raise ValidationError(_("Evidence can be added once the plan is approved."))
    _require_open(activity)
    evidence = Evidence(activity=activity, created_by=by, **values)
    if evidence.kind == Evidence.Kind.FILE:
        if upload is None:
            raise ValidationError({"file": _("Choose a file to upload.")})
        evidence.url = ""
    elif not evidence.url:
        raise ValidationError({"url": _("Give the link to the evidence.")})
    evidence.full_clean()
    evidence.save()
    changes: dict[str, Any] = {"title": [None, evidence.title], "kind": [None, evidence.kind]}
    if upload is not None and evidence.kind == Evidence.Kind.FILE:
        stored = _store_version(evidence, upload, upload_name, by, 1)
        changes["sha256"] = [None, stored.sha256]
    else:
        changes["url"] = [None, evidence.url]
    audit.record(
        "evidence.added", obj=plan, changes=changes, object_label=f"{plan} — {activity.title}"
    )
    return evidence


@transaction.atomic
def evidence_add_version(
    *, evidence: Evidence, upload: BinaryIO, upload_name: str, by: User
) -> EvidenceFile:
    """Upload a new version of a file evidence; earlier versions are kept unchanged."""
    plan = evidence.activity.plan
    _require_unit_actor(plan, by)
    if not plan.accepts_evidence:
        raise ValidationError(_("Evidence can be added once the plan is approved."))
    _require_open(Activity.objects.get(pk=evidence.activity_id))
    if evidence.kind != Evidence.Kind.FILE:
        raise ValidationError(_("Only file evidence has versions."))
    current = evidence.files.aggregate(v=Max("version"))["v"] or 0
    stored = _store_version(evidence, upload, upload_name, by, current + 1)
    audit.record(
        "evidence.version_added",
        obj=plan,
        changes={"version": [current, stored.version], "sha256": [None, stored.sha256]},
        object_label=f"{plan} — {evidence.title}",
    )
    return stored


# The workflow ----------------------------------------------------------------------------------


def _evidence_people(plan: ActionPlan) -> set[int]:
    """Everyone who uploaded, added or submitted evidence of this plan."""
    people = {plan.evidence_submitted_by_id} if plan.evidence_submitted_by_id else set()
    people |= set(
        EvidenceFile.objects.filter(evidence__activity__plan=plan).values_list(
            "uploaded_by_id", flat=True
        )
    )
    people |= set(
        Evidence.objects.filter(activity__plan=plan).values_list("created_by_id", flat=True)
    )
    people.discard(None)  # type: ignore[arg-type]
    return people


def _check_rules(
    plan: ActionPlan, name: str, by: User, *, reason: str = "", confirm: bool = False
) -> None:
    """Rules beyond the table: content the transition needs, segregation of duties, and no
    silent closing: verifying a plan while an activity is not verified needs ``confirm`` and a
    reason."""
    activities = list(plan.activities.all())
    if name == "submit":
        if not activities:
            raise ValidationError(_("Add at least one activity before submitting the plan."))
        total = sum((a.weight for a in activities), Decimal("0"))
        if total != Decimal("100"):
            raise ValidationError(
                _("The activities' weights must add up to 100%%; they add up to %(total)s%%.")
                % {"total": format(total.normalize(), "f")}
            )
    elif name == "submit_evidence":
        missing = [a.title for a in activities if not a.evidence.exists()]
        if missing:
            raise ValidationError(
                _("Add evidence for every activity first. Missing: %(titles)s.")
                % {"titles": ", ".join(missing)}
            )
    elif name == "verify":
        if by.pk in _evidence_people(plan):
            raise ValidationError(
                _(
                    "You uploaded or submitted evidence for this plan, so someone else must "
                    "verify it."
                )
            )
        unverified = [a.title for a in activities if a.status != Activity.Status.VERIFIED]
        if unverified and not confirm:
            raise ValidationError(
                _(
                    "Not every activity is verified: %(titles)s. Verify them one by one, or "
                    "confirm that the plan is verified with unfinished activities and give a "
                    "reason."
                )
                % {"titles": ", ".join(unverified)},
                code="unfinished",
            )
        if unverified and not reason.strip():
            raise ValidationError(
                _("Give a reason for verifying the plan with unfinished activities."),
                code="reason",
            )


MESSAGES = {
    "state": gettext_lazy("This step is not possible while the plan is “%(status)s”."),
    "role": gettext_lazy("Your role does not allow this step for this unit's plan."),
    "reason": gettext_lazy("Give a reason."),
    "unknown": gettext_lazy("Unknown step."),
}


# Returning steps and what they send back; any other step answers the open return.
RETURNS = {"return_plan": PlanReturn.Step.PLAN, "return": PlanReturn.Step.EVIDENCE}


@transaction.atomic
def plan_transition(
    *,
    plan: ActionPlan,
    name: str,
    by: User,
    reason: str = "",
    files: Sequence[Evidence] = (),
    confirm: bool = False,
) -> ActionPlan:
    """Fire workflow transition ``name`` on ``plan`` as ``by``; one audit event.

    Returning (``return_plan``, ``return``) records a ``PlanReturn`` with the reason and, for
    evidence, the evidence concerned (``files``, which must belong to this plan); the next step
    (resubmitting, or cancelling) marks it answered. Returning the evidence reopens the
    activities marked done but not verified. Verifying while an activity is not verified needs
    ``confirm`` and a reason, both kept (the reason in the event and ``last_reason``, the
    activities in the event). Submitting the evidence marks done the open activities
    claimed at 100 %. Raises ValidationError with a translated message when the table or
    a rule forbids it.
    """
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    concerned = list(files)
    if concerned and name != "return":
        raise ValidationError(_("Only returned evidence names the files concerned."))
    if any(e.activity.plan_id != plan.pk for e in concerned):
        raise ValidationError(_("Name only evidence of this plan."))
    unverified = [a.title for a in plan.unverified_activities] if name == "verify" else []
    changes: dict[str, Any] = {}
    if concerned:
        changes["evidence_concerned"] = [None, ", ".join(e.title for e in concerned)]
    if unverified:
        changes["unverified_activities"] = [None, ", ".join(unverified)]

    def effects(transition: workflow.Transition) -> list[str]:
        """Who did it and when, the reason, and on verification the verified progress."""
        plan.status_changed_at = timezone.now()
        fields = ["status_changed_at"]
        if transition.needs_reason or name == "verify":
            # A verification keeps its reason only when it leaves activities unverified.
            plan.last_reason = reason.strip() if transition.needs_reason or unverified else ""
            fields.append("last_reason")
        if name == "submit":
            plan.submitted_by = by
            fields.append("submitted_by")
        elif name == "submit_evidence":
            plan.evidence_submitted_by = by
            fields.append("evidence_submitted_by")
            # Submitting the plan's evidence marks done the open activities claimed complete;
            # the others stay unfinished.
            finished = plan.activities.filter(
                status=Activity.Status.OPEN, progress_claimed__gte=100
            ).values_list("pk", flat=True)
            Activity.objects.filter(pk__in=list(finished)).update(
                status=Activity.Status.DONE, done_at=timezone.now(), done_by=by
            )
        elif name == "verify":
            plan.verified_by = by
            fields.append("verified_by")
        elif name == "return":
            plan.activities.filter(status=Activity.Status.DONE).update(
                status=Activity.Status.OPEN, done_at=None, done_by=None
            )
        now = timezone.now()
        plan.returns.filter(resolved_at__isnull=True).update(resolved_at=now)
        if name in RETURNS:
            record = PlanReturn.objects.create(
                plan=plan,
                step=RETURNS[name],
                reason=reason.strip(),
                returned_at=now,
                returned_by=by,
            )
            record.evidence.set(concerned)
        return fields

    try:
        workflow.apply(
            plan,
            name,
            table=TRANSITIONS,
            roles=actors_for(by, plan),
            reason=reason,
            guard=lambda transition: _check_rules(
                plan, transition.name, by, reason=reason, confirm=confirm
            ),
            effects=effects,
            changes=changes or None,
        )
    except workflow.TransitionError as error:
        message = MESSAGES[error.code] % {"status": ActionPlan.Status(plan.status).label}
        raise ValidationError(message, code=error.code) from error
    announce_step(plan=plan, name=name, by=by)  # after the commit: who acts next is told
    return plan


# Activities, one by one ------------------------------------------------------------------------


ACTIVITY_MESSAGES = {
    **MESSAGES,
    "state": gettext_lazy("This step is not possible while the activity is “%(status)s”."),
    "role": gettext_lazy("Your role does not allow this step for this unit's activity."),
}


def _activity_people(activity: Activity) -> set[int]:
    """Everyone who uploaded or added this activity's evidence, or marked it done."""
    people = {activity.done_by_id} if activity.done_by_id else set()
    people |= set(
        EvidenceFile.objects.filter(evidence__activity=activity).values_list(
            "uploaded_by_id", flat=True
        )
    )
    people |= set(activity.evidence.values_list("created_by_id", flat=True))
    people.discard(None)  # type: ignore[arg-type]
    return people


def has_evidence(activity: Activity) -> bool:
    """Evidence of its own, or another app's record linked to it (an education event, through
    ``core.extensions.linked_evidence``)."""
    return activity.evidence.exists() or bool(extensions.linked_evidence(str(activity.public_id)))


def _check_activity_rules(plan: ActionPlan, activity: Activity, name: str, by: User) -> None:
    """Rules beyond the activity table: the plan's state, evidence, segregation of duties."""
    if not plan.accepts_evidence:
        if name == "done" or plan.status != ActionPlan.Status.EVIDENCE_SUBMITTED:
            raise ValidationError(
                _("Activities are marked done and verified while the plan is being carried out.")
            )
        if name == "return":
            raise ValidationError(
                _(
                    "The plan's evidence is submitted: return the plan's evidence instead, "
                    "ticking this activity's files."
                )
            )
    if name == "done" and not has_evidence(activity):
        raise ValidationError(_("Add evidence for this activity before marking it done."))
    if name == "verify" and by.pk in _activity_people(activity):
        raise ValidationError(
            _(
                "You uploaded this activity's evidence or marked it done, so someone else must "
                "verify it."
            )
        )


@transaction.atomic
def activity_step(
    *, activity: Activity, name: str, by: User, reason: str = "", files: Sequence[Evidence] = ()
) -> Activity:
    """Fire step ``name`` of ``workflow.ACTIVITY_TRANSITIONS`` on ``activity`` as ``by``; one
    audit event, filed under the plan.

    ``done`` (the unit; the activity needs evidence): claimed progress becomes 100 % and the
    activity awaits verification, which answers a return of it. ``verify`` (the Inspectorate,
    never whoever uploaded its evidence or marked it done): its claimed progress becomes verified
    and it locks. ``return`` (the Inspectorate, with a reason): the activity is open again and a
    ``PlanReturn`` names the reason and ``files`` (evidence of this activity).
    """
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    plan = ActionPlan.objects.select_for_update().get(pk=activity.plan_id)
    activity.plan = plan
    concerned = list(files)
    if concerned and name != "return":
        raise ValidationError(_("Only returned evidence names the files concerned."))
    if any(e.activity_id != activity.pk for e in concerned):
        raise ValidationError(_("Name only evidence of this activity."))
    old = activity.status
    try:
        ACTIVITY_TRANSITIONS.check(name, status=old, roles=actors_for(by, plan), reason=reason)
    except workflow.TransitionError as error:
        message = ACTIVITY_MESSAGES[error.code] % {"status": Activity.Status(old).label}
        raise ValidationError(message, code=error.code) from error
    _check_activity_rules(plan, activity, name, by)
    transition = ACTIVITY_TRANSITIONS[name]
    now = timezone.now()
    activity.status = transition.target
    fields = ["status"]
    changes: dict[str, Any] = {
        "activity": [None, activity.title],
        "activity.status": [old, transition.target],
    }
    if name == "done":
        changes["progress_claimed"] = [str(activity.progress_claimed), "100"]
        activity.progress_claimed = Decimal("100")
        activity.done_at, activity.done_by = now, by
        fields += ["progress_claimed", "done_at", "done_by"]
        activity.returns.filter(resolved_at__isnull=True).update(resolved_at=now)
    elif name == "verify":
        activity.progress_verified = activity.progress_claimed
        activity.verified_at, activity.verified_by = now, by
        fields += ["progress_verified", "verified_at", "verified_by"]
    else:
        activity.done_at, activity.done_by = None, None
        fields += ["done_at", "done_by"]
        record = PlanReturn.objects.create(
            plan=plan,
            activity=activity,
            step=PlanReturn.Step.ACTIVITY,
            reason=reason.strip(),
            returned_at=now,
            returned_by=by,
        )
        record.evidence.set(concerned)
        if concerned:
            changes["evidence_concerned"] = [None, ", ".join(e.title for e in concerned)]
    activity.save(update_fields=fields)
    audit.record(
        ACTIVITY_TRANSITIONS.event_for(transition),
        obj=plan,
        changes=changes,
        reason=reason.strip(),
        object_label=f"{plan} — {activity.title}",
    )
    announce_activity_step(activity=activity, name=name, by=by)  # after the commit
    return activity
