"""Print an education event's test results: N pre, N post, N paired, the mean scores, the class
gain and the mean individual gain (DOMAIN.md §7b), per event, per audience group and per question
(share correct before and after). ``--json`` prints them as one JSON document."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from integritas.education.gain import LearningGain
from integritas.education.models import Event
from integritas.education.services import results


def _number(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _line(label: str, g: LearningGain) -> str:
    return (
        f"{label:<28} N pre {g.n_pre:>4}  N post {g.n_post:>4}  N paired {g.n_paired:>4}  "
        f"pre {_number(g.mean_pre, 1):>5}  post {_number(g.mean_post, 1):>5}  "
        f"class g {_number(g.class_gain):>5}  mean g {_number(g.mean_individual_gain):>5}"
    )


class Command(BaseCommand):
    help = "Print an education event's pre- and post-test results and learning gain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--event", required=True, help="Code of the event (EDU-2026-001).")
        parser.add_argument("--json", action="store_true", help="Print the results as JSON.")

    def handle(self, *args: object, **options: object) -> None:
        code = str(options["event"])
        event = Event.objects.filter(code__iexact=code).first()
        if event is None:
            raise CommandError(f"No education event has the code {code}.")
        found = results.event_results(event)
        if options["json"]:
            data = results.as_data(event, found)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{event.code} {event.title}")
        self.stdout.write(_line("Event", found.overall))
        for group in found.groups:
            self.stdout.write(_line(group.label, group.gain))
        self.stdout.write(f"Unpaired post-tests: {found.unpaired_post}")
        for q in found.questions:
            pre = _number(q.pre_share * 100 if q.pre_share is not None else None, 0)
            post = _number(q.post_share * 100 if q.post_share is not None else None, 0)
            self.stdout.write(
                f"Q{q.number:<3} correct before {pre:>4}%  after {post:>4}%  {q.text[:60]}"
            )
