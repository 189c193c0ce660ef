"""The demo catalog: MovieLens 100K as shipped inside the recbole 1.2.1 wheel on PyPI.

The wheel is fetched once with pip (`pip download --no-deps`, never
installed) into settings.DEMO_CACHE_DIR; the four data files are read
straight out of the zip.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

from catalog.importers.base import Source

RECBOLE_VERSION = "1.2.1"
WHEEL_NAME = f"recbole-{RECBOLE_VERSION}-py3-none-any.whl"
MEMBER_PREFIX = "recbole/dataset_example/ml-100k/ml-100k"


class DemoDownloadError(RuntimeError):
    pass


def demo_wheel(*, cache_dir: Path | None = None) -> Path:
    """The cached recbole wheel, downloaded with pip when it is not there yet."""
    directory = Path(cache_dir or settings.DEMO_CACHE_DIR)
    wheel = directory / WHEEL_NAME
    if wheel.exists():
        return wheel
    directory.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check", "--quiet",
        f"recbole=={RECBOLE_VERSION}", "-d", str(directory),
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603 - fixed arguments
    if completed.returncode != 0 or not wheel.exists():
        raise DemoDownloadError(
            f"could not download recbole=={RECBOLE_VERSION} from the package index into {directory}: "
            f"{completed.stderr.strip()[-500:]}"
        )
    return wheel


def demo_sources(wheel: Path) -> list[tuple[Source, str]]:
    """The demo files in import order, with their formats (the .link is read by the .kg import)."""
    return [
        (Source(wheel, f"{MEMBER_PREFIX}.item"), "recbole_items"),
        (Source(wheel, f"{MEMBER_PREFIX}.kg"), "recbole_kg"),
        (Source(wheel, f"{MEMBER_PREFIX}.inter"), "recbole_ratings"),
    ]
