"""An import stopped part-way: the operator is told what to do, and the run does not stay "running".

A Ctrl-C that lands inside a database query leaves psycopg's connection busy,
so the import could not record its own end (seen on PostgreSQL: the run stayed
"running" and three chained tracebacks ended in "another command is already in
progress"). The next import closes such runs: holding the import lock, it
knows none of them is still alive.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError

from catalog.models import ImportRun
from catalog.services import UNFINISHED_RUN_ERROR
from tests.factories import ImportRunFactory


@pytest.fixture
def movies_csv(tmp_path: Path) -> Path:
    path = tmp_path / "movies.csv"
    path.write_text("movieId,title,genres\n1,Toy Story (1995),Animation|Comedy\n", encoding="utf-8")
    return path


@pytest.mark.django_db(transaction=True)
def test_a_run_left_running_by_a_dead_import_is_closed_by_the_next_import(
    movies_csv: Path, charts_not_drawn: None
) -> None:
    dead = ImportRunFactory(status=ImportRun.Status.RUNNING)

    call_command("import_catalog", str(movies_csv))

    dead.refresh_from_db()
    assert dead.status == ImportRun.Status.FAILED
    assert dead.error == UNFINISHED_RUN_ERROR
    assert dead.finished_at is not None
    assert ImportRun.objects.exclude(pk=dead.pk).get().status == ImportRun.Status.SUCCEEDED


def _interrupted_inside_a_query() -> OperationalError:
    """What reaches the command when the Ctrl-C cut a query: the clean-up's error, the interrupt as its context."""
    error = OperationalError("sending query failed: another command is already in progress")
    error.__context__ = KeyboardInterrupt()
    return error


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, _interrupted_inside_a_query], ids=["between", "inside"])
@pytest.mark.django_db(transaction=True)
def test_ctrl_c_says_to_run_the_same_command_again_and_exits_130(
    movies_csv: Path, monkeypatch: pytest.MonkeyPatch, interrupt: Callable[[], BaseException]
) -> None:
    def interrupted_import(**kwargs: object) -> ImportRun:
        raise interrupt()

    monkeypatch.setattr("catalog.management.commands.import_catalog.catalog_import", interrupted_import)

    with pytest.raises(CommandError, match=r"Interrupted.*run the same command again") as raised:
        call_command("import_catalog", str(movies_csv))

    assert raised.value.returncode == 130


@pytest.mark.django_db(transaction=True)
def test_an_import_error_that_is_not_an_interrupt_is_not_dressed_up_as_one(
    movies_csv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_import(**kwargs: object) -> ImportRun:
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("catalog.management.commands.import_catalog.catalog_import", failing_import)

    with pytest.raises(OperationalError, match="server closed"):
        call_command("import_catalog", str(movies_csv))
