"""Snapshots on disk under settings.INSIGHTS_DIR.

    INSIGHTS_DIR/
      current                      the id of the snapshot being served (one line)
      snapshots/<id>/data.json     the computed figures (language-neutral)
      snapshots/<id>/charts/<language>/<panel>.png

A snapshot is written completely in its own directory, then `current` is
replaced atomically (os.replace), so a reader sees the old snapshot or the
new one, never half of one. Like model artifacts, the directory must be
shared by web processes and workers in the services mode.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

SNAPSHOTS_KEPT = 3
CURRENT_FILE = "current"
DATA_FILE = "data.json"


@dataclass(frozen=True)
class InsightsSnapshot:
    id: str
    directory: Path
    data: dict[str, Any]

    @property
    def generated_at(self) -> datetime:
        return datetime.fromisoformat(self.data["generated_at"])

    @property
    def languages(self) -> list[str]:
        return list(self.data.get("charts", {}).get("languages", []))

    @property
    def chart_keys(self) -> list[str]:
        return list(self.data.get("charts", {}).get("keys", []))

    def chart_path(self, *, language: str, key: str) -> Path | None:
        """The PNG of one panel in one language, or None if there is no such chart."""
        if language not in self.languages or key not in self.chart_keys:
            return None
        path = self.directory / "charts" / language / f"{key}.png"
        return path if path.is_file() else None


def insights_root() -> Path:
    return Path(settings.INSIGHTS_DIR)


def _snapshots_dir() -> Path:
    return insights_root() / "snapshots"


def new_snapshot_id() -> str:
    # Sortable by time to the microsecond: pruning keeps the newest by name.
    return f"{timezone.now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(3)}"


def snapshot_write(*, data: dict[str, Any], charts: dict[tuple[str, str], bytes]) -> InsightsSnapshot:
    """Write a snapshot's data and charts, then make it the current one."""
    snapshot_id = new_snapshot_id()
    snapshots = _snapshots_dir()
    snapshots.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{snapshot_id}-", dir=snapshots))
    for (language, key), png in charts.items():
        chart_dir = staging / "charts" / language
        chart_dir.mkdir(parents=True, exist_ok=True)
        (chart_dir / f"{key}.png").write_bytes(png)
    (staging / DATA_FILE).write_text(json.dumps(data, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    final = snapshots / snapshot_id
    staging.chmod(0o755)
    os.replace(staging, final)
    _point_current_at(snapshot_id)
    _prune(keep=snapshot_id)
    return InsightsSnapshot(id=snapshot_id, directory=final, data=data)


def _point_current_at(snapshot_id: str) -> None:
    root = insights_root()
    handle, temporary = tempfile.mkstemp(prefix=".current-", dir=root)
    with os.fdopen(handle, "w", encoding="utf-8") as pointer:
        pointer.write(snapshot_id + "\n")
    os.replace(temporary, root / CURRENT_FILE)


def _prune(*, keep: str) -> None:
    """Keep the newest few snapshots; a reader still holding an older id gets a 404 on its charts at worst."""
    directories = sorted(
        (path for path in _snapshots_dir().iterdir() if path.is_dir() and not path.name.startswith(".")),
        key=lambda path: path.name,
        reverse=True,
    )
    for old in [path for path in directories if path.name != keep][SNAPSHOTS_KEPT - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def current_snapshot_id() -> str | None:
    try:
        snapshot_id = (insights_root() / CURRENT_FILE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return snapshot_id or None


_loaded: dict[str, InsightsSnapshot] = {}


def snapshot_load(snapshot_id: str) -> InsightsSnapshot | None:
    """The snapshot with this id, parsed once per process and kept by id (ids never change content)."""
    directory = _snapshots_dir() / snapshot_id
    cached = _loaded.get(snapshot_id)
    if cached is not None and cached.directory == directory:
        return cached
    if os.sep in snapshot_id or snapshot_id.startswith("."):
        return None
    try:
        data = json.loads((directory / DATA_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    snapshot = InsightsSnapshot(id=snapshot_id, directory=directory, data=data)
    _loaded.clear()
    _loaded[snapshot_id] = snapshot
    return snapshot
