"""Official non-working days 2024–2027, seeded by migration ``calendar_seed_holidays``.

National holidays (libur nasional) and collective leave days (cuti bersama) are set each year by a
joint decree of the Ministers of Religious Affairs, Manpower, and Administrative Reform (SKB 3
Menteri); election days are added by presidential decree (Keppres). Weekend dates are listed too,
as the decree lists them; they do not change any working-day count.

Checked against the published decree lists and the ``holidays`` package (Indonesia, "government"
category for cuti bersama). 2027 is seeded as *provisional*: its Islamic holidays follow the
announced list but may move after the Minister of Religious Affairs' isbat decision, so an
administrator must check the year against the decree and mark it confirmed.

This module is data for migrations: changing an entry here does not change a database that has
already been seeded. Corrections go in a new data migration or through the administrator screens.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

NATIONAL = "national"
COLLECTIVE_LEAVE = "collective_leave"


class SeedYear(NamedTuple):
    year: int
    decree: str
    confirmed: bool
    note: str


class SeedHoliday(NamedTuple):
    date: dt.date
    name: str  # Indonesian, as in the decree
    name_en: str
    kind: str
    source: str = ""  # only when it differs from the year's decree


SKB_2024 = (
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 855 Tahun 2023, "
    "Nomor 3 Tahun 2023, Nomor 4 Tahun 2023, diubah dengan Nomor 236 Tahun 2024, "
    "Nomor 1 Tahun 2024, Nomor 2 Tahun 2024"
)
SKB_2025 = (
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1017 Tahun 2024, "
    "Nomor 2 Tahun 2024, Nomor 2 Tahun 2024"
)
SKB_2025_CHANGE = (
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 933 Tahun 2025, "
    "Nomor 1 Tahun 2025, Nomor 3 Tahun 2025 (perubahan, 7 Agustus 2025)"
)
SKB_2026 = (
    "SKB Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1497 Tahun 2025, "
    "Nomor 2 Tahun 2025, Nomor 5 Tahun 2025 (19 September 2025)"
)
SKB_2027 = "SKB 3 Menteri tentang Hari Libur Nasional dan Cuti Bersama Tahun 2027"

YEARS: tuple[SeedYear, ...] = (
    SeedYear(2024, SKB_2024, True, ""),
    SeedYear(2025, SKB_2025, True, ""),
    SeedYear(2026, SKB_2026, True, ""),
    SeedYear(
        2027,
        SKB_2027,
        False,
        "Provisional: entered from the announced list before its decree number was recorded. "
        "Check every date against the decree (Islamic holidays may move after the isbat "
        "decision), enter the decree number and mark the year confirmed.",
    ),
)

_N, _C = NATIONAL, COLLECTIVE_LEAVE
D = dt.date

HOLIDAYS: tuple[SeedHoliday, ...] = (
    # --- 2024 ---
    SeedHoliday(D(2024, 1, 1), "Tahun Baru 2024 Masehi", "New Year's Day", _N),
    SeedHoliday(D(2024, 2, 8), "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj", _N),
    SeedHoliday(D(2024, 2, 9), "Cuti Bersama Tahun Baru Imlek", "Lunar New Year leave", _C),
    SeedHoliday(D(2024, 2, 10), "Tahun Baru Imlek 2575 Kongzili", "Lunar New Year", _N),
    SeedHoliday(
        D(2024, 2, 14),
        "Hari Pemungutan Suara Pemilihan Umum 2024",
        "General election day",
        _N,
        "Keputusan Presiden Nomor 10 Tahun 2024",
    ),
    SeedHoliday(D(2024, 3, 11), "Hari Suci Nyepi Tahun Baru Saka 1946", "Day of Silence", _N),
    SeedHoliday(D(2024, 3, 12), "Cuti Bersama Hari Suci Nyepi", "Day of Silence leave", _C),
    SeedHoliday(D(2024, 3, 29), "Wafat Yesus Kristus", "Good Friday", _N),
    SeedHoliday(D(2024, 3, 31), "Hari Paskah", "Easter Sunday", _N),
    SeedHoliday(D(2024, 4, 8), "Cuti Bersama Idul Fitri 1445 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2024, 4, 9), "Cuti Bersama Idul Fitri 1445 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2024, 4, 10), "Hari Raya Idul Fitri 1445 H", "Eid al-Fitr", _N),
    SeedHoliday(D(2024, 4, 11), "Hari Raya Idul Fitri 1445 H", "Eid al-Fitr (second day)", _N),
    SeedHoliday(D(2024, 4, 12), "Cuti Bersama Idul Fitri 1445 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2024, 4, 15), "Cuti Bersama Idul Fitri 1445 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2024, 5, 1), "Hari Buruh Internasional", "International Labour Day", _N),
    SeedHoliday(D(2024, 5, 9), "Kenaikan Yesus Kristus", "Ascension Day", _N),
    SeedHoliday(D(2024, 5, 10), "Cuti Bersama Kenaikan Yesus Kristus", "Ascension Day leave", _C),
    SeedHoliday(D(2024, 5, 23), "Hari Raya Waisak 2568 BE", "Vesak Day", _N),
    SeedHoliday(D(2024, 5, 24), "Cuti Bersama Hari Raya Waisak", "Vesak Day leave", _C),
    SeedHoliday(D(2024, 6, 1), "Hari Lahir Pancasila", "Pancasila Day", _N),
    SeedHoliday(D(2024, 6, 17), "Hari Raya Idul Adha 1445 H", "Eid al-Adha", _N),
    SeedHoliday(D(2024, 6, 18), "Cuti Bersama Idul Adha 1445 H", "Eid al-Adha leave", _C),
    SeedHoliday(D(2024, 7, 7), "Tahun Baru Islam 1446 H", "Islamic New Year", _N),
    SeedHoliday(D(2024, 8, 17), "Hari Kemerdekaan Republik Indonesia", "Independence Day", _N),
    SeedHoliday(D(2024, 9, 16), "Maulid Nabi Muhammad SAW", "Prophet's Birthday", _N),
    SeedHoliday(
        D(2024, 11, 27),
        "Hari Pemungutan Suara Pemilihan Kepala Daerah Serentak 2024",
        "Regional election day",
        _N,
        "Keputusan Presiden Nomor 33 Tahun 2024",
    ),
    SeedHoliday(D(2024, 12, 25), "Hari Raya Natal", "Christmas Day", _N),
    SeedHoliday(D(2024, 12, 26), "Cuti Bersama Hari Raya Natal", "Christmas leave", _C),
    # --- 2025 ---
    SeedHoliday(D(2025, 1, 1), "Tahun Baru 2025 Masehi", "New Year's Day", _N),
    SeedHoliday(D(2025, 1, 27), "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj", _N),
    SeedHoliday(D(2025, 1, 28), "Cuti Bersama Tahun Baru Imlek", "Lunar New Year leave", _C),
    SeedHoliday(D(2025, 1, 29), "Tahun Baru Imlek 2576 Kongzili", "Lunar New Year", _N),
    SeedHoliday(D(2025, 3, 28), "Cuti Bersama Hari Suci Nyepi", "Day of Silence leave", _C),
    SeedHoliday(D(2025, 3, 29), "Hari Suci Nyepi Tahun Baru Saka 1947", "Day of Silence", _N),
    SeedHoliday(D(2025, 3, 31), "Hari Raya Idul Fitri 1446 H", "Eid al-Fitr", _N),
    SeedHoliday(D(2025, 4, 1), "Hari Raya Idul Fitri 1446 H", "Eid al-Fitr (second day)", _N),
    SeedHoliday(D(2025, 4, 2), "Cuti Bersama Idul Fitri 1446 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2025, 4, 3), "Cuti Bersama Idul Fitri 1446 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2025, 4, 4), "Cuti Bersama Idul Fitri 1446 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2025, 4, 7), "Cuti Bersama Idul Fitri 1446 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2025, 4, 18), "Wafat Yesus Kristus", "Good Friday", _N),
    SeedHoliday(D(2025, 4, 20), "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday", _N),
    SeedHoliday(D(2025, 5, 1), "Hari Buruh Internasional", "International Labour Day", _N),
    SeedHoliday(D(2025, 5, 12), "Hari Raya Waisak 2569 BE", "Vesak Day", _N),
    SeedHoliday(D(2025, 5, 13), "Cuti Bersama Hari Raya Waisak", "Vesak Day leave", _C),
    SeedHoliday(D(2025, 5, 29), "Kenaikan Yesus Kristus", "Ascension Day", _N),
    SeedHoliday(D(2025, 5, 30), "Cuti Bersama Kenaikan Yesus Kristus", "Ascension Day leave", _C),
    SeedHoliday(D(2025, 6, 1), "Hari Lahir Pancasila", "Pancasila Day", _N),
    SeedHoliday(D(2025, 6, 6), "Hari Raya Idul Adha 1446 H", "Eid al-Adha", _N),
    SeedHoliday(D(2025, 6, 9), "Cuti Bersama Idul Adha 1446 H", "Eid al-Adha leave", _C),
    SeedHoliday(D(2025, 6, 27), "Tahun Baru Islam 1447 H", "Islamic New Year", _N),
    SeedHoliday(D(2025, 8, 17), "Hari Kemerdekaan Republik Indonesia", "Independence Day", _N),
    SeedHoliday(
        D(2025, 8, 18),
        "Cuti Bersama Hari Kemerdekaan Republik Indonesia",
        "Independence Day leave",
        _C,
        SKB_2025_CHANGE,
    ),
    SeedHoliday(D(2025, 9, 5), "Maulid Nabi Muhammad SAW", "Prophet's Birthday", _N),
    SeedHoliday(D(2025, 12, 25), "Hari Raya Natal", "Christmas Day", _N),
    SeedHoliday(D(2025, 12, 26), "Cuti Bersama Hari Raya Natal", "Christmas leave", _C),
    # --- 2026 ---
    SeedHoliday(D(2026, 1, 1), "Tahun Baru 2026 Masehi", "New Year's Day", _N),
    SeedHoliday(D(2026, 1, 16), "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj", _N),
    SeedHoliday(D(2026, 2, 16), "Cuti Bersama Tahun Baru Imlek", "Lunar New Year leave", _C),
    SeedHoliday(D(2026, 2, 17), "Tahun Baru Imlek 2577 Kongzili", "Lunar New Year", _N),
    SeedHoliday(D(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi", "Day of Silence leave", _C),
    SeedHoliday(D(2026, 3, 19), "Hari Suci Nyepi Tahun Baru Saka 1948", "Day of Silence", _N),
    SeedHoliday(D(2026, 3, 20), "Cuti Bersama Idul Fitri 1447 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2026, 3, 21), "Hari Raya Idul Fitri 1447 H", "Eid al-Fitr", _N),
    SeedHoliday(D(2026, 3, 22), "Hari Raya Idul Fitri 1447 H", "Eid al-Fitr (second day)", _N),
    SeedHoliday(D(2026, 3, 23), "Cuti Bersama Idul Fitri 1447 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2026, 3, 24), "Cuti Bersama Idul Fitri 1447 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2026, 4, 3), "Wafat Yesus Kristus", "Good Friday", _N),
    SeedHoliday(D(2026, 4, 5), "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday", _N),
    SeedHoliday(D(2026, 5, 1), "Hari Buruh Internasional", "International Labour Day", _N),
    SeedHoliday(D(2026, 5, 14), "Kenaikan Yesus Kristus", "Ascension Day", _N),
    SeedHoliday(D(2026, 5, 15), "Cuti Bersama Kenaikan Yesus Kristus", "Ascension Day leave", _C),
    SeedHoliday(D(2026, 5, 27), "Hari Raya Idul Adha 1447 H", "Eid al-Adha", _N),
    SeedHoliday(D(2026, 5, 28), "Cuti Bersama Idul Adha 1447 H", "Eid al-Adha leave", _C),
    SeedHoliday(D(2026, 5, 31), "Hari Raya Waisak 2570 BE", "Vesak Day", _N),
    SeedHoliday(D(2026, 6, 1), "Hari Lahir Pancasila", "Pancasila Day", _N),
    SeedHoliday(D(2026, 6, 16), "Tahun Baru Islam 1448 H", "Islamic New Year", _N),
    SeedHoliday(D(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia", "Independence Day", _N),
    SeedHoliday(D(2026, 8, 25), "Maulid Nabi Muhammad SAW", "Prophet's Birthday", _N),
    SeedHoliday(D(2026, 12, 24), "Cuti Bersama Hari Raya Natal", "Christmas leave", _C),
    SeedHoliday(D(2026, 12, 25), "Hari Raya Natal", "Christmas Day", _N),
    # --- 2027 (provisional) ---
    SeedHoliday(D(2027, 1, 1), "Tahun Baru 2027 Masehi", "New Year's Day", _N),
    SeedHoliday(D(2027, 1, 5), "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj", _N),
    SeedHoliday(D(2027, 2, 5), "Cuti Bersama Tahun Baru Imlek", "Lunar New Year leave", _C),
    SeedHoliday(D(2027, 2, 6), "Tahun Baru Imlek 2578 Kongzili", "Lunar New Year", _N),
    SeedHoliday(D(2027, 3, 8), "Hari Suci Nyepi Tahun Baru Saka 1949", "Day of Silence", _N),
    SeedHoliday(D(2027, 3, 9), "Cuti Bersama Idul Fitri 1448 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2027, 3, 10), "Hari Raya Idul Fitri 1448 H", "Eid al-Fitr", _N),
    SeedHoliday(D(2027, 3, 11), "Hari Raya Idul Fitri 1448 H", "Eid al-Fitr (second day)", _N),
    SeedHoliday(D(2027, 3, 12), "Cuti Bersama Idul Fitri 1448 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2027, 3, 15), "Cuti Bersama Idul Fitri 1448 H", "Eid al-Fitr leave", _C),
    SeedHoliday(D(2027, 3, 25), "Cuti Bersama Wafat Yesus Kristus", "Good Friday leave", _C),
    SeedHoliday(D(2027, 3, 26), "Wafat Yesus Kristus", "Good Friday", _N),
    SeedHoliday(D(2027, 3, 28), "Kebangkitan Yesus Kristus (Paskah)", "Easter Sunday", _N),
    SeedHoliday(D(2027, 5, 1), "Hari Buruh Internasional", "International Labour Day", _N),
    SeedHoliday(D(2027, 5, 6), "Kenaikan Yesus Kristus", "Ascension Day", _N),
    SeedHoliday(D(2027, 5, 17), "Hari Raya Idul Adha 1448 H", "Eid al-Adha", _N),
    SeedHoliday(D(2027, 5, 18), "Cuti Bersama Idul Adha 1448 H", "Eid al-Adha leave", _C),
    SeedHoliday(D(2027, 5, 19), "Cuti Bersama Hari Raya Waisak", "Vesak Day leave", _C),
    SeedHoliday(D(2027, 5, 20), "Hari Raya Waisak 2571 BE", "Vesak Day", _N),
    SeedHoliday(D(2027, 6, 1), "Hari Lahir Pancasila", "Pancasila Day", _N),
    SeedHoliday(D(2027, 6, 6), "Tahun Baru Islam 1449 H", "Islamic New Year", _N),
    SeedHoliday(D(2027, 8, 15), "Maulid Nabi Muhammad SAW", "Prophet's Birthday", _N),
    SeedHoliday(D(2027, 8, 17), "Hari Kemerdekaan Republik Indonesia", "Independence Day", _N),
    SeedHoliday(D(2027, 12, 24), "Cuti Bersama Hari Raya Natal", "Christmas leave", _C),
    SeedHoliday(D(2027, 12, 25), "Hari Raya Natal", "Christmas Day", _N),
    SeedHoliday(D(2027, 12, 26), "Isra Mikraj Nabi Muhammad SAW", "Isra and Mi'raj", _N),
)
