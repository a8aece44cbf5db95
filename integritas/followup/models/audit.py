"""The actions the follow-up app records in the audit trail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    """The actions this app records in the audit trail, with the names its pages show."""

    RECOMMENDATION_CREATED = "recommendation.created", _("Recommendation written")
    RECOMMENDATION_UPDATED = "recommendation.updated", _("Recommendation changed")
    RECOMMENDATION_ISSUED = "recommendation.issued", _("Recommendation issued to units")
    RECOMMENDATION_TLHP_SET = "recommendation.tlhp_set", _("Follow-up category set")
    RECOMMENDATION_CLOSED = "recommendation.closed", _("Recommendation closed")
    RECOMMENDATION_REOPENED = "recommendation.reopened", _("Closed recommendation reopened")
    PLAN_SUBMIT = "plan.submit", _("Action plan submitted")
    PLAN_RETURN_PLAN = "plan.return_plan", _("Action plan returned for revision")
    PLAN_APPROVE = "plan.approve", _("Action plan approved")
    PLAN_START = "plan.start", _("Work on the action plan started")
    PLAN_SUBMIT_EVIDENCE = "plan.submit_evidence", _("Evidence submitted for verification")
    PLAN_RETURN = "plan.return", _("Evidence returned for revision")
    PLAN_VERIFY = "plan.verify", _("Evidence verified")
    PLAN_CANCEL = "plan.cancel", _("Action plan cancelled")
    ACTIVITY_SAVED = "activity.saved", _("Activity saved")
    ACTIVITY_DELETED = "activity.deleted", _("Activity deleted")
    ACTIVITY_PROGRESS = "activity.progress", _("Progress reported")
    ACTIVITY_DONE = "activity.done", _("Activity marked done and its evidence submitted")
    ACTIVITY_RETURN = "activity.return", _("Activity returned for revision")
    ACTIVITY_VERIFY = "activity.verify", _("Activity verified")
    EVIDENCE_ADDED = "evidence.added", _("Evidence added")
    EVIDENCE_VERSION_ADDED = "evidence.version_added", _("New version of evidence uploaded")
    FOLLOWUP_REMINDERS_SENT = "followup.reminders_sent", _("Follow-up reminders sent")
