"""The calendar pages: reading, exporting, editing (administrators only), the setting, import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.models import CalendarSettings, Holiday, HolidayYear
from integritas.core.testing import body
from integritas.core.tests.conftest import World, client_for

D = dt.date


@pytest.mark.parametrize("persona", ["admin", "inspector", "officer_a", "nobody"])
def test_everyone_signed_in_can_read_a_years_holidays(world: World, persona: str) -> None:
    response = client_for(world.personas()[persona]).get(reverse("core-calendar"), {"year": 2024})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Hari Raya Idul Fitri 1445 H" in html
    assert "Cuti Bersama Idul Fitri 1445 H" in html
    assert (reverse("core-holiday-create") in html) is (persona == "admin")


def test_the_provisional_2027_list_carries_a_warning(world: World) -> None:
    html = (
        client_for(world.officer_a, language="en")
        .get(reverse("core-calendar"), {"year": 2027})
        .content
    )
    assert b"provisional" in html


def test_a_years_holidays_download_as_csv_and_xlsx(world: World) -> None:
    client = client_for(world.inspector)
    csv = client.get(reverse("core-calendar"), {"year": 2025, "export": "csv"})
    assert csv.status_code == 200
    text = body(csv).decode("utf-8-sig")
    assert text.splitlines()[0] == "Tanggal,Nama,Nama (bahasa Inggris),Jenis,Sumber"
    assert "2025-04-07,Cuti Bersama Idul Fitri 1446 H" in text

    xlsx = client.get(reverse("core-calendar"), {"year": 2025, "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(body(xlsx))).active
    assert sheet is not None
    assert sheet.max_row == 1 + Holiday.objects.filter(date__year=2025).count()


def test_the_calculator_counts_working_days_over_the_idul_fitri_leave(world: World) -> None:
    response = client_for(world.officer_a).get(
        reverse("core-calendar"), {"start": "2024-04-05", "days": 3}
    )
    assert response.status_code == 200
    assert response.context["result"]["date"] == D(2024, 4, 18)


def test_the_calculator_says_when_a_year_has_no_data(world: World) -> None:
    response = client_for(world.officer_a).get(
        reverse("core-calendar"), {"start": "2027-12-24", "days": 10}
    )
    assert response.context["result"] is None
    assert "2028" in response.context["problem"]


def test_an_administrator_adds_a_holiday_and_the_event_is_recorded(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-holiday-create"),
        {
            "date": "2026-04-06",
            "name": "Cuti tambahan Paskah",
            "name_en": "Extra Easter leave",
            "kind": Holiday.Kind.COLLECTIVE_LEAVE,
            "source": "Keputusan uji",
        },
    )

    assert response.status_code == 302
    holiday = Holiday.objects.get(date=D(2026, 4, 6))
    assert holiday.name == "Cuti tambahan Paskah"
    event = Event.objects.get(action="holiday.created")
    assert event.actor == world.admin


def test_a_holiday_on_a_date_that_already_has_one_is_refused(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-holiday-create"),
        {"date": "2024-04-10", "name": "Dobel", "kind": Holiday.Kind.NATIONAL},
    )
    assert response.status_code == 400
    assert Holiday.objects.get(date=D(2024, 4, 10)).name == "Hari Raya Idul Fitri 1445 H"


def test_a_holiday_in_a_year_without_data_is_refused_with_a_clear_message(world: World) -> None:
    response = client_for(world.admin).post(
        reverse("core-holiday-create"),
        {"date": "2031-01-01", "name": "Tahun Baru", "kind": Holiday.Kind.NATIONAL},
    )
    assert response.status_code == 400
    assert "2031" in response.content.decode()
    assert not Holiday.objects.filter(date=D(2031, 1, 1)).exists()


def test_an_administrator_edits_a_holiday(world: World) -> None:
    holiday = Holiday.objects.get(date=D(2024, 12, 26))
    response = client_for(world.admin).post(
        reverse("core-holiday-edit", args=[holiday.public_id]),
        {
            "date": "2024-12-26",
            "name": "Cuti Bersama Natal",
            "name_en": "Christmas leave",
            "kind": Holiday.Kind.COLLECTIVE_LEAVE,
            "source": "",
        },
    )
    assert response.status_code == 302
    holiday.refresh_from_db()
    assert holiday.name == "Cuti Bersama Natal"
    assert Event.objects.get(action="holiday.updated").changes["name"] == [
        "Cuti Bersama Hari Raya Natal",
        "Cuti Bersama Natal",
    ]


@pytest.mark.parametrize("persona", ["inspector_general", "inspector", "leader", "officer_a"])
def test_no_one_but_an_administrator_may_change_the_calendar(world: World, persona: str) -> None:
    holiday = Holiday.objects.get(date=D(2024, 4, 15))
    client = client_for(world.personas()[persona])

    edit = client.post(
        reverse("core-holiday-edit", args=[holiday.public_id]),
        {"date": "2024-04-15", "name": "X", "kind": Holiday.Kind.NATIONAL},
    )
    delete = client.post(
        reverse("core-holiday-delete", args=[holiday.public_id]), {"confirm": "on"}
    )
    setting = client.post(reverse("core-calendar-settings"), {})

    assert (edit.status_code, delete.status_code, setting.status_code) == (403, 403, 403)
    holiday.refresh_from_db()
    assert holiday.name == "Cuti Bersama Idul Fitri 1445 H"
    assert CalendarSettings.load().collective_leave_is_day_off is True
    assert not Event.objects.filter(action__startswith="holiday.").exists()


def test_deleting_asks_for_confirmation_first(world: World) -> None:
    holiday = Holiday.objects.get(date=D(2024, 4, 15))
    client = client_for(world.admin)
    url = reverse("core-holiday-delete", args=[holiday.public_id])

    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 400
    assert Holiday.objects.filter(pk=holiday.pk).exists()

    response = client.post(url, {"confirm": "on", "reason": "Salah input"})
    assert response.status_code == 302
    assert not Holiday.objects.filter(pk=holiday.pk).exists()
    assert Event.objects.get(action="holiday.deleted").reason == "Salah input"


def test_an_administrator_turns_collective_leave_into_working_days(world: World) -> None:
    client = client_for(world.admin)
    before = client.get(reverse("core-calendar"), {"start": "2024-04-05", "days": 3})
    assert before.context["result"]["date"] == D(2024, 4, 18)

    response = client.post(reverse("core-calendar-settings"), {})  # the box left unticked

    assert response.status_code == 302
    assert CalendarSettings.load().collective_leave_is_day_off is False
    after = client.get(reverse("core-calendar"), {"start": "2024-04-05", "days": 3})
    assert after.context["result"]["date"] == D(2024, 4, 12)
    assert Event.objects.filter(action="calendar.settings_changed").count() == 1


def test_an_administrator_adds_a_year_then_confirms_it(world: World) -> None:
    client = client_for(world.admin)
    response = client.post(
        reverse("core-calendar-years"), {"year": 2028, "decree": "SKB 2028", "note": ""}
    )
    assert response.status_code == 302
    assert HolidayYear.objects.get(year=2028).confirmed is False

    response = client.post(
        reverse("core-calendar-year-edit", args=[2027]),
        {"decree": "SKB Nomor 1 Tahun 2026", "confirmed": "on", "note": ""},
    )
    assert response.status_code == 302
    year = HolidayYear.objects.get(year=2027)
    assert (year.decree, year.confirmed) == ("SKB Nomor 1 Tahun 2026", True)
    assert Event.objects.filter(action="holiday_year.created").count() == 1
    assert Event.objects.filter(action="holiday_year.updated").count() == 1


def test_the_years_download_lists_each_year_with_its_counts(world: World) -> None:
    response = client_for(world.leader).get(reverse("core-calendar-years"), {"export": "csv"})
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0] == "Tahun,Surat keputusan,Sudah pasti,Libur nasional,Cuti bersama,Catatan"
    assert any(line.startswith("2025,") and ",yes,17,11," in line for line in lines)


def test_the_same_year_cannot_be_added_twice(world: World) -> None:
    response = client_for(world.admin).post(reverse("core-calendar-years"), {"year": 2024})
    assert response.status_code == 400
    assert HolidayYear.objects.filter(year=2024).count() == 1


def test_an_administrator_imports_a_new_years_list(world: World) -> None:
    upload = SimpleUploadedFile(
        "libur-2028.csv",
        b"date;name;kind\n2028-01-01;Tahun Baru 2028 Masehi;national\n",
        content_type="text/csv",
    )
    response = client_for(world.admin).post(
        reverse("core-calendar-import"),
        {"year": 2028, "decree": "SKB 2028", "confirmed": "on", "file": upload},
    )
    assert response.status_code == 302
    assert Holiday.objects.filter(date=D(2028, 1, 1)).exists()


def test_an_import_with_problems_shows_every_one_and_saves_nothing(world: World) -> None:
    upload = SimpleUploadedFile(
        "libur-2028.csv",
        b"date;name;kind\n2028-13-01;A;national\n2028-01-02;;cuti\n",
        content_type="text/csv",
    )
    response = client_for(world.admin).post(
        reverse("core-calendar-import"), {"year": 2028, "file": upload}
    )
    assert response.status_code == 400
    assert len(response.context["report"].errors) == 2
    assert 'id="import-errors"' in response.content.decode()
    assert not HolidayYear.objects.filter(year=2028).exists()


def test_administrators_find_the_calendar_in_the_menu(world: World) -> None:
    url = reverse("core-calendar")
    admin_page = client_for(world.admin).get(reverse("core-home")).content.decode()
    officer_page = client_for(world.officer_a).get(reverse("core-home")).content.decode()
    assert f'href="{url}"' in admin_page
    assert f'href="{url}"' not in officer_page
