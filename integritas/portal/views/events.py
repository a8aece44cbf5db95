"""The portal's education events: ``/kegiatan/`` lists the published events, upcoming and past,
filtered by year, theme and kind; ``/kegiatan/<code>/`` shows one with its materials and its
attendance by audience group and, once held, its learning gain (small groups withheld,
``services/events.py``), with a link to the
registration page while it is open; ``/kegiatan/sertifikat/`` takes a certificate's serial
number to its verification page."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from integritas.core import public
from integritas.education.models import Kind, Theme
from integritas.education.services.certificates import normalise
from integritas.portal.services import cache
from integritas.portal.services import events as published
from integritas.portal.views.public import BASE, not_found


@public.public_page("GET", base=BASE, indexed=True)
@cache.page("year", "theme", "kind")
def event_list(request: HttpRequest) -> HttpResponse:
    years = published.years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    theme = request.GET.get("theme", "")
    kind = request.GET.get("kind", "")
    upcoming, past = published.split(published.filtered(year=year, theme=theme, kind=kind))
    context = {
        "upcoming": upcoming,
        "past": past,
        "years": years,
        "year": year,
        "theme": theme if theme in Theme.values else "",
        "kind": kind if kind in Kind.values else "",
        "themes": Theme.choices,
        "kinds": Kind.choices,
        "filtered": bool(year or theme in Theme.values or kind in Kind.values),
    }
    return public.render(request, "portal/events.html", context)


@public.public_page("GET", base=BASE, indexed=True)
@cache.page()
def event_detail(request: HttpRequest, code: str) -> HttpResponse:
    found = published.event(code)
    if found is None:
        return not_found(request, _("There is no published event with this code."))
    context = {
        "event": found,
        "materials": list(found.materials.all()),
        "attendance": published.attendance(found),
        "registered": published.registered(found),
        "gain": published.gain_figures(found),
        "open": found.accepts_registrations(),
    }
    return public.render(request, "portal/event.html", context)


@public.public_page("GET", base=BASE)
def certificate_lookup(request: HttpRequest) -> HttpResponse:
    """The verification form's target: the serial as typed (spaces and case forgiven) leads to
    the certificate's verification page; an empty one back to the events."""
    typed = request.GET.get("serial", "")
    serial = normalise(typed) or re.sub(r"[^A-Z0-9-]", "", typed.upper())[:20]
    if not serial:
        return redirect("portal-events")
    return redirect(reverse("certificate-verify", args=[serial]))
