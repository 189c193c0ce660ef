"""CSV files the site hands out never carry a cell a spreadsheet would run as a formula.

Found by importing a crafted movies_metadata.csv: a title like
`=HYPERLINK("http://…","…")` went as written into a user's ratings export, and
a rejected value into the rejects file curators download; opened in a
spreadsheet, either runs. Such cells now start with a `'`; the ratings import
reads its own export back unchanged.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from catalog.importers.base import RejectWriter
from catalog.text import spreadsheet_safe, spreadsheet_unescape
from ratings.models import Rating
from tests.factories import MovieFactory, RatingFactory, UserFactory

pytestmark = pytest.mark.django_db

FORMULA_TITLE = '=HYPERLINK("http://attacker.example/","Click")'


@pytest.mark.parametrize("value", [FORMULA_TITLE, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1"])
def test_text_starting_like_a_formula_is_quoted_and_comes_back_unchanged(value: str) -> None:
    safe = spreadsheet_safe(value)

    assert safe == "'" + value
    assert spreadsheet_unescape(str(safe)) == value


@pytest.mark.parametrize("value", ["Heat", "-1", "+3.5", "4,5", "'Round Midnight", 42, None])
def test_ordinary_cells_and_plain_numbers_are_left_alone(value: object) -> None:
    assert spreadsheet_safe(value) == value


def test_the_ratings_export_quotes_a_formula_title_and_the_import_reads_it_back() -> None:
    user = UserFactory()
    film = MovieFactory(title=FORMULA_TITLE, release_year=2020, imdb_id="", tmdb_id=None)
    RatingFactory(user=user, movie=film, score=4)
    client = Client()
    client.force_login(user)

    exported = b"".join(client.get(reverse("ratings-export")).streaming_content)
    rows = list(csv.DictReader(io.StringIO(exported.decode())))
    Rating.objects.filter(user=user).delete()
    report = client.post(reverse("ratings-import"), {"file": SimpleUploadedFile("r.csv", exported)}).context["report"]

    assert rows[0]["title"] == "'" + FORMULA_TITLE
    assert report.created == 1 and report.unmatched == []
    assert Rating.objects.get(user=user).movie_id == film.pk


def test_the_ratings_export_quotes_an_imdb_id_typed_as_a_formula() -> None:
    # The admin's IMDb id field takes any text of up to 12 characters; the importers only write tt ids.
    user = UserFactory()
    RatingFactory(user=user, movie=MovieFactory(title="Heat", imdb_id="@SUM(A1:A9)"), score=4)
    client = Client()
    client.force_login(user)

    exported = b"".join(client.get(reverse("ratings-export")).streaming_content)

    assert next(csv.DictReader(io.StringIO(exported.decode())))["imdb_id"] == "'@SUM(A1:A9)"


def test_the_rejects_file_quotes_values_that_would_run(tmp_path: Path) -> None:
    path = tmp_path / "rejects.csv"
    writer = RejectWriter(path)
    writer.write(
        [("movies_metadata.csv", 4, "id", FORMULA_TITLE, "not a number"), ("=evil.csv", 5, "budget", "-1", "x")]
    )
    writer.close()

    rows = list(csv.reader(path.open(encoding="utf-8")))

    assert rows[1][3] == "'" + FORMULA_TITLE
    assert rows[2][0] == "'=evil.csv"
    assert rows[2][3] == "-1"
