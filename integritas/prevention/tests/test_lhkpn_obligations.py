"""Who must file LHKPN: the holders of the positions that must file, the decree (imported all or
nothing, every bad row reported), and appointments and departures (due 3 months later); the
periodic report is due 31 March of the next year."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.prevention.models import LhkpnObligation, LhkpnPosition
from integritas.prevention.services.lhkpn_obligations import (
    create_from_positions,
    import_decree,
    record_special,
    set_positions,
)
from integritas.prevention.tests.lhkpn_data import csv_file, nip


def test_the_holders_of_the_positions_that_file_are_listed_for_the_year(world: Any) -> None:
    set_positions(titles=["Kepala Dinas", " Bendahara ", ""], by=world.admin)
    for user, position, number in (
        (world.head_a, "Kepala Dinas", nip(1)),
        (world.officer_a, "bendahara", nip(2)),
        (world.officer_b, "Staf", nip(3)),
    ):
        user.position, user.nip = position, number
        user.save()
    world.nobody.position = "Bendahara"  # no NIP: named, not listed
    world.nobody.save()
    listed = create_from_positions(year=2025, by=world.admin)
    assert listed.created == 2 and listed.without_nip == ["Nobody"]
    obligations = LhkpnObligation.objects.order_by("nip")
    assert [(o.nip, o.user, o.unit, o.report_type) for o in obligations] == [
        (nip(1), world.head_a, world.dinkes, "periodic"),
        (nip(2), world.officer_a, world.dinkes, "periodic"),
    ]
    assert {o.due_on for o in obligations} == {dt.date(2026, 3, 31)}
    again = create_from_positions(year=2025, by=world.admin)
    assert again.created == 0 and again.existing == 2
    assert Event.objects.filter(action="prevention.lhkpn_obligations_created").count() == 1
    assert set(LhkpnPosition.objects.filter(is_active=True).values_list("title", flat=True)) == {
        "Kepala Dinas",
        "Bendahara",
    }


DECREE_HEADERS = ["NIP", "NIK", "Nama", "Jabatan", "Unit Kerja"]


def decree_row(n: int, **values: Any) -> dict[str, Any]:
    return {
        "NIP": nip(n),
        "NIK": "",
        "Nama": f"Pejabat {n}",
        "Jabatan": "Kepala Bidang",
        "Unit Kerja": "DINKES",
        **values,
    }


def test_the_decree_lists_its_officials_for_the_year(world: Any) -> None:
    rows = [
        decree_row(1),
        decree_row(2, **{"Unit Kerja": "disdik"}),
        decree_row(3, NIP="", NIK="3171010101800001"),
    ]
    report = import_decree(
        data=csv_file(rows, DECREE_HEADERS),
        filename="sk.csv",
        year=2025,
        decree_number="SK 800/12/2026",
        by=world.admin,
    )
    assert report.ok and report.created == 3
    third = LhkpnObligation.objects.get(nik="3171010101800001")
    assert third.person_key == "3171010101800001" and third.source == "decree"
    assert third.decree_number == "SK 800/12/2026" and third.due_on == dt.date(2026, 3, 31)
    assert LhkpnObligation.objects.get(nip=nip(2)).unit == world.disdik
    again = import_decree(
        data=csv_file([decree_row(1, Jabatan="Sekretaris")], DECREE_HEADERS),
        filename="sk2.csv",
        year=2025,
        decree_number="SK 800/13/2026",
        by=world.admin,
    )
    assert again.ok and (again.created, again.updated) == (0, 1)
    assert LhkpnObligation.objects.get(nip=nip(1)).position == "Sekretaris"


def test_a_bad_decree_reports_every_row_and_stores_nothing(world: Any) -> None:
    rows = [
        decree_row(1),
        decree_row(2, NIP="12345"),
        decree_row(3, **{"Unit Kerja": "NOPE"}),
        decree_row(1),
        decree_row(4, Nama=""),
        decree_row(5, NIP="", NIK=""),
    ]
    report = import_decree(
        data=csv_file(rows, DECREE_HEADERS),
        filename="sk.csv",
        year=2025,
        decree_number="SK",
        by=world.admin,
    )
    assert not report.ok and not LhkpnObligation.objects.exists()
    assert [e.row for e in report.errors] == [3, 4, 5, 6, 7]
    assert "18 digits" in report.errors[0].message
    assert "No unit has this code" in report.errors[1].message
    assert "already in row 2" in report.errors[2].message


def special(world: Any, report_type: str, day: dt.date, **values: Any) -> LhkpnObligation:
    return record_special(
        values={
            "nip": nip(9),
            "name": "Pejabat Baru",
            "position": "Kepala Dinas",
            "unit": world.disdik,
            "event_date": day,
            "decree_number": "SK 821/5/2026",
            **values,
        },
        report_type=report_type,
        by=world.admin,
    )


def test_an_appointment_is_due_three_months_later(world: Any) -> None:
    world.officer_b.nip = nip(9)
    world.officer_b.save()
    obligation = special(world, "initial", dt.date(2026, 11, 30))
    assert (obligation.year, obligation.due_on) == (2026, dt.date(2027, 2, 28))
    assert obligation.source == "appointment" and obligation.user == world.officer_b
    event = Event.objects.get(action="prevention.lhkpn_special_created")
    assert event.changes["due_on"] == [None, "2027-02-28"]


def test_a_departure_is_due_three_months_later(world: Any) -> None:
    obligation = special(world, "final", dt.date(2026, 6, 15))
    assert obligation.due_on == dt.date(2026, 9, 15) and obligation.source == "departure"


def test_a_bad_appointment_is_refused_with_messages_and_nothing_stored(world: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        special(world, "initial", dt.date(2026, 1, 5), nip="1", name="", unit=None)
    assert set(caught.value.error_dict) == {"nip", "name", "unit"}
    special(world, "initial", dt.date(2026, 1, 5))
    with pytest.raises(ValidationError) as caught:
        special(world, "initial", dt.date(2026, 1, 5))
    assert "event_date" in caught.value.error_dict
    assert LhkpnObligation.objects.count() == 1
