"""The Inspectorate's event pages: create, change, list with filters, the detail; who may."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from integritas.audit.models import Event as AuditEvent
from integritas.core.models import Unit
from integritas.core.testing import World, body, client_for
from integritas.education.models import Event
from integritas.education.tests.conftest import make_event


def _form(**overrides: Any) -> dict[str, Any]:
    unit = Unit.objects.get_or_create(
        code="ITDA", defaults={"name": "Inspektorat Daerah", "type": Unit.Type.INSPECTORATE}
    )[0]
    data = {
        "kind": "socialization",
        "title": "Sosialisasi benturan kepentingan",
        "theme": "conflict_of_interest",
        "starts_at": "2026-12-20T09:00",
        "ends_at": "2026-12-20T12:00",
        "venue": "Aula Kantor Wali Kota",
        "organiser": unit.pk,
        "audience": ["unit_head", "press"],
        "capacity": "120",
        "speakers": "Tim KPK\nInspektur",
        "registration_open": "on",
    }
    data.update(overrides)
    return data


def test_an_inspector_creates_an_event_and_it_is_audited(world: World):
    response = client_for(world.inspector).post(reverse("education-event-create"), _form())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("education-event", args=[event.code])
    assert event.code == "EDU-2026-001"
    assert event.audience == ["unit_head", "press"]
    assert event.capacity == 120
    assert event.speaker_list() == ["Tim KPK", "Inspektur"]
    audit = AuditEvent.objects.get(action="education.event_created")
    assert audit.object_id == str(event.pk)
    assert audit.changes["title"] == [None, "Sosialisasi benturan kepentingan"]


def test_codes_are_numbered_per_year(world: World):
    client = client_for(world.inspector)
    client.post(reverse("education-event-create"), _form())
    client.post(reverse("education-event-create"), _form(title="Kedua"))
    assert sorted(Event.objects.values_list("code", flat=True)) == ["EDU-2026-001", "EDU-2026-002"]


def test_an_event_needs_a_venue_or_a_link_and_cannot_end_before_it_starts(world: World):
    response = client_for(world.inspector).post(
        reverse("education-event-create"),
        _form(venue="", ends_at="2026-12-20T08:00"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "venue" in errors and "ends_at" in errors
    assert not Event.objects.exists()


def test_a_change_is_audited_with_what_changed(world: World):
    event = make_event(world)
    response = client_for(world.inspector).post(
        reverse("education-event-edit", args=[event.code]),
        _form(title=event.title, capacity="50"),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity == 50
    audit = AuditEvent.objects.get(action="education.event_updated")
    assert audit.changes["capacity"] == [3, 50]


def test_leadership_reads_but_may_not_create_or_change(world: World):
    event = make_event(world)
    client = client_for(world.leader)
    assert client.get(reverse("education-event", args=[event.code])).status_code == 200
    assert client.post(reverse("education-event-create"), _form()).status_code == 403
    assert client.get(reverse("education-event-edit", args=[event.code])).status_code == 403


def test_unit_staff_see_no_event(world: World):
    event = make_event(world)
    client = client_for(world.officer_a)
    assert client.get(reverse("education-event-list")).status_code == 403
    assert client.get(reverse("education-event", args=[event.code])).status_code == 404


def test_the_list_searches_and_filters(world: World):
    make_event(world, title="Sosialisasi gratifikasi")
    make_event(world, title="Bimtek pengadaan", kind="training", theme="procurement")
    client = client_for(world.inspector)
    page = client.get(reverse("education-event-list"), {"q": "pengadaan"})
    assert [e.title for e in page.context["page"].object_list] == ["Bimtek pengadaan"]
    page = client.get(reverse("education-event-list"), {"theme": "gratification"})
    assert [e.title for e in page.context["page"].object_list] == ["Sosialisasi gratifikasi"]
    page = client.get(reverse("education-event-list"), {"when": "past"})
    assert list(page.context["page"].object_list) == []
    assert 'class="empty"' in page.content.decode()


def test_the_list_exports(world: World):
    make_event(world)
    response = client_for(world.inspector).get(reverse("education-event-list"), {"export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = body(response).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Kode,Judul,Jenis,Tema,Mulai")
    assert "Sosialisasi gratifikasi" in text


def test_the_menu_shows_education_to_the_inspectorate_only(world: World):
    assert reverse("education-event-list") in client_for(world.inspector).get("/").content.decode()
    assert (
        reverse("education-event-list") not in client_for(world.officer_a).get("/").content.decode()
    )


def test_the_list_exports_as_a_spreadsheet_with_local_times(world: World):
    import io

    import openpyxl

    event = make_event(world)
    response = client_for(world.leader).get(reverse("education-event-list"), {"export": "xlsx"})
    rows = list(
        openpyxl.load_workbook(io.BytesIO(body(response))).active.iter_rows(values_only=True)
    )
    assert rows[1][0] == event.code
    local = timezone.localtime(event.starts_at).replace(tzinfo=None)
    assert abs((rows[1][4] - local).total_seconds()) < 1
