"""Citizens' feedback: what is received (and what is refused with nothing stored), moderation
by the Inspectorate, the unit's one answer, the tally and the flag that many "no" answers
raise."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image

from integritas.audit.models import Event
from integritas.core.testing import World
from integritas.core.workflow import TransitionError
from integritas.followup.models import ActionPlan, Feedback, Tally, flagged_plans
from integritas.followup.services import feedback as services
from integritas.followup.testing import running_plan
from integritas.followup.tests.feedback_photos import (
    CAMERA,
    PDF_NAMED_JPG,
    jpeg_with_gps,
    png,
    png_claiming,
)

pytestmark = pytest.mark.django_db


def _send(plan: ActionPlan, seen: str = "no", comment: str = "Belum ada papan informasi", **kw):  # type: ignore[no-untyped-def]
    return services.submit(plan=plan, seen=seen, comment=comment, **kw)


def test_feedback_is_received_waiting_for_moderation(world: World) -> None:
    plan = running_plan(world)
    item = _send(plan, "partly", "  Baru sebagian terpasang  ")
    assert item.status == Feedback.Status.PENDING
    assert item.comment == "Baru sebagian terpasang"
    assert not item.photo
    # Receiving is anonymous: no audit event dates the citizen's visit.
    assert not Event.objects.filter(action__startswith="feedback.").exists()


@pytest.mark.parametrize(
    ("seen", "comment", "field"),
    [
        ("maybe", "Komentar", "seen"),
        ("yes", "", "comment"),
        ("yes", "   \n ", "comment"),
        ("yes", "x" * 1001, "comment"),
    ],
)
def test_a_bad_answer_or_comment_is_refused_and_nothing_is_stored(
    world: World, seen: str, comment: str, field: str
) -> None:
    plan = running_plan(world)
    with pytest.raises(ValidationError) as refused:
        _send(plan, seen, comment)
    assert field in refused.value.message_dict
    assert not Feedback.objects.exists()


def test_a_comment_of_exactly_the_maximum_length_is_received(world: World) -> None:
    assert _send(running_plan(world), "yes", "x" * 1000).pk


def test_line_breaks_count_as_one_character_as_the_browser_counts_them(world: World) -> None:
    item = _send(running_plan(world), "yes", "ab\r\n" * 250)  # 1,000 characters in a browser
    assert item.comment == ("ab\n" * 250).strip()


def test_the_same_comment_sent_again_is_refused(world: World) -> None:
    plan = running_plan(world)
    _send(plan, "no", "Jalan masih rusak")
    with pytest.raises(ValidationError) as refused:
        _send(plan, "yes", "  JALAN masih   rusak ")
    assert "already received" in " ".join(refused.value.message_dict["comment"])
    assert Feedback.objects.count() == 1


def test_a_photo_loses_its_gps_position_and_camera_and_is_stored_as_a_real_file(
    world: World,
) -> None:
    original = jpeg_with_gps()
    assert CAMERA.encode() in original
    item = _send(running_plan(world), photo=original)
    stored = Path(item.photo.path).read_bytes()
    assert Path(item.photo.path).is_file()
    assert item.photo_type == "image/jpeg"
    assert CAMERA.encode() not in stored and b"dibuat di rumah" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()
    assert "comment" not in image.info and "exif" not in image.info
    assert image.size == (64, 48)


def test_a_png_photo_is_kept_as_png(world: World) -> None:
    item = _send(running_plan(world), photo=png())
    assert item.photo_type == "image/png"
    assert Image.open(item.photo.path).format == "PNG"


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (PDF_NAMED_JPG, "JPEG, PNG or WebP"),
        (b"\xff\xd8\xff\xe0 not really a jpeg at all", "damaged"),
        (b"GIF89a" + b"\0" * 40, "JPEG, PNG or WebP"),
    ],
)
def test_a_disguised_or_damaged_photo_is_refused_and_nothing_is_stored(
    world: World, content: bytes, words: str, settings: object
) -> None:
    with pytest.raises(ValidationError) as refused:
        _send(running_plan(world), photo=content)
    assert words in " ".join(refused.value.message_dict["photo"])
    assert not Feedback.objects.exists()
    media = Path(settings.MEDIA_ROOT) / "feedback"  # type: ignore[attr-defined]
    assert not media.exists() or not any(media.rglob("*"))


def test_an_oversized_photo_is_refused(world: World, settings: object) -> None:
    settings.FOLLOWUP_FEEDBACK_PHOTO_MAX_MB = 1  # type: ignore[attr-defined]
    with pytest.raises(ValidationError) as refused:
        _send(running_plan(world), photo=jpeg_with_gps() + b"\0" * (1024 * 1024))
    assert "larger than 1 MB" in " ".join(refused.value.message_dict["photo"])
    assert not Feedback.objects.exists()


def test_a_photo_with_too_many_pixels_is_refused_before_it_is_decoded(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "PHOTO_MAX_PIXELS", 100)
    with pytest.raises(ValidationError) as refused:
        _send(running_plan(world), photo=png((20, 20)))
    assert "too many pixels" in " ".join(refused.value.message_dict["photo"])


@pytest.mark.parametrize("size", [(8_000, 6_000), (20_000, 20_000)])
def test_a_photo_claiming_huge_dimensions_is_refused_without_decoding_it(
    world: World, size: tuple[int, int]
) -> None:
    with pytest.raises(ValidationError) as refused:
        _send(running_plan(world), photo=png_claiming(*size))
    assert "too many pixels" in " ".join(refused.value.message_dict["photo"])
    assert not Feedback.objects.exists()


def test_a_large_photo_is_scaled_down(world: World) -> None:
    item = _send(running_plan(world), photo=png((3000, 1000)))
    assert Image.open(item.photo.path).size == (2048, 683)


def test_the_inspectorate_approves_and_hides_with_a_reason_and_both_are_audited(
    world: World,
) -> None:
    item = _send(running_plan(world))
    services.moderate(feedback=item, step="approve", by=world.inspector)
    item.refresh_from_db()
    assert item.status == Feedback.Status.APPROVED and item.moderated_by == world.inspector
    approved = Event.objects.get(action="feedback.approve")
    assert approved.object_type == "followup.feedback" and approved.actor == world.inspector
    assert approved.changes["status"] == ["pending", "approved"]
    with pytest.raises(TransitionError) as refused:
        services.moderate(feedback=item, step="hide", by=world.inspector_general, reason=" ")
    assert refused.value.code == "reason"
    services.moderate(
        feedback=item, step="hide", by=world.inspector_general, reason="Menyebut nama orang"
    )
    item.refresh_from_db()
    assert item.status == Feedback.Status.HIDDEN and item.hide_reason == "Menyebut nama orang"
    assert Event.objects.get(action="feedback.hide").reason == "Menyebut nama orang"


def test_approving_twice_is_refused(world: World) -> None:
    item = _send(running_plan(world))
    services.moderate(feedback=item, step="approve", by=world.inspector)
    with pytest.raises(TransitionError) as refused:
        services.moderate(feedback=item, step="approve", by=world.inspector)
    assert refused.value.code == "state"


@pytest.mark.parametrize("who", ["head_a", "officer_a", "leader", "admin", "officer_b"])
def test_only_the_inspectorate_moderates(world: World, who: str) -> None:
    item = _send(running_plan(world))
    with pytest.raises(TransitionError) as refused:
        services.moderate(feedback=item, step="approve", by=getattr(world, who))
    assert refused.value.code == "role"
    item.refresh_from_db()
    assert item.status == Feedback.Status.PENDING
    assert not Event.objects.filter(action__startswith="feedback.").exists()


def test_the_unit_answers_approved_feedback_once_and_it_is_audited(world: World) -> None:
    item = _send(running_plan(world))
    with pytest.raises(ValidationError):  # not approved yet
        services.answer(feedback=item, by=world.head_a, text="Sedang kami kerjakan")
    item = services.moderate(feedback=item, step="approve", by=world.inspector)
    assert services.can_answer(world.officer_a, item) is True
    services.answer(feedback=item, by=world.officer_a, text="  Papan dipasang minggu depan ")
    item.refresh_from_db()
    assert item.answer == "Papan dipasang minggu depan" and item.answered_by == world.officer_a
    event = Event.objects.get(action="feedback.answered")
    assert event.actor == world.officer_a
    with pytest.raises(ValidationError):
        services.answer(feedback=item, by=world.head_a, text="Jawaban kedua")
    assert services.can_answer(world.head_a, item) is False
    assert services.can_answer(world.officer_b, item) is False


@pytest.mark.parametrize("who", ["inspector", "leader", "officer_b", "nobody", "admin"])
def test_nobody_but_the_unit_that_owns_the_action_answers(world: World, who: str) -> None:
    item = _send(running_plan(world))
    services.moderate(feedback=item, step="approve", by=world.inspector)
    with pytest.raises(PermissionDenied):
        services.answer(feedback=item, by=getattr(world, who), text="Bukan unit pemilik")
    item.refresh_from_db()
    assert item.answer == ""
    assert not Event.objects.filter(action="feedback.answered").exists()


def test_an_empty_or_too_long_answer_is_refused(world: World) -> None:
    item = _send(running_plan(world))
    services.moderate(feedback=item, step="approve", by=world.inspector)
    for text in ("  ", "x" * 2001):
        with pytest.raises(ValidationError):
            services.answer(feedback=item, by=world.head_a, text=text)
    item.refresh_from_db()
    assert item.answer == ""


def _votes(plan: ActionPlan, **counts: int) -> list[Feedback]:
    made = []
    for seen, n in counts.items():
        for i in range(n):
            made.append(_send(plan, seen, f"{seen} {i}"))
    return made


def test_the_tally_counts_every_vote_that_is_not_hidden(world: World) -> None:
    plan = running_plan(world)
    made = _votes(plan, yes=2, partly=1, no=3)
    services.moderate(feedback=made[0], step="approve", by=world.inspector)
    services.moderate(feedback=made[-1], step="hide", by=world.inspector, reason="Kasar")
    assert services.tally(plan) == Tally(yes=2, partly=1, no=2)
    assert services.tallies([plan.pk]) == {plan.pk: Tally(yes=2, partly=1, no=2)}


def test_many_no_answers_flag_the_action_from_the_threshold_when_more_than_half(
    world: World, settings: object
) -> None:
    settings.FOLLOWUP_FEEDBACK_FLAG_NO_VOTES = 3  # type: ignore[attr-defined]
    plan = running_plan(world)
    plans = ActionPlan.objects.all()
    _votes(plan, no=2, yes=1)
    assert not services.tally(plan).flagged and not flagged_plans(plans).exists()
    third = _send(plan, "no", "no 3")
    assert services.tally(plan).flagged
    assert list(flagged_plans(plans)) == [plan]
    _votes(plan, partly=2)  # 3 "no" of 6 votes: not more than half
    assert not services.tally(plan).flagged and not flagged_plans(plans).exists()
    services.moderate(feedback=third, step="hide", by=world.inspector, reason="Spam")
    assert services.tally(plan) == Tally(yes=1, partly=2, no=2)
