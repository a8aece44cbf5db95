"""Score snapshots of the MCSP desk: taken on demand, automatically when KPK's verdicts are
recorded (by hand or from a status sheet), and KPK's published score entered by hand; drawn as a
chart with a table on the desk's page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from integritas.assessments.models import (
    Document,
    Node,
    ScoreAuditAction,
    ScoreSnapshot,
    SnapshotKind,
)
from integritas.assessments.services import desk, snapshots, status_sheet
from integritas.assessments.tests.desk_fixtures import open_desk, pdf
from integritas.audit.models import Event
from integritas.core.testing import World, client_for


def _uploaded(assessment, world: World, code: str = "PBJ.1") -> Document:
    node = Node.objects.get(framework=assessment.framework, code=code)
    disdik = code == "PRC.2"  # assigned to DISDIK only
    version = desk.upload(
        assessment=assessment,
        node=node,
        unit=world.disdik if disdik else world.dinkes,
        file=pdf(code),
        name="a.pdf",
        valid_from=dt.date(2026, 1, 1),
        title=f"Dokumen {code}",
        by=world.officer_b if disdik else world.officer_a,
    )
    desk.review(document=version.document, action="ready", by=world.inspector)
    desk.record_kpk_upload(document=version.document, on=dt.date(2026, 11, 1), by=world.inspector)
    return version.document


def test_recording_a_verdict_takes_one_snapshot_a_day_kept_up_to_date(world: World) -> None:
    assessment = open_desk()
    first = _uploaded(assessment, world)
    second = _uploaded(assessment, world, "PRC.2")
    desk.record_verdict(document=first, accepted=True, by=world.inspector)
    snapshot = ScoreSnapshot.objects.get(assessment=assessment)
    assert (snapshot.kind, snapshot.taken_on) == (SnapshotKind.VERDICT, timezone.localdate())
    assert (snapshot.projected, snapshot.verified) == (D("70.00"), D("50.00"))
    assert snapshot.areas["PBJ"] == {"projected": "100.00", "verified": "100.00"}
    desk.record_verdict(document=second, accepted=True, by=world.inspector)
    snapshot = ScoreSnapshot.objects.get(assessment=assessment)
    assert snapshot.verified == D("70.00")
    assert snapshot.areas["PRC"] == {"projected": "40.00", "verified": "40.00"}


def test_a_status_sheet_with_verdicts_takes_a_snapshot(world: World) -> None:
    assessment = open_desk()
    document = _uploaded(assessment, world)
    status_sheet.import_status_sheet(
        assessment=assessment,
        data=f"dokumen,status\n{document.code},diterima\n".encode(),
        filename="status.csv",
        by=world.inspector,
    )
    assert ScoreSnapshot.objects.get(assessment=assessment).verified == D("50.00")


def test_the_inspectorate_takes_a_snapshot_on_demand_and_it_is_audited(world: World) -> None:
    assessment = open_desk()
    _uploaded(assessment, world)
    snapshot = snapshots.take(assessment=assessment, by=world.inspector)
    assert (snapshot.kind, snapshot.projected, snapshot.verified) == (
        SnapshotKind.ON_DEMAND,
        D("50.00"),
        D("0.00"),
    )
    assert Event.objects.filter(action=ScoreAuditAction.SNAPSHOT_TAKEN).count() == 1
    with pytest.raises(PermissionDenied):
        snapshots.take(assessment=assessment, by=world.officer_a)


def test_kpks_published_score_is_entered_with_its_date_and_source(world: World) -> None:
    assessment = open_desk()
    snapshot = snapshots.record_kpk_score(
        assessment=assessment,
        score="71,53",
        on=dt.date(2026, 11, 15),
        source="Portal MCSP KPK (jaga.id)",
        by=world.inspector,
    )
    assert (snapshot.kind, snapshot.verified, snapshot.projected) == (
        SnapshotKind.KPK,
        D("71.53"),
        None,
    )
    event = Event.objects.get(action=ScoreAuditAction.KPK_SCORE_RECORDED)
    assert event.changes["source"] == [None, "Portal MCSP KPK (jaga.id)"]


@pytest.mark.parametrize(
    ("score", "on", "source", "field"),
    [
        ("100.01", dt.date(2026, 1, 1), "portal", "score"),
        ("-1", dt.date(2026, 1, 1), "portal", "score"),
        ("tinggi", dt.date(2026, 1, 1), "portal", "score"),
        ("70", dt.date(2999, 1, 1), "portal", "on"),
        ("70", dt.date(2026, 1, 1), "  ", "source"),
    ],
)
def test_a_bad_kpk_score_is_refused_and_nothing_stored(
    world: World, score: str, on: dt.date, source: str, field: str
) -> None:
    assessment = open_desk()
    with pytest.raises(ValidationError) as caught:
        snapshots.record_kpk_score(
            assessment=assessment, score=score, on=on, source=source, by=world.inspector
        )
    assert field in caught.value.message_dict
    assert not ScoreSnapshot.objects.exists()


def test_the_chart_table_has_one_row_a_day_with_kpks_score_beside_the_computed_ones(
    world: World,
) -> None:
    assessment = open_desk()
    today = timezone.localdate()
    snapshots.take(assessment=assessment, by=world.inspector)
    snapshots.record_kpk_score(
        assessment=assessment, score="40", on=today, source="portal", by=world.inspector
    )
    snapshots.record_kpk_score(
        assessment=assessment,
        score="35",
        on=today - dt.timedelta(days=3),
        source="surat KPK",
        by=world.inspector,
    )
    table = snapshots.rows(assessment)
    assert [(r.on, r.verified, r.kpk) for r in table] == [
        (today - dt.timedelta(days=3), None, D("35.00")),
        (today, D("0.00"), D("40.00")),
    ]
    svg = snapshots.chart(assessment, table)
    assert svg is not None and "<title>" in svg and "<desc>" in svg


def test_the_desk_page_draws_the_chart_with_its_table_and_takes_snapshots(world: World) -> None:
    assessment = open_desk()
    base = f"/penilaian/meja/{assessment.public_id}/"
    inspector = client_for(world.inspector, language="en")
    page = inspector.get(base).content.decode()
    assert "No snapshot yet" in page
    assert inspector.post(base + "cuplikan/").status_code == 302
    response = inspector.post(
        base + "skor-kpk/", {"score": "45,5", "on": "2026-11-20", "source": "Portal MCSP"}
    )
    assert response.status_code == 302
    page = inspector.get(base).content.decode()
    assert 'role="img"' in page and "<desc>" in page
    assert 'id="snapshot-table"' in page and "Portal MCSP" in page and "45.50" in page
    bad = inspector.post(base + "skor-kpk/", {"score": "120", "on": "2026-11-20", "source": "x"})
    assert bad.status_code == 400 and "outside 0–100" in bad.content.decode()


def test_units_and_leadership_cannot_take_snapshots_or_enter_kpks_score(world: World) -> None:
    assessment = open_desk()
    base = f"/penilaian/meja/{assessment.public_id}/"
    for user in (world.officer_a, world.leader):
        client = client_for(user)
        assert client.post(base + "cuplikan/").status_code == 403
        assert (
            client.post(
                base + "skor-kpk/", {"score": "45", "on": "2026-11-20", "source": "x"}
            ).status_code
            == 403
        )
    assert not ScoreSnapshot.objects.exists()
