"""Catalog files not in UTF-8: read in their legacy encoding when they are not UTF-8 at all, and said so."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.importers.base import Source
from catalog.models import ImportRun, Movie, StreamingTitle
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx
from tests.catalog.test_import_catalog import file_counts, rejects
from tests.factories import MovieFactory

# Curly quotes and a dash: cp1252 bytes 0x93, 0x94 and 0x97, which Latin-1 reads as control characters.
OVERVIEW = "Café \u201ccrème\u201d \u2014 déjà vu"
BLOCK = 1 << 20  # Source.fingerprint reads 1 MiB at a time


def fingerprint_encoding(path: Path, data: bytes, *, text: bool = True) -> str:
    path.write_bytes(data)
    return Source(path).fingerprint(text=text)[1]


def test_utf8_is_read_as_utf8_even_with_a_character_across_two_blocks(tmp_path: Path) -> None:
    assert fingerprint_encoding(tmp_path / "a.csv", b"plain ascii\n") == "utf-8"
    assert fingerprint_encoding(tmp_path / "b.csv", b"a" * (BLOCK - 1) + "é\n".encode()) == "utf-8"


def test_a_file_that_is_not_utf8_and_holds_no_utf8_character_is_cp1252(tmp_path: Path) -> None:
    assert fingerprint_encoding(tmp_path / "a.csv", OVERVIEW.encode("cp1252")) == "cp1252"
    assert fingerprint_encoding(tmp_path / "b.csv", b"a" * BLOCK + "José".encode("cp1252")) == "cp1252"


def test_a_byte_cp1252_leaves_undefined_makes_it_latin1(tmp_path: Path) -> None:
    assert fingerprint_encoding(tmp_path / "a.csv", "café".encode("latin-1") + b"\x81") == "latin-1"


def test_a_utf8_file_with_a_stray_byte_stays_utf8(tmp_path: Path) -> None:
    """Read as cp1252, every accent of the file would turn into two wrong characters."""
    data = "Amélie\n".encode() + b"a" * BLOCK + b"caf\xe9\n"
    assert fingerprint_encoding(tmp_path / "a.csv", data) == "utf-8"


def test_files_parsed_as_numbers_are_not_checked(tmp_path: Path) -> None:
    assert fingerprint_encoding(tmp_path / "ratings.csv", b"caf\xe9", text=False) == "utf-8"


@pytest.mark.django_db
def test_catalog_files_saved_by_excel_are_imported_and_the_summary_names_their_encoding(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    metadata = [fx.METADATA_HEADER, fx.metadata_row(id="9000002", overview=OVERVIEW)]
    (tmp_path / "movies_metadata.csv").write_bytes(("\n".join(metadata) + "\n").encode("cp1252"))
    titles = [fx.STREAMING_HEADER, fx.streaming_row(director="José")]
    (tmp_path / "netflix_titles.csv").write_bytes(("\n".join(titles) + "\n").encode("cp1252"))
    keywords = [fx.KEYWORDS_HEADER, "9000091,\"[{'id': 931, 'name': 'café'}]\""]
    (tmp_path / "keywords.csv").write_bytes(("\n".join(keywords) + "\n").encode("latin-1"))
    out = io.StringIO()

    call_command("import_catalog", str(tmp_path), stdout=out)

    run = ImportRun.objects.get()
    assert rejects(run) == []
    assert Movie.objects.get(tmdb_id=9000002).overview == OVERVIEW
    assert StreamingTitle.objects.get().director == "José"
    assert list(Movie.objects.get(tmdb_id=9000091).keywords.values_list("name", flat=True)) == ["café"]
    assert [file_counts(run, name)["encoding"] for name in ("movies_metadata.csv", "netflix_titles.csv")] == [
        "cp1252",
        "cp1252",
    ]
    assert "movies_metadata.csv: not UTF-8, read as cp1252" in out.getvalue()
    assert "keywords.csv: not UTF-8, read as cp1252" in out.getvalue()


@pytest.mark.django_db
def test_a_row_with_a_stray_byte_in_a_utf8_file_is_rejected_naming_the_field(tmp_path: Path) -> None:
    MovieFactory(tmdb_id=9000091)
    metadata = [
        fx.METADATA_HEADER.encode(),
        fx.metadata_row(id="9000001", title="Amélie").encode(),
        fx.metadata_row(id="9000002", overview="Café crème").encode("latin-1"),
    ]
    (tmp_path / "movies_metadata.csv").write_bytes(b"\n".join(metadata) + b"\n")
    credits = [
        fx.CREDITS_HEADER.encode(),
        "\"[{'credit_id': 'c1', 'id': 31, 'name': 'Zoë', 'order': 0}]\",[],9000091".encode("latin-1"),
        "\"[{'credit_id': 'c2', 'id': 32, 'name': 'Chloé', 'order': 1}]\",[],9000001".encode(),
    ]
    (tmp_path / "credits.csv").write_bytes(b"\n".join(credits) + b"\n")

    run = catalog_import(paths=[tmp_path])

    assert sorted((r["file"], r["line"], r["field"], r["reason"]) for r in rejects(run)) == [
        ("credits.csv", "2", "cast", "not valid UTF-8 (the file may be in another encoding)"),
        ("movies_metadata.csv", "3", "overview", "not valid UTF-8 (the file may be in another encoding)"),
    ]
    assert Movie.objects.get(tmdb_id=9000001).title == "Amélie"
    assert file_counts(run, "credits.csv")["encoding"] == "utf-8"
