"""The demo SPI results: the demo government, its neighbours and Kabupaten Bekasi 2024."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.audit.models import Event
from integritas.core.models import Government
from integritas.indices.demo import seed_official
from integritas.indices.models import Institution, SpiResult

pytestmark = pytest.mark.django_db


def test_it_creates_the_own_institution_from_the_government_and_is_idempotent() -> None:
    Government.objects.create(name="Pemerintah Kota Karyapura", kind=Government.Kind.CITY)
    seed_official()
    own = Institution.objects.get(is_own=True)
    assert (own.code, own.name, own.kind) == ("kota-karyapura", "Kota Karyapura", "city")
    assert SpiResult.objects.filter(institution=own).count() == 3
    bekasi = SpiResult.objects.get(institution__code="kab-bekasi", year=2024)
    assert (bekasi.internal, bekasi.external, bekasi.expert, bekasi.index) == (
        D("72.48"),
        D("78.41"),
        D("58.86"),
        D("68.00"),
    )
    results, events = SpiResult.objects.count(), Event.objects.count()
    seed_official()
    assert SpiResult.objects.count() == results and Event.objects.count() == events
    assert Event.objects.filter(action="indices.spi_results_imported").count() == 1


def test_it_keeps_an_own_institution_that_is_already_chosen() -> None:
    chosen = Institution.objects.create(
        code="kab-x", name="Kabupaten X", kind="regency", is_own=True
    )
    seed_official()
    assert list(Institution.objects.filter(is_own=True)) == [chosen]
    assert SpiResult.objects.filter(institution=chosen).count() == 3
