"""The participants' evaluation of an event: a wave of the surveys app over the organising unit,
open until ``EDUCATION_EVALUATION_DAYS`` after the event ends, with the short satisfaction
instrument that comes with education (``data/event-evaluation.json``, loaded on first use) or
another published instrument the Inspectorate chooses.

Participants answer through the wave's public link, the same for everyone, so the survey app's
anonymity rules hold unchanged: the response stores no ticket, name, account, address or time of
day, and nothing ties it to a registration (docs/survey-anonymity.md). The ticket page offers the
link to those who checked in, once the event is over. The summary (responses, and per question
the mean score and the answers' distribution) is withheld while the wave has fewer responses
than its smallest group shown (``Wave.min_group_size``), as every survey breakdown is.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas import audit
from integritas.core.models import User
from integritas.education.models import AuditAction, Event, Registration
from integritas.surveys.imports.instruments import parse_sheets, sheets_from_json
from integritas.surveys.models import (
    Instrument,
    InstrumentVersion,
    Question,
    RespondentType,
    Response,
    Wave,
)
from integritas.surveys.services import waves
from integritas.surveys.services.instrument_library import version_import, version_publish

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "event-evaluation.json"
INSTRUMENT_CODE = "evaluasi-acara"
CENT = Decimal("0.01")


def shipped_version() -> InstrumentVersion:
    """The published version of the evaluation instrument that comes with education, loaded
    from its data file the first time it is needed (an instrument of that code is kept)."""
    instrument = Instrument.objects.filter(code=INSTRUMENT_CODE).first()
    if instrument is not None:
        found = instrument.latest_published()
        if found is not None:
            return found
        raise ValidationError(_("The evaluation instrument has no published version."))
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data, errors = parse_sheets(sheets_from_json(raw))
    if data is None or errors:  # pragma: no cover - the shipped file is checked by its test
        raise ValueError(f"{DATA_FILE.name} is not a valid instrument")
    version, _created = version_import(data=data, source="shipped")
    return version_publish(version=version)


def versions() -> list[InstrumentVersion]:
    """The instruments staff may choose from: the latest published version of each."""
    chosen = []
    for instrument in Instrument.objects.order_by("code"):
        version = instrument.latest_published()
        if version is not None:
            chosen.append(version)
    return chosen


@transaction.atomic
def create(*, event: Event, version: InstrumentVersion | None, by: User | None) -> Wave:
    """Give ``event`` its evaluation survey (once; an existing one is returned unchanged): an
    open wave of ``version`` (the shipped instrument when None) over the organising unit, for
    the public-link respondent type, until ``EDUCATION_EVALUATION_DAYS`` after the event."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    if locked.evaluation_id is not None:
        event.evaluation = Wave.objects.get(pk=locked.evaluation_id)
        return event.evaluation
    version = version or shipped_version()
    # Open from today (the ticket page offers it only once the event is over), until the set
    # number of days after the event's last day.
    opens_on = timezone.localdate()
    last_day = max(timezone.localdate(event.ends_at), opens_on)
    wave = waves.wave_create(
        version=version,
        code=f"eval-{event.code.lower()}",
        title=(_("Evaluation: %(title)s") % {"title": event.title})[:200],
        opens_on=opens_on,
        closes_on=last_day + dt.timedelta(days=settings.EDUCATION_EVALUATION_DAYS),
        respondent_types=[RespondentType.PUBLIC],
        units=[event.organiser],
    )
    waves.wave_set_status(wave=wave, status=Wave.Status.OPEN)
    Event.objects.filter(pk=event.pk).update(evaluation=wave)
    event.evaluation = wave
    audit.record(
        AuditAction.EVALUATION_CREATED,
        obj=event,
        changes={"wave": [None, wave.code], "instrument": [None, version.instrument.code]},
        actor=by,
    )
    return wave


def link(event: Event) -> str | None:
    """The evaluation's public address (the wave's public link over the organising unit)."""
    if event.evaluation_id is None:
        return None
    wave_unit = event.evaluation.wave_units.first() if event.evaluation else None
    if wave_unit is None:
        return None
    return reverse("surveys-respond-public", args=[wave_unit.public_code])


def is_open(event: Event) -> bool:
    """Whether the evaluation takes answers now: the event is over and the wave accepts them."""
    wave = event.evaluation
    return (
        wave is not None
        and event.ends_at <= timezone.now()
        and wave.accepts_responses(timezone.localdate())
    )


def offered_to(registration: Registration) -> bool:
    """The ticket page offers the evaluation to a participant who came, after the event."""
    return registration.checked_in_at is not None and is_open(registration.event)


@dataclass
class ChoiceCount:
    label: str
    count: int
    share: Decimal


@dataclass
class QuestionSummary:
    number: int
    text: str
    answered: int
    mean: Decimal | None
    choices: list[ChoiceCount] = field(default_factory=list)


@dataclass
class Summary:
    wave: Wave
    responses: int
    k: int
    rows: list[QuestionSummary]

    @property
    def withheld(self) -> bool:
        return self.responses < self.k

    @property
    def mean(self) -> Decimal | None:
        """The mean of the questions' mean scores."""
        means = [row.mean for row in self.rows if row.mean is not None]
        if not means:
            return None
        return (sum(means, Decimal(0)) / len(means)).quantize(CENT, rounding=ROUND_HALF_UP)


def summary(event: Event) -> Summary | None:
    """The evaluation's responses, and per single-choice or Likert question (free text is left
    to the survey's own export and its rules) the answers' distribution and mean score; no
    question is summarised while there are fewer responses than the wave's smallest group."""
    wave = event.evaluation
    if wave is None:
        return None
    vectors = [
        Response.unpack(a)
        for a in Response.objects.filter(wave=wave).values_list("answers", flat=True)
    ]
    result = Summary(wave=wave, responses=len(vectors), k=wave.min_group_size, rows=[])
    if result.withheld:
        return result
    questions = (
        Question.objects.filter(version=wave.version, slot__isnull=False)
        .exclude(type="multiple")
        .select_related("section")
        .prefetch_related("choices")
        .order_by("section__order", "order", "code")
    )
    for number, question in enumerate(questions, start=1):
        slot = question.slot
        assert slot is not None  # filtered above
        choices = sorted(question.choices.all(), key=lambda c: (c.order, c.code))
        picked = [v[slot] for v in vectors if len(v) > slot and v[slot]]
        counts = [sum(1 for p in picked if p == i) for i in range(1, len(choices) + 1)]
        scores = [choices[p - 1].score for p in picked if 0 < p <= len(choices)]
        scored = [s for s in scores if s is not None]
        mean = (
            (sum(scored, Decimal(0)) / len(scored)).quantize(CENT, rounding=ROUND_HALF_UP)
            if scored
            else None
        )
        result.rows.append(
            QuestionSummary(
                number=number,
                text=question.text("text"),
                answered=len(picked),
                mean=mean,
                choices=[
                    ChoiceCount(
                        label=choice.text("label"),
                        count=n,
                        share=(Decimal(100) * n / len(picked)).quantize(
                            Decimal("0.1"), rounding=ROUND_HALF_UP
                        )
                        if picked
                        else Decimal(0),
                    )
                    for choice, n in zip(choices, counts, strict=True)
                ],
            )
        )
    return result
