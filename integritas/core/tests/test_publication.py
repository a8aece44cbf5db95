"""The shared decision to publish on the portal (``core.models.PublicationDecision``, its two
constraints, and ``core/services/publication.py``): one live publication at most of each thing,
taking one down needs a reason and keeps the row, each step writes the audit event its caller names
and retires the page cache its caller names. Exercised through one concrete table (a year's
gratification statistics); every app's publications use the same code."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from integritas.assessments.models import ResultPublication
from integritas.audit.models import Event
from integritas.core.models import PublicationDecision, publication_constraints
from integritas.core.services import publication
from integritas.portal.models import Publication
from integritas.prevention.models import LhkpnPublication, StatisticsPublication

pytestmark = pytest.mark.django_db

EVENT = "prevention.statistics_published"
TAKEN_DOWN = "prevention.statistics_unpublished"


def _publish(by: Any, year: int = 2025, **kwargs: Any) -> StatisticsPublication:
    return publication.publish(
        StatisticsPublication,
        key={"year": year},
        by=by,
        event=EVENT,
        changes={"year": [None, year]},
        **kwargs,
    )


def _unpublish(by: Any, reason: str, year: int = 2025, **kwargs: Any) -> StatisticsPublication:
    return publication.unpublish(
        StatisticsPublication,
        key={"year": year},
        by=by,
        reason=reason,
        event=TAKEN_DOWN,
        changes={"year": [year, None]},
        **kwargs,
    )


def test_publishing_makes_a_live_row_and_writes_the_named_event(world: Any) -> None:
    made = _publish(world.inspector, object_label="2025")
    assert made.is_live and made.published_by == world.inspector and made.published_at
    assert list(StatisticsPublication.objects.live()) == [made]
    event = Event.objects.get(action=EVENT)
    assert event.object_id == str(made.pk) and event.object_label == "2025"
    assert event.changes == {"year": [None, 2025]}


def test_a_second_live_publication_of_the_same_thing_is_refused(world: Any) -> None:
    _publish(world.inspector)
    with pytest.raises(ValidationError) as refused:
        _publish(world.inspector)
    assert refused.value.messages == ["This is already published."]
    assert StatisticsPublication.objects.count() == 1
    assert Event.objects.filter(action=EVENT).count() == 1
    _publish(world.inspector, year=2024)  # another year is another thing
    assert StatisticsPublication.objects.live().count() == 2


def test_the_database_refuses_a_second_live_publication(world: Any) -> None:
    StatisticsPublication.objects.create(year=2025, published_by=world.inspector)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatisticsPublication.objects.create(year=2025, published_by=world.inspector)


def test_unpublishing_without_a_reason_is_refused_and_changes_nothing(world: Any) -> None:
    _publish(world.inspector)
    for blank in ("", "   ", None):
        with pytest.raises(ValidationError) as refused:
            _unpublish(world.inspector, blank)  # type: ignore[arg-type]
        assert refused.value.message_dict == {"reason": ["Say why it is taken off the portal."]}
    assert StatisticsPublication.objects.live().count() == 1
    assert not Event.objects.filter(action=TAKEN_DOWN).exists()


def test_the_database_refuses_a_take_down_without_a_reason(world: Any) -> None:
    made = StatisticsPublication.objects.create(year=2025, published_by=world.inspector)
    made.unpublished_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        made.save()


def test_unpublishing_keeps_the_row_with_who_when_and_why(world: Any) -> None:
    _publish(world.inspector)
    taken = _unpublish(world.inspector_general, "  Data dikoreksi ")
    taken.refresh_from_db()
    assert not taken.is_live and taken.unpublished_at
    assert taken.unpublished_by == world.inspector_general
    assert taken.unpublish_reason == "Data dikoreksi"
    event = Event.objects.get(action=TAKEN_DOWN)
    assert event.reason == "Data dikoreksi" and event.changes == {"year": [2025, None]}
    again = _publish(world.inspector)  # publishing again makes a new row
    assert again.pk != taken.pk and StatisticsPublication.objects.count() == 2


def test_unpublishing_what_is_not_live_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        _unpublish(world.inspector, "Salah")
    assert refused.value.messages == ["This is not published."]


def test_the_event_names_the_subject_the_caller_gives_and_the_cache_is_retired(
    world: Any,
) -> None:
    retired: list[str] = []
    subject = world.dinkes
    _publish(world.inspector, subject=subject, retire=lambda: retired.append("published"))
    _unpublish(world.inspector, "Salah", subject=subject, retire=lambda: retired.append("down"))
    assert retired == ["published", "down"]
    events = Event.objects.filter(action__in=[EVENT, TAKEN_DOWN])
    assert {(e.object_type, e.object_id) for e in events} == {("core.unit", str(subject.pk))}


def test_a_refused_decision_retires_no_cache(world: Any) -> None:
    retired: list[str] = []
    _publish(world.inspector)
    with pytest.raises(ValidationError):
        _publish(world.inspector, retire=lambda: retired.append("published"))
    with pytest.raises(ValidationError):
        _unpublish(world.inspector, "", retire=lambda: retired.append("down"))
    assert retired == []


def test_the_constraints_keep_the_names_they_are_given() -> None:
    made = publication_constraints(
        reason="x_unpublishing_has_a_reason",
        live={"wave": "x_one_live_per_wave", "evidence": "x_one_live_per_evidence"},
    )
    assert [c.name for c in made] == [
        "x_unpublishing_has_a_reason",
        "x_one_live_per_wave",
        "x_one_live_per_evidence",
    ]
    check, *unique = made
    assert isinstance(check, models.CheckConstraint)
    assert all(
        isinstance(c, models.UniqueConstraint)
        and c.condition == models.Q(unpublished_at__isnull=True)
        for c in unique
    )


@pytest.mark.parametrize(
    "model", [Publication, StatisticsPublication, LhkpnPublication, ResultPublication]
)
def test_every_publication_table_is_a_decision_with_both_rules(model: Any) -> None:
    assert issubclass(model, PublicationDecision)
    names = {c.name for c in model._meta.constraints}
    assert any(name.endswith("unpublishing_has_a_reason") for name in names)
    assert any("one_live" in name for name in names)
    assert hasattr(model.objects, "live")
