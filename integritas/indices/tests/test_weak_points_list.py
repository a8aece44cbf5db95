"""The weak-point list: ranked, filtered, searched, exported, and scoped to the viewer's units."""

from __future__ import annotations

import csv
import datetime as dt
import io

from integritas.core.testing import World, body, client_for
from integritas.indices.models import WeakPoint
from integritas.indices.tests.test_weak_points_detect import world_wave
from integritas.surveys.models import Wave

URL = "/indices/weak-points/"


def listed(response: object) -> list[tuple[str, str]]:
    """(unit code, dimension or question code) of the rows on the page, in order."""
    return [
        (
            r["item"].unit.code,
            r["item"].question.code if r["item"].question else r["item"].dimension,
        )
        for r in response.context["rows"]  # type: ignore[attr-defined]
    ]


def test_the_inspectorate_sees_every_weak_point_worst_first(world: World) -> None:
    world_wave(world)
    response = client_for(world.inspector).get(URL)
    assert response.status_code == 200
    # Severities (see world_wave): DISDIK D2 = Q3 = 45 > DINKES Q1 32.5 > DINKES D1 21.875
    # > DINKES Q2 12.5; in a tie the dimension comes before its question.
    assert listed(response) == [
        ("DISDIK", "D2"),
        ("DISDIK", "Q3"),
        ("DINKES", "Q1"),
        ("DINKES", "D1"),
        ("DINKES", "Q2"),
    ]
    assert [r["rank"] for r in response.context["rows"]] == [1, 2, 3, 4, 5]


def test_unit_staff_see_only_their_own_units_weak_points(world: World) -> None:
    world_wave(world)
    assert listed(client_for(world.officer_a).get(URL)) == [
        ("DINKES", "Q1"),
        ("DINKES", "D1"),
        ("DINKES", "Q2"),
    ]
    assert listed(client_for(world.officer_b).get(URL)) == [("DISDIK", "D2"), ("DISDIK", "Q3")]
    assert listed(client_for(world.handler).get(URL)) == []
    assert client_for(None).get(URL).status_code == 302


def test_filters_and_search_narrow_the_list(world: World) -> None:
    wave = world_wave(world)
    client = client_for(world.inspector)
    assert listed(client.get(URL, {"unit": "DISDIK"})) == [("DISDIK", "D2"), ("DISDIK", "Q3")]
    assert listed(client.get(URL, {"dimension": "D2"})) == [("DISDIK", "D2"), ("DISDIK", "Q3")]
    assert listed(client.get(URL, {"level": "question"})) == [
        ("DISDIK", "Q3"),
        ("DINKES", "Q1"),
        ("DINKES", "Q2"),
    ]
    assert listed(client.get(URL, {"q": "Q1"})) == [("DINKES", "Q1")]
    assert listed(client.get(URL, {"q": "pendidikan"})) == [("DISDIK", "D2"), ("DISDIK", "Q3")]
    assert listed(client.get(URL, {"wave": wave.code, "reason": "significant"})) == [
        ("DINKES", "Q2")
    ]
    WeakPoint.objects.filter(unit=world.dinkes, question=None).update(
        status=WeakPoint.Status.RECOMMENDATION_REQUESTED, still_weak=False
    )
    assert listed(client.get(URL, {"status": "requested"})) == [("DINKES", "D1")]
    assert listed(client.get(URL, {"still_weak": "no"})) == [("DINKES", "D1")]
    assert listed(client.get(URL, {"wave": "no-such-wave"})) == []


def test_the_detect_button_is_offered_to_the_inspectorate_for_the_chosen_wave(
    world: World,
) -> None:
    wave = world_wave(world)
    detect_url = f"/indices/weak-points/detect/{wave.code}/"
    assert detect_url in client_for(world.inspector).get(URL, {"wave": wave.code}).content.decode()
    # "All waves" chosen: no single wave to look in again.
    assert detect_url not in client_for(world.inspector).get(URL, {"wave": ""}).content.decode()
    assert (
        detect_url not in client_for(world.officer_a).get(URL, {"wave": wave.code}).content.decode()
    )


def test_the_list_exports_as_csv_and_xlsx_in_rank_order(world: World) -> None:
    world_wave(world)
    response = client_for(world.officer_b).get(URL, {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][:5] == [
        "Peringkat",
        "Gelombang survei",
        "Kode unit kerja",
        "Unit Kerja",
        "Kode dimensi",
    ]
    assert [(r[0], r[2], r[4], r[6]) for r in rows[1:]] == [
        ("1", "DISDIK", "D2", ""),
        ("2", "DISDIK", "D2", "Q3"),
    ]
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert float(first["Skor"]) == 25.0
    assert float(first["Tingkat keparahan"]) == 45.0
    assert first["Alasan"] == "both"
    xlsx = client_for(world.inspector).get(URL, {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_list_paginates(world: World) -> None:
    world_wave(world)
    page = client_for(world.inspector).get(URL, {"page": "2"})
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 5


def test_rows_and_filters_name_questions_by_their_text_and_dimensions_by_their_name(
    world: World,
) -> None:
    world_wave(world)
    response = client_for(world.inspector).get(URL)
    page = response.content.decode()
    # SPEC: D1 "Prosedur" (Q1, Q2), D2 "Waktu layanan" (Q3); question texts "Pertanyaan Qn".
    assert "Pertanyaan Q1" in page and "Pertanyaan Q3" in page
    assert ">Question Q1<" not in page and ">Pertanyaan Q1</a>" in page
    assert '<option value="D1">Prosedur</option>' in page
    assert '<option value="D2">Waktu layanan</option>' in page


def test_the_list_shows_the_latest_wave_unless_another_or_all_are_chosen(world: World) -> None:
    earlier = world_wave(world)
    Wave.objects.filter(pk=earlier.pk).update(
        opens_on=dt.date(2025, 3, 1), closes_on=dt.date(2025, 4, 30), code="wp-2025"
    )
    later = world_wave(world)
    Wave.objects.filter(pk=later.pk).update(
        opens_on=dt.date(2026, 3, 1), closes_on=dt.date(2026, 4, 30), code="wp-2026"
    )
    client = client_for(world.inspector)
    response = client.get(URL)
    assert response.context["filters"]["wave"] == "wp-2026"
    assert {r["item"].wave.code for r in response.context["rows"]} == {"wp-2026"}
    assert len(response.context["rows"]) == 5
    assert '<option value="wp-2026" selected>' in response.content.decode()
    # The detect button is offered for the wave shown.
    assert "/indices/weak-points/detect/wp-2026/" in response.content.decode()
    earlier_rows = client.get(URL, {"wave": "wp-2025"}).context["rows"]
    assert {r["item"].wave.code for r in earlier_rows} == {"wp-2025"}
    assert len(client.get(URL, {"wave": ""}).context["rows"]) == 10
    # Unit staff default to the latest wave they have weak points in.
    assert {r["item"].wave.code for r in client_for(world.officer_b).get(URL).context["rows"]} == {
        "wp-2026"
    }
