"""`manage.py import_responses FILE --wave CODE`."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.surveys.imports import responses as imports
from integritas.surveys.models import ImportBatch, Response, Wave
from integritas.surveys.testing import build_version, build_wave

pytestmark = pytest.mark.django_db
DAY = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
HEADER = "unit_code,respondent_type,submitted_on,U1,U2\n"


@pytest.fixture
def wave(world: World) -> Wave:
    return build_wave(build_version(), [world.dinkes, world.disdik], code="skm-2026")


def write(tmp_path: Path, *rows: str, name: str = "paper.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_responses", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_a_file_and_draws_a_progress_bar_on_stderr(
    wave: Wave, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 5)
    path = write(tmp_path, *[f"DINKES,public,{DAY},{1 + i % 4},2" for i in range(12)])

    out, err = command(str(path), "--wave", "skm-2026")

    assert "imported 12 responses into skm-2026" in out
    assert Response.objects.filter(wave=wave).count() == 12
    assert "\rchecking [" in err and "100% 12/12 rows" in err
    assert "\rsaving   [" in err and err.endswith("\n")
    event = Event.objects.get(action="wave.responses_imported")
    assert event.actor_label == "import_responses"


def test_without_the_bar_stderr_stays_quiet(wave: Wave, tmp_path: Path) -> None:
    path = write(tmp_path, f"DINKES,public,{DAY},1,2")

    _out, err = command(str(path), "--wave", "skm-2026", "--no-progress")

    assert err == ""


def test_a_bad_file_lists_every_bad_cell_exits_non_zero_and_imports_nothing(
    wave: Wave, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        f"DINKES,public,{DAY},1,2",
        f"NOWHERE,public,{DAY},5,2",
        "DISDIK,public,2001-01-01,1,",
    )
    err = io.StringIO()

    with pytest.raises(CommandError, match="nothing was imported: 4 problem"):
        call_command(
            "import_responses", str(path), "--wave", "skm-2026", "--no-progress", stderr=err
        )

    lines = err.getvalue().splitlines()
    assert lines[0] == "row 3, column unit_code ('NOWHERE'): “NOWHERE” is not a unit of this wave."
    assert lines[1].startswith("row 3, column U1 ('5'): “5” is not an answer to U1")
    assert lines[2].startswith("row 4, column submitted_on ('2001-01-01'): 2001-01-01 is before")
    assert lines[3] == "row 4, column U2: U2 must be answered."
    assert not Response.objects.exists() and not ImportBatch.objects.exists()


def test_only_the_first_problems_are_listed_when_asked(wave: Wave, tmp_path: Path) -> None:
    path = write(tmp_path, *[f"DINKES,public,{DAY},9,2" for _ in range(7)])
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_responses",
            str(path),
            "--wave=skm-2026",
            "--show-errors=2",
            "--no-progress",
            stderr=err,
        )

    lines = err.getvalue().splitlines()
    assert len(lines) == 3 and lines[-1] == "... and 5 more problems"


def test_a_file_problem_is_reported_for_the_whole_file(wave: Wave, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_responses", str(path), "--wave=skm-2026", stderr=err)

    assert err.getvalue().splitlines()[-1] == "file: The file is empty."


def test_importing_the_same_file_again_changes_nothing_and_succeeds(
    wave: Wave, tmp_path: Path
) -> None:
    path = write(tmp_path, f"DINKES,public,{DAY},1,2")
    command(str(path), "--wave", "skm-2026", "--no-progress")

    out, _err = command(str(path), "--wave", "skm-2026", "--no-progress")

    assert "already imported" in out
    assert Response.objects.count() == 1


def test_an_unknown_wave_or_file_is_an_error(wave: Wave, tmp_path: Path) -> None:
    path = write(tmp_path, f"DINKES,public,{DAY},1,2")

    with pytest.raises(CommandError, match="no wave with code 'nope'"):
        command(str(path), "--wave", "nope")
    with pytest.raises(CommandError, match="no file"):
        command(str(tmp_path / "missing.csv"), "--wave", "skm-2026")


def test_the_command_has_no_size_limit(wave: Wave, tmp_path: Path, settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = 10  # type: ignore[attr-defined]
    path = write(tmp_path, *[f"DINKES,public,{DAY},1,2" for _ in range(50)])

    out, _err = command(str(path), "--wave", "skm-2026", "--no-progress")

    assert "imported 50 responses" in out
