"""Builders for survey tests: a small published instrument and a wave, without the builder UI.

Not imported by the application. ``build_version`` writes rows directly (as a published import
would) and assigns answer slots the same way publishing does: 0, 1, 2... in page and question
order for every question type that has a slot.
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.utils import timezone

from integritas.core.models import Unit
from integritas.surveys.models import (
    Choice,
    Dimension,
    Instrument,
    InstrumentVersion,
    Question,
    Section,
    Wave,
    WaveUnit,
)

LIKERT4 = [
    ("1", "Tidak baik", 1),
    ("2", "Kurang baik", 2),
    ("3", "Baik", 3),
    ("4", "Sangat baik", 4),
]

# A compact SKM-like questionnaire used across survey tests.
SMALL_SPEC: dict[str, Any] = {
    "code": "skm-test",
    "kind": "satisfaction",
    "title": "Survei uji",
    "dimensions": [("U1", "Persyaratan"), ("U2", "Prosedur")],
    "sections": [
        {
            "code": "profil",
            "title": "Profil",
            "questions": [
                {
                    "code": "sex",
                    "type": "single",
                    "required": False,
                    "choices": [("m", "Laki-laki", None), ("f", "Perempuan", None)],
                },
            ],
        },
        {
            "code": "layanan",
            "title": "Layanan",
            "questions": [
                {"code": "U1", "type": "likert4", "dimension": "U1", "choices": LIKERT4},
                {"code": "U2", "type": "likert4", "dimension": "U2", "choices": LIKERT4},
                {
                    "code": "complained",
                    "type": "yesno",
                    "required": False,
                    "choices": [("yes", "Ya", None), ("no", "Tidak", None)],
                },
                {
                    "code": "complaint_text",
                    "type": "longtext",
                    "required": False,
                    "condition": {"question": "complained", "op": "in", "values": ["yes"]},
                },
            ],
        },
    ],
}


def build_version(spec: dict[str, Any] = SMALL_SPEC, *, publish: bool = True) -> InstrumentVersion:
    instrument, _ = Instrument.objects.get_or_create(
        code=spec["code"],
        defaults={
            "kind": spec.get("kind", "other"),
            "title_id": spec["title"],
            "title_en": spec["title"],
        },
    )
    number = (
        instrument.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    version = InstrumentVersion.objects.create(instrument=instrument, number=number)
    dims = {}
    for i, (code, name) in enumerate(spec.get("dimensions", [])):
        dims[code] = Dimension.objects.create(
            version=version, code=code, name_id=name, name_en=name, order=i
        )
    slot = 0
    for s_order, s in enumerate(spec["sections"]):
        section = Section.objects.create(
            version=version,
            code=s["code"],
            order=s_order,
            title_id=s["title"],
            title_en=s["title"],
            respondent_types=s.get("respondent_types", []),
        )
        for q_order, q in enumerate(s["questions"]):
            has_slot = q["type"] in Question.SLOT_TYPES
            question = Question.objects.create(
                version=version,
                section=section,
                code=q["code"],
                order=q_order,
                type=q["type"],
                text_id=q.get("text", f"Pertanyaan {q['code']}"),
                text_en=q.get("text_en", f"Question {q['code']}"),
                required=q.get("required", True),
                dimension=dims.get(q.get("dimension", "")),
                respondent_types=q.get("respondent_types", []),
                condition=q.get("condition"),
                min_value=q.get("min"),
                max_value=q.get("max"),
                slot=slot if has_slot else None,
            )
            slot += 1 if has_slot else 0
            for c_order, (code, label, score) in enumerate(q.get("choices", [])):
                Choice.objects.create(
                    question=question,
                    code=code,
                    order=c_order,
                    label_id=label,
                    label_en=label,
                    score=Decimal(str(score)) if score is not None else None,
                )
    if publish:
        version.status = InstrumentVersion.Status.PUBLISHED
        version.published_at = timezone.now()
        version.save()
    return version


def build_wave(
    version: InstrumentVersion, units: list[Unit], *, code: str = "wave-test", **fields: Any
) -> Wave:
    today = timezone.localdate()
    wave = Wave.objects.create(
        code=code,
        title=fields.pop("title", "Gelombang uji"),
        version=version,
        opens_on=fields.pop("opens_on", today - dt.timedelta(days=7)),
        closes_on=fields.pop("closes_on", today + dt.timedelta(days=30)),
        status=fields.pop("status", Wave.Status.OPEN),
        respondent_types=fields.pop("respondent_types", ["public"]),
        **fields,
    )
    for unit in units:
        WaveUnit.objects.create(wave=wave, unit=unit, public_code=secrets.token_urlsafe(9)[:12])
    return wave
