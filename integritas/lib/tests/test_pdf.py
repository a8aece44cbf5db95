"""PDF documents: letterhead, signature block, Indonesian dates, and no resource from outside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.test import override_settings

from integritas.core.models import Government
from integritas.lib import pdf

pytestmark = pytest.mark.django_db

# A 1×1 PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)


@pytest.fixture
def government() -> Government:
    return Government.objects.create(
        name="Pemerintah Kota Uji",
        address="Jalan Merdeka No. 1",
        phone="(021) 555-0100",
        email="inspektorat@uji.example",
        website="https://uji.example",
    )


def test_the_letterhead_shows_the_government_and_its_contacts(government: Government) -> None:
    html = pdf.render_html("pdf/base.html", {}, government=government)
    for text in (
        "Pemerintah Kota Uji",
        "Jalan Merdeka No. 1",
        "(021) 555-0100",
        "inspektorat@uji.example",
        "https://uji.example",
    ):
        assert text in html


@time_machine.travel(dt.datetime(2024, 5, 29, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_signature_block_prints_name_position_nip_and_an_indonesian_date(
    government: Government,
) -> None:
    signer = pdf.Signer(name="Dra. Endang", position="Inspektur Daerah", nip="197203021995022938")
    html = pdf.render_html(
        "pdf/base.html", {"signer": signer, "place": "Uji"}, government=government
    )
    assert "Dra. Endang" in html
    assert "Inspektur Daerah" in html
    assert "NIP. 197203021995022938" in html
    assert "Uji, 29 Mei 2024" in html


def test_without_a_signer_there_is_no_signature_block(government: Government) -> None:
    assert "NIP." not in pdf.render_html("pdf/base.html", {}, government=government)


def test_a_signer_comes_from_a_user_with_the_nip_grouped() -> None:
    class Person:
        nip = "197203021995022938"
        position = "Inspektur"

        def get_full_name(self) -> str:
            return "Endang"

    signer = pdf.Signer.from_user(Person())
    assert signer == pdf.Signer("Endang", "Inspektur", "19720302 199502 2 938")


def test_nips_are_grouped_only_when_they_have_eighteen_digits() -> None:
    assert pdf.format_nip("197203021995022938") == "19720302 199502 2 938"
    assert pdf.format_nip("12345") == "12345"
    assert pdf.format_nip(None) == ""


def test_a_document_renders_to_pdf(government: Government) -> None:
    content = pdf.render_pdf(
        "pdf/base.html", {"signer": pdf.Signer(name="Endang")}, government=government
    )
    assert content.startswith(b"%PDF")


def test_the_fetcher_refuses_remote_urls() -> None:
    fetcher = pdf.LocalFetcher()
    for url in ("https://example.com/logo.png", "http://127.0.0.1/x", "file:///etc/passwd"):
        with pytest.raises(pdf.RemoteResourceRefused):
            fetcher.fetch(url)


def test_a_remote_image_is_left_out_without_failing_the_document() -> None:
    html = '<html><body><img src="https://example.com/logo.png"><p>ok</p></body></html>'
    assert pdf.html_to_pdf(html).startswith(b"%PDF")


def test_static_files_are_served_from_disk() -> None:
    path = pdf.local_path(pdf.BASE_URL + "static/css/integritas.css")
    assert path is not None and path.name == "integritas.css"
    response = pdf.LocalFetcher().fetch(pdf.BASE_URL + "static/css/integritas.css")
    assert b"indices dashboards" in response.read()


def test_the_emblem_is_read_from_media_and_nothing_outside_it(
    government: Government, tmp_path: Path
) -> None:
    (tmp_path / "secret.txt").write_text("no")
    media = tmp_path / "media"
    media.mkdir()
    with override_settings(MEDIA_ROOT=media):
        government.emblem.save("emblem.png", ContentFile(PNG), save=True)
        head = pdf.letterhead(government)
        assert head["emblem_url"].startswith("/media/government/")
        assert pdf.local_path(pdf.BASE_URL + head["emblem_url"].lstrip("/")) is not None
        assert pdf.local_path(pdf.BASE_URL + "media/../secret.txt") is None
        assert pdf.local_path(pdf.BASE_URL + "media/%2e%2e/secret.txt") is None
        html = pdf.render_html("pdf/base.html", {}, government=government)
        assert head["emblem_url"] in html
        assert pdf.html_to_pdf(html).startswith(b"%PDF")


def test_a_document_rendered_into_a_file_has_the_bytes_of_the_one_rendered_whole(
    government: Government,
) -> None:
    with time_machine.travel(dt.datetime(2026, 5, 29, 9, tzinfo=dt.UTC), tick=False):
        whole = pdf.render_pdf("pdf/base.html", {}, government=government)
        with pdf.render_pdf_file("pdf/base.html", {}, government=government) as file:
            assert file.tell() == 0
            assert file.read() == whole
    assert file.closed and whole.startswith(b"%PDF")
