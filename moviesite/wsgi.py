"""WSGI entry point (gunicorn moviesite.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moviesite.settings")

application = get_wsgi_application()
