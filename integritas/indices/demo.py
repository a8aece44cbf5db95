"""Index demo data: the official SPI results of the demo city and a few neighbours, 2022-2024,
then every demo wave that has responses and no stored results yet computed, with its weak points.

Everything official here is fictional except Kabupaten Bekasi 2024, a result KPK published
(DOMAIN.md section 1). The results go through the real import, so the demo also shows its audit
event. Called by ``manage.py seed_demo`` after the survey demo (apps are seeded in INSTALLED_APPS
order). Idempotent: running it again adds only what is missing and never changes what is saved.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from integritas.audit.context import acting_as
from integritas.core.models import Government
from integritas.indices.imports.official import import_results
from integritas.indices.models import IndexRun, Institution, SpiResult
from integritas.indices.services import official, weak_points
from integritas.indices.services.compute import compute_wave
from integritas.lib.spreadsheets import write_csv
from integritas.surveys.models import Response, Wave

DEMO_GOVERNMENT = "Pemerintah Kota Karyapura"  # core/demo.py
DEMO_SOURCE = "Demo data (fictional)"
KPK_2024 = "KPK, Survei Penilaian Integritas 2024"

# code, name, kind, size class, province
NEIGHBOURS = [
    ("kota-sumberjaya", "Kota Sumberjaya", "city", "medium", "Provinsi Nusantara Tengah (fiktif)"),
    ("kota-tirtamulya", "Kota Tirtamulya", "city", "small", "Provinsi Nusantara Tengah (fiktif)"),
    (
        "kab-wanasari",
        "Kabupaten Wanasari",
        "regency",
        "large",
        "Provinsi Nusantara Tengah (fiktif)",
    ),
    ("prov-nusantara-tengah", "Provinsi Nusantara Tengah", "province", "large", ""),
    ("kab-bekasi", "Kabupaten Bekasi", "regency", "large", "Jawa Barat"),
]

_DIMS = ["INT-TRANSP", "INT-DUTY", "INT-PROC", "INT-HR", "INT-INFL", "INT-BUDGET", "INT-SOC"]
_DIMS += ["EXT-TRANSP", "EXT-PREV", "EXT-INTEG"]
# code -> [(year, index, internal, external, expert, correction, dimension scores or None)]
RESULTS: dict[str, list[tuple[str, str, str, str, str, str, list[str] | None]]] = {
    "own": [
        ("2022", "66.10", "71.20", "76.05", "62.40", "6.35", None),
        ("2023", "63.26", "69.84", "74.10", "60.12", "7.80", None),
        (
            "2024",
            "70.85",
            "74.30",
            "79.62",
            "63.15",
            "4.02",
            ["76.4", "73.9", "64.2", "70.8", "66.5", "72.1", "81.0", "80.3", "77.6", "80.9"],
        ),
    ],
    "kota-sumberjaya": [
        ("2022", "72.45", "76.10", "79.30", "66.80", "3.10", None),
        ("2023", "73.80", "77.02", "80.11", "68.40", "2.95", None),
        ("2024", "75.12", "78.20", "81.05", "69.30", "2.40", None),
    ],
    "kota-tirtamulya": [
        ("2022", "69.30", "73.50", "77.40", "64.00", "4.80", None),
        ("2023", "70.41", "74.33", "78.20", "65.10", "4.40", None),
        ("2024", "68.77", "73.10", "77.90", "63.20", "5.60", None),
    ],
    "kab-wanasari": [
        ("2022", "67.20", "72.00", "75.10", "61.30", "5.90", None),
        ("2023", "69.05", "73.40", "76.60", "63.00", "5.10", None),
        ("2024", "71.90", "75.10", "78.80", "65.40", "3.70", None),
    ],
    "prov-nusantara-tengah": [
        ("2023", "68.50", "72.90", "76.30", "62.70", "5.30", None),
        ("2024", "70.10", "74.00", "77.50", "64.00", "4.60", None),
    ],
    # Published by KPK; the correction is not part of the published example.
    "kab-bekasi": [("2024", "68.00", "72.48", "78.41", "58.86", "", None)],
}


def _own_institution() -> Institution:
    """The institution of this government, created from the government's name if missing."""
    own = Institution.objects.filter(is_own=True).first()
    if own is not None:
        return own
    government = Government.current()
    full_name = government.name if government else DEMO_GOVERNMENT
    name = full_name.removeprefix("Pemerintah ").strip()
    kind = government.kind if government else Institution.Kind.CITY
    code = slugify(name)[:50]
    existing = Institution.objects.filter(code=code).first()
    return official.institution_save(
        institution=existing or Institution(),
        values={
            "code": code,
            "name": name,
            "kind": kind,
            "size_class": Institution.Size.MEDIUM,
            "province": government.province if government else "",
            "is_own": True,
        },
    )


@transaction.atomic
def seed_official() -> None:
    """Create the demo institutions and import their missing results in one import."""
    with acting_as(label="seed_demo"):
        own = _own_institution()
        codes = {"own": own.code}
        for code, name, kind, size, province in NEIGHBOURS:
            codes[code] = code
            if not Institution.objects.filter(code=code).exists():
                official.institution_save(
                    institution=Institution(),
                    values={
                        "code": code,
                        "name": name,
                        "kind": kind,
                        "size_class": size,
                        "province": province,
                        "is_own": False,
                    },
                )
        saved = set(SpiResult.objects.values_list("institution__code", "year"))
        rows = []
        for key, results in RESULTS.items():
            code = codes[key]
            for year, index, internal, external, expert, correction, dims in results:
                if (code, int(year)) in saved:
                    continue
                source = KPK_2024 if code == "kab-bekasi" else DEMO_SOURCE
                rows.append(
                    [code, year, index, internal, external, expert, correction, source]
                    + (dims or [""] * len(_DIMS))
                )
        if not rows:
            return
        headers = ["code", "year", "index", "internal", "external", "expert", "correction"]
        headers += ["source", *(f"dim:{code}" for code in _DIMS)]
        report = import_results(data=write_csv(headers, rows), filename="demo-spi.csv")
        if not report.saved:
            raise RuntimeError(f"demo SPI results did not import: {report.errors}")


def seed_indices() -> list[str]:
    """Compute the waves that have responses but no results; one line per wave."""
    lines = []
    computed = set(IndexRun.objects.values_list("wave_id", flat=True))
    with_responses = set(Response.objects.values_list("wave_id", flat=True).distinct())
    for wave in Wave.objects.filter(pk__in=with_responses - computed).order_by("code"):
        run = compute_wave(wave=wave)
        found = weak_points.detect(run=run)
        lines.append(
            f"indices of {wave.code}: {run.results.count()} results, {found.found} weak points"
        )
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    seed_official()
    return seed_indices() or ["indices already computed"]
