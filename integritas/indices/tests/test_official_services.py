"""Services that change institutions and national figures: one audit event each."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from integritas.audit.models import Event
from integritas.indices.models import Institution, NationalFigure, SpiResult
from integritas.indices.services.official import (
    institution_save,
    national_figure_save,
    peer_average,
    year_views,
)

pytestmark = pytest.mark.django_db


def city(code: str, name: str, **extra: object) -> Institution:
    return Institution.objects.create(code=code, name=name, kind="city", **extra)


def test_marking_an_institution_as_own_unmarks_the_previous_one() -> None:
    old = city("kota-lama", "Kota Lama", is_own=True)
    new = city("kota-baru", "Kota Baru")
    institution_save(institution=new, values={"is_own": True})
    assert list(Institution.objects.filter(is_own=True)) == [new]
    old.refresh_from_db()
    assert not old.is_own
    event = Event.objects.get(action="indices.institution_updated")
    assert event.changes["is_own"] == [False, True]
    assert event.changes["previous_own"] == [["kota-lama"], []]


def test_creating_an_institution_records_it_and_invalid_values_save_nothing() -> None:
    institution = institution_save(
        institution=Institution(), values={"code": "kota-a", "name": "Kota A", "kind": "city"}
    )
    assert Event.objects.get(action="indices.institution_created").object_id == str(institution.pk)
    with pytest.raises(ValidationError):
        institution_save(
            institution=Institution(), values={"code": "kota-b", "name": "Kota B", "kind": "desa"}
        )
    assert Institution.objects.count() == 1


def test_saving_without_changes_records_nothing() -> None:
    institution = city("kota-a", "Kota A")
    institution_save(institution=institution, values={"name": "Kota A"})
    assert not Event.objects.exists()


def test_a_national_figure_for_a_new_year_is_recorded() -> None:
    figure = national_figure_save(
        figure=NationalFigure(),
        values={"year": 2025, "index": D("72.10"), "averages_by_kind": {"city": 73.5}},
    )
    assert NationalFigure.objects.get(year=2025).averages_by_kind == {"city": 73.5}
    national_figure_save(figure=figure, values={"index": D("72.20")})
    actions = list(Event.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["indices.national_figure_created", "indices.national_figure_updated"]


def test_the_same_type_average_leaves_out_the_institution_and_other_types() -> None:
    own = city("kota-own", "Kota Sendiri", is_own=True)
    for code, index in [("kota-a", "72.45"), ("kota-b", "69.30"), ("kota-c", "70.00")]:
        SpiResult.objects.create(institution=city(code, code), year=2024, index=D(index))
    SpiResult.objects.create(institution=own, year=2024, index=D("10.00"))
    regency = Institution.objects.create(code="kab-x", name="Kabupaten X", kind="regency")
    SpiResult.objects.create(institution=regency, year=2024, index=D("99.00"))
    SpiResult.objects.create(institution=city("kota-d", "kota-d"), year=2023, index=D("99.00"))
    peers = peer_average(own, 2024)
    # (72.45 + 69.30 + 70.00) / 3 = 70.5833… → 70.58, from 3 other cities
    assert (peers.value, peers.n) == (D("70.58"), 3)
    assert peer_average(own, 2020).value is None


def test_year_views_compare_with_the_national_index_and_the_published_average() -> None:
    own = city("kota-own", "Kota Sendiri", is_own=True)
    SpiResult.objects.create(institution=own, year=2022, index=D("66.10"))
    SpiResult.objects.create(
        institution=own,
        year=2023,
        index=D("63.26"),
        internal=D("69.84"),
        external=D("74.10"),
        expert=D("60.12"),
        dimension_scores={"INT-PROC": 61.5, "X-NEW": 70},
    )
    newest, oldest = year_views(own)
    # The migration seeds 2023: national 70.97, cities 72 (DOMAIN.md §1).
    assert newest.result.year == 2023 and newest.change == D("-2.84")  # 63.26 − 66.10
    assert newest.vs_national == D("-7.71")  # 63.26 − 70.97
    assert newest.vs_published_kind_average == D("-8.74")  # 63.26 − 72
    # 2023 uses the four bands: Sangat Rentan, 68.0 − 63.26 = 4.74 below Rentan.
    assert newest.standing.category == "Sangat Rentan" and newest.standing.distance == D("4.74")
    assert [d.code for d, _score in newest.dimensions] == ["INT-PROC"]
    assert newest.other_dimensions == [("X-NEW", D("70"))]
    assert oldest.change is None and oldest.standing.category == "Sangat Rentan"
    assert oldest.vs_national == D("-5.84")  # 66.10 − 71.94
