"""A citizen's feedback on a published action, from the portal: sent without an account, with
a photo cleaned of its metadata; refused with a clear message and nothing stored for bad input,
a robot filling the honeypot, a form sent twice or too many posts from one network; approved
feedback and the unit's answer shown, pending and hidden feedback never."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from integritas.core.testing import World, client_for
from integritas.followup.models import ActionPlan, Feedback
from integritas.followup.services import feedback as services
from integritas.followup.tests.feedback_photos import CAMERA, PDF_NAMED_JPG, jpeg_with_gps
from integritas.portal.services import publishing
from integritas.portal.tests.stories import Story, story
from integritas.portal.tests.test_public_pages import _walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def _url(plan: ActionPlan) -> str:
    return reverse("portal-plan", args=[plan.recommendation.code, plan.unit.code])


def _token(client: Client, plan: ActionPlan) -> str:
    page = client.get(_url(plan))
    assert page.status_code == 200
    found = re.search(r'name="once" value="([0-9a-f]+)"', page.content.decode())
    assert found, "the form carries a one-time token"
    return found.group(1)


def _post(client: Client, plan: ActionPlan, **fields: Any) -> Any:
    data = {"seen": "no", "comment": "Papan informasi belum terpasang", "website": ""}
    data["once"] = _token(client, plan)
    data.update(fields)
    return client.post(_url(plan), data)


def test_a_citizen_sends_feedback_with_a_photo_without_an_account(world: World) -> None:
    s = story(world)
    client = Client()
    photo = SimpleUploadedFile("jalan.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = _post(client, s.plan, seen="partly", photo=photo)
    assert response.status_code == 200
    assert "Terima kasih" in response.content.decode()
    item = Feedback.objects.get()
    assert (item.plan, item.seen, item.status) == (s.plan, "partly", "pending")
    assert CAMERA.encode() not in Path(item.photo.path).read_bytes()
    assert "sessionid" not in response.cookies


def test_the_action_page_shows_the_evidence_and_the_form(world: World) -> None:
    s = story(world)
    page = Client().get(_url(s.plan)).content.decode()
    assert s.evidence.title in page
    assert reverse("portal-evidence", args=[s.evidence.public_id]) in page
    assert 'enctype="multipart/form-data"' in page and 'name="website"' in page
    assert "<script" not in page


def test_unit_and_recommendation_pages_link_to_the_action_page(world: World) -> None:
    s = story(world)
    for url in (
        reverse("portal-unit", args=[s.plan.unit.code]),
        reverse("portal-recommendation", args=[s.rec.code]),
    ):
        assert _url(s.plan) in Client().get(url).content.decode()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"comment": ""}, "Tulis komentar"),
        ({"comment": "x" * 1001}, "terlalu panjang"),
        ({"seen": ""}, "ya, sebagian, atau tidak"),
        ({"seen": "barangkali"}, "ya, sebagian, atau tidak"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_stored(
    world: World, fields: dict[str, str], words: str
) -> None:
    s = story(world)
    response = _post(Client(), s.plan, **fields)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_pdf_named_jpg_is_refused_and_the_form_can_be_sent_again(world: World) -> None:
    s = story(world)
    client = Client()
    token = _token(client, s.plan)
    disguised = SimpleUploadedFile("foto.jpg", PDF_NAMED_JPG, content_type="image/jpeg")
    data = {"seen": "no", "comment": "Tidak ada", "once": token, "photo": disguised}
    response = client.post(_url(s.plan), data)
    assert response.status_code == 400
    assert "JPEG, PNG, atau WebP" in response.content.decode()
    assert not Feedback.objects.exists()
    # Nothing was stored, so the token is given back: the corrected form goes through.
    again = client.post(_url(s.plan), {"seen": "no", "comment": "Tidak ada", "once": token})
    assert again.status_code == 200
    assert Feedback.objects.count() == 1


def test_an_oversized_photo_is_refused_and_nothing_is_stored(world: World, settings: Any) -> None:
    settings.FOLLOWUP_FEEDBACK_PHOTO_MAX_MB = 1
    s = story(world)
    big = SimpleUploadedFile("besar.jpg", jpeg_with_gps() + b"\0" * (2 << 20), "image/jpeg")
    response = _post(Client(), s.plan, photo=big)
    assert response.status_code == 400
    assert "lebih besar dari 1 MB" in response.content.decode()
    assert not Feedback.objects.exists()


def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(world: World) -> None:
    s = story(world)
    response = _post(Client(), s.plan, website="http://spam.example")
    assert response.status_code == 200
    assert not Feedback.objects.exists()


def test_the_same_form_sent_twice_stores_one_item(world: World) -> None:
    s = story(world)
    client = Client()
    data = {"seen": "yes", "comment": "Sudah terpasang", "once": _token(client, s.plan)}
    assert client.post(_url(s.plan), data).status_code == 200
    second = client.post(_url(s.plan), {**data, "comment": "Sudah terpasang rapi"})
    assert second.status_code == 409
    assert Feedback.objects.count() == 1


def test_a_form_without_its_token_stores_nothing(world: World) -> None:
    s = story(world)
    response = Client().post(_url(s.plan), {"seen": "yes", "comment": "Tanpa token"})
    assert response.status_code == 409
    assert not Feedback.objects.exists()


def test_the_same_comment_posted_again_is_refused(world: World) -> None:
    s = story(world)
    client = Client()
    assert _post(client, s.plan, comment="Jalan masih rusak").status_code == 200
    again = _post(client, s.plan, comment="jalan  MASIH rusak")
    assert again.status_code == 400
    assert "sudah diterima" in again.content.decode()
    assert Feedback.objects.count() == 1


def test_too_many_posts_from_one_network_are_refused(world: World, settings: Any) -> None:
    settings.FOLLOWUP_FEEDBACK_PER_HOUR = 2
    s = story(world)
    client = Client(REMOTE_ADDR="203.0.113.7")
    assert _post(client, s.plan, comment="satu").status_code == 200
    assert _post(client, s.plan, comment="dua").status_code == 200
    refused = _post(client, s.plan, comment="tiga")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert Feedback.objects.count() == 2
    # Another network is not held back.
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert _post(other, s.plan, comment="empat").status_code == 200


def test_an_unpublished_or_unknown_action_answers_404_and_takes_no_feedback(world: World) -> None:
    s = story(world)
    client = Client()
    for url in (
        _url(s.hidden_plan),
        reverse("portal-plan", args=[s.rec.code, "DISDIK"]),
        reverse("portal-plan", args=["TIDAK-ADA", "DINKES"]),
    ):
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"seen": "no", "comment": "x", "once": "ab" * 16}).status_code == 404
        )
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Ditinjau ulang")
    assert client.get(_url(s.plan)).status_code == 404
    assert not Feedback.objects.exists()


def _three(s: Story, world: World) -> tuple[Feedback, Feedback, Feedback]:
    approved = services.submit(
        plan=s.plan, seen="no", comment="Komentar disetujui", photo=jpeg_with_gps()
    )
    approved = services.moderate(feedback=approved, step="approve", by=world.inspector)
    services.answer(feedback=approved, by=world.head_a, text="Jawaban resmi unit")
    pending = services.submit(
        plan=s.plan, seen="yes", comment="Komentar menunggu", photo=jpeg_with_gps()
    )
    hidden = services.submit(
        plan=s.plan, seen="no", comment="Komentar disembunyikan", photo=jpeg_with_gps()
    )
    hidden = services.moderate(feedback=hidden, step="hide", by=world.inspector, reason="Kasar")
    return approved, pending, hidden


def test_approved_feedback_and_the_answer_show_pending_and_hidden_never(world: World) -> None:
    s = story(world)
    approved, pending, hidden = _three(s, world)
    page = Client().get(_url(s.plan)).content.decode()
    assert "Komentar disetujui" in page and "Jawaban resmi unit" in page
    assert reverse("portal-feedback-photo", args=[approved.public_id]) in page
    for secret in (pending, hidden):
        assert secret.comment not in page
        assert str(secret.public_id) not in page
    assert "Kasar" not in page
    # The tally counts every vote that is not hidden: one "yes" (pending), one "no" (approved).
    assert re.search(r"<strong>1</strong> ya", page) and re.search(
        r"<strong>1</strong> tidak", page
    )
    photo = Client().get(reverse("portal-feedback-photo", args=[approved.public_id]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert CAMERA.encode() not in photo.content
    for secret in (pending, hidden):
        url = reverse("portal-feedback-photo", args=[secret.public_id])
        assert Client().get(url).status_code == 404


def test_a_signed_in_officer_sees_the_public_page_as_the_public_does(world: World) -> None:
    s = story(world)
    _approved, pending, _hidden = _three(s, world)
    page = client_for(world.inspector).get(_url(s.plan)).content.decode()
    assert pending.comment not in page


def test_the_photo_of_an_item_whose_action_is_unpublished_is_gone(world: World) -> None:
    s = story(world)
    approved, _pending, _hidden = _three(s, world)
    url = reverse("portal-feedback-photo", args=[approved.public_id])
    assert Client().get(url).status_code == 200
    publishing.unpublish(obj=s.rec, by=world.inspector, reason="Ditinjau ulang")
    assert Client().get(url).status_code == 404


def test_the_anonymous_walk_finds_no_pending_or_hidden_feedback(world: World) -> None:
    s = story(world)
    approved, pending, hidden = _three(s, world)
    # Feedback on an unpublished action (sent before it was taken down), even approved.
    unseen = services.submit(
        plan=s.hidden_plan, seen="no", comment="Tindakan rahasia", photo=jpeg_with_gps()
    )
    unseen = services.moderate(feedback=unseen, step="approve", by=world.inspector)
    start = ["/", reverse("portal-home"), reverse("portal-tracker")]
    start += [reverse("portal-unit", args=[code]) for code in ("DINKES", "DISDIK", "DINKES.PKM")]
    pages = _walk(Client(), start)
    assert _url(s.plan) in pages
    assert reverse("portal-feedback-photo", args=[approved.public_id]) in pages
    everything = "\n".join(pages.values())
    assert approved.comment in everything
    for secret in (pending, hidden, unseen):
        assert secret.comment not in everything
        assert str(secret.public_id) not in everything
    assert hidden.hide_reason not in everything
    assert _url(s.hidden_plan) not in pages


def test_the_sitemap_lists_the_published_actions_pages(world: World) -> None:
    s = story(world)
    body = Client().get("/sitemap.xml").content.decode()
    assert f"http://testserver{_url(s.plan)}" in body
    assert _url(s.hidden_plan) not in body
