"""`manage.py export_responses --wave CODE --format csv|xlsx`."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.models import Choice, Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
DAY = timezone.localdate() - dt.timedelta(days=1)


@pytest.fixture
def wave(world: World) -> Wave:
    wave = build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")
    Choice.objects.filter(question__code="U1", code="4").update(label_en="Very good")
    for unit, n in ((world.dinkes, 11), (world.disdik, 3)):
        for _ in range(n):
            Response.objects.create(
                wave=wave,
                unit=unit,
                respondent_type="public",
                submitted_on=DAY,
                answers=Response.pack([1, 4, 3, 2]),
            )
    return wave


def command(*args: str) -> str:
    out = io.StringIO()
    call_command("export_responses", *args, stdout=out)
    return out.getvalue()


def test_it_writes_a_workbook_where_it_is_told(wave: Wave, tmp_path: Path) -> None:
    target = tmp_path / "skm.xlsx"

    out = command("--wave", "skm-2026", "--format", "xlsx", "--output", str(target))

    workbook = load_workbook(target)
    assert workbook.sheetnames == ["responses", "codebook"]
    # Both units are withheld: DISDIK (3) is small and DINKES would be the total minus DISDIK.
    assert workbook["responses"].max_row == 1
    assert "exported 0 responses of skm-2026" in out and "14 withheld in 2 groups" in out
    assert Event.objects.get(action="wave.responses_exported").actor_label == "export_responses"


def test_it_writes_a_zip_named_after_the_wave_by_default_with_labels_in_the_language_asked(
    world: World, wave: Wave, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(10):
        Response.objects.create(
            wave=wave,
            unit=world.disdik,
            respondent_type="public",
            submitted_on=DAY,
            answers=Response.pack([1, 4, 3, 2]),
        )
    monkeypatch.chdir(tmp_path)

    out = command("--wave=skm-2026", "--format=csv", "--labels", "--language=en")

    name = f"skm-2026-responses-{timezone.localdate().isoformat()}.zip"
    assert f"exported 24 responses of skm-2026 to {name}" in out
    with zipfile.ZipFile(tmp_path / name) as archive:
        rows = list(
            csv.reader(io.StringIO(archive.read("skm-2026-responses.csv").decode("utf-8-sig")))
        )
    assert rows[1][:6] == ["DINKES", "", "Public", DAY.isoformat(), "Laki-laki", "Very good"]


def test_an_unknown_wave_or_format_is_an_error(wave: Wave) -> None:
    with pytest.raises(CommandError, match="no wave with code 'nope'"):
        command("--wave", "nope", "--format", "csv")
    with pytest.raises(CommandError):
        command("--wave", "skm-2026", "--format", "pdf")


def test_an_unwritable_output_is_an_error(wave: Wave, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot write"):
        command("--wave", "skm-2026", "--format", "csv", "--output", str(tmp_path / "no" / "x.zip"))
