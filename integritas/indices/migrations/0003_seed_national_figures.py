"""The national SPI figures published by KPK (DOMAIN.md §1). Reference data every installation
needs, so it is seeded here rather than in the demo. Later years are entered on the SPI pages."""

from django.db import migrations

FIGURES = [
    {"year": 2021, "index": "72.43"},
    {"year": 2022, "index": "71.94", "respondents": 392_785},
    {
        "year": 2023,
        "index": "70.97",
        "respondents": 553_321,
        "averages_by_kind": {"province": 69, "city": 72},
    },
    {
        "year": 2024,
        "index": "71.53",
        "respondents": 601_453,
        "respondents_collected": 843_017,
        "institutions": 641,
    },
]


def seed(apps, schema_editor):
    NationalFigure = apps.get_model("indices", "NationalFigure")
    for figure in FIGURES:
        year = figure["year"]
        defaults = {key: value for key, value in figure.items() if key != "year"}
        defaults["source"] = f"KPK, Survei Penilaian Integritas {year}"
        NationalFigure.objects.get_or_create(year=year, defaults=defaults)


def unseed(apps, schema_editor):
    NationalFigure = apps.get_model("indices", "NationalFigure")
    NationalFigure.objects.filter(year__in=[f["year"] for f in FIGURES]).delete()


class Migration(migrations.Migration):
    dependencies = [("indices", "0002_official_settings_weak_points")]

    operations = [migrations.RunPython(seed, unseed)]
