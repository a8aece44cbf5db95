"""An event's participants: the list with filters, its export, the attendance list PDF."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse
from pypdf import PdfReader

from integritas.core.testing import World, body, client_for
from integritas.education.models import Event
from integritas.education.services import checkin, tickets
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person


def _people(world: World, event: Event) -> None:
    a = registrations.register(event=event, person=Person("Ani", "Dinkes", "staff", "a@x.test"))
    registrations.register(event=event, person=Person("Budi", "Warta", "press", "b@x.test"))
    checkin.check_in(event=event, code=tickets.code_for(a.ticket), by=world.inspector)


def test_the_list_filters_by_group_and_attendance(world: World, event: Event):
    _people(world, event)
    url = reverse("education-participants", args=[event.code])
    client = client_for(world.inspector)
    names = lambda r: [p.name for p in r.context["page"].object_list]  # noqa: E731
    assert names(client.get(url)) == ["Ani", "Budi"]
    assert names(client.get(url, {"group": "press"})) == ["Budi"]
    assert names(client.get(url, {"present": "yes"})) == ["Ani"]
    assert names(client.get(url, {"q": "warta"})) == ["Budi"]


def test_the_export_is_a_spreadsheet_with_ticket_codes_and_attendance(world: World, event: Event):
    _people(world, event)
    url = reverse("education-participants", args=[event.code])
    response = client_for(world.inspector).get(url, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kode tiket"
    assert [r[1] for r in rows[1:]] == ["Ani", "Budi"]
    assert rows[1][8] is not None and rows[2][8] is None


def test_the_attendance_list_is_a_pdf_with_everyone_who_has_a_place(world: World, event: Event):
    _people(world, event)
    response = client_for(world.leader).get(reverse("education-attendance-pdf", args=[event.code]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body(response))).pages)
    assert "DAFTAR HADIR" in text and "Ani" in text and "Budi" in text and "Tanda tangan" in text
