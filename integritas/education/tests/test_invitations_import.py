"""Importing external invitees from a spreadsheet: all or nothing, every bad row named."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.education.models import Event
from integritas.education.services import invitations


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("undangan.csv", text.encode(), content_type="text/csv")


def _upload(world: World, event: Event, upload: Any) -> Any:
    url = reverse("education-invite-import", args=[event.code])
    return client_for(world.inspector).post(url, {"file": upload})


def test_a_good_csv_invites_everyone_with_indonesian_headers_and_group_words(
    world: World, event: Event
):
    response = _upload(
        world,
        event,
        _csv(
            "nama;instansi;kelompok;surel;hp\n"
            "Rina;Harian Kota Uji;pers;rina@x.test;\n"
            "Budi;CV Maju;pengusaha;;0812-3456-7890\n"
            "Sari;Universitas Uji;Mahasiswa;;\n"
        ),
    )
    assert response.status_code == 302
    rows = list(event.invitees.order_by("pk").values_list("name", "group", "phone"))
    assert rows == [
        ("Rina", "press", ""),
        ("Budi", "business", "6281234567890"),
        ("Sari", "student", ""),
    ]


def test_an_xlsx_file_is_read_too(world: World, event: Event):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "institution", "group", "email"])
    sheet.append(["Rina", "Harian", "press", "rina@x.test"])
    data = io.BytesIO()
    book.save(data)
    upload = SimpleUploadedFile("undangan.xlsx", data.getvalue())
    assert _upload(world, event, upload).status_code == 302
    assert event.invitees.get().email == "rina@x.test"


def test_bad_rows_are_all_reported_and_nothing_is_stored(world: World, event: Event):
    invitations.add_guest(
        event=event,
        guest=invitations.Guest("Lama", "", "press", "lama@x.test"),
        by=world.inspector,
    )
    response = _upload(
        world,
        event,
        _csv(
            "name,institution,group,email,phone\n"
            ",Harian,press,a@x.test,\n"
            "Budi,CV,alien,b@x.test,\n"
            "Cici,CV,business,not-an-email,\n"
            "Dedi,CV,business,d@x.test,12\n"
            "Eka,CV,business,e@x.test,\n"
            "Eki,CV,business,e@x.test,\n"
            "Fani,CV,business,lama@x.test,\n"
        ),
    )
    assert response.status_code == 400
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {
        (2, "name"),
        (3, "group"),
        (4, "email"),
        (5, "phone"),
        (7, "email"),
        (8, "email"),
    }
    assert event.invitees.count() == 1


def test_an_unknown_column_or_an_empty_file_is_refused(world: World, event: Event):
    response = _upload(world, event, _csv("name,group,jabatan\nRina,press,Redaktur\n"))
    assert response.status_code == 400
    assert "jabatan" in response.content.decode()
    assert _upload(world, event, _csv("name,group\n")).status_code == 400
    assert not event.invitees.exists()


def test_the_import_page_describes_the_columns(world: World, event: Event):
    response = client_for(world.inspector).get(
        reverse("education-invite-import", args=[event.code])
    )
    assert response.status_code == 200
    assert "<code>group</code>" in response.content.decode()
