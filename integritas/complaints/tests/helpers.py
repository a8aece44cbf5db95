"""Reports and files for the complaint tests."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from integritas.complaints.models import Report
from integritas.complaints.services.public import submit_report
from integritas.core.models import Unit

FIELDS = {
    "what": "The permit officer asked for money to speed up a building permit.",
    "who": "An officer at the permit counter",
    "where": "Permit counter, ground floor",
    "when": "Early March 2026",
    "why": "To skip the queue",
    "how": "Asked in person, cash",
}


def photo_with_gps(marker: str = "", fmt: str = "JPEG") -> bytes:
    """A small photo whose EXIF holds a GPS position, a camera model and, optionally, a marker."""
    image = Image.new("RGB", (32, 24), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Model X-42"  # Model
    if marker:
        exif[0x010E] = marker  # ImageDescription
    gps = exif.get_ifd(0x8825)
    gps[1] = "S"
    gps[2] = (6.0, 10.0, 30.0)
    gps[3] = "E"
    gps[4] = (106.0, 49.0, 12.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue()


def pdf_with(marker: str) -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        + f"% {marker}\n".encode()
        + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def pdf_signed_by(author: str) -> bytes:
    """A real one-page PDF whose document information names ``author`` and carries XMP."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.add_metadata({"/Author": author, "/Creator": f"Laptop of {author}"})
    xmp = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>{author}</dc:creator></x:xmpmeta>'
    stream = DecodedStreamObject()
    stream.set_data(xmp.encode())
    writer.root_object[NameObject("/Metadata")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_signed_by(author: str) -> bytes:
    """A minimal Word file (zip) whose core properties name ``author``."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>isi laporan</w:document>")
        archive.writestr(
            "docProps/core.xml",
            f'<cp:coreProperties xmlns:cp="x" xmlns:dc="y"><dc:creator>{author}</dc:creator>'
            "</cp:coreProperties>",
        )
    return out.getvalue()


def submit(unit: Unit | None, **overrides: Any) -> tuple[Report, str]:
    values: dict[str, Any] = {
        "channel": "whistleblowing",
        "category": "bribery",
        "unit": unit,
        "fields": FIELDS,
    }
    values.update(overrides)
    return submit_report(**values)
