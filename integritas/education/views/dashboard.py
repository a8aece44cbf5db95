"""The education dashboard (``services/dashboard.py``) for those who read events: its tables for
one year or all, each downloadable as XLSX (``?export=events|reach|gain|units|never``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from integritas.core import policy
from integritas.education.gain import LearningGain
from integritas.education.models import Event
from integritas.education.services import dashboard as services
from integritas.education.services.dashboard import Dashboard
from integritas.education.views.assessment import BAND_LABELS
from integritas.lib.spreadsheets import Sheet, write_workbook


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _band(g: LearningGain, individual: bool) -> str:
    band = g.individual_band if individual else g.class_band
    return str(BAND_LABELS[band]) if band else ""


def _events_table(board: Dashboard) -> list[list[Any]]:
    head = [_("Year"), _("Theme"), *(label for _v, label in board.kinds), _("Total")]
    return [head, *([r.year, r.theme_label, *r.counts, r.total] for r in board.events)]


def _reach_table(board: Dashboard) -> list[list[Any]]:
    head = [_("Year"), *(label for _v, label in board.groups), _("Total")]
    return [head, *([r.year, *r.counts, r.total] for r in board.reach)]


def _gain_table(board: Dashboard) -> list[list[Any]]:
    head = [
        _("Code"),
        _("Title"),
        _("Date"),
        _("N pre"),
        _("N post"),
        _("N paired"),
        _("Class gain"),
        _("Band"),
        _("Mean individual gain"),
        _("Band"),
    ]
    rows: list[list[Any]] = [head]
    for e in board.gain.events:
        g = e.gain
        date = timezone.localtime(e.starts_at).date()
        rows.append(
            [
                e.code,
                e.title,
                date,
                g.n_pre,
                g.n_post,
                g.n_paired,
                _rounded(g.class_gain),
                _band(g, False),
                _rounded(g.mean_individual_gain),
                _band(g, True),
            ]
        )
    return rows


def _units_table(board: Dashboard) -> list[list[Any]]:
    head = [_("Code"), _("Unit"), _("People reached"), _("Events")]
    return [head, *([r.unit.code, r.unit.name, r.people, r.events] for r in board.units)]


def _never_table(board: Dashboard) -> list[list[Any]]:
    return [[_("Code"), _("Unit")], *([u.code, u.name] for u in board.never)]


TABLES: dict[str, tuple[Callable[[Dashboard], list[list[Any]]], str]] = {
    "events": (_events_table, "kegiatan"),
    "reach": (_reach_table, "jangkauan"),
    "gain": (_gain_table, "peningkatan-belajar"),
    "units": (_units_table, "unit-terjangkau"),
    "never": (_never_table, "unit-belum-terjangkau"),
}


def _export(board: Dashboard, table: str) -> HttpResponse:
    if table not in TABLES:
        raise Http404
    build, stem = TABLES[table]
    body = write_workbook([Sheet(stem, build(board))])
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    period = board.year or _("all-years")
    response["Content-Disposition"] = f'attachment; filename="edukasi-{stem}-{period}.xlsx"'
    return response


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "view", Event)
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else None
    board = services.dashboard(year=year)
    table = request.GET.get("export")
    if table is not None:
        policy.require(request.user, "export", Event)
        return _export(board, table)
    context = {
        "board": board,
        "bands": BAND_LABELS,
        "can_export": policy.allows_model(request.user, "export", Event),
    }
    return render(request, "education/dashboard.html", context)
