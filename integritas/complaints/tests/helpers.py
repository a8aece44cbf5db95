"""Reports and files for the complaint tests."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from integritas.complaints import services
from integritas.complaints.models import Report
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


def submit(unit: Unit | None, **overrides: Any) -> tuple[Report, str]:
    values: dict[str, Any] = {
        "channel": "whistleblowing",
        "category": "bribery",
        "unit": unit,
        "fields": FIELDS,
    }
    values.update(overrides)
    return services.submit_report(**values)
