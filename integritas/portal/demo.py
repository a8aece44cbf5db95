"""Portal demo data for the fictional city of Karyapura: what its Inspectorate has published.

The Inspector General publishes last year's closed survey waves and the recommendations whose
units have verified activities; the units mark their file evidence of verified activities as
publishable and the Inspector General publishes it, so the portal shows plans with progress, a
timeline and downloadable evidence. Everything goes through the publishing service (one audit
event each). Idempotent: what is already published is left alone.
"""

from __future__ import annotations

import io

from django.db import transaction
from django.utils import timezone
from PIL import Image

from integritas.core.models import Role, User
from integritas.followup.models import ActionPlan, Activity, Evidence, Feedback, Recommendation
from integritas.followup.services import feedback as feedback_services
from integritas.portal.services import public, publishing
from integritas.surveys.models import Wave

# How many recommendations the demo publishes: enough for the tracker's filters and a second
# page is not needed; the others stay unpublished, as most of an Inspectorate's work would.
RECOMMENDATIONS = 5


def _publisher() -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.INSPECTOR_GENERAL,
            role_assignments__unit__isnull=True,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def seed_portal() -> list[str]:
    by = _publisher()
    if by is None:
        return []
    lines: list[str] = []
    last_year = timezone.localdate().year - 1
    for wave in Wave.objects.filter(status=Wave.Status.CLOSED, closes_on__year=last_year):
        if publishing.live_publication(wave) is None:
            publishing.publish(obj=wave, by=by)
            lines.append(f"published wave {wave.code}")
    candidates = (
        Recommendation.objects.filter(
            status__in=[Recommendation.Status.ISSUED, Recommendation.Status.CLOSED],
            plans__activities__status=Activity.Status.VERIFIED,
        )
        .distinct()
        .order_by("year", "code")[:RECOMMENDATIONS]
    )
    for rec in candidates:
        if publishing.live_publication(rec) is None:
            publishing.publish(obj=rec, by=by)
            lines.append(f"published recommendation {rec.code}")
        verified_files = Evidence.objects.filter(
            activity__plan__recommendation=rec,
            activity__status=Activity.Status.VERIFIED,
            kind=Evidence.Kind.FILE,
        )
        # The units mark their evidence as fit for the public (a field of the evidence form).
        verified_files.filter(publishable=False).update(publishable=True)
        for item in verified_files.select_related("activity"):
            if publishing.live_publication(item) is None:
                publishing.publish(obj=item, by=by)
                lines.append(f"published evidence {item.public_id} of {rec.code}")
    return lines


# Citizens' feedback on the published actions: (answer, comment, moderation, the unit's answer).
# Moderation is "approve", "hide" (with the reason after a colon) or "" (still pending).
FEEDBACK = [
    [
        (
            "yes",
            "Papan informasi layanan sudah terpasang di loket depan.",
            "approve",
            "Terima kasih. Papan juga akan dipasang di loket pembayaran bulan depan.",
        ),
        ("partly", "Papan ada, tetapi jam layanan yang tertulis belum diperbarui.", "approve", ""),
        ("no", "Saya datang Senin pagi, kotak pengaduan belum ada.", "", ""),
        (
            "no",
            "Petugas bernama Pak X tidak ramah.",
            "hide:Menyebut nama pegawai; disalurkan ke kanal pengaduan.",
            "",
        ),
    ],
    [
        (
            "no",
            "Formulir daring masih meminta fotokopi KTP di loket.",
            "approve",
            "Aturan baru berlaku mulai bulan ini; petugas loket sudah kami ingatkan.",
        ),
        ("yes", "Antrean daring berjalan baik minggu ini.", "", ""),
    ],
]


def _demo_photo() -> bytes:
    """A small photo of a notice board, as a phone would send it (with a camera name)."""
    image = Image.new("RGB", (320, 240), (46, 94, 130))
    image.paste((240, 236, 220), (40, 60, 280, 180))
    exif = Image.Exif()
    exif[0x010F] = "Demo phone"
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _unit_head(plan: ActionPlan) -> User | None:
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role__in=[Role.UNIT_HEAD, Role.UNIT_OFFICER],
            role_assignments__unit=plan.unit,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def seed_feedback() -> list[str]:
    """Some approved (one with a photo, two with the unit's answer), pending and hidden
    feedback on the first published actions; nothing when there is feedback already."""
    by = _publisher()
    if by is None or Feedback.objects.exists():
        return []
    plans = public.plans().filter(status__in=public.FEEDBACK_PLAN_STATES).select_related("unit")
    lines: list[str] = []
    ordered = plans.order_by("recommendation__code", "unit__code")
    for plan, items in zip(ordered, FEEDBACK, strict=False):
        answerer = _unit_head(plan)
        for number, (seen, comment, moderation, answer) in enumerate(items):
            photo = _demo_photo() if number == 0 else None
            item = feedback_services.submit(plan=plan, seen=seen, comment=comment, photo=photo)
            if moderation:
                step, _, reason = moderation.partition(":")
                item = feedback_services.moderate(feedback=item, step=step, by=by, reason=reason)
            if answer and answerer is not None:
                feedback_services.answer(feedback=item, by=answerer, text=answer)
            lines.append(f"feedback on {plan}: {seen}, {item.get_status_display()}")
    return lines


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    lines = seed_portal() + seed_feedback()
    return lines or ["portal publications already present"]
