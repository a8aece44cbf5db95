"""The follow-up app's tables (tindak lanjut, DOMAIN.md §3), one module per sub-area.

- ``recommendations``: what a unit is asked to do and where it came from (``Recommendation``),
  and the standard recommendations to start from (``RecommendationTemplate``).
- ``plans``: each target unit's ``ActionPlan`` with its ``Activity`` rows, ``Evidence`` and
  ``EvidenceFile`` versions, and ``PlanReturn`` (a return for revision); plans move through
  ``workflow.py``. Money is Decimal Rupiah.
- ``deadlines``: BPK's answer period, "due soon" and the plan-drafting deadline, in working days.
- ``feedback``: citizens' feedback on a published plan (``Feedback``), its tally and the flag
  that many "no" answers raise.
- ``audit``: the actions the app records in the audit trail (``AuditAction``).
"""

from .audit import AuditAction
from .deadlines import (
    bpk_answer_days,
    due_soon_limit,
    due_soon_working_days,
    plan_draft_due,
    plan_draft_working_days,
)
from .feedback import Feedback, FeedbackQuerySet, Tally, flagged_plans
from .plans import (
    ActionPlan,
    ActionPlanQuerySet,
    Activity,
    Evidence,
    EvidenceFile,
    PlanDue,
    PlanReturn,
    PlanStage,
    evidence_path,
)
from .recommendations import Recommendation, RecommendationTemplate

__all__ = [
    "ActionPlan",
    "ActionPlanQuerySet",
    "Activity",
    "AuditAction",
    "Evidence",
    "EvidenceFile",
    "Feedback",
    "FeedbackQuerySet",
    "PlanDue",
    "PlanReturn",
    "PlanStage",
    "Recommendation",
    "RecommendationTemplate",
    "Tally",
    "bpk_answer_days",
    "due_soon_limit",
    "due_soon_working_days",
    "evidence_path",
    "flagged_plans",
    "plan_draft_due",
    "plan_draft_working_days",
]
