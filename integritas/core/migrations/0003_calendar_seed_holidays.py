"""Seed the national holidays and collective leave days 2024–2027 (2027 provisional)."""

from django.db import migrations


def seed(apps, schema_editor):
    from integritas.core import calendar_data

    HolidayYear = apps.get_model("core", "HolidayYear")
    Holiday = apps.get_model("core", "Holiday")
    CalendarSettings = apps.get_model("core", "CalendarSettings")
    for year in calendar_data.YEARS:
        HolidayYear.objects.get_or_create(
            year=year.year,
            defaults={"decree": year.decree, "confirmed": year.confirmed, "note": year.note},
        )
    for holiday in calendar_data.HOLIDAYS:
        Holiday.objects.get_or_create(
            date=holiday.date,
            defaults={
                "name": holiday.name,
                "name_en": holiday.name_en,
                "kind": holiday.kind,
                "source": holiday.source,
            },
        )
    CalendarSettings.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    from integritas.core import calendar_data

    years = [year.year for year in calendar_data.YEARS]
    apps.get_model("core", "Holiday").objects.filter(date__year__in=years).delete()
    apps.get_model("core", "HolidayYear").objects.filter(year__in=years).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_calendar_models")]

    operations = [migrations.RunPython(seed, unseed)]
