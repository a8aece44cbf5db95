"""Filters of the notification list, and the notification settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from integritas.core.models import User
from integritas.lib.forms import FilterForm


class NotificationFilterForm(FilterForm):
    """``?show=unread`` lists only the unread notifications; anything else lists all."""

    show = forms.ChoiceField(choices=[("", _("Show all")), ("unread", _("Show unread only"))])


class DeliveryForm(forms.Form):
    """How the signed-in person receives notifications."""

    delivery = forms.ChoiceField(
        label=_("How do you want to receive notifications?"),
        choices=User.Delivery.choices,
        widget=forms.RadioSelect,
    )
