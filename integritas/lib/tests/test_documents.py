"""One cleaner for every uploaded document (``lib/documents.py``): a copy that runs nothing and
calls nowhere (a PDF's scripts, actions on opening, outside links and embedded files; an Office
file's relationships to outside files, such as a remote template or a picture on a server; an
OpenDocument's macros), without document properties (author, company) or a photo's metadata, and
a list of what was removed."""

from __future__ import annotations

import io
import zipfile

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from integritas.lib import documents, files
from integritas.lib.tests.test_files import zip_bytes

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
    cleaned = documents.clean(original, files.PDF)
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
    assert cleaned.status == documents.STRIPPED
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
    cleaned = documents.clean(out.getvalue(), files.PDF)
    assert cleaned.stripped == ["document information (author, creator, dates, title)"]


RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_calling_out() -> bytes:
    """A Word file with a remote template (a UNC path), a picture on a web server and an
    internal picture."""
    return zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "word/document.xml": "<w:document>isi laporan</w:document>",
            "word/_rels/settings.xml.rels": f'<Relationships xmlns="{RELS}"><Relationship '
            f'Id="rId1" Type="{OFFICE_RELS}/attachedTemplate" '
            'Target="file:///\\\\10.0.0.5\\share\\t.dotm" TargetMode="External"/>'
            "</Relationships>",
            "word/_rels/document.xml.rels": f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId2" Type="{OFFICE_RELS}/image" Target="{SPY}" '
            'TargetMode="External"/>'
            f'<Relationship Id="rId3" Type="{OFFICE_RELS}/image" Target="media/image1.png"/>'
            "</Relationships>",
        }
    )


def test_a_word_copy_keeps_no_relationship_to_outside_files() -> None:
    original = docx_calling_out()
    cleaned = documents.clean(original, files.sniff(io.BytesIO(original)))  # type: ignore[arg-type]
    assert cleaned.content is not None
    with zipfile.ZipFile(io.BytesIO(cleaned.content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    assert not any(b'TargetMode="External"' in data for data in parts.values())
    assert not any(b"10.0.0.5" in data or SPY.encode() in data for data in parts.values())
    assert b'Target="media/image1.png"' in parts["word/_rels/document.xml.rels"]  # kept
    assert parts["word/document.xml"] == b"<w:document>isi laporan</w:document>"
    assert cleaned.status == documents.STRIPPED
    assert cleaned.stripped == [
        "links to files or web addresses outside the document (templates, pictures, links), "
        "which would be fetched when it is opened"
    ]


ODT = "application/vnd.oasis.opendocument.text"
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
    cleaned = documents.clean(out.getvalue(), files.ODF[
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
    original = zip_bytes({"mimetype": ODT, "content.xml": ODF_CONTENT})
    cleaned = documents.clean(original, files.ODF[
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


def test_an_office_copy_keeps_no_author_or_company() -> None:
    original = zip_bytes(
        {
            "[Content_Types].xml": "<Types/>",
            "xl/workbook.xml": "<workbook/>",
            "docProps/core.xml": "<cp:coreProperties><dc:creator>Siti</dc:creator>",
            "docProps/app.xml": "<Properties><Company>Dinas X</Company></Properties>",
        }
    )
    sniffed = files.sniff(io.BytesIO(original))
    assert sniffed is not None and sniffed.kind == "xlsx"
    cleaned = documents.clean(original, sniffed)
    assert cleaned.content is not None
    assert b"Siti" not in cleaned.content and b"Dinas X" not in cleaned.content
    assert cleaned.stripped == ["document properties (author, company, dates, title)"]
    assert (cleaned.content_type, cleaned.extension) == (sniffed.content_type, "xlsx")


def test_a_photo_copy_says_what_it_is_written_as() -> None:
    out = io.BytesIO()
    Image.new("RGB", (20, 10)).save(out, format="WEBP")
    cleaned = documents.clean(out.getvalue(), files.WEBP)
    assert cleaned.content is not None and cleaned.content.startswith(b"\x89PNG")
    assert (cleaned.content_type, cleaned.extension) == ("image/png", "png")
    assert cleaned.status == documents.NOTHING_FOUND


def test_a_legacy_office_file_is_not_copied() -> None:
    cleaned = documents.clean(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, files.OLE)
    assert cleaned.content is None and cleaned.status == documents.NOT_SUPPORTED
