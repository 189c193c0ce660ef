from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_the_web_entry_point_keeps_blas_to_one_thread_per_process() -> None:
    env = {key: value for key, value in os.environ.items() if not key.endswith("_NUM_THREADS")}
    env.update(DJANGO_SECRET_KEY=secrets.token_urlsafe(64), DJANGO_SETTINGS_MODULE="moviesite.settings")
    script = (
        "import json, moviesite.wsgi, numpy, threadpoolctl; "
        "print(json.dumps([pool['num_threads'] for pool in threadpoolctl.threadpool_info()]))"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )

    threads = json.loads(result.stdout.strip().splitlines()[-1])
    assert threads
    assert set(threads) == {1}


def test_the_web_entry_points_freeze_start_up_objects_out_of_the_collector_s_way() -> None:
    env = {**os.environ, "DJANGO_SECRET_KEY": secrets.token_urlsafe(64), "DJANGO_SETTINGS_MODULE": "moviesite.settings"}
    for module in ("moviesite.wsgi", "moviesite.asgi"):
        script = f"import gc, {module}; print(gc.get_freeze_count())"
        result = subprocess.run(
            [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True, check=True
        )
        assert int(result.stdout.strip().splitlines()[-1]) > 10_000, module
