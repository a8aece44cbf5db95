"""manage.py compute_indices: stores results, prints the documented JSON, clear errors."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from integritas.audit.models import Event
from integritas.indices.models import IndexResult, IndexRun
from integritas.indices.tests.test_compute_indices import make_wave

pytestmark = pytest.mark.django_db

RESULT_KEYS = {
    "node",
    "dimension",
    "respondent_type",
    "score",
    "n",
    "ci_low",
    "ci_high",
    "grade",
    "suppressed",
}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("compute_indices", *args, stdout=out)
    return out.getvalue()


def test_json_output_follows_the_documented_schema() -> None:
    wave = make_wave()
    payload = json.loads(run("--wave", wave.code, "--json"))
    assert set(payload) == {"wave", "method", "computed_at", "responses", "results"}
    assert payload["wave"] == wave.code
    assert payload["method"] == "satisfaction"
    assert payload["responses"] == 5
    assert payload["computed_at"] == IndexRun.objects.get().computed_at.isoformat()
    assert len(payload["results"]) == IndexResult.objects.count() > 0
    for item in payload["results"]:
        assert set(item) == RESULT_KEYS
        assert isinstance(item["suppressed"], bool)
        if item["suppressed"]:
            assert item["score"] is item["ci_low"] is item["ci_high"] is item["grade"] is None
            assert item["n"] in ("< 2", "≥ 2", 0)  # a withheld count is never the number
        else:
            assert isinstance(item["score"], float) and isinstance(item["n"], int)
    cells = {(r["node"], r["dimension"], r["respondent_type"]): r for r in payload["results"]}
    # DINAS's U2 is hidden to protect DINAS-B's one answer, so its IKM is U1's 65.00 alone.
    assert cells[("DINAS", "ALL", "all")]["score"] == pytest.approx(65.0)
    assert cells[("DINAS", "ALL", "all")]["grade"] == "C"
    assert cells[("DINAS-B", "U2", "all")]["suppressed"] is True
    assert cells[("DINAS-B", "U2", "all")]["n"] == "< 2"


def test_plain_output_is_a_summary_line() -> None:
    wave = make_wave()
    out = run("--wave", wave.code)
    assert out.startswith(f"{wave.code}: satisfaction over 5 responses")
    assert IndexRun.objects.filter(wave=wave).count() == 1


def test_unknown_wave_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Unknown wave 'nope'"):
        run("--wave", "nope")


def test_a_wave_without_responses_is_an_error_and_changes_nothing() -> None:
    wave = make_wave(rows=[])
    events = Event.objects.count()
    with pytest.raises(CommandError, match="no responses"):
        run("--wave", wave.code, "--json")
    assert not IndexRun.objects.exists()
    assert Event.objects.count() == events


def test_an_instrument_kind_without_a_method_is_an_error() -> None:
    wave = make_wave()
    wave.version.instrument.kind = "other"
    wave.version.instrument.save()
    with pytest.raises(CommandError, match="has no index method"):
        run("--wave", wave.code)
    assert not IndexRun.objects.exists()


def test_it_updates_only_the_changed_units_unless_asked_for_a_full_recompute() -> None:
    from django.utils import timezone

    from integritas.core.models import Unit
    from integritas.indices.services.compute import mark_responses_changed
    from integritas.surveys.models import Response

    wave = make_wave()
    run("--wave", wave.code)
    unit = Unit.objects.get(code="DINAS-B")
    Response.objects.create(
        wave=wave,
        unit=unit,
        respondent_type="public",
        submitted_on=timezone.localdate(),
        answers=Response.pack([0, 4, 4, 0]),
    )
    mark_responses_changed(wave_id=wave.pk, unit_ids=[unit.pk], count=1)
    out = run("--wave", wave.code)
    assert "over 6 responses" in out
    assert Event.objects.filter(action="indices.updated").count() == 1
    run("--wave", wave.code, "--full")
    assert Event.objects.filter(action="indices.computed").count() == 2
    assert Event.objects.filter(action="indices.updated").count() == 1


def test_schedule_queues_the_scheduled_refresh_once() -> None:
    from django_tasks_db.models import DBTaskResult

    from integritas.indices.tasks import refresh_stale_indices

    first, second = io.StringIO(), io.StringIO()
    call_command("compute_indices", "--schedule", stdout=first)
    call_command("compute_indices", "--schedule", stdout=second)
    assert first.getvalue().startswith("index refresh queued for ")
    assert "already queued" in second.getvalue()
    assert DBTaskResult.objects.filter(task_path=refresh_stale_indices.module_path).count() == 1


def test_without_a_wave_or_schedule_it_says_what_to_give() -> None:
    with pytest.raises(CommandError, match="--wave"):
        call_command("compute_indices")
