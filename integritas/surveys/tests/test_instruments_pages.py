"""Reading instruments: the list (search, kind filter, pagination, export), the instrument page
and the version page with its preview and history, and the XLSX download."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from openpyxl import load_workbook

from integritas.audit.context import acting_as
from integritas.core.testing import body
from integritas.core.tests.conftest import World, client_for
from integritas.surveys.imports import shipped_instruments
from integritas.surveys.models import Instrument
from integritas.surveys.services import instrument_library, instruments
from integritas.surveys.testing import build_version, build_wave


def seen(message: str, **values: Any) -> str:
    """``message`` as the page shows it to the personas, whose language is Indonesian."""
    with translation.override("id"):
        text = translation.gettext(message)
    return escape(text % values if values else text)


def main_part(html: str) -> str:
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_the_list_shows_every_instrument_with_its_versions(world: World) -> None:
    shipped_instruments.load_shipped()
    instruments.version_new_draft(instrument=Instrument.objects.get(code="skm"))
    response = client_for(world.officer_a).get(reverse("surveys-instrument-list"))
    assert response.status_code == 200
    html = main_part(response.content.decode())
    for code in ("skm", "integrity-self-survey", "zi-ipak", "zi-ipkp"):
        assert f'href="{reverse("surveys-instrument", args=[code])}"' in html
    rows = response.context["page"].object_list
    skm = next(i for i in rows if i.code == "skm")
    assert (skm.version_n, skm.published_n, skm.draft_n) == (2, 1, 1)
    # Only the Inspectorate gets the buttons to build.
    assert reverse("surveys-instrument-create") not in html


def test_builders_see_the_create_and_upload_buttons(world: World) -> None:
    html = client_for(world.inspector).get(reverse("surveys-instrument-list")).content.decode()
    assert reverse("surveys-instrument-create") in html
    assert reverse("surveys-instrument-import") in html


def test_the_list_filters_by_search_and_kind(world: World) -> None:
    shipped_instruments.load_shipped()
    client = client_for(world.inspector)
    url = reverse("surveys-instrument-list")
    codes = lambda r: [i.code for i in r.context["page"].object_list]  # noqa: E731
    assert codes(client.get(url, {"q": "persepsi"})) == ["zi-ipak", "zi-ipkp"]
    assert codes(client.get(url, {"kind": "integrity"})) == ["integrity-self-survey"]
    assert codes(client.get(url, {"q": "SKM", "kind": "integrity"})) == []
    empty = client.get(url, {"q": "tidak ada"}).content.decode()
    assert seen("No instrument matches these filters.") in empty


def test_the_list_paginates(world: World) -> None:
    for i in range(30):
        Instrument.objects.create(code=f"survei-{i:02d}", title_id=f"Survei {i}")
    response = client_for(world.inspector).get(reverse("surveys-instrument-list"), {"page": 2})
    assert [i.code for i in response.context["page"].object_list] == [
        f"survei-{i:02d}" for i in range(25, 30)
    ]


def test_the_list_exports_as_csv_and_xlsx(world: World) -> None:
    shipped_instruments.load_shipped(codes=["skm"])
    Instrument.objects.create(code="formula", title_id="=HYPERLINK(1)")
    client = client_for(world.inspector)
    response = client.get(reverse("surveys-instrument-list"), {"export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="instruments-')
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0] == [
        "Kode",
        "Jenis",
        "Judul (bahasa Indonesia)",
        "Judul (bahasa Inggris)",
        "Jumlah versi",
        "Versi terbit terakhir",
        "Draf",
    ]
    assert rows[1][2] == "'=HYPERLINK(1)"  # never a live formula
    assert rows[2][:2] == ["skm", "satisfaction"] and rows[2][4:] == ["1", "1", "0"]
    response = client.get(reverse("surveys-instrument-list"), {"export": "xlsx", "q": "skm"})
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sheet is not None and sheet["A2"].value == "skm"


def test_the_instrument_page_lists_versions_waves_and_history(world: World) -> None:
    with acting_as(label="Inspektur", user=world.inspector):
        [version] = shipped_instruments.load_shipped(codes=["skm"])
        instruments.version_new_draft(instrument=version.instrument)
    build_wave(version, [world.dinkes])
    response = client_for(world.leader).get(reverse("surveys-instrument", args=["skm"]))
    assert response.status_code == 200
    assert [(v.number, v.wave_n) for v in response.context["versions"]] == [(2, 0), (1, 1)]
    actions = [e.action for e in response.context["history"]]
    assert actions == [
        "instrument.version_created",
        "instrument.version_published",
        "instrument.version_imported",
    ]
    html = main_part(response.content.decode())
    assert reverse("surveys-instrument-edit", args=["skm"]) not in html


def test_the_version_page_previews_the_questionnaire(world: World) -> None:
    [version] = shipped_instruments.load_shipped(codes=["integrity-self-survey"])
    response = client_for(world.head_a).get(
        reverse("surveys-instrument-version", args=["integrity-self-survey", 1])
    )
    assert response.status_code == 200
    html = main_part(response.content.decode())
    assert escape("Seberapa sering Anda melihat atau mendengar pegawai") in html
    assert "<code>int_duty_1 in 1,2,3</code>" in html  # the condition, as typed
    assert 'id="question-int_duty_reported"' in html
    assert "INT-TRANSP" in html and "Transparansi" in html
    # A published version offers no editing, even to builders.
    assert response.context["can_edit"] is False
    assert "/edit/" not in html
    sections = response.context["sections"]
    assert [s.code for s in sections][:2] == ["int-transp", "int-duty"]
    assert response.context["question_n"] == version.questions.count()


def test_the_version_page_of_a_draft_lists_what_blocks_publishing(world: World) -> None:
    version = build_version(publish=False)
    version.questions.get(code="U1").choices.get(code="4").delete()
    response = client_for(world.inspector).get(
        reverse("surveys-instrument-version", args=["skm-test", version.number])
    )
    with translation.override("id"):
        expected = instrument_library.version_problems(version)
    assert len(expected) == 1 and expected[0].startswith("U1: ")
    assert response.context["problems"] == expected
    html = main_part(response.content.decode())
    assert reverse("surveys-instrument-version-publish", args=["skm-test", 1]) in html
    assert reverse("surveys-instrument-question-edit", args=["skm-test", 1, "U1"]) in html


def test_the_version_page_shows_its_history(world: World) -> None:
    version = build_version(publish=False)
    with acting_as(label="Inspektur Pembantu", user=world.inspector):
        instruments.question_update(
            question=version.questions.get(code="U1"),
            values={"text_id": "Bagaimana persyaratannya?"},
        )
    html = (
        client_for(world.inspector)
        .get(reverse("surveys-instrument-version", args=["skm-test", 1]))
        .content.decode()
    )
    history = html[html.index('id="history-title"') :]
    assert seen("Question changed") in history
    assert "Bagaimana persyaratannya?" in history and "Inspektur Pembantu" in history


def test_any_version_downloads_as_a_workbook(world: World) -> None:
    build_version()
    response = client_for(world.officer_b).get(
        reverse("surveys-instrument-version-xlsx", args=["skm-test", 1])
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="skm-test-v1.xlsx"'
    book = load_workbook(io.BytesIO(body(response)))
    assert book["settings"]["B2"].value == "skm-test"


def test_an_unknown_version_is_not_found(world: World) -> None:
    build_version()
    client = client_for(world.inspector)
    assert (
        client.get(reverse("surveys-instrument-version", args=["skm-test", 9])).status_code == 404
    )
    assert client.get(reverse("surveys-instrument", args=["tidak-ada"])).status_code == 404
