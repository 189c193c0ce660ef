"""Start-up cost: a process that serves pages or runs tasks must not import the
libraries only training and chart drawing need. scikit-learn (with SciPy's
statistics) and matplotlib took about 1.5 s of each `manage.py`, gunicorn
worker and Celery worker start-up before they were imported where they are used.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TRAINING_AND_DRAWING_ONLY = ("sklearn", "matplotlib", "scipy.stats")


def _modules_loaded_after(script: str) -> set[str]:
    env = {**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_SETTINGS_MODULE": "moviesite.settings"}
    probe = f"{script}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_serving_every_url_and_loading_every_task_leaves_training_and_drawing_libraries_unimported() -> None:
    loaded = _modules_loaded_after(
        "import moviesite.wsgi\n"
        "from django.urls import get_resolver\n"
        "get_resolver().url_patterns\n"
        "from moviesite.celery import app\n"
        "app.loader.import_default_modules()\n"
    )

    assert "recommender.services" in loaded
    assert "catalog.insights.services" in loaded
    assert "catalog.tasks" in loaded
    assert sorted(name for name in TRAINING_AND_DRAWING_ONLY if name in loaded) == []
