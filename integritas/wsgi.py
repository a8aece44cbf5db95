"""WSGI entry point for gunicorn: Django, with kept public pages answered in front of it
(``integritas/lib/pagefront.py``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integritas.settings")
django_application = get_wsgi_application()

from integritas.lib.pagefront import front  # noqa: E402 - needs the settings configured above

application = front(django_application)
