"""Survey demo data: two waves with thousands of valid responses, some units clearly weaker."""

from __future__ import annotations

import io
from statistics import mean

import pytest
from django.core.management import call_command

from integritas.surveys.models import Response, Wave
from integritas.surveys.schema import Schema

pytestmark = pytest.mark.django_db


def scores(wave: Wave, unit_code: str, question_codes: set[str]) -> list[float]:
    schema = Schema.from_version(wave.version)
    values = []
    for answers in Response.objects.filter(wave=wave, unit__code=unit_code).values_list(
        "answers", flat=True
    ):
        for slot, value in enumerate(Response.unpack(answers)):
            q = schema.questions[schema.slot_codes[slot]]
            if q.code in question_codes and value and q.scores[value - 1] is not None:
                values.append(float(q.scores[value - 1]))  # type: ignore[arg-type]
    return values


def test_seed_demo_creates_an_skm_and_an_integrity_wave_with_thousands_of_responses(
    settings,
) -> None:  # noqa: ANN001
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=io.StringIO())
    skm = Wave.objects.get(code="skm-2026")
    integrity = Wave.objects.get(code="integritas-2026")
    assert skm.status == Wave.Status.OPEN and integrity.status == Wave.Status.CLOSED
    total = Response.objects.count()
    assert total >= 2000
    assert {"internal", "external", "expert"} <= set(
        Response.objects.filter(wave=integrity).values_list("respondent_type", flat=True)
    )
    assert all(wu.target for wu in skm.wave_units.all())
    # Every stored response decodes under its instrument.
    schema = Schema.from_version(skm.version)
    for row in Response.objects.filter(wave=skm)[:50]:
        schema.decode(Response.unpack(row.answers), row.extra)
    # The weak units are visibly weaker: vehicle testing on cost, Disdukcapil on service time.
    assert mean(scores(skm, "DISHUB.PKB", {"U4"})) < mean(scores(skm, "DPMPTSP", {"U4"})) - 0.8
    assert mean(scores(skm, "DISDUKCAPIL", {"U3"})) < mean(scores(skm, "DPMPTSP", {"U3"})) - 0.8
    # Idempotent.
    call_command("seed_demo", stdout=io.StringIO())
    assert Response.objects.count() == total
