"""The copy a handler opens runs nothing and calls nowhere (the shared cleaner, tested in
``lib/tests/test_documents.py``), and the handler is told what was removed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from integritas.complaints.services.attachments import Upload
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.testing import PASSWORD, client_for
from integritas.lib.tests.test_documents import active_pdf, docx_calling_out

pytestmark = pytest.mark.django_db


def test_the_handler_is_told_what_active_content_was_removed(desk: Desk) -> None:
    report, _receipt = submit(
        desk.world.disdik,
        attachments=[Upload("a.pdf", active_pdf()), Upload("b.docx", docx_calling_out())],
    )
    client: Client = client_for(desk.handler)
    client.post(reverse("complaints-key-unlock"), {"password": PASSWORD})
    page = client.get(reverse("complaints-report", args=[report.public_id])).content.decode()
    with translation.override("id"):  # the page is in Indonesian; the labels are translated
        for label in (
            "scripts and actions run when the document is opened or read",
            "links that open web addresses, programs or other files",
            "files embedded in the document",
            "links to files or web addresses outside the document (templates, pictures, "
            "links), which would be fetched when it is opened",
        ):
            told = gettext(label)
            assert told != label
            assert told in page
