"""Locks that die with their holder, so a killed worker never blocks the next run.

On PostgreSQL a session-level advisory lock: the server releases it when the
connection goes away, SIGKILL included. On SQLite (one process, eager tasks)
an fcntl lock on a file under var/, which the kernel releases the same way.
"""

from __future__ import annotations

import contextlib
import fcntl
import zlib
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection


def _lock_key(name: str) -> int:
    # A stable signed 32-bit key per name (advisory locks take a bigint).
    return zlib.crc32(f"moviesite:{name}".encode()) - (1 << 31)


@contextlib.contextmanager
def exclusive_lock(name: str) -> Iterator[bool]:
    """Try to take the lock `name`; yields whether it was taken (never waits)."""
    if connection.vendor == "postgresql":
        key = _lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            taken = bool(cursor.fetchone()[0])
        try:
            yield taken
        finally:
            if taken:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    directory = Path(settings.VAR_DIR) / "locks"
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / f"{name}.lock").open("a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
