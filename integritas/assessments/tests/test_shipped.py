"""The shipped frameworks: the LKE of DOMAIN.md §4a with its weights and thresholds, and the
example MCSP set of the demo city, labelled as an example."""

from __future__ import annotations

import io
from decimal import Decimal as D

from django.core.management import call_command

from integritas.assessments import imports, scoring
from integritas.assessments.models import Framework, FrameworkStatus, Node
from integritas.audit.models import Event
from integritas.core.models import Unit
from integritas.core.testing import World


def lke(world: World) -> Framework:
    framework, loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    assert loaded
    return framework


def test_the_lke_has_enablers_60_and_results_40_with_the_six_areas_weights(world: World) -> None:
    framework = lke(world)
    weights = {n.code: n.weight for n in framework.nodes.filter(kind__in=["component", "area"])}
    assert weights == {
        "P": D(60),
        "MP": D(8),
        "TT": D(7),
        "SDM": D(10),
        "AKN": D(10),
        "PW": D(15),
        "PP": D(10),
        "H": D(40),
    }
    for area in framework.nodes.filter(kind="area"):
        halves = [c.weight for c in area.children.all()]
        assert halves == [area.weight / 2, area.weight / 2], area.code
    results = {n.code: (n.weight, n.method) for n in Node.objects.filter(parent__code="H")}
    assert results == {
        "H.IPAK": (D("17.5"), "scale"),
        "H.KIN": (D("5"), "percent"),
        "H.IPKP": (D("17.5"), "scale"),
    }
    assert framework.status == FrameworkStatus.ACTIVE and not framework.is_example


def test_the_lke_thresholds_are_those_of_wbk_and_wbbm(world: World) -> None:
    framework = lke(world)
    sets = {s.code: s for s in framework.threshold_sets.all()}
    assert sets["WBBM"].requires == "WBK" and sets["WBK"].requires == ""
    minimums = {
        code: [(c.scope, c.target, c.measure, c.minimum.normalize()) for c in s.conditions.all()]
        for code, s in sets.items()
    }
    assert minimums["WBK"] == [
        ("total", "", "points", D("75")),
        ("node", "P", "points", D("40")),
        ("each", "area", "share", D("0.6")),
        ("node", "H.IPAK", "value", D("3.6")),
        ("node", "H.IPKP", "value", D("3.2")),
        ("node", "H.KIN", "points", D("2.5")),
        ("node", "H", "points", D("18.25")),
    ]
    assert [m[3] for m in minimums["WBBM"]] == [
        D("85"),
        D("48"),
        D("0.75"),
        D("3.6"),
        D("3.6"),
        D("3.75"),
        D("19.5"),
    ]


def test_a_unit_answering_everything_fully_is_eligible_for_wbk(world: World) -> None:
    framework = lke(world)
    specs = framework.specs()
    answers = {
        s.code: {"choice": "A", "yes_no": "yes", "percent": "100", "scale": "4"}[s.method]
        for s in specs
        if s.method
    }
    scores = scoring.score_tree(specs, answers)
    assert scores.total == D(100)
    wbk = framework.threshold_sets.get(code="WBK")
    assert scoring.eligibility(scores, wbk.specs()) == []
    wbbm = framework.threshold_sets.get(code="WBBM")
    [failure] = scoring.eligibility(scores, wbbm.specs(), requires=wbbm.requires)
    assert failure.predicate == "WBK"


def test_loading_twice_loads_nothing_more(world: World) -> None:
    lke(world)
    framework, loaded = imports.load_shipped(name=imports.SHIPPED_LKE)
    assert not loaded and Framework.objects.count() == 1


def test_the_mcsp_example_has_eight_equal_areas_and_says_it_is_an_example(world: World) -> None:
    for code in ("BAPPEDA", "BPKAD", "SETDA.PBJ", "DPMPTSP", "INSP", "BKPSDM", "BAPENDA"):
        Unit.objects.get_or_create(code=code, defaults={"name": code})
    framework, loaded = imports.load_shipped(name=imports.SHIPPED_MCSP_EXAMPLE)
    assert loaded and framework.is_example and framework.kind == "mcsp"
    assert "bukan daftar resmi KPK" in framework.notes
    areas = framework.nodes.filter(kind="area")
    assert areas.count() == 8 and {a.weight for a in areas} == {D("12.5")}
    assert scoring.weight_problems(framework.specs(), framework.total_weight) == []
    assert Node.objects.get(framework=framework, code="PRC.1.1").units.get().code == "BAPPEDA"
    bands = [(b.lower, b.colour) for b in framework.bands.all()]
    assert bands == [(D(0), "red"), (D(25), "yellow"), (D(50), "blue"), (D(75), "green")]


def test_the_command_loads_the_lke_under_its_own_name(world: World) -> None:
    out = io.StringIO()
    call_command("load_frameworks", stdout=out)
    assert "LKE Zona Integritas 2026" in out.getvalue()
    event = Event.objects.get(action="assessments.framework_imported")
    assert event.actor_label == "load_frameworks"
