"""Malformed rows in every import format (issue 9, item 16).

Hypothesis writes files with a valid header followed by rows of wrong types,
broken quoting, shifted columns, huge fields and invalid UTF-8. Whatever it
writes, the import finishes, every file balances, and every rejected row is
in the rejects file with a reason.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog.models import ImportRun
from catalog.services import catalog_import
from tests.catalog import fixtures_import as fx

pytestmark = pytest.mark.django_db

_counter = itertools.count()

# (file name, header line, delimiter, number of columns)
FORMATS = {
    "movies_metadata": ("movies_metadata.csv", fx.METADATA_HEADER, ",", 24),
    "credits": ("credits.csv", fx.CREDITS_HEADER, ",", 3),
    "keywords": ("keywords.csv", fx.KEYWORDS_HEADER, ",", 2),
    "links": ("links.csv", "movieId,imdbId,tmdbId", ",", 3),
    "ratings": ("ratings.csv", "userId,movieId,rating,timestamp", ",", 4),
    "movielens_movies": ("movies.csv", "movieId,title,genres", ",", 3),
    "movielens_tags": ("tags.csv", "userId,movieId,tag,timestamp", ",", 4),
    "streaming": ("netflix_titles.csv", fx.STREAMING_HEADER, ",", 12),
    "ml100k_ratings": ("u.data", "", "\t", 4),
    "ml100k_items": ("u.item", "", "|", 24),
    "movielens_dat_movies": ("movies.dat", "", "::", 3),
    "movielens_dat_tags": ("tags.dat", "", "::", 4),
    "ml1m_ratings": ("ml-1m/ratings.dat", "", "::", 4),
    "ml10m_ratings": ("ml-10M100K/ratings.dat", "", "::", 4),
}

plausible = st.sampled_from(
    ["1", "862", "0", "-4", "4.5", "7.0", "1e309", "nan", "", " ", "1995-10-30", "1997-08-20", "tt0114709",
     "[]", "[{'id': 18, 'name': 'Drama'}]", "[{'id': 'x'}]", "{'id': 1}", "[{'id': 1, 'name': None}]",
     "__import__('os')", "September 25, 2021", "90 min", "2 Seasons", "TV-MA", "Movie", "TV Show", "True",
     "\u200b", "\"", "\"unterminated", "a,b", "line\nbreak", "Toy Story (1995)", "01-Jan-1995"]
)  # fmt: skip
huge = st.builds(
    lambda chunk, times: chunk * times, st.sampled_from(["x", "a,b", '"', "é\n"]), st.integers(5_000, 20_000)
)
field = st.one_of(plausible, st.text(max_size=30), huge)
raw_line = st.binary(max_size=60)


@st.composite
def malformed_file(draw: st.DrawFn, fmt: str) -> bytes:
    _, header, delimiter, columns = FORMATS[fmt]
    lines: list[bytes] = [header.encode()] if header else []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["fields", "shifted", "raw"]))
        if kind == "raw":
            lines.append(draw(raw_line).replace(b"\n", b" "))
            continue
        count = columns if kind == "fields" else draw(st.integers(min_value=0, max_value=columns + 3))
        values = [draw(field) for _ in range(count)]
        lines.append(delimiter.join(values).encode("utf-8", "surrogatepass"))
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    return ending.join(lines) + ending


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_malformed_row_is_imported_or_rejected_with_a_reason(fmt: str, tmp_path: Path) -> None:
    name = FORMATS[fmt][0]

    @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=malformed_file(fmt))
    def check(data: bytes) -> None:
        directory = tmp_path / str(next(_counter))
        directory.mkdir()
        path = directory / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)

        run = catalog_import(paths=[path])

        assert run.status == ImportRun.Status.SUCCEEDED
        [entry] = run.files
        assert entry["read"] == entry["inserted"] + entry["updated"] + entry["unchanged"] + entry["rejected"]
        written = []
        if run.rejects_path:
            with open(run.rejects_path, encoding="utf-8", newline="") as stream:
                written = list(csv.DictReader(stream))
        assert len(written) == entry["rejected"]
        assert all(row["reason"] and row["line"].isdigit() for row in written)

    check()


def test_the_reject_file_is_itself_valid_csv_for_hostile_values(tmp_path: Path) -> None:
    path = fx.write_text(tmp_path / "links.csv", 'movieId,imdbId,tmdbId\n"a\nb",=cmd|\' /C calc\'!A0,"x""y"\n')

    run = catalog_import(paths=[path])

    [row] = list(csv.DictReader(io.StringIO(Path(run.rejects_path).read_text(encoding="utf-8"))))
    assert row["line"] == "2" and row["file"] == "links.csv"
