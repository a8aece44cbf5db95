"""Progress, what is missing, and the projected and verified scores of the document desk,
computed with the framework's "documents accepted" scoring (hand-computed below)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from integritas.assessments.models import Node
from integritas.assessments.services import desk, desk_progress
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.core.testing import World


def _doc(assessment, world: World, code: str, unit, by, title: str):
    node = Node.objects.get(framework=assessment.framework, code=code)
    return desk.upload(
        assessment=assessment,
        node=node,
        unit=unit,
        file=pdf(title),
        name="a.pdf",
        valid_from=dt.date(2026, 1, 1),
        title=title,
        by=by,
    ).document


def test_projected_counts_ready_documents_and_verified_only_accepted(world: World) -> None:
    assessment = open_desk()
    a = _doc(assessment, world, "PRC.1", world.dinkes, world.officer_a, "A")
    b = _doc(assessment, world, "PRC.1", world.dinkes, world.officer_a, "B")
    c = _doc(assessment, world, "PRC.2", world.disdik, world.officer_b, "C")
    for d in (a, b, c):
        desk.review(document=d, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=a, on=dt.date(2026, 3, 1), by=world.inspector)
    desk.record_verdict(document=a, accepted=True, by=world.inspector)
    board = desk_progress.score_board(assessment)
    # Projected: PRC.1 2/2 of 30 + PRC.2 yes 20 = 50 of the area's 50; PBJ 0. Total 50.
    assert board["projected"][0] == D(50)
    # Verified: PRC.1 1/2 of 30 = 15; total 15.
    assert board["verified"][0] == D(15)
    areas = {row["node"].code: row for row in board["areas"]}
    assert areas["PRC"]["projected"] == (D(100), "green")
    assert areas["PRC"]["verified"][0] == D(30)


def test_progress_per_area_unit_and_official_and_what_is_missing(world: World) -> None:
    assessment = open_desk()
    a = _doc(assessment, world, "PRC.1", world.dinkes, world.officer_a, "A")
    desk.review(document=a, action="ready", by=world.inspector)
    lines = desk_progress.lines(assessment)
    by_unit = {p.key: p for p in desk_progress.progress(lines, "unit")}
    assert (by_unit["DINKES"].required, by_unit["DINKES"].ready) == (3, 1)
    assert (by_unit["DISDIK"].required, by_unit["DISDIK"].ready) == (2, 0)
    by_area = {p.key: p for p in desk_progress.progress(lines, "area")}
    assert (by_area["PRC"].required, by_area["PRC"].ready) == (3, 1)
    officials = {p.key for p in desk_progress.progress(lines, "official")}
    assert officials == {"Kepala Bappeda", "Kepala Bagian PBJ"}
    missing = [(line.node.code, line.unit_code, line.missing) for line in lines if line.missing]
    assert missing == [
        ("PRC.1", "DINKES", 1),
        ("PRC.2", "DISDIK", 1),
        ("PBJ.1", "DINKES", 1),
        ("PBJ.1", "DISDIK", 1),
    ]
