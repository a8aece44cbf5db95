"""Human-readable names for event actions and changed fields, registered by each app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

ACTION_LABELS: dict[str, Any] = {}
# Fields that are not model fields of the object but appear in events (e.g. a role on a user).
EXTRA_FIELDS: dict[str, tuple[Any, Mapping[str, Any]]] = {}


def register_actions(labels: Mapping[str, Any]) -> None:
    """Called from an app's ``ready()`` with ``{action: gettext_lazy(label)}``."""
    ACTION_LABELS.update(labels)


def register_field(name: str, label: Any, choices: Mapping[str, Any]) -> None:
    EXTRA_FIELDS[name] = (label, choices)


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _field(object_type: str, name: str) -> Any:
    try:
        model = apps.get_model(object_type)
        return model._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def field_label(object_type: str, name: str) -> str:
    field = _field(object_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        text = str(field.verbose_name)
        return text[:1].upper() + text[1:]
    if name in EXTRA_FIELDS:
        return str(EXTRA_FIELDS[name][0])
    return name


def value_label(object_type: str, name: str, value: Any) -> str:
    """A stored value as a person reads it: choice labels instead of codes, yes/no for booleans."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = _field(object_type, name)
    choices = (
        dict(field.flatchoices) if field is not None and getattr(field, "choices", None) else None
    )
    if choices is None and name in EXTRA_FIELDS:
        choices = dict(EXTRA_FIELDS[name][1])
    if choices and value in choices:
        return str(choices[value])
    return str(value)
