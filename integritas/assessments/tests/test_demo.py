"""The assessment demo: the shipped LKE and the demo city's example MCSP set, active, loaded once."""

from __future__ import annotations

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
