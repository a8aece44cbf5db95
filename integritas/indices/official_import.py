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
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import changes_between
from integritas.indices.models import Institution, SpiResult
from integritas.indices.services.official import DIMENSION_BY_CODE, DIMENSIONS, TWO_PLACES
from integritas.lib.spreadsheets import Table, TableError, read_table

FIRST_YEAR = 2016
# Institution codes that would clash with the page addresses under spi/institutions/.
RESERVED_CODES = frozenset({"add", "import"})
MAX_FILE_BYTES = 2 * 1024 * 1024
_DIM_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
_NAME_MAX = Institution._meta.get_field("name").max_length or 200
_PROVINCE_MAX = Institution._meta.get_field("province").max_length or 100
_SOURCE_MAX = SpiResult._meta.get_field("source").max_length or 300


def key(text: str) -> str:
    """A header or word as a lookup key: "Kode Instansi", "kode-instansi" → "kode_instansi"."""
    return re.sub(r"[^a-z0-9]+", "_", text.strip().lower()).strip("_")


def name_key(text: str) -> str:
    """Institution names match ignoring case and repeated spaces."""
    return " ".join(text.split()).casefold()


@dataclass
class RowError:
    row: int  # spreadsheet row number; 1 is the header row, 0 means the file as a whole
    column: str
    value: str
    message: str


def _file_error(message: str) -> RowError:
    return RowError(row=0, column="", value="", message=message)


def _read(data: bytes, filename: str) -> tuple[Table | None, list[RowError]]:
    if len(data) > MAX_FILE_BYTES:
        return None, [
            _file_error(
                _("The file is larger than %(mb)d MB; an SPI file is much smaller.")
                % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        ]
    try:
        return read_table(data, filename), []
    except TableError as exc:
        return None, [_file_error(exc.message)]


def _map_columns(table: Table, aliases: dict[str, str], errors: list[RowError]) -> dict[str, str]:
    """{field: header} for the headers that name a known column; unknown and repeated columns
    are reported as errors on row 1. Columns the aliases map to "" are accepted and left out."""
    columns: dict[str, str] = {}
    for header in table.headers:
        name = aliases.get(key(header))
        if name == "":
            continue
        if name is None:
            errors.append(
                RowError(1, header, header, _("Unknown column “%(column)s”.") % {"column": header})
            )
        elif name in columns:
            errors.append(
                RowError(
                    1,
                    header,
                    header,
                    _("The columns “%(first)s” and “%(second)s” mean the same thing; keep one.")
                    % {"first": columns[name], "second": header},
                )
            )
        else:
            columns[name] = header
    return columns


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

RESULT_COLUMNS: list[tuple[str, bool, Promise]] = [
    (
        "code",
        False,
        gettext_lazy(
            "Institution code as saved on the institutions page (kode). "
            "Give the code or the name, or both."
        ),
    ),
    (
        "name",
        False,
        gettext_lazy("Institution name exactly as saved, e.g. Kabupaten Bekasi (nama)."),
    ),
    ("year", True, gettext_lazy("Survey year, e.g. 2024 (tahun).")),
    ("index", True, gettext_lazy("Final index after correction, 0–100 (indeks akhir, nilai SPI).")),
    ("internal", False, gettext_lazy("Internal respondents' score, 0–100 (internal).")),
    ("external", False, gettext_lazy("External respondents' score, 0–100 (eksternal).")),
    ("expert", False, gettext_lazy("Experts' score, 0–100 (eksper, ahli).")),
    ("correction", False, gettext_lazy("Correction points subtracted, 0–100 (koreksi).")),
    ("source", False, gettext_lazy("Where the figures come from, e.g. the KPK release (sumber).")),
    (
        "dim:<code>",
        False,
        gettext_lazy(
            "Dimension scores, 0–100: one column per dimension, headed dim: and its code "
            "(e.g. dim:INT-PROC) or the dimension's name (e.g. Pengadaan barang dan jasa)."
        ),
    ),
]

# Header spellings per column, after ``key``; "" marks columns that are read past.
_RESULT_ALIASES: dict[str, str] = {
    **dict.fromkeys("code kode institution_code kode_instansi kode_institusi".split(), "code"),
    **dict.fromkeys(
        "name nama institution institution_name instansi nama_instansi k_l_pd nama_k_l_pd".split(),
        "name",
    ),
    **dict.fromkeys("year tahun tahun_survei".split(), "year"),
    **dict.fromkeys(
        (
            "index final_index indeks indeks_akhir indeks_integritas indeks_spi nilai_spi "
            "nilai_akhir spi score skor skor_akhir nilai"
        ).split(),
        "index",
    ),
    **dict.fromkeys(
        "internal internal_score skor_internal nilai_internal indeks_internal".split(), "internal"
    ),
    **dict.fromkeys(
        (
            "external eksternal external_score skor_eksternal nilai_eksternal indeks_eksternal"
        ).split(),
        "external",
    ),
    **dict.fromkeys(
        (
            "expert eksper ahli pakar expert_score skor_eksper nilai_eksper indeks_eksper "
            "skor_ahli nilai_ahli"
        ).split(),
        "expert",
    ),
    **dict.fromkeys(
        "correction correction_factor koreksi faktor_koreksi nilai_koreksi pengurang".split(),
        "correction",
    ),
    **dict.fromkeys("source sumber".split(), "source"),
    # Written by the results export for the reader, or row numbers and ranks that published
    # tables carry.
    **dict.fromkeys(
        (
            "no nomor rank ranking peringkat category kategori type kind jenis size_class ukuran "
            "province provinsi"
        ).split(),
        "",
    ),
}
for _dimension in DIMENSIONS:
    _RESULT_ALIASES[key(_dimension.code)] = f"dim:{_dimension.code}"
    for _alias in _dimension.aliases:
        _RESULT_ALIASES[key(_alias)] = f"dim:{_dimension.code}"
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
class ResultImportReport:
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    rows: list[ResultRow] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

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


def _result_columns(table: Table, errors: list[RowError]) -> dict[str, str]:
    columns: dict[str, str] = {}
    plain = Table(headers=[], rows=[])
    for header in table.headers:
        code = _dimension_column(header)
        if code is None:
            plain.headers.append(header)
        elif not code:
            errors.append(
                RowError(
                    1,
                    header,
                    header,
                    _(
                        "A dimension column is written dim: and a code of letters, digits, "
                        "dashes and underscores, e.g. dim:INT-PROC."
                    ),
                )
            )
        else:
            canonical = f"dim:{code}"
            if canonical in columns:
                errors.append(
                    RowError(
                        1,
                        header,
                        header,
                        _("The columns “%(first)s” and “%(second)s” mean the same thing; keep one.")
                        % {"first": columns[canonical], "second": header},
                    )
                )
            else:
                columns[canonical] = header
    named = _map_columns(plain, _RESULT_ALIASES, errors)
    for name, header in named.items():
        if name in columns:
            errors.append(
                RowError(
                    1,
                    header,
                    header,
                    _("The columns “%(first)s” and “%(second)s” mean the same thing; keep one.")
                    % {"first": columns[name], "second": header},
                )
            )
        else:
            columns[name] = header
    missing = []
    if "code" not in columns and "name" not in columns:
        missing.append(_("code or name"))
    missing += [name for name in ("year", "index") if name not in columns]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(str(m) for m in missing),
                "",
                _("Required columns are missing: %(columns)s.")
                % {"columns": ", ".join(str(m) for m in missing)},
            )
        )
    return columns


def import_results(
    *, data: bytes, filename: str, source: str = "", dry_run: bool = False
) -> ResultImportReport:
    """Check a file of SPI results and, unless ``dry_run`` or anything is wrong, save it.

    A result for an (institution, year) that is already saved is replaced as a whole; the report
    names those rows (``replaced``) so the preview can say so before anything changes.
    """
    report = ResultImportReport()
    table, problems = _read(data, filename)
    if table is None:
        report.errors = problems
        return report
    report.total_rows = len(table.rows)
    errors = report.errors
    columns = _result_columns(table, errors)
    if any(error.row == 1 for error in errors):
        return report
    if not table.rows:
        errors.append(_file_error(_("The file has no results below the header row.")))
        return report

    institutions = list(Institution.objects.all())
    by_code = {i.code.lower(): i for i in institutions}
    by_name = {name_key(i.name): i for i in institutions}
    this_year = timezone.localdate().year
    first_row: dict[tuple[int, int], int] = {}
    for row in table.rows:

        def cell(name: str, row: Any = row) -> str:
            return row.values.get(columns[name], "").strip() if name in columns else ""

        def fail(name: str, value: str, message: str, row: Any = row) -> None:
            errors.append(RowError(row.number, columns.get(name, name), value, message))

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
        for name in columns:
            if not name.startswith("dim:"):
                continue
            raw = cell(name)
            if not raw:
                continue
            score = _checked_score(raw, columns[name], lambda v, m, n=name: fail(n, v, m))
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
            continue
        pair = (institution.pk, year)
        if pair in first_row:
            fail(
                "year",
                raw_year,
                _("%(institution)s %(year)d already appears in row %(row)d.")
                % {"institution": institution.name, "year": year, "row": first_row[pair]},
            )
            continue
        first_row[pair] = row.number
        report.rows.append(
            ResultRow(
                row=row.number,
                institution=institution,
                year=year,
                scores=scores,
                dimensions=dimensions,
                source=source_text,
            )
        )
    errors.sort(key=lambda error: error.row)
    if errors:
        report.rows = []
        return report

    existing = {
        (r.institution_id, r.year): r
        for r in SpiResult.objects.filter(
            institution_id__in={row.institution.pk for row in report.rows},
            year__in={row.year for row in report.rows},
        )
    }
    for planned in report.rows:
        planned.replaces = existing.get((planned.institution.pk, planned.year))
    if not dry_run:
        _save_results(report, filename)
    return report


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


@transaction.atomic
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
    report.saved = True


# --- Institutions ------------------------------------------------------------------------------

INSTITUTION_COLUMNS: list[tuple[str, bool, Promise]] = [
    (
        "code",
        True,
        gettext_lazy(
            "Short code: letters, digits, dashes and underscores, e.g. kab-bekasi (kode). "
            "An institution whose code is already saved is updated."
        ),
    ),
    ("name", True, gettext_lazy("Full name as KPK writes it, e.g. Kabupaten Bekasi (nama).")),
    (
        "type",
        True,
        gettext_lazy(
            "city, regency, province or ministry; kota, kabupaten, provinsi and "
            "kementerian/lembaga work too (jenis)."
        ),
    ),
    ("size_class", False, gettext_lazy("large, medium or small (besar, sedang, kecil).")),
    ("province", False, gettext_lazy("Province name (provinsi).")),
]
_INSTITUTION_ALIASES: dict[str, str] = {
    **dict.fromkeys("code kode kode_instansi institution_code".split(), "code"),
    **dict.fromkeys(
        "name nama nama_instansi institution institution_name instansi".split(), "name"
    ),
    **dict.fromkeys("type kind jenis jenis_instansi tipe".split(), "type"),
    **dict.fromkeys("size_class size ukuran kelompok_ukuran klaster cluster".split(), "size_class"),
    **dict.fromkeys("province provinsi".split(), "province"),
}
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
class InstitutionImportReport:
    total_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    saved: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def import_institutions(
    *, data: bytes, filename: str, dry_run: bool = False
) -> InstitutionImportReport:
    """Check a list of institutions and, unless ``dry_run`` or anything is wrong, create the new
    codes and update the saved ones. Whether an institution is this government's own is set on
    its page, not by the import."""
    report = InstitutionImportReport()
    table, problems = _read(data, filename)
    if table is None:
        report.errors = problems
        return report
    report.total_rows = len(table.rows)
    errors = report.errors
    columns = _map_columns(table, _INSTITUTION_ALIASES, errors)
    missing = [name for name in ("code", "name", "type") if name not in columns]
    if missing:
        errors.append(
            RowError(
                1,
                ", ".join(missing),
                "",
                _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)},
            )
        )
    if errors:
        return report
    if not table.rows:
        errors.append(_file_error(_("The file has no institutions below the header row.")))
        return report

    existing = {i.code: i for i in Institution.objects.all()}
    saved_names = {name_key(i.name): i.code for i in existing.values()}
    codes: dict[str, int] = {}
    names: dict[str, int] = {}
    planned: list[tuple[str, dict[str, str]]] = []
    for row in table.rows:

        def cell(name: str, row: Any = row) -> str:
            return row.values.get(columns[name], "").strip() if name in columns else ""

        def fail(name: str, value: str, message: str, row: Any = row) -> None:
            errors.append(RowError(row.number, columns.get(name, name), value, message))

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
            codes[code] = row.number

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
            names[name_key(name)] = row.number
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
        elif key(raw_kind) not in _KIND_WORDS:
            fail(
                "type",
                raw_kind,
                _(
                    "Use city, regency, province or ministry (kota, kabupaten, provinsi, kementerian)."
                ),
            )
        else:
            values["kind"] = _KIND_WORDS[key(raw_kind)]

        raw_size = cell("size_class")
        if raw_size and key(raw_size) not in _SIZE_WORDS:
            fail("size_class", raw_size, _("Use large, medium or small (besar, sedang, kecil)."))
        elif "size_class" in columns:
            values["size_class"] = _SIZE_WORDS[key(raw_size)] if raw_size else ""

        if "province" in columns:
            province = cell("province")
            if len(province) > _PROVINCE_MAX:
                fail(
                    "province",
                    province,
                    _("The province has %(count)d characters; at most %(max)d are allowed.")
                    % {"count": len(province), "max": _PROVINCE_MAX},
                )
            values["province"] = province
        if code:
            planned.append((code, values))
    errors.sort(key=lambda error: error.row)
    if errors:
        return report

    with transaction.atomic():
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
            if not dry_run:
                institution.save()
        if not dry_run:
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
            report.saved = True
    return report


def known_dimension_label(code: str) -> str:
    dimension = DIMENSION_BY_CODE.get(code)
    return str(dimension.label) if dimension else code
