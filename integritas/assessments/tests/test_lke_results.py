"""The results component: IPAK and IPKP taken from this system's Zona Integritas perception waves
(or entered with their source when measured elsewhere), converted to points as DOMAIN.md §4a says
(index ÷ 4 × 17.5: IPAK 3.60 → 15.75), checked against hand-computed values."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied

from integritas.assessments.models import AnswerSource, LkeAnswer
from integritas.assessments.services import lke as lke_service
from integritas.assessments.tests.lke_fixtures import start, zi_wave
from integritas.audit.models import Event
from integritas.core.testing import World

pytestmark = pytest.mark.django_db


def test_the_indices_are_taken_from_the_units_zi_waves_of_the_year(world: World) -> None:
    zi_wave(world, "zi_anticorruption", 3.6049)
    zi_wave(world, "zi_service", 3.2451)
    zi_wave(world, "zi_service", 1.5, year=2025)  # another year: not read
    lke = start(world)
    taken = lke_service.take_survey_results(lke=lke, by=world.officer_a)
    assert taken["H.IPAK"] is not None and taken["H.IPAK"].value == D("3.60")
    assert taken["H.IPKP"] is not None and taken["H.IPKP"].value == D("3.25")
    ipak = LkeAnswer.objects.get(lke=lke, node__code="H.IPAK")
    assert (ipak.answer, ipak.source) == ("3.6", AnswerSource.SURVEY)
    assert "zi_anticorruption-2026" in ipak.source_detail
    scores = lke_service.score(lke)
    assert scores.points["H.IPAK"] == D("15.75")  # 3.60 / 4 × 17.5
    assert scores.points["H.IPKP"] == D("14.21875")  # 3.25 / 4 × 17.5
    assert scores.values["H.IPAK"] == D("3.6")
    assert Event.objects.filter(action="assessments.lke_survey_results").count() == 1


def test_a_suppressed_or_missing_result_is_not_taken(world: World) -> None:
    zi_wave(world, "zi_anticorruption", None, suppressed=True, n=4)
    zi_wave(world, "zi_service", 3.9, unit=world.disdik)  # another unit's
    lke = start(world)
    taken = lke_service.take_survey_results(lke=lke, by=world.officer_a)
    assert taken == {"H.IPAK": None, "H.IPKP": None}
    assert not LkeAnswer.objects.filter(lke=lke).exists()


def test_the_latest_wave_of_the_year_wins(world: World) -> None:
    zi_wave(world, "zi_anticorruption", 3.1, code="ipak-early")
    later = zi_wave(world, "zi_anticorruption", 3.7, code="ipak-late")
    later.closes_on = later.closes_on.replace(month=10)
    later.save()
    assert lke_service.survey_index(world.dinkes, 2026, "zi_anticorruption").value == D("3.70")  # type: ignore[union-attr]


def test_an_index_measured_elsewhere_converts_the_same_way(world: World) -> None:
    lke = start(world)
    for code, value in (("H.IPAK", "3.60"), ("H.IPKP", "3.20"), ("H.KIN", "50")):
        lke_service.answer(lke=lke, code=code, value=value, source_detail="BPS", by=world.officer_a)
    scores = lke_service.score(lke)
    assert scores.points["H.IPAK"] == D("15.75")
    assert scores.points["H.IPKP"] == D("14.00")
    assert scores.points["H.KIN"] == D("2.5")
    assert scores.points["H"] == D("32.25")


def test_only_the_unit_takes_its_survey_results(world: World) -> None:
    lke = start(world)
    with pytest.raises(PermissionDenied):
        lke_service.take_survey_results(lke=lke, by=world.officer_b)
