"""Assessment tests: a small LKE-shaped framework, built through the real import path."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from integritas.assessments.models import Framework
from integritas.assessments.services import frameworks
from integritas.assessments.services.frameworks import (
    BandData,
    ChoiceData,
    ConditionData,
    FrameworkData,
    NodeData,
    ThresholdSetData,
)
from integritas.core.models import User

TIERS = (
    ChoiceData("A", "Sudah sepenuhnya", D("1")),
    ChoiceData("B", "Sebagian besar", D("0.75")),
    ChoiceData("C", "Sebagian", D("0.5")),
    ChoiceData("D", "Sebagian kecil", D("0.25")),
    ChoiceData("E", "Belum", D("0")),
)


def small_data(year: int = 2026) -> FrameworkData:
    """Enablers 60 (two areas) and results 40 (IPAK, IPKP, performance), a WBK threshold set."""
    return FrameworkData(
        kind="lke",
        year=year,
        title=f"LKE Zona Integritas {year}",
        guideline_reference="PermenPANRB 90/2021 jo. 5/2024",
        nodes=(
            NodeData("P", "component", "Pengungkit", D("60"), name_en="Enablers"),
            NodeData("MP", "area", "Manajemen Perubahan", D("20"), parent="P"),
            NodeData(
                "MP.1",
                "question",
                "Tim kerja telah dibentuk",
                D("10"),
                parent="MP",
                method="choice",
                choices=TIERS,
                units=("DINKES",),
            ),
            NodeData(
                "MP.2", "question", "Rencana kerja ada", D("10"), parent="MP", method="yes_no"
            ),
            NodeData("PW", "area", "Penguatan Pengawasan", D("40"), parent="P"),
            NodeData(
                "PW.1",
                "question",
                "Dokumen pengendalian gratifikasi",
                D("40"),
                parent="PW",
                method="documents",
                required_documents=4,
                responsible="Sekretaris",
            ),
            NodeData("H", "component", "Hasil", D("40"), name_en="Results"),
            NodeData(
                "IPAK",
                "question",
                "Indeks Persepsi Antikorupsi",
                D("17.5"),
                parent="H",
                method="scale",
            ),
            NodeData("KIN", "question", "Capaian kinerja", D("5"), parent="H", method="percent"),
            NodeData(
                "IPKP",
                "question",
                "Indeks Persepsi Kualitas Pelayanan",
                D("17.5"),
                parent="H",
                method="scale",
            ),
        ),
        threshold_sets=(
            ThresholdSetData(
                "WBK",
                "Wilayah Bebas dari Korupsi",
                conditions=(
                    ConditionData("total", D("75"), "Nilai total"),
                    ConditionData("each", D("0.6"), "Setiap area", target="area", measure="share"),
                    ConditionData("node", D("3.6"), "IPAK", target="IPAK", measure="value"),
                ),
            ),
        ),
        bands=(
            BandData(D("0"), "red", "Merah", "Red"),
            BandData(D("25"), "yellow"),
            BandData(D("50"), "blue"),
            BandData(D("75"), "green"),
        ),
    )


def make_framework(by: User | None = None, year: int = 2026) -> Framework:
    return frameworks.create_framework(data=small_data(year), by=by, source="lke.xlsx")


@pytest.fixture
def framework(world: object) -> Framework:
    return make_framework()
