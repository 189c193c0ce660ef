"""Model artifacts on disk: numpy arrays in one .npz, checksummed, never pickled.

Writing goes to a temporary file in the same directory, is fsynced, read back
and verified, then renamed into place, so a reader never sees half a file.
Reading checks the sha256 recorded in the registry before numpy parses a byte,
and loads with allow_pickle=False.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings


class ArtifactError(Exception):
    """An artifact that is missing, corrupt or not what the registry recorded."""


def artifacts_dir() -> Path:
    path = Path(settings.MODEL_ARTIFACTS_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def artifact_write(*, name: str, arrays: dict[str, np.ndarray]) -> tuple[Path, str]:
    """Write arrays as `<name>.npz` atomically; return (path, sha256)."""
    directory = artifacts_dir()
    final_path = directory / f"{name}.npz"
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, renamed only once verified
        dir=directory, prefix=f".{name}.", suffix=".tmp", delete=False
    )
    temp_path = Path(handle.name)
    try:
        with handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
            handle.flush()
            os.fsync(handle.fileno())
        checksum = file_sha256(temp_path)
        # Read it back the way serving will before anyone can see it.
        artifact_read(path=temp_path, checksum=checksum)
        os.replace(temp_path, final_path)
    except BaseException:
        temp_path.unlink(missing_ok=True)
        raise
    return final_path, checksum


def artifact_read(*, path: Path | str, checksum: str) -> dict[str, np.ndarray]:
    """Every array of a verified artifact, or ArtifactError saying what is wrong."""
    path = Path(path)
    if not checksum:
        raise ArtifactError(f"{path}: no checksum recorded, refusing to load")
    try:
        actual = file_sha256(path)
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if actual != checksum:
        raise ArtifactError(f"{path}: sha256 {actual[:12]}… does not match the recorded {checksum[:12]}…")
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except (ValueError, OSError, EOFError) as exc:
        raise ArtifactError(f"{path}: not a readable numpy archive ({exc})") from exc
