"""Follow-up demo data: a year of recommendations and plans in every state, built through the
services, with evidence files, overdue and due-soon plans; running it again creates nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.demo import seed
from integritas.core.services.calendar import calendar_for
from integritas.followup.demo import make_pdf, make_png, seed_app
from integritas.followup.models import ActionPlan, Activity, EvidenceFile, Recommendation
from integritas.followup.services import dashboards
from integritas.lib import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> list[str]:
    seed(password=None)
    return seed_app()


def test_it_creates_recommendations_from_a_kpk_letter_and_audit_findings(demo: list[str]) -> None:
    assert demo and demo[0].startswith("recommendation REK-")
    sources = set(Recommendation.objects.values_list("source", flat=True))
    assert {"kpk_letter", "bpk", "inspectorate"} <= sources
    letter = Recommendation.objects.filter(source="kpk_letter").first()
    assert letter is not None and letter.reference_number.startswith("B/") and letter.template
    bpk = Recommendation.objects.filter(source="bpk", amount_to_recover__gt=0)
    assert bpk.count() == 2
    assert {r.tlhp for r in Recommendation.objects.all()} >= {
        "sesuai",
        "belum_sesuai",
        "tidak_dapat",
    }


def test_plans_end_in_every_workflow_state_some_overdue_some_due_soon(demo: list[str]) -> None:
    assert set(ActionPlan.objects.values_list("status", flat=True)) == set(ActionPlan.Status.values)
    assert ActionPlan.objects.overdue().count() >= 2
    assert ActionPlan.objects.due_soon().exists()
    returned = ActionPlan.objects.exclude(last_reason="").count()
    assert returned >= 3  # evidence returned, a plan returned, a plan cancelled


def test_every_step_went_through_the_services_with_audit_events(demo: list[str]) -> None:
    actions = set(Event.objects.values_list("action", flat=True))
    assert {
        "recommendation.issued",
        "plan.submit",
        "plan.return_plan",
        "plan.approve",
        "plan.return",
        "plan.verify",
        "plan.cancel",
        "evidence.added",
        "evidence.version_added",
        "recommendation.tlhp_set",
    } <= actions
    verify = Event.objects.filter(action="plan.verify").first()
    assert verify is not None and verify.actor is not None  # an inspector, not "seed_demo"


def test_due_dates_are_working_days_and_evidence_files_are_real(demo: list[str]) -> None:
    calendar = calendar_for()
    assert all(calendar.is_working_day(a.due_on) for a in Activity.objects.all())
    stored = list(EvidenceFile.objects.all())
    assert {"application/pdf", "image/png"} <= {f.content_type for f in stored}
    assert EvidenceFile.objects.filter(version=2).exists()
    for f in stored:
        with f.file.open("rb") as handle:
            assert files.sniff(handle) is not None
            assert files.sha256_of(handle) == f.sha256


def test_dates_tell_a_year_the_dashboards_can_show(demo: list[str]) -> None:
    today = timezone.localdate()
    facts = dashboards.facts_for(
        ActionPlan.objects.select_related("unit", "recommendation").prefetch_related("activities")
    )
    assert all(f.issued_on is not None and f.issued_on <= today for f in facts)
    months = dashboards.months(facts, today)
    assert months[0].verified < months[-1].verified  # progress grew over the year
    verified = [f for f in facts if f.verified_on]
    assert any(f.on_time for f in verified) and any(not f.on_time for f in verified)
    assert all(f.verified_on <= today for f in verified if f.verified_on)
    assert min(f.issued_on for f in facts if f.issued_on) < today - dt.timedelta(days=150)


def test_running_it_again_creates_nothing(demo: list[str]) -> None:
    counts = (Recommendation.objects.count(), ActionPlan.objects.count(), Event.objects.count())
    assert seed_app() == ["follow-up recommendations already present"]
    assert (
        Recommendation.objects.count(),
        ActionPlan.objects.count(),
        Event.objects.count(),
    ) == counts


def test_generated_evidence_passes_content_sniffing() -> None:
    import io

    assert files.sniff(io.BytesIO(make_pdf("Judul (uji)", ["baris"]))).content_type == (
        "application/pdf"
    )
    assert files.sniff(io.BytesIO(make_png(3))).content_type == "image/png"


def test_the_most_severe_weak_point_of_a_unit_with_staff_gets_a_recommendation(db: None) -> None:
    from integritas.core.models import Unit
    from integritas.indices.models import WeakPoint
    from integritas.surveys.models import Wave
    from integritas.surveys.testing import build_version, build_wave

    seed(password=None)
    units = list(Unit.objects.filter(code__in=["DPUPR", "DISHUB.PKB"]))
    wave = build_wave(build_version(), units, code="skm-demo", status=Wave.Status.CLOSED)

    def weak(code: str, severity: float) -> WeakPoint:
        return WeakPoint.objects.create(
            wave=wave,
            unit=Unit.objects.get(code=code),
            dimension="U2",
            reason=WeakPoint.Reason.THRESHOLD,
            score=55.0,
            n=80,
            severity=severity,
        )

    weak("DISHUB.PKB", 9.0)  # worse, but the sub-unit has no demo staff to act on it
    chosen = weak("DPUPR", 3.0)
    lines = seed_app()
    rec = Recommendation.objects.get(source="weak_point")
    assert rec.weak_point == chosen and rec.units.get().code == "DPUPR"
    assert any(rec.code in line for line in lines)
    chosen.refresh_from_db()
    # The demo issues the recommendation, and the weak point follows it.
    assert chosen.status == WeakPoint.Status.ADDRESSED
    assert chosen.recommendation_ref == rec.code
    assert rec.plans.get().status == ActionPlan.Status.IN_PROGRESS


def test_the_demo_closes_a_finding_done_and_one_that_cannot_be_followed_up(
    demo: list[str],
) -> None:
    closed = Recommendation.objects.filter(status=Recommendation.Status.CLOSED)
    assert {r.tlhp for r in closed} == {"sesuai", "tidak_dapat"}
    today = timezone.localdate()
    for rec in closed:
        assert rec.closed_by is not None and rec.closed_at is not None
        assert timezone.localdate(rec.closed_at) < today
        assert not rec.plans.filter(status__in=["draft", "submitted", "in_progress"]).exists()
    assert Event.objects.filter(action="recommendation.closed").count() == closed.count()
    # The rest still runs: closing is shown beside work in progress.
    assert Recommendation.objects.filter(status=Recommendation.Status.ISSUED).count() >= 5
