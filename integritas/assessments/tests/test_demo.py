"""The assessment demo: the shipped LKE and the demo city's example MCSP set, active, loaded once."""

from __future__ import annotations

from decimal import Decimal

from integritas.assessments import demo
from integritas.assessments.models import Framework, FrameworkStatus
from integritas.core.models import Unit
from integritas.core.testing import World


def test_the_demo_loads_the_lke_and_the_example_mcsp_once(world: World) -> None:
    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    lines = demo.seed_app()
    assert len(lines) == 2
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
