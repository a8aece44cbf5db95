"""Import KPK's published SPI results and the list of institutions from CSV or XLSX.

Both imports check every row first and write only when nothing is wrong, in one transaction with
one audit event; the report lists every bad cell by spreadsheet row and column. The columns are
documented in docs/spi-results.md; Indonesian and English header spellings are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import changes_between
from integritas.indices.models import Institution, SpiResult
from integritas.indices.services.official import DIMENSION_BY_CODE, DIMENSIONS, TWO_PLACES
from integritas.lib.imports import (
    HEADER_ROW,
    Cells,
    Column,
    Importer,
    ImportReport,
    header_key,
    match_headers,
    read_or_report,
    report_missing,
    run_import,
)
from integritas.lib.spreadsheets import Table

FIRST_YEAR = 2016
# Institution codes that would clash with the page addresses under spi/institutions/.
RESERVED_CODES = frozenset({"add", "import"})
MAX_FILE_BYTES = 2 * 1024 * 1024
_DIM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
_NAME_MAX = Institution._meta.get_field("name").max_length or 200
_PROVINCE_MAX = Institution._meta.get_field("province").max_length or 100
_SOURCE_MAX = SpiResult._meta.get_field("source").max_length or 300


def name_key(text: str) -> str:
    """Institution names match ignoring case and repeated spaces."""
    return " ".join(text.split()).casefold()


def _read(data: bytes, filename: str, report: ImportReport) -> Table | None:
    if len(data) > MAX_FILE_BYTES:
        report.fail_file(
            _("The file is larger than %(mb)d MB; an SPI file is much smaller.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
        return None
    return read_or_report(data, filename, report)


def parse_score(text: str) -> Decimal:
    """A score as typed in Indonesian or English: "71,53", "71.53", "71". Raises ValueError."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned:
        if "." in cleaned or cleaned.count(",") > 1:
            raise ValueError(text)
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


# --- SPI results -------------------------------------------------------------------------------

RESULT_COLUMNS = [
    Column(
        "code",
        False,
        gettext_lazy(
            "Institution code as saved on the institutions page (kode). "
            "Give the code or the name, or both."
        ),
        ("kode", "institution_code", "kode_instansi", "kode_institusi"),
    ),
    Column(
        "name",
        False,
        gettext_lazy("Institution name exactly as saved, e.g. Kabupaten Bekasi (nama)."),
        (
            "nama",
            "institution",
            "institution_name",
            "instansi",
            "nama_instansi",
            "k_l_pd",
            "nama_k_l_pd",
        ),
    ),
    Column(
        "year", True, gettext_lazy("Survey year, e.g. 2024 (tahun)."), ("tahun", "tahun_survei")
    ),
    Column(
        "index",
        True,
        gettext_lazy("Final index after correction, 0–100 (indeks akhir, nilai SPI)."),
        tuple(
            (
                "final_index indeks indeks_akhir indeks_integritas indeks_spi nilai_spi "
                "nilai_akhir spi score skor skor_akhir nilai"
            ).split()
        ),
    ),
    Column(
        "internal",
        False,
        gettext_lazy("Internal respondents' score, 0–100 (internal)."),
        ("internal_score", "skor_internal", "nilai_internal", "indeks_internal"),
    ),
    Column(
        "external",
        False,
        gettext_lazy("External respondents' score, 0–100 (eksternal)."),
        tuple("eksternal external_score skor_eksternal nilai_eksternal indeks_eksternal".split()),
    ),
    Column(
        "expert",
        False,
        gettext_lazy("Experts' score, 0–100 (eksper, ahli)."),
        tuple(
            (
                "eksper ahli pakar expert_score skor_eksper nilai_eksper indeks_eksper "
                "skor_ahli nilai_ahli"
            ).split()
        ),
    ),
    Column(
        "correction",
        False,
        gettext_lazy("Correction points subtracted, 0–100 (koreksi)."),
        tuple("correction_factor koreksi faktor_koreksi nilai_koreksi pengurang".split()),
    ),
    Column(
        "source",
        False,
        gettext_lazy("Where the figures come from, e.g. the KPK release (sumber)."),
        ("sumber",),
    ),
    Column(
        "dim:<code>",
        False,
        gettext_lazy(
            "Dimension scores, 0–100: one column per dimension, headed dim: and its code "
            "(e.g. dim:INT-PROC) or the dimension's name (e.g. Pengadaan barang dan jasa)."
        ),
    ),
]
# Columns written by the results export for the reader, or row numbers and ranks that published
# tables carry: read past.
_RESULT_IGNORED = (
    "no nomor rank ranking peringkat category kategori type kind jenis size_class ukuran "
    "province provinsi"
).split()
# What the header row is matched against: the columns above, and each dimension by its code and
# its names.
_RESULT_HEADERS = [
    *RESULT_COLUMNS[:-1],
    *(Column(f"dim:{d.code}", aliases=(d.code, *d.aliases)) for d in DIMENSIONS),
]
_SCORE_FIELDS = ("index", "internal", "external", "expert", "correction")
_SCORE_LABELS = {
    "index": gettext_lazy("final index"),
    "internal": gettext_lazy("internal score"),
    "external": gettext_lazy("external score"),
    "expert": gettext_lazy("expert score"),
    "correction": gettext_lazy("correction"),
}


@dataclass
class ResultRow:
    """One checked row, ready to be saved."""

    row: int
    institution: Institution
    year: int
    scores: dict[str, Decimal | None]
    dimensions: dict[str, float]
    source: str
    replaces: SpiResult | None = None


@dataclass
class ResultImportReport(ImportReport):
    rows: list[ResultRow] = field(default_factory=list)

    @property
    def created(self) -> list[ResultRow]:
        return [row for row in self.rows if row.replaces is None]

    @property
    def replaced(self) -> list[ResultRow]:
        return [row for row in self.rows if row.replaces is not None]


def _dimension_column(header: str) -> str | None:
    """``dim:<code>`` headers: the stored code (known codes in their canonical spelling)."""
    if not header.lower().startswith("dim:"):
        return None
    code = header[4:].strip().upper().replace("_", "-")
    if not _DIM_CODE.match(code):
        return ""
    return code


def _result_columns(headers: list[str], report: ImportReport) -> dict[str, str] | None:
    columns: dict[str, str] = {}
    plain: list[str] = []
    same = _("The columns “%(first)s” and “%(second)s” mean the same thing; keep one.")
    for header in headers:
        code = _dimension_column(header)
        if code is None:
            plain.append(header)
        elif not code:
            message = _(
                "A dimension column is written dim: and a code of letters, digits, "
                "dashes and underscores, e.g. dim:INT-PROC."
            )
            report.fail(HEADER_ROW, header, header, message)
        elif f"dim:{code}" in columns:
            message = same % {"first": columns[f"dim:{code}"], "second": header}
            report.fail(HEADER_ROW, header, header, message)
        else:
            columns[f"dim:{code}"] = header
    named = match_headers(plain, _RESULT_HEADERS, report, ignored=_RESULT_IGNORED, required=False)
    for name, header in (named or {}).items():
        if name in columns:
            report.fail(
                HEADER_ROW, header, header, same % {"first": columns[name], "second": header}
            )
        else:
            columns[name] = header
    missing = []
    if "code" not in columns and "name" not in columns:
        missing.append(_("code or name"))
    missing += [name for name in ("year", "index") if name not in columns]
    if missing:
        report_missing(report, missing)
        return None
    return columns


def import_results(
    *, data: bytes, filename: str, source: str = "", dry_run: bool = False
) -> ResultImportReport:
    """Check a file of SPI results and, unless ``dry_run`` or anything is wrong, save it.

    A result for an (institution, year) that is already saved is replaced as a whole; the report
    names those rows (``replaced``) so the preview can say so before anything changes.
    """
    report = ResultImportReport()
    institutions = list(Institution.objects.all())
    by_code = {i.code.lower(): i for i in institutions}
    by_name = {name_key(i.name): i for i in institutions}
    this_year = timezone.localdate().year
    first_row: dict[tuple[int, int], int] = {}

    def parse_row(cells: Cells) -> ResultRow | None:
        cell, fail = cells.get, cells.fail
        institution = _institution(cell("code"), cell("name"), by_code, by_name, fail)

        year: int | None = None
        raw_year = cell("year")
        if not raw_year:
            fail("year", "", _("The year is required."))
        elif not raw_year.isdigit():
            fail("year", raw_year, _("The year must be a whole number such as 2024."))
        elif not FIRST_YEAR <= int(raw_year) <= this_year:
            fail(
                "year",
                raw_year,
                _("The year must be between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": this_year},
            )
        else:
            year = int(raw_year)

        scores: dict[str, Decimal | None] = {}
        for name in _SCORE_FIELDS:
            raw = cell(name)
            if not raw:
                if name == "index":
                    fail(name, "", _("The final index is required."))
                scores[name] = None
                continue
            scores[name] = _checked_score(
                raw, _SCORE_LABELS[name], lambda v, m, n=name: fail(n, v, m)
            )

        dimensions: dict[str, float] = {}
        for name, header in cells.headers.items():
            if not name.startswith("dim:"):
                continue
            raw = cell(name)
            if not raw:
                continue
            score = _checked_score(raw, header, lambda v, m, n=name: fail(n, v, m))
            if score is not None:
                dimensions[name[4:]] = float(score)

        source_text = cell("source") or source
        if len(source_text) > _SOURCE_MAX:
            fail(
                "source",
                source_text,
                _("The source has %(count)d characters; at most %(max)d are allowed.")
                % {"count": len(source_text), "max": _SOURCE_MAX},
            )

        if institution is None or year is None:
            return None
        pair = (institution.pk, year)
        if pair in first_row:
            fail(
                "year",
                raw_year,
                _("%(institution)s %(year)d already appears in row %(row)d.")
                % {"institution": institution.name, "year": year, "row": first_row[pair]},
            )
            return None
        first_row[pair] = cells.number
        return ResultRow(
            row=cells.number,
            institution=institution,
            year=year,
            scores=scores,
            dimensions=dimensions,
            source=source_text,
        )

    def check(rows: list[ResultRow]) -> None:
        """Name the saved results that the rows replace, for the preview and the audit trail."""
        if report.errors:
            return
        existing = {
            (r.institution_id, r.year): r
            for r in SpiResult.objects.filter(
                institution_id__in={row.institution.pk for row in rows},
                year__in={row.year for row in rows},
            )
        }
        for planned in rows:
            planned.replaces = existing.get((planned.institution.pk, planned.year))
        report.rows = rows

    importer: Importer[ResultRow, ResultImportReport] = Importer(
        columns=RESULT_COLUMNS,
        parse_row=parse_row,
        check=check,
        apply=lambda rows: _save_results(report, filename),
        empty_message=gettext_lazy("The file has no results below the header row."),
        headers=lambda headers: _result_columns(list(headers), report),
    )
    return run_import(
        table=_read(data, filename, report), report=report, importer=importer, write=not dry_run
    )


def _institution(
    code: str,
    name: str,
    by_code: dict[str, Institution],
    by_name: dict[str, Institution],
    fail: Any,
) -> Institution | None:
    if not code and not name:
        fail("code", "", _("The institution (code or name) is required."))
        return None
    found_by_code = by_code.get(code.lower()) if code else None
    found_by_name = by_name.get(name_key(name)) if name else None
    hint = _("Add it on the institutions page or import the list of institutions first.")
    if code and found_by_code is None:
        fail("code", code, _("No institution has the code %(code)s.") % {"code": code} + " " + hint)
        return None
    if name and found_by_name is None and not code:
        fail("name", name, _("No institution is named “%(name)s”.") % {"name": name} + " " + hint)
        return None
    if found_by_code and name and found_by_name != found_by_code:
        fail(
            "name",
            name,
            _("The code %(code)s belongs to %(other)s, not to “%(name)s”.")
            % {"code": code, "other": found_by_code.name, "name": name},
        )
        return None
    return found_by_code or found_by_name


def _checked_score(raw: str, label: Any, fail: Any) -> Decimal | None:
    try:
        value = parse_score(raw)
    except ValueError:
        fail(raw, _("The %(what)s must be a number such as 71,53.") % {"what": label})
        return None
    if not Decimal(0) <= value <= Decimal(100):
        fail(raw, _("The %(what)s must be between 0 and 100.") % {"what": label})
        return None
    return value


def _result_state(result: SpiResult) -> dict[str, Any]:
    return {
        "index": result.index,
        "internal": result.internal,
        "external": result.external,
        "expert": result.expert,
        "correction": result.correction,
        "dimension_scores": result.dimension_scores,
    }


def _save_results(report: ResultImportReport, filename: str) -> None:
    now = timezone.now()
    created: list[str] = []
    replaced: dict[str, Any] = {}
    for planned in report.rows:
        result = planned.replaces or SpiResult(institution=planned.institution, year=planned.year)
        before = _result_state(result) if result.pk else {}
        result.index = planned.scores["index"]  # type: ignore[assignment]
        result.internal = planned.scores["internal"]
        result.external = planned.scores["external"]
        result.expert = planned.scores["expert"]
        result.correction = planned.scores["correction"]
        result.dimension_scores = planned.dimensions
        result.source = planned.source
        result.imported_at = now
        label = f"{planned.institution.code} {planned.year}"
        if result.pk:
            replaced[label] = changes_between(before, _result_state(result))
        else:
            created.append(label)
        result.save()
    audit.record(
        "indices.spi_results_imported",
        object_type="indices.spiresult",
        object_label=filename,
        changes={
            "file": filename,
            "rows": report.total_rows,
            "created": created,
            "replaced": replaced,
        },
    )


# --- Institutions ------------------------------------------------------------------------------

INSTITUTION_COLUMNS = [
    Column(
        "code",
        True,
        gettext_lazy(
            "Short code: letters, digits, dashes and underscores, e.g. kab-bekasi (kode). "
            "An institution whose code is already saved is updated."
        ),
        ("kode", "kode_instansi", "institution_code"),
    ),
    Column(
        "name",
        True,
        gettext_lazy("Full name as KPK writes it, e.g. Kabupaten Bekasi (nama)."),
        ("nama", "nama_instansi", "institution", "institution_name", "instansi"),
    ),
    Column(
        "type",
        True,
        gettext_lazy(
            "city, regency, province or ministry; kota, kabupaten, provinsi and "
            "kementerian/lembaga work too (jenis)."
        ),
        ("kind", "jenis", "jenis_instansi", "tipe"),
    ),
    Column(
        "size_class",
        False,
        gettext_lazy("large, medium or small (besar, sedang, kecil)."),
        ("size", "ukuran", "kelompok_ukuran", "klaster", "cluster"),
    ),
    Column("province", False, gettext_lazy("Province name (provinsi)."), ("provinsi",)),
]
_KIND_WORDS: dict[str, str] = {
    **{value: value for value in Institution.Kind.values},
    **dict.fromkeys("kota pemkot pemerintah_kota".split(), Institution.Kind.CITY),
    **dict.fromkeys("kabupaten kab pemkab pemerintah_kabupaten".split(), Institution.Kind.REGENCY),
    **dict.fromkeys("provinsi prov pemprov pemerintah_provinsi".split(), Institution.Kind.PROVINCE),
    **dict.fromkeys(
        "kementerian lembaga kementerian_lembaga k_l kl agency".split(), Institution.Kind.MINISTRY
    ),
}
_SIZE_WORDS: dict[str, str] = {
    **{value: value for value in Institution.Size.values},
    "besar": Institution.Size.LARGE,
    "sedang": Institution.Size.MEDIUM,
    "kecil": Institution.Size.SMALL,
}
_INSTITUTION_FIELDS = ("name", "kind", "size_class", "province")


@dataclass
class InstitutionImportReport(ImportReport):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def import_institutions(
    *, data: bytes, filename: str, dry_run: bool = False
) -> InstitutionImportReport:
    """Check a list of institutions and, unless ``dry_run`` or anything is wrong, create the new
    codes and update the saved ones. Whether an institution is this government's own is set on
    its page, not by the import."""
    report = InstitutionImportReport()
    existing = {i.code: i for i in Institution.objects.all()}
    saved_names = {name_key(i.name): i.code for i in existing.values()}
    codes: dict[str, int] = {}
    names: dict[str, int] = {}

    def parse_row(cells: Cells) -> tuple[str, dict[str, str]] | None:

        cell, fail = cells.get, cells.fail
        values: dict[str, str] = {}
        code = cell("code").lower()
        if not code:
            fail("code", "", _("The code is required."))
        else:
            try:
                validate_slug(code)
                if len(code) > 50 or code in RESERVED_CODES:
                    raise ValidationError("unusable code")
            except ValidationError:
                fail(
                    "code",
                    cell("code"),
                    _("Use at most 50 letters, digits, dashes and underscores, e.g. kab-bekasi."),
                )
                code = ""
        if code in codes:
            fail(
                "code",
                cell("code"),
                _("The code %(code)s already appears in row %(row)d.")
                % {"code": code, "row": codes[code]},
            )
        elif code:
            codes[code] = cells.number

        name = " ".join(cell("name").split())
        if not name:
            fail("name", "", _("The name is required."))
        elif len(name) > _NAME_MAX:
            fail(
                "name",
                name,
                _("The name has %(count)d characters; at most %(max)d are allowed.")
                % {"count": len(name), "max": _NAME_MAX},
            )
        elif name_key(name) in names:
            fail(
                "name",
                name,
                _("The name already appears in row %(row)d.") % {"row": names[name_key(name)]},
            )
        else:
            names[name_key(name)] = cells.number
            owner = saved_names.get(name_key(name))
            if code and owner and owner != code:
                fail(
                    "name",
                    name,
                    _("The institution %(code)s already has this name.") % {"code": owner},
                )
        values["name"] = name

        raw_kind = cell("type")
        if not raw_kind:
            fail("type", "", _("The type is required."))
        elif header_key(raw_kind) not in _KIND_WORDS:
            fail(
                "type",
                raw_kind,
                _(
                    "Use city, regency, province or ministry (kota, kabupaten, provinsi, kementerian)."
                ),
            )
        else:
            values["kind"] = _KIND_WORDS[header_key(raw_kind)]

        raw_size = cell("size_class")
        if raw_size and header_key(raw_size) not in _SIZE_WORDS:
            fail("size_class", raw_size, _("Use large, medium or small (besar, sedang, kecil)."))
        elif "size_class" in cells:
            values["size_class"] = _SIZE_WORDS[header_key(raw_size)] if raw_size else ""

        if "province" in cells:
            province = cell("province")
            if len(province) > _PROVINCE_MAX:
                fail(
                    "province",
                    province,
                    _("The province has %(count)d characters; at most %(max)d are allowed.")
                    % {"count": len(province), "max": _PROVINCE_MAX},
                )
            values["province"] = province
        return (code, values) if code else None

    def save(planned: list[tuple[str, dict[str, str]]], *, write: bool) -> None:
        changes: dict[str, Any] = {}
        for code, values in planned:
            institution = existing.get(code) or Institution(code=code)
            before = (
                {f: getattr(institution, f) for f in _INSTITUTION_FIELDS} if institution.pk else {}
            )
            for name, value in values.items():
                setattr(institution, name, value)
            after = {f: getattr(institution, f) for f in _INSTITUTION_FIELDS}
            if institution.pk is None:
                report.created.append(code)
            elif diff := changes_between(before, after):
                report.updated.append(code)
                changes[code] = diff
            else:
                report.unchanged += 1
                continue
            if write:
                institution.save()
        if write:
            audit.record(
                "indices.institutions_imported",
                object_type="indices.institution",
                object_label=filename,
                changes={
                    "file": filename,
                    "rows": report.total_rows,
                    "created": report.created,
                    "updated": changes,
                    "unchanged": report.unchanged,
                },
            )

    importer: Importer[tuple[str, dict[str, str]], InstitutionImportReport] = Importer(
        columns=INSTITUTION_COLUMNS,
        parse_row=parse_row,
        apply=lambda planned: save(planned, write=True),
        preview=lambda planned: save(planned, write=False),
        empty_message=gettext_lazy("The file has no institutions below the header row."),
    )
    return run_import(
        table=_read(data, filename, report), report=report, importer=importer, write=not dry_run
    )


def known_dimension_label(code: str) -> str:
    dimension = DIMENSION_BY_CODE.get(code)
    return str(dimension.label) if dimension else code
