"""The event report (laporan pelaksanaan kegiatan): what staff write, the photos (metadata
removed, bad files refused with nothing stored) and what the PDF shows: attendance and learning
gain per audience group however small, no participant named."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from integritas.audit.models import Event as AuditEvent
from integritas.core.testing import World
from integritas.education.models import EventReport, Phase, ReportPhoto
from integritas.education.services import assessment, checkin, tickets
from integritas.education.services import report as services
from integritas.education.tests.test_assessment import participant, right, with_test

GPS_IFD = 0x8825


def pdf_text(content: bytes) -> str:
    """The PDF's text, runs of spaces made one."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"[ \t]+", " ", text)


def photo_bytes(
    size: tuple[int, int] = (800, 600), *, gps: bool = False, kind: str = "JPEG"
) -> bytes:
    """A photo; with ``gps``, an EXIF GPS position and a camera name as a phone would write."""
    image = Image.new("RGB", size, (30, 120, 200))
    out = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        if gps:
            exif[GPS_IFD] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format=kind)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def write(world: World, event, **values) -> EventReport:
    fields = {
        "purpose": "Meningkatkan pemahaman tentang gratifikasi.",
        "basis": "Surat KPK Nomor B/123/LIT.05/2026 tanggal 2 Oktober 2026 tentang tindak lanjut SPI",
        "summary": "Paparan narasumber dan diskusi.",
        "commitments": "Membentuk UPG di setiap perangkat daerah\n\n  Melaporkan gratifikasi  ",
        "signer": world.inspector_general,
        **values,
    }
    return services.save(event=event, by=world.inspector, **fields)


@pytest.fixture
def taken(world: World, event):
    """Four questions. Staff A 25 → 75 and B 50 → 100, both checked in; press C 0 → 50 (a group
    of one); unit head D registered only. Class g 25/75 → 75: (75-25)/75 = 0.67 (medium);
    individual g: A 2/3, B 1, C 0.5 → 0.72 (high). Staff: class (37.5 → 87.5) 50/62.5 = 0.80."""
    event.capacity = None
    event.save()
    questions = with_test(world, event, 4)
    a, b = participant(event, 1, "staff"), participant(event, 2, "staff")
    c, d = participant(event, 3, "press"), participant(event, 4, "unit_head")
    for reg in (a, b):
        checkin.check_in(event=event, code=tickets.code_for(reg.ticket), by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.PRE, by=world.inspector)
    for reg, n in ((a, 1), (b, 2), (c, 0)):
        assessment.submit(
            event=event, phase=Phase.PRE, registration=reg, answers=right(questions, n)
        )
    assessment.close_phase(event=event, phase=Phase.PRE, by=world.inspector)
    assessment.open_phase(event=event, phase=Phase.POST, by=world.inspector)
    for reg, n in ((a, 3), (b, 4), (c, 2)):
        assessment.submit(
            event=event, phase=Phase.POST, registration=reg, answers=right(questions, n)
        )
    assert d.checked_in_at is None
    return event


def test_saving_the_report_keeps_the_signer_as_printed_and_is_audited(world: World, event):
    world.inspector_general.position = "Inspektur Daerah"
    world.inspector_general.save()
    report = write(world, event)
    assert report.signer_name == world.inspector_general.get_full_name()
    assert report.signer_position == "Inspektur Daerah"
    assert report.commitment_list == [
        "Membentuk UPG di setiap perangkat daerah",
        "Melaporkan gratifikasi",
    ]
    entry = AuditEvent.objects.filter(action="education.report_saved").get()
    assert entry.actor == world.inspector
    write(world, event, summary="Diubah")
    assert EventReport.objects.get(event=event).summary == "Diubah"
    assert AuditEvent.objects.filter(action="education.report_saved").count() == 2


def test_the_pdf_shows_attendance_and_the_gain_of_every_group_however_small(
    world: World, taken, media: Path
):
    text = pdf_text(services.report_pdf(taken, write(world, taken)))
    assert "LAPORAN PELAKSANAAN KEGIATAN" in text
    assert "Surat KPK Nomor B/123/LIT.05/2026" in text
    assert "Paparan narasumber dan diskusi." in text
    assert "1. Membentuk UPG di setiap perangkat daerah" in text
    assert "2. Melaporkan gratifikasi" in text
    # Attendance: registered and checked in by group, with the total.
    assert "Pegawai 2 2" in text
    assert "Total 4 2" in text
    # All participants: N pre 3, N post 3, N paired 3, means 25.0 and 75.0, class g 0.67
    # (medium), mean individual g (2/3 + 1 + 0.5) / 3 = 0.72 (high).
    assert "Semua peserta 3 3 3 25,0 75,0 0,67 (sedang) 0,72 (tinggi)" in text
    # Staff: 37.5 → 87.5, class g 0.80 (high); individual (2/3 + 1) / 2 = 0.83.
    assert "2 2 2 37,5 87,5 0,80 (tinggi) 0,83 (tinggi)" in text
    # The press is a group of one: shown (an internal report), as 0 → 50, g 0.50.
    assert "1 1 1 0,0 50,0 0,50 (sedang) 0,50 (sedang)" in text
    # Nobody is named.
    for i in range(1, 5):
        assert f"Peserta {i}" not in text


def test_an_event_without_tests_says_so_in_the_report(world: World, event, media: Path):
    text = pdf_text(services.report_pdf(event, write(world, event, commitments="")))
    assert "Tidak ada tes awal atau tes akhir" in text
    assert "Tidak ada komitmen tindak lanjut" in text


def test_a_photo_loses_its_gps_position_and_every_other_metadata(world: World, event, media: Path):
    raw = photo_bytes(gps=True)
    assert GPS_IFD in Image.open(io.BytesIO(raw)).getexif()  # the tag is there going in
    photo = services.add_photo(
        report=write(world, event), content=raw, caption="Pembukaan", by=world.inspector
    )
    stored = Path(photo.image.path)
    assert stored.is_file() and stored.is_relative_to(media)
    assert stored.suffix == ".jpg"
    kept = Image.open(stored)
    assert not kept.getexif()  # no GPS, no camera
    assert GPS_IFD not in kept.getexif()
    assert b"PhoneMaker" not in stored.read_bytes()
    assert (photo.width, photo.height) == (800, 600)
    assert AuditEvent.objects.filter(action="education.report_photo_added").exists()


def test_a_large_photo_is_scaled_down_to_the_longest_side(world: World, event, media: Path):
    photo = services.add_photo(
        report=write(world, event), content=photo_bytes((4000, 1000)), caption="", by=None
    )
    assert (photo.width, photo.height) == (services.PHOTO_MAX_SIDE, 512)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Pilih foto"),
        (b"%PDF-1.4 not a photo", "JPEG, PNG, atau WebP"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "rusak"),
        (photo_bytes((200, 150)), "terlalu kecil"),
        (photo_bytes(kind="GIF"), "JPEG, PNG, atau WebP"),
    ],
)
def test_a_bad_upload_is_refused_in_indonesian_and_nothing_is_stored(
    world: World, event, media: Path, content: bytes, message: str
):
    report = write(world, event)
    with translation.override("id"), pytest.raises(ValidationError) as caught:
        services.add_photo(report=report, content=content, caption="", by=None)
    assert message in " ".join(caught.value.messages)
    assert not ReportPhoto.objects.exists()
    assert stored_files(media) == []


def test_a_photo_above_the_size_limit_is_refused(world: World, event, media: Path, settings):
    settings.EDUCATION_REPORT_PHOTO_MAX_MB = 1
    with translation.override("id"), pytest.raises(ValidationError, match="lebih besar dari 1 MB"):
        services.clean_photo(b"\xff\xd8\xff" + b"\x00" * (1024 * 1024))


def test_a_photo_with_too_many_pixels_is_refused_before_decoding(monkeypatch):
    monkeypatch.setattr(services, "PHOTO_MAX_PIXELS", 100_000)
    with translation.override("id"), pytest.raises(ValidationError, match="terlalu banyak piksel"):
        services.clean_photo(photo_bytes((800, 600)))


def test_the_report_holds_at_most_the_configured_number_of_photos(
    world: World, event, media: Path, settings
):
    settings.EDUCATION_REPORT_MAX_PHOTOS = 2
    report = write(world, event)
    for _ in range(2):
        services.add_photo(report=report, content=photo_bytes(), caption="", by=None)
    with translation.override("id"), pytest.raises(ValidationError, match="paling banyak 2 foto"):
        services.add_photo(report=report, content=photo_bytes(), caption="", by=None)
    assert report.photos.count() == 2
    assert len(stored_files(media)) == 2


def test_removing_a_photo_deletes_its_file(
    world: World, event, media: Path, django_capture_on_commit_callbacks
):
    photo = services.add_photo(
        report=write(world, event), content=photo_bytes(), caption="", by=None
    )
    path = Path(photo.image.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(photo=photo, by=world.inspector)
    assert not path.exists()
    assert not ReportPhoto.objects.exists()
    assert AuditEvent.objects.filter(action="education.report_photo_removed").exists()


def test_the_photos_are_printed_in_the_pdf_two_to_a_row(world: World, event, media: Path):
    report = write(world, event)
    for caption in ("Satu", "Dua", "Tiga"):
        services.add_photo(report=report, content=photo_bytes(), caption=caption, by=None)
    assert [len(row) for row in services.photo_rows(report)] == [2, 1]
    content = services.report_pdf(event, report)
    reader = PdfReader(io.BytesIO(content))
    # Pages may share their resources: count each embedded image once.
    images = {image.name for page in reader.pages for image in page.images}
    assert len(images) == 3
    assert "Satu" in pdf_text(content)
