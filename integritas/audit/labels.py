"""How an event reads to a person: actions, kinds of object, fields, values and system actors.

The events keep what was recorded (action codes, ``app_label.model``, stored values as JSON);
everything here is applied when they are displayed, in the reader's language, so the hash chain
never changes. Each app registers its names (``core.extensions.register_audit_actions``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from integritas.lib import formatting

ACTION_LABELS: dict[str, Any] = {}
# Fields that are not model fields of the object but appear in events (e.g. a role on a user).
EXTRA_FIELDS: dict[str, tuple[Any, Mapping[str, Any]]] = {}
# Names under which commands and tasks act (``audit.context.acting_as(label=...)``), in words.
SYSTEM_ACTORS: dict[str, Any] = {
    "system": gettext_lazy("System"),
    "anonymous": gettext_lazy("Visitor without an account"),
    "seed_demo": gettext_lazy("Demo data"),
    "create_admin": gettext_lazy("Installation (first administrator)"),
}

# Kinds of object an event may name that are not models (``followup.reminders``).
OBJECT_KINDS: dict[str, Any] = {}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?$"
)
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_INTEGER = re.compile(r"^-?\d+$")
# A name a command acts under: lower case words joined by underscores.
_COMMAND_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_NUMERIC_FIELDS = (models.DecimalField, models.FloatField, models.IntegerField)


def register_actions(labels: Mapping[str, Any]) -> None:
    """Called from an app's ``ready()`` with ``{action: gettext_lazy(label)}``."""
    ACTION_LABELS.update(labels)


def register_field(name: str, label: Any, choices: Mapping[str, Any]) -> None:
    EXTRA_FIELDS[name] = (label, choices)


def register_actors(labels: Mapping[str, Any]) -> None:
    """``{name a task acts under: gettext_lazy(words)}``, for events written without a person."""
    SYSTEM_ACTORS.update(labels)


def register_kinds(labels: Mapping[str, Any]) -> None:
    """``{object type that is not a model: gettext_lazy(its name)}``."""
    OBJECT_KINDS.update(labels)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _capitalised(text: Any) -> str:
    text = str(text)
    return text[:1].upper() + text[1:]


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_kind(object_type: str) -> str:
    """ "Rencana aksi" for ``followup.actionplan``: the model's name in the reader's language."""
    if not object_type:
        return ""
    if object_type in OBJECT_KINDS:
        return str(OBJECT_KINDS[object_type])
    model = _model(object_type)
    if model is None:
        return _("Other record")
    return _capitalised(model._meta.verbose_name)


def actor_name(label: str, *, has_person: bool) -> str:
    """Who acted, in words: a person's stored name, or what a task or command is, never its
    internal name."""
    if has_person:
        return label
    if label in SYSTEM_ACTORS:
        return str(SYSTEM_ACTORS[label])
    if not label or _COMMAND_NAME.match(label):
        return str(SYSTEM_ACTORS["system"])
    return label


def model_fields(object_type: str) -> dict[str, dict[Any, Any]]:
    """``{field name: {choice: label}}`` of the model an object type names (for searching)."""
    model = _model(object_type)
    if model is None:
        return {}
    return {
        f.name: dict(getattr(f, "flatchoices", ())) if getattr(f, "choices", None) else {}
        for f in model._meta.get_fields()
        if hasattr(f, "verbose_name")
    }


def _field(object_type: str, name: str) -> Any:
    """The model field ``name`` of the object, or of an object it belongs to (an instrument
    version's event may carry its instrument's fields)."""
    model = _model(object_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        pass
    for parent in model._meta.get_fields():
        if parent.many_to_one and parent.related_model is not None:
            try:
                return parent.related_model._meta.get_field(name)  # type: ignore[union-attr]
            except FieldDoesNotExist:
                continue
    return None


def field_label(object_type: str, name: str, names: Mapping[str, str] | None = None) -> str:
    """A changed field by its label; ``names`` names what a code stands for (a unit's code keys
    the figures of that unit)."""
    field = _field(object_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        return _capitalised(field.verbose_name)
    if name in EXTRA_FIELDS:
        return _capitalised(EXTRA_FIELDS[name][0])
    if names and name in names:
        return names[name]
    return name


def _language() -> str:
    return translation.get_language() or "id"


def _number(text: str) -> str:
    """A decimal written as text ("3841.50") in the reader's format, with the decimals it has."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return formatting.format_number(value, decimals, _language())


def _moment(text: str) -> str | None:
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formatting.format_datetime(value, _language())


def _year_like(name: str) -> bool:
    return name == "year" or name.endswith(("_year", ".year"))


def _choices(object_type: str, name: str) -> dict[Any, Any] | None:
    field = _field(object_type, name)
    if field is not None and getattr(field, "choices", None):
        return dict(field.flatchoices)
    base_field = getattr(field, "base_field", None)  # a list of choices (ArrayField)
    if base_field is not None and getattr(base_field, "choices", None):
        return dict(base_field.flatchoices)
    if name in EXTRA_FIELDS and EXTRA_FIELDS[name][1]:
        return dict(EXTRA_FIELDS[name][1])
    return None


def _key_label(key: str, choices: Mapping[Any, Any] | None, names: Mapping[str, str] | None) -> str:
    if choices and key in choices:
        return str(choices[key])
    if names and key in names:
        return names[key]
    return key


def value_label(
    object_type: str, name: str, value: Any, names: Mapping[str, str] | None = None
) -> str:
    """A stored value as a person reads it: choice labels instead of codes, yes/no for booleans,
    dates and numbers in the reader's format, lists and per-code figures spelled out; ``names``
    names the codes that stand for something (units)."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(value_label(object_type, name, item, names) for item in value)
    choices = _choices(object_type, name)
    if isinstance(value, dict):
        return "; ".join(
            f"{_key_label(key, choices, names)}: {value_label(object_type, '', item, names)}"
            for key, item in value.items()
        )
    if choices and value in choices:
        return str(choices[value])
    if isinstance(value, int | float):
        if isinstance(value, int) and _year_like(name):
            return str(value)
        decimals = 0 if isinstance(value, int) else len(repr(value).split(".", 1)[-1])
        return formatting.format_number(value, decimals, _language())
    text = str(value)
    if names and text in names:
        return names[text]
    if _UUID.match(text):
        # An internal id that no resolver named: the record it pointed at is gone.
        return _("a record that no longer exists")
    if _ISO_DATE.match(text):
        return formatting.format_date(dt.date.fromisoformat(text), _language())
    if _ISO_DATETIME.match(text):
        return _moment(text) or text
    if _DECIMAL.match(text):
        return _number(text)
    if _INTEGER.match(text) and isinstance(_field(object_type, name), _NUMERIC_FIELDS):
        return _number(text)
    return text
