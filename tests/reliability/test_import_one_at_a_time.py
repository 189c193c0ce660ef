"""Two imports at once: the second is refused with a message instead of dying half-way.

Before the lock, a second import_catalog of the same files raced the first to
insert the same new rows and stopped on a duplicate key, with a traceback.
The other import holds the lock from a thread with its own database
connection, as another process would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from catalog.management.commands.import_catalog import IMPORT_LOCK
from catalog.models import ImportRun, Movie
from recommender.locks import exclusive_lock


@pytest.fixture
def movies_csv(tmp_path: Path) -> Path:
    path = tmp_path / "movies.csv"
    path.write_text("movieId,title,genres\n1,Toy Story (1995),Animation|Comedy\n", encoding="utf-8")
    return path


@pytest.fixture
def another_import_running() -> Iterator[None]:
    held, release = threading.Event(), threading.Event()

    def other_import() -> None:
        try:
            with exclusive_lock(IMPORT_LOCK) as taken:
                assert taken
                held.set()
                release.wait(timeout=60)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    try:
        assert held.wait(timeout=30)
        yield
    finally:
        release.set()
        thread.join()


@pytest.mark.django_db(transaction=True)
def test_an_import_started_while_another_runs_is_refused_and_imports_nothing(
    movies_csv: Path, another_import_running: None
) -> None:
    with pytest.raises(CommandError, match=r"Another import .* is running"):
        call_command("import_catalog", str(movies_csv))

    assert not ImportRun.objects.exists()
    assert not Movie.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_demo_loader_is_refused_too_while_an_import_runs(
    another_import_running: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo's wheel is never read: the refusal comes first.
    monkeypatch.setattr("catalog.management.commands.load_demo.demo_wheel", lambda: Path("unused.whl"))
    monkeypatch.setattr("catalog.management.commands.load_demo.demo_sources", lambda wheel: [])

    with pytest.raises(CommandError, match=r"Another import .* is running"):
        call_command("load_demo")

    assert not ImportRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_runs_once_the_other_one_has_finished(movies_csv: Path, charts_not_drawn: None) -> None:
    with exclusive_lock(IMPORT_LOCK) as taken:
        assert taken

    call_command("import_catalog", str(movies_csv))

    assert Movie.objects.get().title == "Toy Story"
