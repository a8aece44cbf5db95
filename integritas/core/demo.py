"""A fictional city for demonstrations and manual testing: Kota Karyapura.

Every name here is invented. The data is built through the same services as the screens, so
each created object has its audit event; running it again creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.db import transaction

from integritas.audit.context import acting_as
from integritas.core.models import FiscalYear, Government, Role, RoleAssignment, Unit, User
from integritas.core.services.government import fiscal_year_save, government_save
from integritas.core.services.people import role_grant, user_create
from integritas.core.services.units import unit_create, unit_update

DEMO_PASSWORD = "karyapura-demo-2026"  # noqa: S105 - printed on purpose, demo mode only

T = Unit.Type
# (code, name, type, parent code, size class)
UNITS: list[tuple[str, str, str, str | None, str]] = [
    ("SETDA", "Sekretariat Daerah", T.SECRETARIAT, None, "large"),
    ("SETDA.PEM", "Bagian Tata Pemerintahan", T.DIVISION, "SETDA", "small"),
    ("SETDA.HUK", "Bagian Hukum", T.DIVISION, "SETDA", "small"),
    ("SETDA.PBJ", "Bagian Pengadaan Barang dan Jasa", T.DIVISION, "SETDA", "small"),
    ("SETDA.ORG", "Bagian Organisasi", T.DIVISION, "SETDA", "small"),
    ("SETWAN", "Sekretariat DPRD", T.SECRETARIAT, None, "medium"),
    ("INSP", "Inspektorat Daerah", T.INSPECTORATE, None, "medium"),
    (
        "BAPPEDA",
        "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
        T.AGENCY,
        None,
        "medium",
    ),
    ("BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah", T.AGENCY, None, "large"),
    ("BAPENDA", "Badan Pendapatan Daerah", T.AGENCY, None, "medium"),
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", T.AGENCY, None, "medium"),
    ("BPBD", "Badan Penanggulangan Bencana Daerah", T.AGENCY, None, "small"),
    ("DISDIK", "Dinas Pendidikan", T.OFFICE, None, "large"),
    (
        "DISDIK.PAUD",
        "UPTD Pengembangan PAUD dan Pendidikan Nonformal",
        T.TECHNICAL_UNIT,
        "DISDIK",
        "small",
    ),
    ("DINKES", "Dinas Kesehatan", T.OFFICE, None, "large"),
    ("DINKES.PKM-UTR", "UPTD Puskesmas Karyapura Utara", T.TECHNICAL_UNIT, "DINKES", "small"),
    ("DINKES.PKM-SLT", "UPTD Puskesmas Karyapura Selatan", T.TECHNICAL_UNIT, "DINKES", "small"),
    ("DINKES.LABKES", "UPTD Laboratorium Kesehatan Daerah", T.TECHNICAL_UNIT, "DINKES", "small"),
    ("RSUD", "RSUD Kota Karyapura", T.HOSPITAL, None, "large"),
    ("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", T.OFFICE, None, "large"),
    ("DISHUB", "Dinas Perhubungan", T.OFFICE, None, "medium"),
    ("DISHUB.PKB", "UPTD Pengujian Kendaraan Bermotor", T.TECHNICAL_UNIT, "DISHUB", "small"),
    ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", T.OFFICE, None, "medium"),
    ("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", T.OFFICE, None, "medium"),
    ("DINSOS", "Dinas Sosial", T.OFFICE, None, "medium"),
    ("DLH", "Dinas Lingkungan Hidup", T.OFFICE, None, "medium"),
    ("DLH.SAMPAH", "UPTD Pengelolaan Sampah", T.TECHNICAL_UNIT, "DLH", "small"),
    ("DISKOMINFO", "Dinas Komunikasi dan Informatika", T.OFFICE, None, "small"),
    ("SATPOLPP", "Satuan Polisi Pamong Praja", T.OFFICE, None, "medium"),
    ("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", T.OFFICE, None, "medium"),
    ("KEC.UTR", "Kecamatan Karyapura Utara", T.DISTRICT, None, "small"),
    ("KEC.UTR.01", "Kelurahan Sindangsari", T.SUBDISTRICT, "KEC.UTR", "small"),
    ("KEC.UTR.02", "Kelurahan Mekarjaya", T.SUBDISTRICT, "KEC.UTR", "small"),
    ("KEC.UTR.03", "Kelurahan Tanjungwangi", T.SUBDISTRICT, "KEC.UTR", "small"),
    ("KEC.SLT", "Kecamatan Karyapura Selatan", T.DISTRICT, None, "small"),
    ("KEC.SLT.01", "Kelurahan Cikaret Hilir", T.SUBDISTRICT, "KEC.SLT", "small"),
    ("KEC.SLT.02", "Kelurahan Pasirwaru", T.SUBDISTRICT, "KEC.SLT", "small"),
    ("KEC.TMR", "Kecamatan Karyapura Timur", T.DISTRICT, None, "small"),
    ("KEC.TMR.01", "Kelurahan Babakan Asri", T.SUBDISTRICT, "KEC.TMR", "small"),
    ("KEC.TMR.02", "Kelurahan Sukaluyu Wetan", T.SUBDISTRICT, "KEC.TMR", "small"),
    ("KEC.BRT", "Kecamatan Karyapura Barat", T.DISTRICT, None, "small"),
    ("KEC.BRT.01", "Kelurahan Jatimekar", T.SUBDISTRICT, "KEC.BRT", "small"),
    ("KEC.BRT.02", "Kelurahan Karangsetra", T.SUBDISTRICT, "KEC.BRT", "small"),
]

GIVEN = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Oki",
    "Putri",
    "Rizky",
    "Sari",
    "Teguh",
    "Utami",
    "Wahyu",
    "Yulia",
    "Zainal",
    "Ratna",
    "Bambang",
    "Siti",
    "Asep",
    "Dian",
    "Hadi",
    "Ikhsan",
]
FAMILY = [
    "Pratama",
    "Santoso",
    "Wijaya",
    "Lestari",
    "Hidayat",
    "Kusuma",
    "Saputra",
    "Permana",
    "Rahmawati",
    "Nugroho",
    "Setiawan",
    "Maulana",
    "Handayani",
    "Firmansyah",
    "Suryadi",
    "Ramadhan",
    "Anggraini",
    "Gunawan",
    "Fauzi",
    "Puspitasari",
]


@dataclass(frozen=True)
class DemoPerson:
    username: str
    name: str
    position: str
    unit_code: str | None
    roles: tuple[tuple[str, str | None], ...]


@dataclass
class DemoResult:
    units_created: int = 0
    users_created: int = 0
    roles_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (username, name, roles)


# The officials who sign reports: the inspector general and, on their behalf, an assistant inspector.
SIGNERS = frozenset({"inspektur", "irban1"})


def _people() -> list[DemoPerson]:
    fixed = [
        DemoPerson(
            "admin",
            "Rudi Hartono",
            "Pranata Komputer Ahli Muda",
            "DISKOMINFO",
            ((Role.ADMINISTRATOR, None),),
        ),
        DemoPerson(
            "inspektur",
            "Dra. Endang Sulastri, M.Si.",
            "Inspektur Daerah",
            "INSP",
            ((Role.INSPECTOR_GENERAL, None),),
        ),
        DemoPerson(
            "irban1",
            "Ahmad Fauzan, S.E., Ak.",
            "Inspektur Pembantu Wilayah I",
            "INSP",
            ((Role.INSPECTOR, None),),
        ),
        DemoPerson(
            "irban2",
            "Ratih Permatasari, S.H.",
            "Inspektur Pembantu Wilayah II",
            "INSP",
            ((Role.INSPECTOR, None),),
        ),
        DemoPerson("walikota", "H. Surya Adinata", "Wali Kota", None, ((Role.LEADERSHIP, None),)),
        DemoPerson(
            "sekda",
            "Ir. Bonifasius Tarigan, M.T.",
            "Sekretaris Daerah",
            "SETDA",
            ((Role.LEADERSHIP, None),),
        ),
        DemoPerson(
            "penangan",
            "Nadia Kurniasih, S.H.",
            "Auditor Ahli Pertama",
            "INSP",
            ((Role.COMPLAINT_HANDLER, None),),
        ),
        DemoPerson(
            "kustodian",
            "Yohanes Pardede, S.Kom.",
            "Auditor Ahli Muda",
            "INSP",
            ((Role.IDENTITY_CUSTODIAN, None),),
        ),
        DemoPerson(
            "upg.kepala",
            "Drs. Wayan Sudarsana, M.Si.",
            "Sekretaris Inspektorat, Kepala UPG",
            "INSP",
            ((Role.UPG_HEAD, None),),
        ),
        DemoPerson(
            "upg.petugas",
            "Fitri Handayani, S.E.",
            "Auditor Ahli Pertama, Petugas UPG",
            "INSP",
            ((Role.UPG_OFFICER, None),),
        ),
    ]
    rng = random.Random(20240529)  # fixed seed: the same people every run
    generated: list[DemoPerson] = []
    for code, name, _type, parent, _size in UNITS:
        if parent is not None or code == "INSP":
            continue
        slug = code.lower().replace(".", "")
        head_name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        officer_name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        generated.append(
            DemoPerson(
                f"kepala.{slug}", head_name, f"Kepala {name}", code, ((Role.UNIT_HEAD, code),)
            )
        )
        generated.append(
            DemoPerson(
                f"operator.{slug}",
                officer_name,
                "Admin Penghubung",
                code,
                ((Role.UNIT_OFFICER, code),),
            )
        )
    return fixed + generated


def _nip(rng: random.Random, female: bool) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(0, 22 * 365))
    appointed = birth.year + rng.randrange(23, 30)
    return f"{birth:%Y%m%d}{appointed}{rng.randrange(1, 13):02d}{2 if female else 1}{rng.randrange(1, 999):03d}"


@transaction.atomic
def seed(*, password: str | None) -> DemoResult:
    """Create the demo city. ``password`` is given to new accounts; None leaves them unusable."""
    result = DemoResult()
    with acting_as(label="seed_demo"):
        if Government.current() is None:
            government_save(
                government=Government(),
                values={
                    "name": "Pemerintah Kota Karyapura",
                    "kind": Government.Kind.CITY,
                    "province": "Provinsi Nusantara Tengah (fiktif)",
                    "address": "Jalan Merdeka Raya No. 1, Karyapura 40999",
                    "phone": "(0299) 555-0100",
                    "email": "inspektorat@karyapura.example",
                    "website": "https://karyapura.example",
                    "signing_place": "Karyapura",
                    "report_number_pattern": "700/…/Itda/{roman_month}/{year}",
                },
            )
        for year in (2024, 2025, 2026, 2027):
            if not FiscalYear.objects.filter(year=year).exists():
                status = {2026: FiscalYear.Status.OPEN, 2027: FiscalYear.Status.PLANNING}.get(
                    year, FiscalYear.Status.CLOSED
                )
                fiscal_year_save(
                    fiscal_year=FiscalYear(),
                    values={"year": year, "status": status, **FiscalYear.defaults_for(year)},
                )
        by_code = {u.code: u for u in Unit.objects.all()}
        for code, name, unit_type, parent, size in UNITS:
            if code in by_code:
                continue
            by_code[code] = unit_create(
                values={
                    "code": code,
                    "name": name,
                    "type": unit_type,
                    "parent": by_code[parent] if parent else None,
                    "size_class": size,
                }
            )
            result.units_created += 1
        rng = random.Random(1838)
        for person in _people():
            user = User.objects.filter(username=person.username).first()
            if user is None:
                female = person.name.split()[0].rstrip(".") in {
                    "Citra",
                    "Dewi",
                    "Fitri",
                    "Indah",
                    "Kartika",
                    "Lestari",
                    "Maya",
                    "Putri",
                    "Sari",
                    "Utami",
                    "Yulia",
                    "Ratna",
                    "Siti",
                    "Dian",
                    "Nadia",
                    "Ratih",
                    "Dra",
                }
                user = user_create(
                    values={
                        "username": person.username,
                        "name": person.name,
                        "email": f"{person.username}@karyapura.example",
                        "nip": _nip(rng, female) if person.username != "walikota" else None,
                        "position": person.position,
                        "can_sign": person.username in SIGNERS,
                        "unit": by_code.get(person.unit_code) if person.unit_code else None,
                    },
                    password=password,
                )
                result.users_created += 1
            for role, unit_code in person.roles:
                unit = by_code[unit_code] if unit_code else None
                if not RoleAssignment.objects.filter(user=user, role=role, unit=unit).exists():
                    role_grant(user=user, role=role, unit=unit, by=None)
                    result.roles_created += 1
                if role == Role.UNIT_HEAD and unit is not None and unit.head_id is None:
                    unit_update(unit=unit, values={"head": user})
            roles = ", ".join(str(a) for a in user.role_assignments.select_related("unit"))
            result.logins.append((user.username, user.name, roles))
    return result
