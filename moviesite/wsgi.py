"""WSGI entry point (gunicorn moviesite.wsgi)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moviesite.settings")
# A web request does small linear algebra (a user's fold-in, a dot product per
# film); OpenBLAS's thread pool only spins against the other workers there.
# Set before numpy is first imported, which happens when the apps load.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

application = get_wsgi_application()

from moviesite.runtime import web_process_gc_tune  # noqa: E402 - after the apps are loaded

web_process_gc_tune()
