"""Pages for the year-versioned settings of the index methods: which rules apply to which
year, and (for the inspector general and administrators) create, change and delete them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from integritas.audit.models import Event
from integritas.core import history, policy
from integritas.indices.forms.settings import (
    FORMS,
    SettingFilterForm,
    decimal_separator,
    number_text,
)
from integritas.indices.models import MethodSetting
from integritas.indices.services import settings as method_settings
from integritas.indices.services.settings import KEY_LABELS, METHOD_KEYS, Method
from integritas.lib.forms import add_service_errors
from integritas.lib.tables import Column, export_format, export_response, paginate


@dataclass(frozen=True)
class SettingLine:
    """A row of the settings download: the setting, its last year and its full configuration."""

    setting: MethodSetting
    until: int | None
    config: dict[str, Any]

    def describe(self, key: str) -> str:
        if key not in METHOD_KEYS[self.setting.method]:
            return ""
        return method_settings.describe(key, self.config[key])


def _config_column(key: str) -> Column[SettingLine]:
    return Column(key, lambda line: line.describe(key))


SETTING_COLUMNS: list[Column[SettingLine]] = [
    Column("method", lambda line: line.setting.method),
    Column("from_year", lambda line: line.setting.year),
    Column("until_year", "until"),
    *(_config_column(key) for key in sorted({k for keys in METHOD_KEYS.values() for k in keys})),
    Column("weak_threshold", lambda line: line.setting.weak_threshold),
    Column("note", lambda line: line.setting.note),
    Column(
        "updated_at",
        lambda line: timezone.localtime(line.setting.updated_at).strftime("%Y-%m-%d %H:%M"),
    ),
    Column(
        "updated_by",
        lambda line: line.setting.updated_by.name if line.setting.updated_by else "",
    ),
]


def _method(method: str) -> str:
    if method not in Method.values:
        raise Http404
    return method


def _periods(settings: list[MethodSetting]) -> dict[int, int | None]:
    """Per setting (by pk): the last year it applies, or None when no later setting follows."""
    until: dict[int, int | None] = {}
    for s in settings:
        later = [o.year for o in settings if o.method == s.method and o.year > s.year]
        until[s.pk] = min(later) - 1 if later else None
    return until


def _summary(method: str, config: dict[str, Any]) -> list[tuple[str, str]]:
    sep = decimal_separator()
    return [
        (
            str(KEY_LABELS[key]),
            method_settings.describe(key, config.get(key), decimal_separator=sep),
        )
        for key in METHOD_KEYS[method]
    ]


@login_required
def setting_list(request: HttpRequest) -> HttpResponseBase:
    visible = list(policy.scope(request.user, MethodSetting).select_related("updated_by"))
    until = _periods(visible)
    chosen = SettingFilterForm(request.GET).filters["method"]
    items = [s for s in visible if not chosen or s.method == chosen]
    items.sort(key=lambda s: (Method.values.index(s.method), -s.year))
    fmt = export_format(request)
    if fmt:
        return export_response(
            fmt=fmt,
            stem="index-method-settings",
            columns=SETTING_COLUMNS,
            objects=(SettingLine(s, until[s.pk], method_settings.full_config(s)) for s in items),
        )
    page, query = paginate(request, items)
    rows = [
        {
            "setting": s,
            "until": until[s.pk],
            "summary": _summary(s.method, method_settings.full_config(s)),
            "threshold": _threshold_text(s),
        }
        for s in page.object_list
    ]
    years = method_settings.overview_years()
    context = {
        "page": page,
        "query": query,
        "rows": rows,
        "methods": Method.choices,
        "chosen": chosen,
        "overview": method_settings.in_force(visible, years),
        "defaults": [
            (value, label, _summary(value, method_settings.default_config(value, years[-1])))
            for value, label in Method.choices
        ],
        "this_year": timezone.localdate().year,
        "can_create": policy.allows_model(request.user, "create", MethodSetting),
    }
    return render(request, "indices/settings/setting_list.html", context)


def _threshold_text(setting: MethodSetting) -> str:
    return "" if setting.weak_threshold is None else number_text(setting.weak_threshold)


@login_required
def setting_detail(request: HttpRequest, method: str, year: int) -> HttpResponse:
    setting = policy.get_for_user(request.user, MethodSetting, method=_method(method), year=year)
    following = method_settings.next_setting(setting)
    config = method_settings.full_config(setting)
    stored = set(setting.config)
    sep = decimal_separator()
    context = {
        "setting": setting,
        "until": following.year - 1 if following else None,
        "rows": [
            {
                "label": KEY_LABELS[key],
                "value": method_settings.describe(key, config.get(key), decimal_separator=sep),
                "changed": key in stored,
            }
            for key in METHOD_KEYS[setting.method]
        ],
        "threshold": _threshold_text(setting),
        "can_change": policy.allows(request.user, "change", setting),
        "history": history.for_viewer(
            request.user, Event.objects.for_object(setting).select_related("actor")[:30]
        ),
    }
    return render(request, "indices/settings/setting_detail.html", context)


def _initial_year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


@login_required
@require_http_methods(["GET", "POST"])
def setting_create(request: HttpRequest, method: str) -> HttpResponse:
    method = _method(method)
    policy.require(request.user, "create", MethodSetting)
    form_class = FORMS[method]
    year = _initial_year(request)
    initial = {
        **form_class.initial_for(method_settings.default_config(method, year)),
        "year": year,
    }
    form = form_class(request.POST or None, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            setting = method_settings.setting_create(
                method=method,
                year=form.cleaned_data["year"],
                config=form.config,
                weak_threshold=_number(form.cleaned_data["weak_threshold"]),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The setting from %(year)d was saved. Recompute the affected waves.")
                % {"year": setting.year},
            )
            return redirect("indices-setting", setting.method, setting.year)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "setting": None, "method_label": Method(method).label}
    return render(request, "indices/settings/setting_form.html", context, status=status)


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


@login_required
@require_http_methods(["GET", "POST"])
def setting_edit(request: HttpRequest, method: str, year: int) -> HttpResponse:
    setting = policy.get_for_user(
        request.user, MethodSetting, need="change", method=_method(method), year=year
    )
    form_class = FORMS[setting.method]
    initial = {
        **form_class.initial_for(method_settings.full_config(setting)),
        "weak_threshold": ""
        if setting.weak_threshold is None
        else number_text(setting.weak_threshold),
        "note": setting.note,
    }
    form = form_class(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            method_settings.setting_update(
                setting=setting,
                config=form.config,
                weak_threshold=_number(form.cleaned_data["weak_threshold"]),
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The setting was saved. Recompute the affected waves."))
            return redirect("indices-setting", setting.method, setting.year)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "setting": setting, "method_label": setting.get_method_display()}
    return render(request, "indices/settings/setting_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def setting_delete(request: HttpRequest, method: str, year: int) -> HttpResponse:
    # Deleting changes which rules apply to the years of the setting, hence "change".
    setting = policy.get_for_user(
        request.user, MethodSetting, need="change", method=_method(method), year=year
    )
    previous = (
        MethodSetting.objects.filter(method=setting.method, year__lt=setting.year)
        .order_by("-year")
        .first()
    )
    years = method_settings.affected_years(setting)
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            method_settings.setting_delete(setting=setting, by=request.user)
            messages.success(
                request,
                _("The setting from %(year)d was deleted. Recompute the affected waves.")
                % {"year": setting.year},
            )
            return redirect("indices-settings")
        status = 400
    context = {
        "setting": setting,
        "previous": previous,
        "first_year": years[0],
        "last_year": years[-1],
        "unconfirmed": status == 400,
    }
    return render(request, "indices/settings/setting_delete.html", context, status=status)
