"""Files for handlers: the copy without metadata by default, the original only on explicit request,
recorded in the audit trail."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image
from pypdf import PdfWriter

from integritas.audit.models import Event
from integritas.complaints.models import Attachment
from integritas.complaints.services.attachments import Upload
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import photo_with_gps, submit
from integritas.core.testing import PASSWORD, client_for

pytestmark = pytest.mark.django_db


def unlocked(user: object) -> Client:
    client = client_for(user)  # type: ignore[arg-type]
    client.post(reverse("complaints-key-unlock"), {"password": PASSWORD})
    return client


def with_photo(desk: Desk) -> Attachment:
    report, _receipt = submit(
        desk.world.disdik, attachments=[Upload("IMG_2041.jpg", photo_with_gps("MARKER-77"))]
    )
    return Attachment.objects.get(report=report)


def test_the_handler_downloads_the_photo_without_gps(desk: Desk) -> None:
    attachment = with_photo(desk)
    client = unlocked(desk.handler)
    page = client.get(reverse("complaints-report", args=[attachment.report.public_id]))
    with translation.override("id"):  # the page is in Indonesian; the label is translated
        told = gettext("GPS location")
    assert told != "GPS location"
    assert told in page.content.decode()  # told what was removed
    assert "IMG_2041.jpg" in page.content.decode()
    response = client.get(reverse("complaints-attachment", args=[attachment.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "IMG_2041" not in response["Content-Disposition"]  # a neutral file name
    image = Image.open(io.BytesIO(response.content))
    assert not image.getexif().get_ifd(0x8825)
    assert b"MARKER-77" not in response.content
    assert not Event.objects.filter(action="complaints.original_opened").exists()


def test_the_original_needs_a_confirmed_post_and_is_recorded(desk: Desk) -> None:
    attachment = with_photo(desk)
    client = unlocked(desk.handler)
    url = reverse("complaints-attachment-original", args=[attachment.public_id])
    assert client.get(url).status_code == 405
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 302
    assert not Event.objects.filter(action="complaints.original_opened").exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 200
    assert b"MARKER-77" in response.content
    image = Image.open(io.BytesIO(response.content))
    assert image.getexif().get_ifd(0x8825)
    event = Event.objects.get(action="complaints.original_opened")
    assert event.changes == {"attachment": [None, str(attachment.public_id)]}


def test_a_file_that_cannot_be_cleaned_is_served_as_sent_and_flagged(desk: Desk) -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "M-1"})
    writer.encrypt("rahasia")  # needs a password to be read: no clean copy can be made
    locked = io.BytesIO()
    writer.write(locked)
    report, _receipt = submit(desk.world.disdik, attachments=[Upload("a.pdf", locked.getvalue())])
    attachment = Attachment.objects.get(report=report)
    desk.handler.language = "en"
    desk.handler.save(update_fields=["language"])
    client = unlocked(desk.handler)
    page = client.get(reverse("complaints-report", args=[report.public_id])).content.decode()
    assert "Not checked for this type of file" in page
    response = client.get(reverse("complaints-attachment", args=[attachment.public_id]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content == locked.getvalue()


def test_an_excluded_handler_and_a_custodian_get_no_file(desk: Desk) -> None:
    report, _receipt = submit(
        desk.world.dinkes,
        identity={"name": "X"},
        attachments=[Upload("p.jpg", photo_with_gps())],
    )
    attachment = Attachment.objects.get(report=report)
    url = reverse("complaints-attachment", args=[attachment.public_id])
    assert unlocked(desk.handler_in_dinkes).get(url).status_code == 404
    assert unlocked(desk.custodian).get(url).status_code == 404
