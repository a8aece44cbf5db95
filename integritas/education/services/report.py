"""An event's report (laporan pelaksanaan kegiatan): the parts staff write (purpose, basis,
summary, follow-up commitments, signer), the event's photos, and the PDF that puts them together
with the attendance by audience group and the test results (``services.results``).

The report is an internal document: every audience group is shown, however small, but no
participant is named. Photos are decoded and only their pixels written again, so EXIF, GPS
positions and comments never reach the disk (``lib/uploads``, as for whistleblowing attachments
and citizens' photos).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from integritas import audit
from integritas.core.models import Government, User
from integritas.education.gain import Band, LearningGain
from integritas.education.models import AuditAction, Event, EventReport, ReportPhoto
from integritas.education.services import checkin, evaluation, results
from integritas.lib import files, pdf, uploads
from integritas.lib.formatting import format_nip

PHOTO_KINDS = frozenset({"jpeg", "png", "webp"})
PHOTO_MIN_SIDE = 320  # smaller photos print as a blur
PHOTO_MAX_PIXELS = 40_000_000  # refused before decoding: a phone photo is 12 to 50 MP at most
PHOTO_MAX_SIDE = 2048  # stored photos are scaled down to this, plenty for a printed page


def max_photos() -> int:
    return int(settings.EDUCATION_REPORT_MAX_PHOTOS)


def photo_max_bytes() -> int:
    return int(settings.EDUCATION_REPORT_PHOTO_MAX_MB) * 1024 * 1024


# --- photos ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int


def clean_photo(content: bytes) -> CleanPhoto:
    """A photo re-drawn from its pixels only (turned upright first), scaled down to
    ``PHOTO_MAX_SIDE``; ``ValidationError`` for anything that is not a real JPEG, PNG or WebP
    photo within the size and pixel bounds, judged by its content, not its name."""
    if not content:
        raise ValidationError(_("Choose a photo to upload."))
    if len(content) > photo_max_bytes():
        raise ValidationError(
            _("The photo is larger than %(mb)d MB.") % {"mb": photo_max_bytes() >> 20}
        )
    sniffed = files.sniff(io.BytesIO(content))
    if sniffed is None or sniffed.kind not in PHOTO_KINDS:
        raise ValidationError(
            _("The photo must be a JPEG, PNG or WebP image (judged by its content).")
        )
    try:
        image = uploads.decode_image(content, max_pixels=PHOTO_MAX_PIXELS)
    except files.TooLargeUnpacked as exc:  # judged from the header, before decoding
        raise ValidationError(_("The photo has too many pixels. Send a smaller version.")) from exc
    except ValueError as exc:
        raise ValidationError(_("The photo is damaged and cannot be opened.")) from exc
    width, height = image.size
    if min(width, height) < PHOTO_MIN_SIDE:
        raise ValidationError(
            _(
                "The photo is too small to print: at least %(min)d pixels on each side "
                "(it has %(width)d × %(height)d)."
            )
            % {"min": PHOTO_MIN_SIDE, "width": width, "height": height}
        )
    # A printed report needs no transparency: everything is drawn on white, as RGB.
    if uploads.has_alpha(image):
        rgba = uploads.pixels_only(image, "RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    clean = uploads.pixels_only(image, "RGB", max_side=PHOTO_MAX_SIDE)  # a new image: no info
    out = io.BytesIO()
    if sniffed.kind == "png":
        clean.save(out, format="PNG")
        content_type, extension = "image/png", "png"
    else:  # JPEG, and WebP printed as JPEG (WeasyPrint and every viewer read it)
        clean.save(out, format="JPEG", quality=88)
        content_type, extension = "image/jpeg", "jpg"
    return CleanPhoto(out.getvalue(), content_type, extension, clean.width, clean.height)


@transaction.atomic
def add_photo(*, report: EventReport, content: bytes, caption: str, by: User | None) -> ReportPhoto:
    """Clean and store one photo of the report; ``ValidationError`` (and nothing stored) for a
    bad photo or when the report already holds ``EDUCATION_REPORT_MAX_PHOTOS``."""
    EventReport.objects.select_for_update().filter(pk=report.pk).first()  # one upload at a time
    if report.photos.count() >= max_photos():
        raise ValidationError(
            _("The report holds at most %(n)d photos. Remove one before adding another.")
            % {"n": max_photos()}
        )
    cleaned = clean_photo(content)
    photo = ReportPhoto(
        report=report,
        caption=caption.strip()[:200],
        content_type=cleaned.content_type,
        width=cleaned.width,
        height=cleaned.height,
    )
    photo.image.save(f"photo.{cleaned.extension}", ContentFile(cleaned.content), save=False)
    name = photo.image.name
    try:
        photo.save()
        audit.record(
            AuditAction.REPORT_PHOTO_ADDED,
            obj=report.event,
            changes={"photos": [None, report.photos.count()]},
            actor=by,
        )
    except Exception:
        photo.image.storage.delete(name)  # no file without its row
        raise
    return photo


def remove_photo(*, photo: ReportPhoto, by: User | None) -> None:
    """Delete a photo and its file (the file once the deletion is committed)."""
    report = photo.report
    storage, name = photo.image.storage, photo.image.name
    with transaction.atomic():
        before = report.photos.count()
        photo.delete()
        audit.record(
            AuditAction.REPORT_PHOTO_REMOVED,
            obj=report.event,
            changes={"photos": [before, before - 1]},
            actor=by,
        )
        transaction.on_commit(lambda: storage.delete(name))


# --- the written parts -------------------------------------------------------------------------


def report_of(event: Event) -> EventReport | None:
    return EventReport.objects.filter(event=event).first()


def initial(event: Event) -> dict[str, Any]:
    """The form's values: the saved report, or a purpose proposed from the event."""
    report = report_of(event)
    if report is not None:
        return {
            "purpose": report.purpose,
            "basis": report.basis,
            "summary": report.summary,
            "commitments": report.commitments,
        }
    return {
        "purpose": _("To carry out the %(kind)s “%(title)s” on %(theme)s.")
        % {
            "kind": event.get_kind_display().lower(),
            "title": event.title,
            "theme": event.get_theme_display().lower(),
        }
    }


@transaction.atomic
def save(
    *,
    event: Event,
    purpose: str,
    basis: str,
    summary: str,
    commitments: str,
    signer: User,
    by: User | None,
) -> EventReport:
    """Store the report's written parts and its signer (as printed today); audited."""
    report = report_of(event) or EventReport(event=event)
    created = report.pk is None
    report.purpose, report.basis = purpose.strip(), basis.strip()
    report.summary = summary.strip()
    report.commitments = "\n".join(
        line.strip() for line in commitments.splitlines() if line.strip()
    )
    report.signer_name = signer.get_full_name()
    report.signer_position = signer.position or ""
    report.signer_nip = format_nip(signer.nip) if signer.nip else ""
    report.updated_at = timezone.now()
    report.full_clean()
    report.save()
    audit.record(
        AuditAction.REPORT_SAVED,
        obj=event,
        changes={
            "report": [None if created else "saved", "saved"],
            "commitments": [None, len(report.commitment_list)],
            "signer": [None, report.signer_name],
        },
        actor=by,
    )
    return report


# --- the PDF -----------------------------------------------------------------------------------


def photo_rows(report: EventReport) -> list[list[ReportPhoto]]:
    """The photos two to a row, as the PDF lays them out."""
    photos = list(report.photos.all())
    return [photos[i : i + 2] for i in range(0, len(photos), 2)]


BAND_LABELS = {
    Band.HIGH: gettext_lazy("high"),
    Band.MEDIUM: gettext_lazy("medium"),
    Band.LOW: gettext_lazy("low"),
}


@dataclass(frozen=True)
class GainLine:
    """A row of the report's learning-gain table, with the bands in words."""

    label: str
    gain: LearningGain
    class_band: str
    individual_band: str
    total: bool = False


def _line(label: str, g: LearningGain, *, total: bool = False) -> GainLine:
    return GainLine(
        label,
        g,
        str(BAND_LABELS[g.class_band]) if g.class_band else "",
        str(BAND_LABELS[g.individual_band]) if g.individual_band else "",
        total,
    )


def gain_lines(found: results.Results) -> list[GainLine]:
    """Every audience group that took a test, however small (an internal report), then all."""
    lines = [_line(row.label, row.gain) for row in found.groups]
    lines.append(_line(_("All participants"), found.overall, total=True))
    return lines


def context(event: Event, report: EventReport) -> dict[str, Any]:
    found = results.event_results(event)
    counts = checkin.counts(event)
    return {
        "event": event,
        "report": report,
        "counts": counts,
        "total_registered": sum(c.confirmed for c in counts),
        "total_checked_in": sum(c.checked_in for c in counts),
        "results": found,
        "gain_lines": gain_lines(found),
        "has_results": bool(found.overall.n_pre or found.overall.n_post),
        "evaluation": evaluation.summary(event),
        "photo_rows": photo_rows(report),
        "signer": pdf.Signer(report.signer_name, report.signer_position, report.signer_nip),
        "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
    }


def report_html(event: Event, report: EventReport) -> str:
    with translation.override(pdf.DEFAULT_LANGUAGE):  # labels computed here print in Indonesian
        values = context(event, report)
    return pdf.render_html("education/report.html", values, government=Government.current())


def report_pdf(event: Event, report: EventReport) -> bytes:
    """The report on the letterhead: the event, purpose and basis, attendance by group, test
    results and learning gain by group, the summary, the photos, the commitments, the signer."""
    return pdf.html_to_pdf(report_html(event, report))
