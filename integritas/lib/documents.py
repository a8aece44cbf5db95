"""Documents and photos cleaned of what they carry besides their content: one cleaner for every
file people upload (whistleblowing attachments, gratification reports' files, event materials).

``clean`` makes a copy of a sniffed file (``lib/files.py``):

- a photo is decoded in full (``lib/uploads.decode_image``) and only its pixels written into a new
  image: no EXIF (camera, GPS position, time), comment, colour profile or XMP survives;
- a PDF's pages are copied into a new file without its document information (author, creator,
  dates, title), its XMP metadata, and what runs or reaches out when it is opened (scripts,
  actions on opening, links to web addresses, programs or other files, embedded files);
- an Office (.docx, .xlsx, .pptx) or OpenDocument (.odt, .ods, .odp) file is rewritten member by
  member with its property parts emptied (author, company, dates, title), its relationships to
  anything outside the package removed and an OpenDocument's macros and scripts left out.

It says what it removed (``Cleaned.stripped``: English labels marked for translation, stored
as they are and translated when shown) and whether anything was found (``Cleaned.status``). A
file it cannot copy (a legacy Office file, a PDF that needs a password, a damaged document) gets
``NOT_SUPPORTED`` and no copy; each app decides whether to refuse it or keep the original.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.etree.ElementTree as ET  # noqa: N817 - the usual name
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, cast
from xml.sax.saxutils import quoteattr

from django.utils.translation import gettext_noop
from PIL import Image
from pypdf import PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

from integritas.lib import files, uploads

# What ``clean`` found: the values whistleblowing stores (``complaints.Attachment.Stripping``).
STRIPPED = "stripped"
NOTHING_FOUND = "nothing_found"
NOT_SUPPORTED = "not_supported"


@dataclass(frozen=True)
class Cleaned:
    """The clean copy (``None`` when this type cannot be copied), whether anything was found,
    what was removed, and the copy's type: a photo is written as JPEG (from a JPEG) or PNG,
    a document keeps its type."""

    content: bytes | None
    status: str
    stripped: list[str]
    content_type: str = ""
    extension: str = ""


# What was removed is stored (encrypted) in English and translated when shown, so the labels
# are marked for the catalogue here.
_EXIF_GROUPS = (
    (gettext_noop("GPS location"), {0x8825}),
    (gettext_noop("camera make, model and serial number"), {0x010F, 0x0110, 0xA431, 0xA434}),
    (gettext_noop("date and time"), {0x0132, 0x9003, 0x9004}),
    (gettext_noop("author, copyright and software"), {0x013B, 0x8298, 0x0131, 0x9C9D}),
)


def _described_metadata(image: Image.Image) -> list[str]:
    """What an image carries besides its pixels, in words a reader understands."""
    found: list[str] = []
    exif = image.getexif()
    tags = set(exif) | set(exif.get_ifd(0x8769))
    if exif.get_ifd(0x8825):
        tags.add(0x8825)
    for label, group in _EXIF_GROUPS:
        if tags & group:
            found.append(label)
            tags -= group
    tags -= {0x8769, 0x0112}  # the pointer to the sub-directory; orientation is applied instead
    if tags:
        found.append(gettext_noop("other EXIF data"))
    info = image.info
    if "icc_profile" in info:
        found.append(gettext_noop("colour profile"))
    if any(k in info for k in ("xmp", "XML:com.adobe.xmp")):
        found.append(gettext_noop("XMP metadata"))
    if "comment" in info:
        found.append(gettext_noop("comment"))
    text = getattr(image, "text", None) or {}
    if set(text) - {"XML:com.adobe.xmp"}:
        found.append(gettext_noop("text fields"))
    return found


# Office files keep their document properties in these zip members; the clean copy carries the
# same members emptied (removing them would leave references that make Office complain).
_EMPTY_PARTS = {
    "docProps/core.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
        b'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        b'xmlns:dcterms="http://purl.org/dc/terms/"/>'
    ),
    "docProps/app.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"/>'
    ),
    "docProps/custom.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"/>'
    ),
    "meta.xml": (  # OpenDocument
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-meta xmlns:office='
        b'"urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.2">'
        b"<office:meta/></office:document-meta>"
    ),
}
_OFFICE = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
_PROPERTIES = gettext_noop("document properties (author, company, dates, title)")
_EXTERNAL = gettext_noop(
    "links to files or web addresses outside the document (templates, pictures, links), which "
    "would be fetched when it is opened"
)
_MACROS = gettext_noop("macros and scripts")

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_MANIFEST_NS = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
# Where an OpenDocument file keeps its macros and scripts.
_ODF_SCRIPT_FOLDERS = ("Basic/", "Scripts/")


# A target that names a scheme (http:, file:, mailto:, a drive letter C:) or a network path.
_ADDRESS = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*:|\\\\|//)")


def _is_external(target: str, mode: str = "") -> bool:
    """A relationship or link that points outside the package: marked so, or written as an
    address."""
    return mode.strip().lower() not in ("", "internal") or bool(_ADDRESS.match(target))


def _parse(data: bytes) -> ET.Element:
    # Parts of an uploaded file, already capped in size; Python's expat refuses entity expansion
    # attacks and fetches nothing external.
    return ET.fromstring(data)  # noqa: S314


def _internal_relationships(data: bytes) -> tuple[bytes, bool]:
    """A ``.rels`` part without its relationships to anything outside the package, written anew
    (only what Office reads is kept), and whether any were removed."""
    root = _parse(data)
    kept: list[str] = []
    removed = False
    for element in root:
        target, mode = element.get("Target", ""), element.get("TargetMode", "")
        if element.tag != f"{{{_RELS_NS}}}Relationship" or _is_external(target, mode):
            removed = True
            continue
        attributes = {
            "Id": element.get("Id", ""),
            "Type": element.get("Type", ""),
            "Target": target,
        }
        kept.append(
            "<Relationship "
            + " ".join(f"{name}={quoteattr(value)}" for name, value in attributes.items())
            + "/>"
        )
    rewritten = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<Relationships xmlns="{_RELS_NS}">' + "".join(kept) + "</Relationships>"
    )
    return rewritten.encode(), removed


_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_ODF_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# Macros bound to events of the document, and scripts written into it.
_ODF_ACTIVE = {f"{{{_ODF_OFFICE}}}scripts", f"{{{_ODF_OFFICE}}}event-listeners"}


def _odf_without_active(data: bytes) -> tuple[bytes, set[str]]:
    """An OpenDocument content or styles part without its scripts and event macros, and without
    links to outside files or addresses (linked pictures, links); unchanged when it has none."""
    root = _parse(data)
    found: set[str] = set()
    for element in root.iter():
        for child in list(element):
            if child.tag in _ODF_ACTIVE:
                element.remove(child)
                found.add(_MACROS)
        href = element.get(_XLINK_HREF)
        if href is not None and (_is_external(href) or href.lstrip().startswith("..")):
            del element.attrib[_XLINK_HREF]
            found.add(_EXTERNAL)
    if not found:
        return data, found
    # Written again with the prefixes it had (readers go by the namespaces, people by prefixes).
    for _event, declared in ET.iterparse(io.BytesIO(data), events=("start-ns",)):  # noqa: S314
        prefix, uri = cast(tuple[str, str], declared)
        if prefix and not re.fullmatch(r"ns\d+", prefix):
            ET.register_namespace(prefix, uri)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True), found


def _manifest_without(data: bytes, dropped: set[str]) -> bytes:
    """An OpenDocument manifest without the entries of ``dropped`` members (and their folders)."""
    root = _parse(data)
    path = f"{{{_MANIFEST_NS}}}full-path"
    for entry in list(root):
        full_path = entry.get(path, "")
        if full_path in dropped or full_path.startswith(_ODF_SCRIPT_FOLDERS):
            root.remove(entry)
    ET.register_namespace("manifest", _MANIFEST_NS)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def _strip_office(content: bytes) -> Cleaned:
    """The zip rewritten member by member (order and compression kept, so an OpenDocument's
    uncompressed ``mimetype`` stays first): the property parts emptied, relationships to
    anything outside the package removed, an OpenDocument's macros and scripts left out.

    Raises ``files.TooLargeUnpacked`` when the file would unpack to more than ``files.ZIP_*``
    allow; its directory is checked first and no member is read beyond the limits.
    """
    files.check_zip(io.BytesIO(content))
    found: set[str] = set()
    out = io.BytesIO()
    budget = files.ZIP_MAX_TOTAL_BYTES
    try:
        with (
            zipfile.ZipFile(io.BytesIO(content)) as source,
            zipfile.ZipFile(out, "w") as target,
        ):
            members = source.infolist()
            dropped = {m.filename for m in members if m.filename.startswith(_ODF_SCRIPT_FOLDERS)}
            if dropped:
                found.add(_MACROS)
            for info in members:
                if info.filename in dropped:
                    continue
                data = files.read_member(source, info, min(files.ZIP_MAX_MEMBER_BYTES, budget))
                budget -= len(data)
                if info.filename in _EMPTY_PARTS:
                    if data.strip() != _EMPTY_PARTS[info.filename]:
                        found.add(_PROPERTIES)
                    data = _EMPTY_PARTS[info.filename]
                elif info.filename.endswith(".rels"):
                    data, removed = _internal_relationships(data)
                    if removed:
                        found.add(_EXTERNAL)
                elif info.filename in ("content.xml", "styles.xml"):  # OpenDocument
                    data, active = _odf_without_active(data)
                    found |= active
                elif info.filename == "META-INF/manifest.xml" and dropped:
                    data = _manifest_without(data, dropped)
                copy = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                target.writestr(copy, data)
    except files.TooLargeUnpacked:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError, ET.ParseError):
        return Cleaned(None, NOT_SUPPORTED, [])
    stripped = [label for label in (_PROPERTIES, _EXTERNAL, _MACROS) if label in found]
    status = STRIPPED if found else NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped)


_PDF_SCRIPTS = gettext_noop("scripts and actions run when the document is opened or read")
_PDF_LINKS = gettext_noop("links that open web addresses, programs or other files")
_PDF_FILES = gettext_noop("files embedded in the document")


def _without_active_content(root: DictionaryObject, pages: Iterable[Any]) -> set[str]:
    """Remove from a PDF's catalogue ``root`` and its ``pages`` what runs or calls out when it is
    opened, read or clicked: actions on opening (``/OpenAction``, ``/AA``), JavaScript, embedded
    files, and link actions other than a jump inside the document. Returns what was found."""
    found: set[str] = set()
    for key in ("/OpenAction", "/AA"):
        if key in root:
            del root[key]
            found.add(_PDF_SCRIPTS)
    names = root.get("/Names")
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject):
        for key, label in (("/JavaScript", _PDF_SCRIPTS), ("/EmbeddedFiles", _PDF_FILES)):
            if key in names:
                del names[key]
                found.add(label)
    form = root.get("/AcroForm")
    form = form.get_object() if form is not None else None
    if isinstance(form, DictionaryObject) and "/XFA" in form:  # forms that carry scripts
        del form["/XFA"]
        found.add(_PDF_SCRIPTS)
    for page in pages:
        if "/AA" in page:
            del page["/AA"]
            found.add(_PDF_SCRIPTS)
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
        for annotation in annotations or ():
            annotation = annotation.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            if "/AA" in annotation:
                del annotation["/AA"]
                found.add(_PDF_SCRIPTS)
            action = annotation.get("/A")
            action = action.get_object() if action is not None else None
            if action is None:
                continue
            kind = action.get("/S") if isinstance(action, DictionaryObject) else None
            if kind == "/GoTo" and "/Next" not in action:
                continue  # a jump to a page of the same document
            del annotation["/A"]
            found.add(_PDF_SCRIPTS if kind == "/JavaScript" else _PDF_LINKS)
            if annotation.get("/Subtype") == "/FileAttachment":
                found.add(_PDF_FILES)
        for annotation in annotations or ():
            annotation = annotation.get_object()
            if isinstance(annotation, DictionaryObject) and "/FS" in annotation:
                del annotation["/FS"]  # a file attached to a note on the page
                found.add(_PDF_FILES)
    return found


def _strip_pdf(content: bytes) -> Cleaned:
    """The pages copied into a new PDF without its document information and XMP metadata."""
    try:
        # A PDF locked only against editing opens with the empty password; one that needs a
        # password to be read cannot be copied (``NOT_SUPPORTED``).
        reader = uploads.read_pdf(content)
        with warnings.catch_warnings():
            # What the library would warn about names things inside the sender's file.
            warnings.simplefilter("ignore")
            info = {key for key, value in (reader.metadata or {}).items() if value}
            has_xmp = "/Metadata" in reader.root_object
            # Removed from what is read (so it is not copied) and again from what is written.
            active = _without_active_content(reader.root_object, reader.pages)
            writer = PdfWriter()
            writer.append(reader, import_outline=False)
            writer.metadata = None
            active |= _without_active_content(writer.root_object, writer.pages)
            out = io.BytesIO()
            writer.write(out)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, RecursionError):
        return Cleaned(None, NOT_SUPPORTED, [])
    stripped = []
    if info:
        stripped.append(gettext_noop("document information (author, creator, dates, title)"))
    if has_xmp:
        stripped.append(gettext_noop("XMP metadata"))
    stripped += [label for label in (_PDF_SCRIPTS, _PDF_LINKS, _PDF_FILES) if label in active]
    status = STRIPPED if stripped else NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped)


def clean(
    content: bytes, sniffed: files.Sniffed, *, max_pixels: int = uploads.MAX_IMAGE_PIXELS
) -> Cleaned:
    """A copy without metadata: images are decoded and only their pixels written again; PDFs
    get their pages copied without document information, XMP, scripts, actions, outside links or
    embedded files; Office and OpenDocument files get their property parts emptied, their
    relationships to outside files removed and (OpenDocument) their macros left out.

    Legacy Office files (.doc, .xls, .ppt), encrypted or unreadable documents are not cleaned
    (``NOT_SUPPORTED``, no copy). Raises ``ValueError`` for an image that does not decode, and
    ``files.TooLargeUnpacked`` (a ``ValueError``) for an image of more than ``max_pixels`` or an
    office file that would unpack beyond ``files.ZIP_*``, before decoding or unpacking it.
    """
    if sniffed.kind == files.PDF.kind:
        cleaned = _strip_pdf(content)
    elif sniffed.kind in _OFFICE:
        cleaned = _strip_office(content)
    elif sniffed.kind not in files.IMAGES:
        cleaned = Cleaned(None, NOT_SUPPORTED, [])
    else:
        return _clean_image(content, sniffed, max_pixels)
    return replace(cleaned, content_type=sniffed.content_type, extension=sniffed.extension)


def _clean_image(content: bytes, sniffed: files.Sniffed, max_pixels: int) -> Cleaned:
    image = uploads.decode_image(content, max_pixels=max_pixels)
    stripped = _described_metadata(image)
    mode = "RGBA" if uploads.has_alpha(image) else ("L" if image.mode in ("L", "1") else "RGB")
    pixels = uploads.pixels_only(image, mode)  # upright, and a new image: no info at all
    out = io.BytesIO()
    if sniffed.kind == files.JPEG.kind and mode != "RGBA":
        pixels.save(out, format="JPEG", quality=92)
        written = files.JPEG
    else:
        pixels.save(out, format="PNG")
        written = files.PNG
        if sniffed.kind in ("gif", "webp") and getattr(image, "n_frames", 1) > 1:
            stripped.append(gettext_noop("animation (first frame kept)"))
    status = STRIPPED if stripped else NOTHING_FOUND
    return Cleaned(out.getvalue(), status, stripped, written.content_type, written.extension)
