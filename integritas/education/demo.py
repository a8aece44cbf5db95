"""Education demo data for Karyapura (fictional city, fictional people), three events:

- the socialization on gratification that follows up the SPI results, **held three weeks ago**
  for about 150 participants inside and outside the government: an invitation letter with units
  and guests invited, most checked in, a question bank on gratification, the pre- and post-test
  taken online (a few only one of them), certificates for those who passed the post-test (the
  event requires it) and one of them revoked;
- a training (bimtek) on procurement tested on paper, its scores imported from a CSV file;
- an upcoming socialization open for registration, already full with a short waiting list.

Everything goes through the real services (events, invitations, registration, check-in, tests,
the score import, certificates) with a fixed random seed; no email is sent (the participants
give a phone number only). The past events are run while they are still upcoming, as the
services require, and then moved to their real dates, with the times of registration, check-in,
the tests and the certificates, as the other demos date their stories. Idempotent: an event whose
title exists is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from integritas.core.models import Unit, User
from integritas.core.signers import default_signer
from integritas.education import imports
from integritas.education.models import (
    AudienceGroup,
    Certificate,
    Event,
    EventTest,
    Invitee,
    Kind,
    Phase,
    Question,
    QuestionKind,
    Registration,
    Submission,
    Theme,
)
from integritas.education.services import (
    assessment,
    certificates,
    checkin,
    events,
    invitations,
    tickets,
)
from integritas.education.services import registration as registrations
from integritas.education.services.registration import Person

SEED = 20261115
TITLE = "Sosialisasi Pengendalian Gratifikasi dan Tindak Lanjut Hasil SPI"
TRAINING_TITLE = "Bimbingan Teknis Pencegahan Korupsi dalam Pengadaan Barang/Jasa"
UPCOMING_TITLE = "Sosialisasi Saluran Pengaduan dan Perlindungan Pelapor bagi Masyarakat"
REVOKE_REASON = (
    "Hasil klarifikasi panitia: kehadiran diwakilkan, peserta terdaftar tidak hadir sendiri."
)

FIRST = [
    "Agus", "Sri", "Budi", "Dewi", "Rudi", "Wulan", "Hendra", "Rina", "Yusuf", "Maya", "Bambang",
    "Fitri", "Joko", "Nurul", "Eko", "Ratna", "Dimas", "Sari", "Arief", "Indah", "Taufik", "Lina",
    "Wahyu", "Yanti", "Fajar", "Putri", "Iwan", "Ayu", "Bayu", "Nita",
]  # fmt: skip
LAST = [
    "Santoso", "Lestari", "Pratama", "Wibowo", "Handayani", "Saputra", "Kurniawan", "Setiawan",
    "Permata", "Hidayat", "Nugroho", "Rahayu", "Siregar", "Wijaya", "Susanti", "Ramadhan",
    "Maharani", "Gunawan", "Purnamasari", "Syahputra",
]  # fmt: skip

# The socialization's audience outside the units invited by letter: (group, institution, how
# many register, of whom how many are guests invited by name).
OTHERS = [
    (AudienceGroup.OFFICIAL, "Pemerintah Kota Karyapura", 30, 0),
    (AudienceGroup.STAFF, "Pemerintah Kota Karyapura", 42, 0),
    (AudienceGroup.FORKOPIMDA, "Kodim 0999 Karyapura", 3, 2),
    (AudienceGroup.FORKOPIMDA, "Polres Karyapura", 3, 2),
    (AudienceGroup.FORKOPIMDA, "Kejaksaan Negeri Karyapura", 2, 1),
    (AudienceGroup.LEGISLATOR, "DPRD Kota Karyapura", 8, 4),
    (AudienceGroup.PRESS, "Warta Karyapura", 5, 1),
    (AudienceGroup.PRESS, "Radio Suara Karyapura", 4, 1),
    (AudienceGroup.COMMUNITY, "Forum Warga Peduli Integritas", 6, 1),
    (AudienceGroup.COMMUNITY, "LSM Karyapura Bersih", 5, 1),
    (AudienceGroup.BUSINESS, "Kadin Kota Karyapura", 6, 1),
    (AudienceGroup.BUSINESS, "Asosiasi Kontraktor Karyapura", 5, 1),
    (AudienceGroup.STUDENT, "Universitas Karyapura", 10, 0),
]
UNITS_INVITED = 22  # top-level units whose head is invited by letter
UNITS_ABSENT = 2  # of them, heads who do not register
PRESENT = 0.9  # share of the registered who come
PRE_ONLY = 6  # came, took the pre-test and left before the post-test
POST_ONLY = 5  # came late: the post-test only
NO_TEST = 4  # came and took neither
PASS_MARK = 70

# (text, options with the correct one first for single choice, or None for true/false with the
# answer in ``correct``, explanation); options are shuffled with the seed.
QUESTIONS: list[tuple[str, list[str] | bool, str]] = [
    (
        "Menurut penjelasan Pasal 12B UU Nomor 20 Tahun 2001, apa yang dimaksud dengan gratifikasi?",
        [
            "Pemberian dalam arti luas: uang, barang, rabat, komisi, pinjaman tanpa bunga, tiket "
            "perjalanan, fasilitas penginapan, perjalanan wisata, pengobatan cuma-cuma, dan "
            "fasilitas lainnya",
            "Hanya pemberian berupa uang tunai kepada pegawai negeri",
            "Hanya pemberian yang nilainya di atas Rp1.000.000",
            "Hanya hadiah yang diberikan pada hari raya",
        ],
        "Gratifikasi adalah pemberian dalam arti luas, diterima di dalam maupun di luar negeri, "
        "dengan atau tanpa sarana elektronik. Bentuk dan nilainya tidak menentukan; yang "
        "menentukan adalah hubungannya dengan jabatan penerima.",
    ),
    (
        "Paling lambat kapan gratifikasi yang diterima wajib dilaporkan kepada KPK?",
        [
            "30 hari kerja sejak diterima",
            "7 hari kalender",
            "60 hari kerja",
            "Akhir tahun anggaran",
        ],
        "Pasal 12C ayat (2) UU Nomor 20 Tahun 2001 menetapkan batas 30 hari kerja sejak "
        "gratifikasi diterima. Laporan melalui Unit Pengendalian Gratifikasi (UPG) instansi "
        "sebaiknya disampaikan lebih cepat agar UPG sempat meneruskannya ke KPK.",
    ),
    (
        "Gratifikasi kepada pegawai negeri yang berhubungan dengan jabatannya dan berlawanan "
        "dengan kewajiban atau tugasnya dianggap pemberian suap.",
        True,
        "Benar. Pasal 12B ayat (1) UU Nomor 20 Tahun 2001 menyatakan gratifikasi semacam itu "
        "dianggap suap, kecuali dilaporkan kepada KPK dalam batas waktu yang ditentukan.",
    ),
    (
        "Seorang kepala seksi menerima kiriman parsel dari rekanan yang sedang mengikuti tender "
        "di dinasnya. Apa yang seharusnya ia lakukan?",
        [
            "Menolaknya; bila tidak dapat ditolak (misalnya dikirim ke rumah), melaporkannya "
            "kepada UPG atau KPK",
            "Menerimanya karena nilainya kecil",
            "Membagikannya kepada staf agar tidak dinikmati sendiri",
            "Menerimanya asalkan diserahkan di luar jam kerja",
        ],
        "Pemberian dari pihak yang berkepentingan dengan keputusan penerima menimbulkan benturan "
        "kepentingan dan patut ditolak sejak awal. Yang terlanjur diterima wajib dilaporkan; "
        "membagikannya kepada orang lain tidak menghapus kewajiban itu.",
    ),
    (
        "Pemberian dari rekanan yang nilainya di bawah Rp1.000.000 tidak perlu dilaporkan.",
        False,
        "Salah. Pengecualian berdasarkan nilai dalam Peraturan KPK Nomor 2 Tahun 2019 hanya "
        "berlaku bagi pemberian tertentu yang tidak berkaitan dengan kedinasan, misalnya hadiah "
        "pernikahan atau pemberian antarrekan kerja dalam batas tertentu. Pemberian dari rekanan "
        "yang terkait jabatan harus ditolak atau dilaporkan, berapa pun nilainya.",
    ),
    (
        "Ke mana pegawai Pemerintah Kota melaporkan gratifikasi yang diterimanya?",
        [
            "Ke Unit Pengendalian Gratifikasi (UPG) instansinya atau langsung ke KPK",
            "Cukup disampaikan secara lisan kepada atasan langsung",
            "Ke kepolisian setempat",
            "Ke bagian keuangan untuk disetor sebagai pendapatan daerah",
        ],
        "Laporan disampaikan melalui UPG, yang meneruskannya ke KPK, atau langsung ke KPK, "
        "misalnya melalui aplikasi Gratifikasi Online. KPK yang menetapkan apakah gratifikasi "
        "menjadi milik negara atau milik penerima.",
    ),
    (
        "Pegawai negeri yang terbukti menerima gratifikasi yang dianggap suap dapat dipidana "
        "penjara seumur hidup atau paling singkat 4 tahun dan paling lama 20 tahun.",
        True,
        "Benar. Pasal 12B ayat (2) UU Nomor 20 Tahun 2001 juga mengancam denda paling sedikit "
        "Rp200.000.000 dan paling banyak Rp1.000.000.000.",
    ),
    (
        "Apa perbedaan pokok antara gratifikasi yang dianggap suap dan suap?",
        [
            "Pada suap ada kesepakatan antara pemberi dan penerima; gratifikasi tidak memerlukan "
            "kesepakatan atau janji apa pun",
            "Gratifikasi selalu bernilai lebih kecil daripada suap",
            "Suap hanya dapat berupa uang tunai",
            "Tidak ada perbedaan sama sekali",
        ],
        "Gratifikasi tidak mensyaratkan janji atau kesepakatan: pemberian karena jabatan sudah "
        'cukup. Karena itu pemberian untuk "menanam budi" sebelum ada urusan pun termasuk '
        "gratifikasi yang wajib ditolak atau dilaporkan.",
    ),
    (
        "Penerima gratifikasi yang melaporkannya kepada KPK dalam batas waktu yang ditentukan "
        "dibebaskan dari ancaman pidana gratifikasi.",
        True,
        "Benar. Pasal 12C ayat (1) UU Nomor 20 Tahun 2001: ketentuan Pasal 12B tidak berlaku bila "
        "penerima melaporkan gratifikasi yang diterimanya kepada KPK.",
    ),
    (
        'Hasil SPI menunjukkan masih ada pegawai yang menganggap wajar menerima "uang terima '
        'kasih" dari pengguna layanan. Langkah pengendalian yang paling tepat adalah:',
        [
            "Menetapkan larangan, menyosialisasikan kewajiban menolak dan melaporkan, serta "
            "menyediakan saluran pelaporan dan pengaduan",
            "Membolehkannya asalkan dicatat oleh bendahara",
            "Menyerahkannya kepada kebijakan masing-masing pegawai",
            "Menunggu sampai ada pengaduan dari masyarakat",
        ],
        "Pengendalian gratifikasi memerlukan aturan yang jelas, pemahaman pegawai, UPG yang "
        "berfungsi dan saluran pengaduan bagi masyarakat. Hasil SPI dipakai untuk menindaklanjuti "
        "titik rawan seperti ini.",
    ),
]


@dataclass
class _Seed:
    staff: User
    organiser: Unit
    rng: random.Random
    now: dt.datetime
    phones: Iterator[int]

    def person(self, group: str, institution: str, name: str = "") -> Person:
        name = name or f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
        return Person(name, institution, group, phone=f"0813{next(self.phones):08d}")


def seed_app() -> list[str]:
    """Hook for ``manage.py seed_demo``: lines describing what was created."""
    organiser = Unit.objects.filter(type=Unit.Type.INSPECTORATE).order_by("code").first()
    staff = User.objects.filter(username="irban1").first()
    if organiser is None or staff is None:
        return []
    now = timezone.now().replace(second=0, microsecond=0)
    seed = _Seed(staff, organiser, random.Random(SEED), now, iter(range(10_000_000, 99_999_999)))
    lines = []
    for title, build in (
        (TITLE, _socialization),
        (TRAINING_TITLE, _training),
        (UPCOMING_TITLE, _upcoming),
    ):
        if not Event.objects.filter(title=title).exists():
            with transaction.atomic():
                lines.append(build(seed))
    return lines


def _new_event(seed: _Seed, **values: object) -> Event:
    """An event created and published as the Inspectorate does, still upcoming (registration
    needs it); the past ones are moved to their dates once run (``_move``)."""
    event = events.event_save(
        event=Event(),
        values={
            "starts_at": seed.now + dt.timedelta(hours=1),
            "ends_at": seed.now + dt.timedelta(hours=4),
            "online_url": "",
            "organiser": seed.organiser,
            "registration_open": True,
            **values,
        },
        by=seed.staff,
    )
    events.event_publish(event=event, by=seed.staff)
    return event


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


# --- the socialization, held three weeks ago ---------------------------------------------------


def _socialization(seed: _Seed) -> str:
    rng = seed.rng
    event = _new_event(
        seed,
        kind=Kind.SOCIALIZATION,
        title=TITLE,
        theme=Theme.GRATIFICATION,
        description=(
            "Tindak lanjut surat KPK tentang hasil Survei Penilaian Integritas: pengendalian "
            "gratifikasi, benturan kepentingan dan saluran pengaduan, bagi pemangku kepentingan "
            "internal dan eksternal Pemerintah Kota Karyapura."
        ),
        venue="Aula Kantor Wali Kota Karyapura",
        audience=list(AudienceGroup.values),
        capacity=200,
        speakers="Direktorat Gratifikasi dan Pelayanan Publik KPK\nInspektur Kota Karyapura",
    )
    events.material_add(
        event=event,
        title="Buku Saku Memahami Gratifikasi (KPK)",
        url="https://www.kpk.go.id/id/publikasi-data/buku/buku-saku-memahami-gratifikasi",
        by=seed.staff,
    )
    day = timezone.localdate(seed.now) - dt.timedelta(days=21)
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)

    # Invitations: the heads of the top-level units by letter, and guests by name.
    units = list(
        Unit.objects.filter(parent__isnull=True, is_active=True)
        .exclude(pk=seed.organiser.pk)
        .order_by("code")[:UNITS_INVITED]
    )
    invitations.add_units(event=event, units=units, by=seed.staff)
    guests: list[Invitee] = []
    for group, institution, _count, invited in OTHERS:
        for _i in range(invited):
            person = seed.person(group, institution)
            guest = invitations.Guest(person.name, institution, group, phone=person.phone)
            guests.append(invitations.add_guest(event=event, guest=guest, by=seed.staff))
    invitations.save_letter(
        event=event,
        number=f"005/0412/INSP/{day.year}",
        letter_date=day - dt.timedelta(days=10),
        place="Karyapura",
        subject=f"Undangan {TITLE}",
        note="Pakaian dinas harian. Konfirmasi kehadiran melalui tautan pendaftaran pribadi.",
        signer=default_signer() or seed.staff,
        by=seed.staff,
    )

    # Registrations: most invitees through their personal link, the others on the public page.
    unit_invitees = list(event.invitees.filter(unit__isnull=False).order_by("unit__code"))
    for invitee in unit_invitees[UNITS_ABSENT:] + guests:
        person = seed.person(invitee.group, invitee.institution, name=invitee.name)
        if invitee.phone:  # a guest registers with the number they were invited on
            person = Person(person.name, person.institution, person.group, phone=invitee.phone)
        invitations.register(invitee=invitee, person=person)
    for group, institution, count, invited in OTHERS:
        for _i in range(count - invited):
            registrations.register(event=event, person=seed.person(group, institution))

    # The day: most come; the tests online; certificates for those who pass.
    registered = list(event.registrations.order_by("pk"))
    came = [r for r in registered if rng.random() < PRESENT]
    for registration in came:
        checkin.check_in(event=event, code=tickets.code_for(registration.ticket), by=seed.staff)
    checkin.walk_in(
        event=event,
        person=seed.person(AudienceGroup.STUDENT, "Universitas Karyapura", "Laras Anggraini"),
        by=seed.staff,
    )
    questions = _question_bank(seed)
    test = assessment.test_update(
        event=event,
        questions=questions,
        certificate_needs_pass=True,
        pass_mark=PASS_MARK,
        by=seed.staff,
    )
    key = [
        (
            q.pk,
            next(c.pk for c in q.choices.all() if c.is_correct),
            [c.pk for c in q.choices.all() if not c.is_correct],
        )
        for q in assessment.questions_of(test)
    ]
    tested = list(event.registrations.filter(checked_in_at__isnull=False).order_by("pk"))
    rng.shuffle(tested)
    no_test, pre_only = NO_TEST, NO_TEST + PRE_ONLY
    post_only = pre_only + POST_ONLY
    takers = [(r, rng.uniform(0.25, 0.75), rng.uniform(0.15, 0.85)) for r in tested[no_test:]]
    assessment.open_phase(event=event, phase=Phase.PRE, by=seed.staff)
    for n, (registration, pre, _g) in enumerate(takers, start=no_test):
        if not pre_only <= n < post_only:  # those in that range came late
            _take(event, registration, Phase.PRE, pre, key, rng)
    assessment.close_phase(event=event, phase=Phase.PRE, by=seed.staff)
    assessment.open_phase(event=event, phase=Phase.POST, by=seed.staff)
    for n, (registration, pre, gain) in enumerate(takers, start=no_test):
        if n >= pre_only:
            _take(event, registration, Phase.POST, pre + (1 - pre) * gain, key, rng)
    assessment.close_phase(event=event, phase=Phase.POST, by=seed.staff)
    issued = certificates.issue_for_event(event=event, by=seed.staff)
    revoked = Certificate.objects.filter(registration__event=event).order_by("serial").first()
    if revoked is not None:
        certificates.revoke(certificate=revoked, by=seed.staff, reason=REVOKE_REASON)
    _move(event, day, start=(8, 30), end=(12, 0), rng=rng)
    checked_in = event.registrations.filter(checked_in_at__isnull=False).count()
    return (
        f"education: {event.code} held on {day:%d-%m-%Y} with {len(registered) + 1} registrations "
        f"({checked_in} checked in), pre- and post-tests, {issued} certificates (1 revoked)"
    )


def _question_bank(seed: _Seed) -> list[Question]:
    made = []
    for text, options, explanation in QUESTIONS:
        values = {"theme": Theme.GRATIFICATION, "text": text, "explanation": explanation}
        if isinstance(options, bool):
            values["kind"] = QuestionKind.TRUE_FALSE
            choices, correct = ["", ""], 0 if options else 1
        else:
            values["kind"] = QuestionKind.SINGLE
            choices = list(options)
            seed.rng.shuffle(choices)
            correct = choices.index(options[0])
        made.append(
            assessment.question_save(
                question=Question(), values=values, options=choices, correct=correct, by=seed.staff
            )
        )
    return made


def _take(
    event: Event,
    registration: Registration,
    phase: str,
    chance: float,
    key: list[tuple[int, int, list[int]]],
    rng: random.Random,
) -> None:
    """Answer every question of ``key`` (question, right option, wrong options), each right with
    probability ``chance``."""
    answers = {}
    for question, right, wrong in key:
        answers[question] = right if rng.random() < chance else rng.choice(wrong)
    assessment.submit(event=event, phase=phase, registration=registration, answers=answers)


def _move(
    event: Event,
    day: dt.date,
    *,
    start: tuple[int, int],
    end: tuple[int, int],
    rng: random.Random,
    days: int = 1,
) -> None:
    """Date an event that was run just now on ``day`` (for ``days`` days): its times, and those
    of its registrations, check-ins, tests and certificates, in their order."""
    starts, ends = _at(day, *start), _at(day + dt.timedelta(days=days - 1), *end)
    Event.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=ends, created_at=starts - dt.timedelta(days=30)
    )
    regs = list(event.registrations.all())
    for registration in regs:
        registration.registered_at = starts - dt.timedelta(minutes=rng.randint(60, 12 * 24 * 60))
        registration.consent_at = registration.registered_at
        if registration.walk_in:
            registration.registered_at = registration.consent_at = starts
        if registration.checked_in_at is not None:
            registration.checked_in_at = starts - dt.timedelta(minutes=rng.randint(0, 40))
    Registration.objects.bulk_update(regs, ["registered_at", "consent_at", "checked_in_at"])
    subs = list(Submission.objects.filter(registration__event=event))
    for submission in subs:
        if submission.source == Submission.Source.ONLINE:
            if submission.phase == Phase.PRE:
                submission.submitted_at = starts + dt.timedelta(minutes=rng.randint(10, 25))
            else:
                submission.submitted_at = ends - dt.timedelta(minutes=rng.randint(5, 20))
    Submission.objects.bulk_update(subs, ["submitted_at"])
    pre_open = starts + dt.timedelta(minutes=5)
    EventTest.objects.filter(event=event).update(
        pre_opened_at=pre_open,
        pre_closed_at=pre_open + dt.timedelta(minutes=25),
        post_opened_at=ends - dt.timedelta(minutes=30),
        post_closed_at=ends,
    )
    certs = Certificate.objects.filter(registration__event=event)
    certs.update(issued_at=ends + dt.timedelta(days=1))
    certs.filter(revoked_at__isnull=False).update(revoked_at=ends + dt.timedelta(days=4))


# --- the training tested on paper ---------------------------------------------------------------


TRAINEES = [
    (AudienceGroup.OFFICIAL, 22),
    (AudienceGroup.STAFF, 14),
]


def _training(seed: _Seed) -> str:
    rng = seed.rng
    event = _new_event(
        seed,
        kind=Kind.TRAINING,
        title=TRAINING_TITLE,
        theme=Theme.PROCUREMENT,
        description=(
            "Bimtek dua hari bagi pejabat pembuat komitmen dan pejabat pengadaan: titik rawan "
            "korupsi dalam pengadaan, benturan kepentingan dan tanda bahaya (red flags). Tes awal "
            "dan tes akhir dikerjakan di kertas."
        ),
        venue="Ruang Rapat Inspektorat Kota Karyapura",
        audience=[AudienceGroup.OFFICIAL, AudienceGroup.STAFF],
        capacity=40,
        speakers="Inspektur Pembantu Wilayah I\nBagian Pengadaan Barang/Jasa Setda Kota Karyapura",
    )
    units = list(Unit.objects.filter(parent__isnull=True).exclude(pk=seed.organiser.pk))
    for group, count in TRAINEES:
        for _i in range(count):
            unit = rng.choice(units)
            registrations.register(event=event, person=seed.person(group, unit.name))
    came = [r for r in event.registrations.order_by("pk") if rng.random() < 0.95]
    for registration in came:
        checkin.check_in(event=event, code=tickets.code_for(registration.ticket), by=seed.staff)
    rows = ["kode_tiket;fase;nilai"]
    for n, registration in enumerate(came):
        pre = rng.randint(30, 70)
        post = min(100, pre + round((100 - pre) * rng.uniform(0.2, 0.8)))
        code = tickets.code_for(registration.ticket)
        if n != 1:  # one missed the pre-test (came on the second day)
            rows.append(f"{code};pre;{pre}")
        if n != 4:  # and one left before the post-test
            rows.append(f"{code};post;{post},5" if n % 7 == 3 else f"{code};post;{post}")
    report = imports.import_scores(
        event=event,
        data=("\n".join(rows) + "\n").encode(),
        filename="nilai-tes-bimtek-pbj.csv",
        by=seed.staff,
    )
    if not report.ok:  # pragma: no cover - the generated file is clean
        raise RuntimeError(f"demo paper scores refused: {report}")
    day = timezone.localdate(seed.now) - dt.timedelta(days=10)
    while day.weekday() >= 4:
        day -= dt.timedelta(days=1)
    _move(event, day, start=(8, 0), end=(16, 0), rng=rng, days=2)
    return (
        f"education: {event.code} (training) with {len(came)} present and "
        f"{report.stored} paper scores imported"
    )


# --- the upcoming socialization ----------------------------------------------------------------


def _upcoming(seed: _Seed) -> str:
    day = timezone.localdate(seed.now) + dt.timedelta(days=12)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    event = events.event_save(
        event=Event(),
        values={
            "kind": Kind.SOCIALIZATION,
            "title": UPCOMING_TITLE,
            "theme": Theme.WHISTLEBLOWING,
            "description": (
                "Cara menyampaikan pengaduan dugaan korupsi dan pungutan liar kepada Inspektorat, "
                "dan bagaimana kerahasiaan pelapor dijaga."
            ),
            "starts_at": _at(day, 9),
            "ends_at": _at(day, 11, 30),
            "venue": "Pendopo Kecamatan Karyapura Utara",
            "online_url": "",
            "organiser": seed.organiser,
            "audience": [AudienceGroup.COMMUNITY, AudienceGroup.STUDENT, AudienceGroup.PUBLIC],
            "capacity": 12,
            "speakers": "Inspektur Kota Karyapura",
            "registration_open": True,
        },
        by=seed.staff,
    )
    events.event_publish(event=event, by=seed.staff)
    who = [
        (AudienceGroup.COMMUNITY, "Forum Warga Peduli Integritas", 5),
        (AudienceGroup.STUDENT, "Universitas Karyapura", 6),
        (AudienceGroup.PUBLIC, "Warga Kelurahan Sukamaju", 4),
    ]
    for group, institution, count in who:
        for _i in range(count):
            registrations.register(event=event, person=seed.person(group, institution))
    waiting = event.registrations.filter(status=Registration.Status.WAITING).count()
    return (
        f"education: {event.code} on {day:%d-%m-%Y} open for registration "
        f"({event.registrations.count()} registered, {waiting} waiting)"
    )
