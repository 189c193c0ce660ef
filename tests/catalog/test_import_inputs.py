"""What import_catalog does with awkward inputs: broken quoting, broken archives, hidden files, files of one name."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.importers import base
from catalog.models import ImportRun, Movie, StreamingTitle
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx

pytestmark = pytest.mark.django_db


def rejects(run: ImportRun) -> list[dict[str, str]]:
    if not run.rejects_path:
        return []
    return list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))


def streaming_row(show_id: str, description: str) -> str:
    return f"{show_id},Movie,Film {show_id},,,Spain,,2001,PG,90 min,Dramas,{description}"


def test_an_unclosed_quote_rejects_its_record_and_the_rows_after_it_are_read(tmp_path: Path) -> None:
    rows = [
        streaming_row("s1", "Fine."),
        streaming_row("s2", '"desc with a quote never closed'),
        *(streaming_row(f"s{n}", "Fine.") for n in range(3, 7)),
    ]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")

    run = catalog_import(paths=[path])

    [entry] = run.files
    assert (entry["read"], entry["inserted"], entry["rejected"]) == (6, 5, 1)
    [reject] = rejects(run)
    assert (reject["line"], reject["field"]) == ("3", "row")
    assert "unclosed quote" in reject["reason"] and "end of the file" in reject["reason"]
    titles = StreamingTitle.objects.order_by("show_id")
    assert list(titles.values_list("show_id", flat=True)) == ["s1", "s3", "s4", "s5", "s6"]
    assert titles.get(show_id="s6").description == "Fine."


def test_an_unclosed_quote_on_the_last_line_is_rejected(tmp_path: Path) -> None:
    rows = [streaming_row("s1", "Fine."), streaming_row("s2", '"never closed')]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]))

    run = catalog_import(paths=[path])

    assert (run.rows_read, run.rows_inserted, run.rows_rejected) == (2, 1, 1)
    assert [r["line"] for r in rejects(run)] == ["3"]


def test_line_numbers_stay_physical_after_a_record_is_read_again(tmp_path: Path) -> None:
    rows = [
        streaming_row("s1", '"over\ntwo lines"'),  # lines 2-3
        streaming_row("s2", '"never closed'),  # line 4
        streaming_row("s3", "Fine."),  # line 5
        "s4,Documentary,Odd Type,,,,,2020,,90 min,,Not a known type.",  # line 6
    ]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")

    run = catalog_import(paths=[path])

    assert [(r["line"], r["field"]) for r in rejects(run)] == [("4", "row"), ("6", "type")]
    assert StreamingTitle.objects.get(show_id="s1").description == "over\ntwo lines"


def test_a_field_over_the_size_limit_is_rejected_and_the_next_lines_are_read(tmp_path: Path) -> None:
    rows = [streaming_row("s1", "x" * 2000), streaming_row("s2", "Fine."), streaming_row("s3", "Fine.")]
    path = fx.write_text(tmp_path / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")
    limit = csv.field_size_limit(1000)
    try:
        run = catalog_import(paths=[path])
    finally:
        csv.field_size_limit(limit)

    [reject] = rejects(run)
    assert reject["line"] == "2" and "field larger than field limit" in reject["reason"]
    assert sorted(StreamingTitle.objects.values_list("show_id", flat=True)) == ["s2", "s3"]


def test_hidden_files_in_a_directory_are_skipped(tmp_path: Path) -> None:
    directory = tmp_path / "tmd"
    fx.write_text(directory / "links_small.csv", fx.LINKS_SMALL)
    (directory / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    fx.write_text(directory / ".git" / "config", "[core]\n")

    run = catalog_import(paths=[directory])

    assert [entry["label"] for entry in run.files] == ["links_small.csv"]


def test_a_hidden_file_named_on_the_command_line_is_read(tmp_path: Path) -> None:
    hidden = fx.write_text(tmp_path / ".links_small.csv", fx.LINKS_SMALL)

    run = catalog_import(paths=[hidden])

    assert [entry["format"] for entry in run.files] == ["links"]


def test_two_files_of_one_name_are_told_apart_in_rejects_and_summary(tmp_path: Path) -> None:
    bad_link = "movieId,imdbId,tmdbId\n9999,0099999,\n"
    first = fx.write_text(tmp_path / "the-movies-dataset" / "links.csv", bad_link)
    second = fx.write_text(tmp_path / "ml-latest" / "links.csv", bad_link)
    archive = fx.write_zip(tmp_path / "ml-latest-small.zip", {"ml-latest-small/links.csv": bad_link})

    run = catalog_import(paths=[first, second, archive])

    labels = ["the-movies-dataset/links.csv", "ml-latest/links.csv", "ml-latest-small.zip:ml-latest-small/links.csv"]
    assert [entry["label"] for entry in run.files] == labels
    assert [r["file"] for r in rejects(run)] == labels
    assert len(run.rejects_by_reason) == 3
    out = io.StringIO()
    call_command("import_catalog", str(first), str(second), stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("the-movies-dataset/links.csv ") for line in lines)
    assert any(line.startswith("ml-latest/links.csv ") for line in lines)


def test_the_rejects_of_one_file_are_in_line_order(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    fx.write_text(
        directory / "ratings_small.csv",
        "userId,movieId,rating,timestamp\n1,777,4.0,964982703\n1,1,7.0,964982703\n2,1,4.0,-1\n2,777,4.0,1\n",
    )

    run = catalog_import(paths=[directory])

    lines = [int(r["line"]) for r in rejects(run) if r["file"] == "ratings_small.csv"]
    assert lines == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ratings_small.csv.gz", b"not gzip at all"),
        ("tmd.zip", b"PK\x03\x04 not a zip"),
    ],
)
def test_a_fake_archive_is_refused_before_anything_is_imported(tmp_path: Path, name: str, content: bytes) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    (directory / "ratings_small.csv").unlink()
    (directory / name).write_bytes(content)

    with pytest.raises(CommandError, match=rf"{re.escape(name)}: (cannot be read|not a readable zip archive)"):
        call_command("import_catalog", str(directory), stdout=io.StringIO())

    assert Movie.objects.count() == 0 and ImportRun.objects.count() == 0


def test_a_truncated_archive_is_refused_before_anything_is_imported(tmp_path: Path) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    (directory / "ratings_small.csv").unlink()
    gz = fx.write_gz(directory / "ratings_small.csv.gz", fx.RATINGS_SMALL * 100)
    gz.write_bytes(gz.read_bytes()[: gz.stat().st_size // 2])
    archive = fx.write_zip(tmp_path / "links.zip", {"links/links_small.csv": fx.LINKS_SMALL * 100})
    archive.write_bytes(archive.read_bytes()[:-30])

    for paths, name in (([directory], "ratings_small.csv.gz"), ([archive], "links.zip")):
        with pytest.raises(CommandError, match=name):
            call_command("import_catalog", *map(str, paths), stdout=io.StringIO())

    assert Movie.objects.count() == 0 and ImportRun.objects.count() == 0


def test_an_archive_that_breaks_while_read_fails_the_run_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = fx.write_movies_dataset(tmp_path / "tmd")
    (directory / "ratings_small.csv").unlink()
    gz = fx.write_gz(directory / "ratings_small.csv.gz", fx.RATINGS_SMALL * 100)
    gz.write_bytes(gz.read_bytes()[: gz.stat().st_size // 2])
    # As if the file was truncated after planning had hashed it.
    monkeypatch.setattr(base.Source, "fingerprint", lambda source, *, text: ("0" * 64, "utf-8"))

    with pytest.raises(CommandError, match=r"ratings_small\.csv\.gz: cannot be read to its end"):
        call_command("import_catalog", str(directory), stdout=io.StringIO())

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED and "ratings_small.csv.gz" in run.error
    assert Movie.objects.count() > 0


def test_a_format_of_another_family_is_named_in_the_error(tmp_path: Path) -> None:
    streaming = fx.write_streaming(tmp_path / "streaming")

    with pytest.raises(CommandError, match=r"recognised as streaming .* not a tmdb file"):
        call_command("import_catalog", str(streaming / "hulu_titles.csv"), "--format", "tmdb", stdout=io.StringIO())


@pytest.mark.parametrize(
    ("release", "extras"),
    [
        ("ml-25m", {"genome-scores.csv": "movieId,tagId,relevance\n1,1,0.03\n", "genome-tags.csv": "tagId,tag\n"}),
        ("ml-100k", {"allbut.pl": "#!/usr/local/bin/perl\n", "mku.sh": "#!/bin/sh\n", "u.genre": "unknown|0\n"}),
        ("ml-10M100K", {"README.html": "<html></html>\n", "split_ratings.sh": "#!/bin/sh\n"}),
        ("ml-32m", {"checksums.txt": "0 links.csv\n", "README.txt": "Summary\n"}),
    ],
)
def test_a_movielens_release_directory_imports_as_it_comes_with_its_other_files_skipped(
    tmp_path: Path, release: str, extras: dict[str, str]
) -> None:
    directory = tmp_path / release
    fx.write_text(directory / "links.csv", fx.LINKS_SMALL)
    for name, text in extras.items():
        fx.write_text(directory / name, text)

    run = catalog_import(paths=[directory])

    assert run.status == ImportRun.Status.SUCCEEDED
    assert sorted(entry["label"] for entry in run.files if entry["format"] == "skipped") == sorted(extras)
