"""The assessment demo: the shipped LKE and the demo city's example MCSP set, active, loaded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from integritas.assessments import demo
from integritas.assessments.models import (
    Assessment,
    Document,
    DocumentStatus,
    Framework,
    FrameworkStatus,
    ScoreSnapshot,
    SnapshotKind,
)
from integritas.assessments.services import desk_progress
from integritas.core.models import Unit
from integritas.core.testing import World


def test_the_demo_loads_the_lke_and_the_example_mcsp_once(world: World) -> None:
    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    lines = demo.seed_app()
    assert len(lines) == 3  # the two frameworks and the MCSP desk
    assert set(Framework.objects.values_list("kind", "status", "is_example")) == {
        ("lke", FrameworkStatus.ACTIVE, False),
        ("mcsp", FrameworkStatus.ACTIVE, True),
    }
    assert demo.seed_app() == []
    assert Framework.objects.count() == 2


def test_the_demo_lke_has_one_unit_eligible_for_wbk_and_one_failing_on_ipak(world: World) -> None:
    from integritas.assessments.models import LkeAssessment
    from integritas.assessments.services import lke
    from integritas.core.models import Role
    from integritas.core.testing import make_user

    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA", "RSUD"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    make_user("irban1", role=Role.INSPECTOR)
    for code in ("DPMPTSP", "RSUD"):
        unit = Unit.objects.get(code=code)
        for who, role in (("kepala", Role.UNIT_HEAD), ("operator", Role.UNIT_OFFICER)):
            make_user(f"{who}.{code.lower()}", unit=unit, role=role, role_unit=unit)
    lines = demo.seed_app()
    assert "LKE 2026 DPMPTSP WBK: Reviewed by the TPI, eligible" in lines
    assert "LKE 2026 RSUD WBK: Submitted to the TPI, 1 condition(s) not met" in lines
    rsud = LkeAssessment.objects.get(unit__code="RSUD")
    [failure] = lke.eligibility(rsud)
    assert (failure.label, failure.gap) == ("Anti-corruption perception index", Decimal("0.08"))
    dpmptsp = LkeAssessment.objects.get(unit__code="DPMPTSP")
    assert lke.eligibility(dpmptsp, reviewed=True) == []
    assert demo.seed_app() == []


def test_the_demo_desk_has_documents_in_every_state_close_to_the_deadline(world: World) -> None:
    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    demo.seed_app()
    assessment = Assessment.objects.get()
    assert assessment.framework.is_example
    left = assessment.upload_deadline - timezone.now()
    assert dt.timedelta(days=1) < left < dt.timedelta(days=7)
    assert set(Document.objects.values_list("status", flat=True)) == set(DocumentStatus.values)
    assert any(line.missing and not line.counts for line in desk_progress.lines(assessment))
    kinds = set(ScoreSnapshot.objects.values_list("kind", flat=True))
    assert kinds == {SnapshotKind.ON_DEMAND, SnapshotKind.VERDICT, SnapshotKind.KPK}
    documents = Document.objects.count()
    assert demo.seed_app() == []
    assert Document.objects.count() == documents


def test_the_demo_mcsp_indicators_on_lhkpn_and_gratification_read_the_registers(
    world: World,
) -> None:
    from integritas.assessments.models import Node
    from integritas.core import extensions

    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    demo.seed_app()
    framework = Framework.objects.get(kind="mcsp")
    pointing = dict(
        Node.objects.filter(framework=framework)
        .exclude(register="")
        .values_list("code", "register")
    )
    assert pointing == {"ASN.1.2": "lhkpn-compliance", "ASN.1.3": "gratification-register"}
    assert all(extensions.data_register(key) for key in pointing.values())
    gratification = Node.objects.get(framework=framework, code="ASN.1.3")
    assert "gratifikasi" in gratification.name_id.lower()
