"""Which method configuration applies to a year, and the services that change it.

A ``MethodSetting`` applies from its year until the next setting of the same method. Where no
setting exists, the engine's documented defaults apply (docs/index-engine.md), with the
official SPI categories of that year for the integrity index (``engine.integrity.
spi_categories``). A setting stores only the keys that differ from the defaults of its year
(docs/index-settings.md); categories it does not store are the official ones of each year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas import audit
from integritas.audit.services import changes_between
from integritas.core.models import FiscalYear
from integritas.indices.engine import ConfigError, validate_config
from integritas.indices.engine.integrity import spi_categories
from integritas.indices.models import IndexRun, MethodSetting
from integritas.surveys.models import Instrument, Wave

Method = MethodSetting.Method

# The index method that scores each kind of survey instrument.
METHODS: dict[str, str] = {
    Instrument.Kind.SATISFACTION: "satisfaction",
    Instrument.Kind.INTEGRITY: "integrity",
    Instrument.Kind.ZI_ANTICORRUPTION: "zi_perception",
    Instrument.Kind.ZI_SERVICE: "zi_perception",
}

# Sent inside the transaction that changed a setting, with the computed ``waves`` whose results
# now follow other rules; ``indices.signals`` marks them stale so the worker recomputes them.
setting_changed = Signal()

# Configuration keys as a reader of the audit trail and the settings pages knows them.
KEY_LABELS = {
    "group_weights": gettext_lazy("Group weights"),
    "dimension_weights": gettext_lazy("Dimension weights"),
    "correction": gettext_lazy("Correction points"),
    "categories": gettext_lazy("Categories"),
    "weights": gettext_lazy("Element weights"),
    "grades": gettext_lazy("Grades"),
    "precision": gettext_lazy("Decimals used for grading"),
    "target": gettext_lazy("Target"),
}
# The keys each method's settings screen shows, in order (``k`` always comes from the wave).
METHOD_KEYS: dict[str, tuple[str, ...]] = {
    Method.INTEGRITY: (
        "group_weights",
        "dimension_weights",
        "correction",
        "categories",
        "precision",
    ),
    Method.SATISFACTION: ("weights", "grades", "precision"),
    Method.ZI_PERCEPTION: ("target",),
}


def wave_year(wave: Wave) -> int:
    """The year a wave's rules come from: its fiscal year, else the year it opens."""
    fiscal_year = wave.fiscal_year if wave.fiscal_year_id else None
    return fiscal_year.year if fiscal_year is not None else wave.opens_on.year


def setting_for(method: str, year: int) -> MethodSetting | None:
    """The setting in force for ``method`` in ``year``, or None (engine defaults apply)."""
    return MethodSetting.objects.filter(method=method, year__lte=year).order_by("-year").first()


def _plain(value: Any) -> Any:
    """JSON-shaped copy: tuples become lists, so stored and default values compare equal."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def engine_defaults(method: str) -> dict[str, Any]:
    """The engine's documented defaults of ``method`` (without ``k``, which the wave gives)."""
    config = _plain(validate_config(method, {}))
    config.pop("k", None)
    return config


def default_config(method: str, year: int | None = None) -> dict[str, Any]:
    """What applies in a year without any setting: the engine defaults, with the official SPI
    categories of ``year`` for the integrity index."""
    config = engine_defaults(method)
    if method == Method.INTEGRITY and year is not None:
        config["categories"] = spi_categories(year)
    return config


def effective_config(method: str, year: int) -> dict[str, Any]:
    """The configuration keys for ``method`` in ``year`` that differ from the engine's defaults
    (without ``k``): the setting in force's stored keys over the year's official categories."""
    engine = engine_defaults(method)
    official = {k: v for k, v in default_config(method, year).items() if engine.get(k) != v}
    setting = setting_for(method, year)
    return {**official, **(dict(setting.config) if setting is not None else {})}


def full_config(setting: MethodSetting) -> dict[str, Any]:
    """Every key of a setting's configuration: its stored keys over the defaults of its year."""
    return {**default_config(setting.method, setting.year), **_plain(setting.config)}


def spi_categories_for(year: int) -> list[list[Any]]:
    """SPI category cut-offs for ``year``: the integrity setting's, else the official ones."""
    config = effective_config(Method.INTEGRITY, year)
    return [list(band) for band in config.get("categories") or spi_categories(year)]


def weak_threshold_for(method: str, year: int) -> float | None:
    """The weak-point threshold for ``method`` in ``year`` (None = only significance counts)."""
    setting = setting_for(method, year)
    return setting.weak_threshold if setting else None


def next_setting(setting: MethodSetting) -> MethodSetting | None:
    """The following setting of the same method, which ends this one's period."""
    return (
        MethodSetting.objects.filter(method=setting.method, year__gt=setting.year)
        .order_by("year")
        .first()
    )


def _last_known_year() -> int:
    """The latest year any wave or fiscal year refers to (at least this year)."""
    years = [timezone.localdate().year]
    waves = Wave.objects.aggregate(fy=Max("fiscal_year__year"), opens=Max("opens_on"))
    if waves["fy"]:
        years.append(waves["fy"])
    if waves["opens"]:
        years.append(waves["opens"].year)
    latest_fy = FiscalYear.objects.aggregate(y=Max("year"))["y"]
    if latest_fy:
        years.append(latest_fy)
    return max(years)


def affected_years(setting: MethodSetting) -> range:
    """The years whose waves use ``setting`` (or used it, when it is about to be deleted): from
    its year until the next setting of the method, else up to the last year any wave or fiscal
    year refers to. Results of those waves need recomputing after a change."""
    following = next_setting(setting)
    stop = following.year if following else max(setting.year, _last_known_year()) + 1
    return range(setting.year, stop)


def affected_waves(setting: MethodSetting) -> QuerySet[Wave]:
    """The waves computed with ``setting``'s method in one of its ``affected_years``."""
    years = list(affected_years(setting))
    kinds = [kind for kind, method in METHODS.items() if method == setting.method]
    return Wave.objects.filter(version__instrument__kind__in=kinds).filter(
        Q(fiscal_year__year__in=years) | Q(fiscal_year__isnull=True, opens_on__year__in=years)
    )


def overview_years() -> range:
    """The years the settings page lists: from the earliest setting or fiscal year (at most
    five years back) to one year after the last year in use."""
    this_year = timezone.localdate().year
    first = [this_year - 2]
    for earliest in (
        FiscalYear.objects.aggregate(y=Min("year"))["y"],
        MethodSetting.objects.aggregate(y=Min("year"))["y"],
    ):
        if earliest:
            first.append(earliest)
    start = max(min(first), this_year - 5)
    return range(start, max(_last_known_year(), this_year) + 2)


def _number_text(value: float, decimal_separator: str) -> str:
    text = f"{float(value):.6f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_separator)


def describe(key: str, value: Any, *, decimal_separator: str = ".") -> str:
    """One configuration value on one line, e.g. "internal 0.6 · external 0.3 · expert 0.1"."""

    def num(x: float) -> str:
        return _number_text(x, decimal_separator)

    if value is None:
        return "—"
    if key in {"group_weights", "weights"}:
        return " · ".join(f"{code} {num(w)}" for code, w in value.items())
    if key == "dimension_weights":
        if not value:
            return "—"
        return " · ".join(
            f"{group}: " + ", ".join(f"{code} {num(w)}" for code, w in weights.items())
            for group, weights in value.items()
        )
    if key in {"categories", "grades"}:
        return " · ".join(f"{label} {num(low)}–{num(high)}" for label, low, high in value)
    if isinstance(value, float | int) and not isinstance(value, bool):
        return num(value)
    return str(value)


def _audit_values(method: str, config: Mapping[str, Any]) -> dict[str, str]:
    return {key: describe(key, config.get(key)) for key in METHOD_KEYS[method]}


def _stored_keys(method: str, config: Mapping[str, Any], year: int) -> dict[str, Any]:
    """Validate ``config`` with the engine and keep only the keys that differ from the defaults
    of ``year`` (the engine's, with that year's official categories).

    Raises ValidationError (one message, naming the engine's complaint) when it is refused; the
    settings form checks each field first, so the engine's English message is a last resort."""
    if method not in Method.values:
        raise ValidationError({"method": _("Unknown index method.")})
    unknown = set(config) - set(METHOD_KEYS[method])
    if unknown:
        raise ValidationError(
            _("These settings do not exist for this method: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    try:
        full = _plain(validate_config(method, config))
    except ConfigError as exc:
        raise ValidationError(
            _("The index engine refused this configuration: %(detail)s") % {"detail": exc}
        ) from exc
    defaults = default_config(method, year)
    return {key: full[key] for key in METHOD_KEYS[method] if full[key] != defaults.get(key)}


def _check_threshold(weak_threshold: float | None) -> None:
    if weak_threshold is not None and not 0 <= weak_threshold <= 100:
        raise ValidationError(
            {"weak_threshold": _("The weak-point threshold must be between 0 and 100.")}
        )


def _recompute_later(waves: Iterable[Wave]) -> None:
    """Mark the computed ``waves`` stale so the worker recomputes them in full with the rules
    now in force (waves never computed get them at their first computation)."""
    computed = set(IndexRun.objects.values_list("wave_id", flat=True))
    setting_changed.send(
        sender=MethodSetting, waves=[wave for wave in waves if wave.pk in computed]
    )


@transaction.atomic
def setting_create(
    *,
    method: str,
    year: int,
    config: Mapping[str, Any],
    weak_threshold: float | None = None,
    note: str = "",
    by: Any = None,
) -> MethodSetting:
    """Add the setting of ``method`` from ``year`` on; one per method and year."""
    stored = _stored_keys(method, config, year)
    _check_threshold(weak_threshold)
    if MethodSetting.objects.filter(method=method, year=year).exists():
        raise ValidationError(
            {
                "year": _(
                    "There is already a setting of this method for %(year)d; change that one instead."
                )
                % {"year": year}
            }
        )
    setting = MethodSetting.objects.create(
        method=method,
        year=year,
        config=stored,
        weak_threshold=weak_threshold,
        note=note,
        updated_by=by,
        updated_at=timezone.now(),
    )
    after = {
        "method": method,
        "year": year,
        **_audit_values(method, full_config(setting)),
        "weak_threshold": weak_threshold,
        "note": note,
    }
    audit.record(
        "method_setting.created",
        obj=setting,
        changes={key: [None, value] for key, value in after.items() if value not in (None, "")},
        **({"actor": by} if by is not None else {}),
    )
    _recompute_later(affected_waves(setting))
    return setting


@transaction.atomic
def setting_update(
    *,
    setting: MethodSetting,
    config: Mapping[str, Any],
    weak_threshold: float | None = None,
    note: str = "",
    by: Any = None,
) -> MethodSetting:
    """Replace the configuration, threshold and note of ``setting`` (its method and year stay)."""
    stored = _stored_keys(setting.method, config, setting.year)
    _check_threshold(weak_threshold)
    setting = MethodSetting.objects.select_for_update().get(pk=setting.pk)

    def values() -> dict[str, Any]:
        return {
            **_audit_values(setting.method, full_config(setting)),
            "weak_threshold": setting.weak_threshold,
            "note": setting.note,
        }

    before = values()
    setting.config = stored
    setting.weak_threshold = weak_threshold
    setting.note = note
    changes = changes_between(before, values())
    if changes:
        setting.updated_by = by
        setting.updated_at = timezone.now()
        setting.save()
        audit.record(
            "method_setting.updated",
            obj=setting,
            changes=changes,
            **({"actor": by} if by is not None else {}),
        )
        _recompute_later(affected_waves(setting))
    return setting


@transaction.atomic
def setting_delete(*, setting: MethodSetting, by: Any = None) -> None:
    """Remove ``setting``: its years fall back to the previous setting or the defaults."""
    setting = MethodSetting.objects.select_for_update().get(pk=setting.pk)
    before = {
        "method": setting.method,
        "year": setting.year,
        **_audit_values(setting.method, full_config(setting)),
        "weak_threshold": setting.weak_threshold,
        "note": setting.note,
    }
    audit.record(
        "method_setting.deleted",
        obj=setting,
        changes={key: [value, None] for key, value in before.items() if value not in (None, "")},
        **({"actor": by} if by is not None else {}),
    )
    affected = list(affected_waves(setting))
    setting.delete()
    _recompute_later(affected)


def in_force(
    settings: Iterable[MethodSetting], years: Iterable[int]
) -> list[tuple[int, list[tuple[str, MethodSetting | None]]]]:
    """Per year, per method (in ``Method`` order): the method and the setting that applies to
    that year, or None where the documented defaults apply."""
    by_method: dict[str, list[MethodSetting]] = {m: [] for m in Method.values}
    for s in settings:
        by_method[s.method].append(s)
    for items in by_method.values():
        items.sort(key=lambda s: s.year)
    rows = []
    for year in years:
        cells: list[tuple[str, MethodSetting | None]] = []
        for method in Method.values:
            applying = [s for s in by_method[method] if s.year <= year]
            cells.append((method, applying[-1] if applying else None))
        rows.append((year, cells))
    return rows
