"""Bring a wave's stored indices up to date (incrementally when only some units changed; --full
recomputes everything); with --json print them (schema in docs/compute-indices.md). With
--schedule, queue the scheduled refresh of every stale wave in the background worker instead."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from integritas.audit.context import acting_as
from integritas.indices.models import IndexRun
from integritas.indices.services import dashboards, weak_points
from integritas.indices.services.compute import NoResponses, compute_wave, update_wave
from integritas.indices.services.loader import LoadError
from integritas.indices.tasks import keep_wave_page, next_refresh, schedule_refresh
from integritas.surveys.models import Wave

FIELDS = (
    "node",
    "dimension",
    "respondent_type",
    "score",
    "n",
    "ci_low",
    "ci_high",
    "grade",
    "suppressed",
)


def run_payload(run: IndexRun) -> dict[str, Any]:
    """The JSON document of a stored run; suppressed cells carry null score and interval, and
    their ``n`` as "< k" or "≥ k" (0 stays 0), never the number."""
    results = []
    k = dashboards.k_of(run)
    total = None
    ordered = run.results.order_by("node", "dimension", "respondent_type")
    for row in ordered.values_list(*FIELDS):
        item = dict(zip(FIELDS, row, strict=True))
        item["grade"] = item["grade"] or None
        if item["suppressed"]:
            item.update(score=None, ci_low=None, ci_high=None, grade=None)
        item["n"] = dashboards.shown_count(item["n"], item["suppressed"], k)
        if (item["node"], item["dimension"], item["respondent_type"]) == ("ALL", "ALL", "all"):
            total = item
        results.append(item)
    responses: int | str = run.response_count
    if total is not None and isinstance(total["n"], str):
        responses = total["n"]  # withheld like the government's result, as on the pages
    return {
        "wave": run.wave.code,
        "method": run.method,
        "computed_at": run.computed_at.isoformat(),
        "responses": responses,
        "results": results,
    }


class Command(BaseCommand):
    help = (
        "Bring a wave's indices up to date with its responses and store them: only the units "
        "whose responses changed when the stored results allow it, else (or with --full) all."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--wave", help="Code of the wave.")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")
        parser.add_argument(
            "--full",
            action="store_true",
            help="Recompute the whole wave even if only some units changed.",
        )
        parser.add_argument(
            "--no-weak-points",
            action="store_true",
            help="Do not look for weak points afterwards (docs/weak-points.md).",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="compute nothing now; queue the scheduled refresh of every out-of-date wave in "
            "the background worker (every INDICES_REFRESH_MINUTES from then on) unless it is "
            "already queued",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = schedule_refresh()
            when = timezone.localtime(next_refresh(timezone.now()))
            self.stdout.write(
                f"index refresh queued for {when:%Y-%m-%d %H:%M}"
                if queued
                else "the index refresh is already queued in the background worker"
            )
            return
        code = options["wave"]
        if not code:
            raise CommandError("Name a wave with --wave, or use --schedule.")
        wave = Wave.objects.select_related("version__instrument").filter(code=code).first()
        if wave is None:
            raise CommandError(f"Unknown wave {code!r}.")
        try:
            with acting_as(label="compute_indices"):
                run = compute_wave(wave=wave) if options["full"] else update_wave(wave=wave)
                found = None if options["no_weak_points"] else weak_points.detect(run=run)
        except NoResponses:
            raise CommandError(f"Wave {code!r} has no responses; nothing computed.") from None
        except LoadError as exc:
            raise CommandError(str(exc)) from None
        keep_wave_page(wave)
        if options["json"]:
            self.stdout.write(json.dumps(run_payload(run), ensure_ascii=False))
        else:
            count = run.results.count()
            self.stdout.write(
                f"{wave.code}: {run.method} over {run.response_count:,} responses, "
                f"{count:,} results in {run.seconds:.2f} s."
            )
            if found is not None:
                self.stdout.write(
                    f"{wave.code}: {found.found:,} weak points ({found.created:,} new, "
                    f"{found.updated:,} updated, {found.removed:,} gone)."
                )
