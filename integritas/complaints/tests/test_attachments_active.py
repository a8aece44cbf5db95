"""The copy a handler opens runs nothing and calls nowhere: a PDF's scripts, actions on opening,
outside links and embedded files, an Office file's relationships to outside files (a remote
template, a picture on a server) and an OpenDocument's macros are removed, and the handler is
told so."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from integritas.complaints.models import Attachment
from integritas.complaints.services import attachments
from integritas.complaints.services.attachments import Upload
from integritas.complaints.tests.conftest import Desk
from integritas.complaints.tests.helpers import submit
from integritas.core.testing import PASSWORD, client_for
from integritas.lib import files

pytestmark = pytest.mark.django_db

SPY = "https://spy.example.net/ping"


def action(kind: str, **entries: str) -> DictionaryObject:
    made = DictionaryObject({NameObject("/S"): NameObject(kind)})
    for key, value in entries.items():
        made[NameObject(f"/{key}")] = TextStringObject(value)
    return made


def link(page: int, act: DictionaryObject) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([NumberObject(n) for n in (10, 10, 50, 50)]),
            NameObject("/A"): act,
        }
    )


def active_pdf() -> bytes:
    """Two pages carrying every kind of active content, and one harmless jump to page 2."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_blank_page(200, 200)
    writer.add_attachment("secret.txt", b"EMBEDDED-MARKER")  # /Names /EmbeddedFiles
    root = writer.root_object
    script = action("/JavaScript", JS=f"app.launchURL('{SPY}');")
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("js"), script])})
    root["/Names"].get_object()[NameObject("/JavaScript")] = tree
    root[NameObject("/OpenAction")] = action("/JavaScript", JS="this.submitForm('x');")
    root[NameObject("/AA")] = DictionaryObject({NameObject("/WC"): action("/URI", URI=SPY)})
    first = writer.pages[0]
    first[NameObject("/AA")] = DictionaryObject({NameObject("/O"): action("/URI", URI=SPY)})
    writer.add_annotation(0, Link(rect=(10, 10, 50, 50), url=SPY))
    writer.add_annotation(0, link(0, action("/Launch", F="C:\\Windows\\calc.exe")))
    writer.add_annotation(0, link(0, action("/GoToR", F="\\\\server\\share\\other.pdf")))
    writer.add_annotation(0, Link(rect=(60, 60, 90, 90), target_page_index=1))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def actions_of(reader: PdfReader) -> list[str]:
    kinds = []
    for page in reader.pages:
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/A" in annotation:
                kinds.append(str(annotation["/A"].get_object()["/S"]))
            elif "/Dest" in annotation:
                kinds.append("/Dest")  # a jump inside the document, without an action
    return kinds


def test_a_pdf_copy_keeps_no_script_action_outside_link_or_embedded_file() -> None:
    original = active_pdf()
    before = PdfReader(io.BytesIO(original))
    assert "/OpenAction" in before.root_object and "/AA" in before.pages[0]
    assert {"/URI", "/Launch", "/GoToR", "/Dest"} <= set(actions_of(before))
    cleaned = attachments.strip_metadata(original, files.PDF)
    assert cleaned.content is not None
    copy = PdfReader(io.BytesIO(cleaned.content))
    root = copy.root_object
    assert "/OpenAction" not in root and "/AA" not in root
    names = root.get("/Names")
    names = names.get_object() if names is not None else {}
    assert "/JavaScript" not in names and "/EmbeddedFiles" not in names
    assert all("/AA" not in page for page in copy.pages)
    assert actions_of(copy) == ["/Dest"]  # the jump inside the document stays
    assert b"EMBEDDED-MARKER" not in cleaned.content and SPY.encode() not in cleaned.content
    assert len(copy.pages) == 2
    assert cleaned.status == Attachment.Stripping.STRIPPED
    assert cleaned.stripped[1:] == [  # after the document information
        "scripts and actions run when the document is opened or read",
        "links that open web addresses, programs or other files",
        "files embedded in the document",
    ]


def test_a_plain_pdf_has_nothing_active_to_report() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    out = io.BytesIO()
    writer.write(out)
    cleaned = attachments.strip_metadata(out.getvalue(), files.PDF)
    assert cleaned.stripped == ["document information (author, creator, dates, title)"]


RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_calling_out() -> bytes:
    """A Word file with a remote template (a UNC path), a picture on a web server and an
    internal picture."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>isi laporan</w:document>")
        archive.writestr(
            "word/_rels/settings.xml.rels",
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_RELS}/attachedTemplate" Target="file:///\\\\10.0.0.5\\share\\t.dotm" '
            'TargetMode="External"/></Relationships>',
        )
        archive.writestr(
            "word/_rels/document.xml.rels",
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId2" Type="{OFFICE_RELS}/image" Target="{SPY}" '
            'TargetMode="External"/>'
            f'<Relationship Id="rId3" Type="{OFFICE_RELS}/image" Target="media/image1.png"/>'
            "</Relationships>",
        )
    return out.getvalue()


def test_a_word_copy_keeps_no_relationship_to_outside_files() -> None:
    original = docx_calling_out()
    cleaned = attachments.strip_metadata(original, files.sniff(io.BytesIO(original)))  # type: ignore[arg-type]
    assert cleaned.content is not None
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(b'TargetMode="External"' in data for data in parts.values())
    assert not any(b"10.0.0.5" in data or SPY.encode() in data for data in parts.values())
    assert b'Target="media/image1.png"' in parts["word/_rels/document.xml.rels"]  # kept
    assert parts["word/document.xml"] == b"<w:document>isi laporan</w:document>"
    assert cleaned.status == Attachment.Stripping.STRIPPED
    assert cleaned.stripped == [
        "links to files or web addresses outside the document (templates, pictures, links), "
        "which would be fetched when it is opened"
    ]


ODF_PLAIN = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
)


def test_an_opendocument_copy_leaves_its_macros_out() -> None:
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="x"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODF_PLAIN)
        archive.writestr("Basic/Standard/Module1.xml", 'Shell("calc.exe")')
        archive.writestr("META-INF/manifest.xml", manifest)
    cleaned = attachments.strip_metadata(out.getvalue(), files.ODF[
        "application/vnd.oasis.opendocument.text"
    ])  # fmt: skip
    assert cleaned.content is not None
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        assert archive.namelist() == ["mimetype", "content.xml", "META-INF/manifest.xml"]
        kept = archive.read("META-INF/manifest.xml")
    assert b"Basic/" not in kept and b'manifest:full-path="content.xml"' in kept
    assert cleaned.stripped == ["macros and scripts"]


ODF_CONTENT = (
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink" '
    'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0">'
    "<office:scripts><office:event-listeners><script:event-listener "
    'script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main"/>'
    "</office:event-listeners></office:scripts>"
    f'<office:body><draw:frame><draw:image xlink:href="{SPY}"/></draw:frame>'
    '<draw:frame><draw:image xlink:href="Pictures/inside.png"/></draw:frame></office:body>'
    "</office:document-content>"
)


def test_an_opendocument_copy_loses_event_macros_and_pictures_fetched_from_outside() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", ODF_CONTENT)
    cleaned = attachments.strip_metadata(out.getvalue(), files.ODF[
        "application/vnd.oasis.opendocument.text"
    ])  # fmt: skip
    assert cleaned.content is not None
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        content = archive.read("content.xml")
    assert SPY.encode() not in content and b"event-listener" not in content
    assert b'<draw:image xlink:href="Pictures/inside.png"' in content  # prefixes kept
    assert b"<office:body>" in content
    assert set(cleaned.stripped) == {
        "macros and scripts",
        "links to files or web addresses outside the document (templates, pictures, links), "
        "which would be fetched when it is opened",
    }


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
