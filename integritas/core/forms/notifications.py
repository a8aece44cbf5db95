"""Filters of the notification list."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.lib.forms import FilterForm


class NotificationFilterForm(FilterForm):
    """``?show=unread`` lists only the unread notifications; anything else lists all."""

    show = forms.ChoiceField(choices=[("", _("Show all")), ("unread", _("Show unread only"))])
