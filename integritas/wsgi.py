"""WSGI entry point for gunicorn: Django, with kept public pages answered in front of it
(``integritas/lib/pagefront.py``).

Once the application is loaded, what start-up made (modules, models, settings, URL patterns) is
moved out of the garbage collector's sight (``gc.freeze``): it lives as long as the process, and
a full collection would otherwise walk all of it again every few dozen requests, a pause that
grows with the heap (docs/compute-indices.md, *Dashboards at national scale*)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
django_application = get_wsgi_application()

from integritas.lib.pagefront import front  # noqa: E402 - needs the settings configured above

application = front(django_application)


def freeze_startup_heap() -> int:
    """Load the URL patterns (and through them the views), collect what start-up left as
    garbage, then freeze every object still alive; returns how many were frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


freeze_startup_heap()
