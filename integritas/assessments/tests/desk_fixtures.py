"""A small active MCSP framework and its document desk, for the desk's tests.

Two areas of 50 points: planning (PRC.1, two documents required, assigned to DINKES; PRC.2
yes/no, DISDIK) and procurement (PBJ.1, one document, DINKES and DISDIK)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

from django.utils import timezone

from integritas.assessments.models import Assessment, Framework
from integritas.assessments.services import desk, frameworks
from integritas.assessments.services.frameworks import BandData, FrameworkData, NodeData

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(text: str = "") -> io.BytesIO:
    return io.BytesIO(PDF + text.encode())


def mcsp_data(year: int = 2026) -> FrameworkData:
    return FrameworkData(
        kind="mcsp",
        year=year,
        title=f"MCSP {year}",
        nodes=(
            NodeData("PRC", "area", "Perencanaan", D("50"), name_en="Planning"),
            NodeData(
                "PRC.1",
                "requirement",
                "RKPD memuat pokok pikiran DPRD",
                D("30"),
                parent="PRC",
                method="documents",
                required_documents=2,
                responsible="Kepala Bappeda",
                units=("DINKES",),
            ),
            NodeData(
                "PRC.2",
                "requirement",
                "E-planning terintegrasi",
                D("20"),
                parent="PRC",
                method="yes_no",
                responsible="Kepala Bappeda",
                units=("DISDIK",),
            ),
            NodeData("PBJ", "area", "Pengadaan Barang dan Jasa", D("50")),
            NodeData(
                "PBJ.1",
                "requirement",
                "Rencana umum pengadaan diumumkan",
                D("50"),
                parent="PBJ",
                method="documents",
                required_documents=1,
                responsible="Kepala Bagian PBJ",
                units=("DINKES", "DISDIK"),
            ),
        ),
        bands=(BandData(D("0"), "red"), BandData(D("50"), "blue"), BandData(D("75"), "green")),
    )


def active_mcsp(year: int = 2026) -> Framework:
    framework = frameworks.create_framework(data=mcsp_data(year), by=None)
    return frameworks.activate(framework=framework, by=None)


def open_desk(year: int = 2026, *, days_left: int = 10) -> Assessment:
    deadline = timezone.now() + dt.timedelta(days=days_left)
    return desk.open_assessment(framework=active_mcsp(year), upload_deadline=deadline, by=None)
