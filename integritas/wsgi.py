"""WSGI entry point for gunicorn: Django, with kept public pages answered in front of it
(``integritas/lib/pagefront.py``).

Once the application is loaded, what start-up made (modules, models, settings, URL patterns) is
moved out of the garbage collector's sight (``integritas.lib.heap``): it lives as long as the
process, and a full collection would otherwise walk all of it again every few dozen requests."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
django_application = get_wsgi_application()

from integritas.lib.heap import freeze_startup_heap  # noqa: E402
from integritas.lib.pagefront import front  # noqa: E402 - needs the settings configured above

application = front(django_application)


freeze_startup_heap()
