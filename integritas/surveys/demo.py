"""Survey demo data for the fictional city: SKM and integrity self-survey waves for last year and
this year with a few thousand generated responses each, in which some units are clearly weaker
than others (and last year everyone was a little worse).

Responses are generated through the same Schema validation and packing as real submissions.
Idempotent: waves that already exist are left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from integritas.core.models import FiscalYear, Unit
from integritas.surveys.imports.shipped_instruments import load_shipped
from integritas.surveys.models import Instrument, Response, Service, Wave
from integritas.surveys.schema import CHOICE_TYPES, Schema
from integritas.surveys.services import waves

# Services offered at counters (SKM is run per service): unit code -> [(code, name)].
SERVICES: dict[str, list[tuple[str, str]]] = {
    "DISDUKCAPIL": [
        ("KTP", "Perekaman dan pencetakan KTP-el"),
        ("KK", "Penerbitan Kartu Keluarga"),
        ("AKTA", "Akta kelahiran"),
    ],
    "DPMPTSP": [
        ("PBG", "Persetujuan Bangunan Gedung"),
        ("NIB", "Pendampingan Nomor Induk Berusaha"),
    ],
    "RSUD": [("RJ", "Rawat jalan"), ("IGD", "Instalasi Gawat Darurat")],
    "DINKES.PKM-UTR": [("POLI", "Poli umum")],
    "DINKES.PKM-SLT": [("POLI", "Poli umum")],
    "DISHUB.PKB": [("KIR", "Uji berkala kendaraan (KIR)")],
    "KEC.UTR": [("ADM", "Layanan administrasi kecamatan")],
    "KEC.SLT": [("ADM", "Layanan administrasi kecamatan")],
    "KEC.TMR": [("ADM", "Layanan administrasi kecamatan")],
    "KEC.BRT": [("ADM", "Layanan administrasi kecamatan")],
}
# How well each unit serves (0 = poorly … 1 = very well), and dimensions where it is weaker still.
QUALITY: dict[str, float] = {
    "DISDUKCAPIL": 0.45,
    "DPMPTSP": 0.85,
    "RSUD": 0.6,
    "DINKES.PKM-UTR": 0.75,
    "DINKES.PKM-SLT": 0.7,
    "DISHUB.PKB": 0.3,
    "KEC.UTR": 0.7,
    "KEC.SLT": 0.65,
    "KEC.TMR": 0.55,
    "KEC.BRT": 0.8,
    "DPUPR": 0.35,
    "BKPSDM": 0.4,
    "DISHUB": 0.4,
    "BPKAD": 0.6,
    "SETDA": 0.65,
    "DINKES": 0.7,
    "DISDIK": 0.6,
    "INSP": 0.9,
    "BAPPEDA": 0.75,
    "DPMPTSP-INT": 0.8,
}
WEAK_SPOTS: dict[str, set[str]] = {
    "DISDUKCAPIL": {"U3", "U7"},  # slow, unfriendly
    "DISHUB.PKB": {"U4"},  # unofficial fees at vehicle testing
    "RSUD": {"U3"},
    "DPUPR": {"INT-PROC"},  # procurement
    "BKPSDM": {"INT-HR"},  # buying and selling of positions
}
SUGGESTIONS = [
    "Antrean mohon dipercepat.",
    "Petugas ramah, terima kasih.",
    "Informasi biaya sebaiknya dipasang di loket.",
    "Ruang tunggu panas, mohon tambah kipas.",
    "Sudah baik, pertahankan.",
]


def _answer(rng: random.Random, n_choices: int, quality: float) -> int:
    """A choice position 1..n, skewed towards the top when quality is high."""
    mean = 1 + quality * (n_choices - 1)
    value = round(rng.gauss(mean, 0.8))
    return min(n_choices, max(1, value))


def _weak(unit_code: str, dimension: str | None) -> bool:
    spots = WEAK_SPOTS.get(unit_code, set())
    return bool(dimension) and any(s.lower() in (dimension or "").lower() for s in spots)


def _responses(
    wave: Wave,
    schema: Schema,
    unit: Unit,
    count: int,
    types: list[str],
    rng: random.Random,
    service: Service | None,
    *,
    shift: float = 0.0,
) -> list[Response]:
    quality = min(1.0, max(0.0, QUALITY.get(unit.code, 0.6) + shift))
    today = min(wave.closes_on, timezone.localdate())
    span = max(0, (today - wave.opens_on).days)
    created = []
    for _ in range(count):
        respondent_type = rng.choice(types)
        answers: dict[str, Any] = {}
        for section in schema.sections:
            for code in section.questions:
                q = schema.questions[code]
                if not schema.is_shown(q, answers, respondent_type):
                    continue
                if q.type in CHOICE_TYPES:
                    scored = [i for i, score in enumerate(q.scores) if score is not None]
                    if scored:
                        # Answer on the scored part of the scale; unscored options such as
                        # "don't know" are picked now and then, as real respondents do.
                        if len(scored) < len(q.choices) and rng.random() < 0.04:
                            unscored = [i for i in range(len(q.choices)) if i not in scored]
                            answers[code] = q.choices[rng.choice(unscored)]
                            continue
                        weak = _weak(unit.code, q.dimension) or _weak(unit.code, q.code)
                        position = _answer(
                            rng, len(scored), max(0.0, quality - (0.3 if weak else 0.0))
                        )
                        answers[code] = q.choices[scored[position - 1]]
                        continue
                    if not q.required and rng.random() < 0.2:
                        continue
                    answers[code] = q.choices[rng.randrange(len(q.choices))]
                elif q.type == "multiple" and q.choices:
                    answers[code] = [rng.choice(q.choices)]
                elif q.type in ("text", "longtext") and not q.required:
                    if rng.random() < 0.15:
                        answers[code] = rng.choice(SUGGESTIONS)
                elif q.type == "number":
                    low = int(q.min_value or 0)
                    answers[code] = str(rng.randint(low, int(q.max_value or low + 60)))
                elif q.type == "date":
                    answers[code] = (
                        wave.opens_on + dt.timedelta(days=rng.randint(0, span))
                    ).isoformat()
                elif q.required:
                    answers[code] = "-"
        vector, extra = schema.encode(answers, respondent_type)
        created.append(
            Response(
                wave=wave,
                unit=unit,
                service=service,
                respondent_type=respondent_type,
                submitted_on=wave.opens_on + dt.timedelta(days=rng.randint(0, span)),
                answers=Response.pack(vector),
                extra=extra or None,
                source=Response.Source.WEB,
            )
        )
    return created


@transaction.atomic
def seed_surveys() -> dict[str, int]:
    """Create the demo survey waves; returns how many responses were created per wave."""
    load_shipped()
    rng = random.Random(2026)
    result: dict[str, int] = {}
    units = {u.code: u for u in Unit.objects.all()}
    for unit_code, offered in SERVICES.items():
        if unit_code in units:
            for code, name in offered:
                if not Service.objects.filter(unit=units[unit_code], code=code).exists():
                    waves.service_save(
                        service=Service(),
                        values={"unit": units[unit_code], "code": code, "name": name},
                    )

    skm = Instrument.objects.filter(kind=Instrument.Kind.SATISFACTION).order_by("code").first()
    integrity = Instrument.objects.filter(kind=Instrument.Kind.INTEGRITY).order_by("code").first()
    # Last year's waves first, a little worse everywhere, so this year's show movement.
    for year, shift in ((2025, -0.08), (2026, 0.0)):
        if skm is not None:
            result.update(_seed_skm(skm, year, shift, units, rng))
        if integrity is not None:
            result.update(_seed_integrity(integrity, year, shift, units, rng))
    return result


def _seed_skm(
    skm: Instrument, year: int, shift: float, units: dict[str, Unit], rng: random.Random
) -> dict[str, int]:
    """The SKM wave of ``year`` over the units with counters (open in the current year)."""
    code = f"skm-{year}"
    if Wave.objects.filter(code=code).exists():
        return {}
    version = skm.latest_published()
    assert version is not None
    chosen = [units[c] for c in SERVICES if c in units]
    wave = waves.wave_create(
        version=version,
        code=code,
        title=f"Survei Kepuasan Masyarakat {year}",
        opens_on=dt.date(year, 10, 1),
        closes_on=dt.date(year, 12, 15),
        respondent_types=["public"],
        units=chosen,
        fiscal_year=FiscalYear.objects.filter(year=year).first(),
        sample_method=Wave.SampleMethod.KREJCIE_MORGAN,
    )
    waves.wave_set_populations(
        wave=wave,
        populations={wu.pk: rng.choice([400, 900, 1500, 3000]) for wu in wave.wave_units.all()},
    )
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
    schema = Schema.from_version(version)
    rows: list[Response] = []
    for wave_unit in wave.wave_units.select_related("unit").prefetch_related(
        "wave_services__service"
    ):
        counters: list[Service | None] = [ws.service for ws in wave_unit.wave_services.all()]
        for service in counters or [None]:
            rows += _responses(
                wave,
                schema,
                wave_unit.unit,
                rng.randint(60, 140),
                ["public"],
                rng,
                service,
                shift=shift,
            )
    Response.objects.bulk_create(rows, batch_size=1000)
    if year < timezone.localdate().year:
        waves.wave_set_status(wave=wave, status=Wave.Status.CLOSED)
    return {wave.code: len(rows)}


def _seed_integrity(
    integrity: Instrument, year: int, shift: float, units: dict[str, Unit], rng: random.Random
) -> dict[str, int]:
    """The integrity self-survey of ``year`` over the top-level units (closed)."""
    code = f"integritas-{year}"
    if Wave.objects.filter(code=code).exists():
        return {}
    version = integrity.latest_published()
    assert version is not None
    chosen = [u for u in units.values() if u.parent_id is None and u.is_active]
    wave = waves.wave_create(
        version=version,
        code=code,
        title=f"Survei Integritas Internal {year}",
        opens_on=dt.date(year, 8, 3),
        closes_on=dt.date(year, 9, 30),
        respondent_types=["internal", "external", "expert"],
        units=chosen,
        fiscal_year=FiscalYear.objects.filter(year=year).first(),
        margin_of_error=Decimal("0.10"),
        sample_method=Wave.SampleMethod.SLOVIN,
    )
    waves.wave_set_populations(
        wave=wave, populations={wu.pk: rng.randint(40, 400) for wu in wave.wave_units.all()}
    )
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
    schema = Schema.from_version(version)
    rows: list[Response] = []
    for wave_unit in wave.wave_units.select_related("unit"):
        types = ["internal"] * 6 + ["external"] * 3 + ["expert"]
        rows += _responses(
            wave, schema, wave_unit.unit, rng.randint(50, 110), types, rng, None, shift=shift
        )
    Response.objects.bulk_create(rows, batch_size=1000)
    waves.wave_set_status(wave=wave, status=Wave.Status.CLOSED)
    return {wave.code: len(rows)}


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    created = seed_surveys()
    return [f"wave {code}: {n} responses" for code, n in created.items()] or [
        "survey waves already present"
    ]
