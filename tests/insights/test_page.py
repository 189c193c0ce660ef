"""/insights/: staff only, never computed per request, and its numbers are the catalog's.

Every expected number here is recomputed independently from the fixture
catalog (ORM, pandas or plain Python), then compared with what the page says.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter

import numpy as np
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from catalog.insights.selectors import insights_snapshot_current
from catalog.models import Genre, Movie, StreamingTitle
from ratings.models import DatasetRating, Rating
from tests.insights.html_reading import read_insights, table_as_dict

pytestmark = pytest.mark.django_db


def number(text: str) -> float:
    return float(text.replace(",", "").replace("$", "").replace("\u00d7", "").replace("%", "").strip())


@pytest.fixture
def page(refreshed_catalog, db, client):
    client.force_login(refreshed_catalog.staff)
    response = client.get(reverse("insights"))
    assert response.status_code == 200
    return read_insights(response.content.decode())


def test_the_headline_counts_match_the_database(page) -> None:
    assert number(page.summary["Films"]) == Movie.objects.count()
    assert number(page.summary["Ratings by site users"]) == Rating.objects.count()
    assert number(page.summary["Dataset raters"]) == len(set(DatasetRating.objects.values_list("rater_id")))
    assert number(page.summary["Streaming titles without a film"]) == StreamingTitle.objects.filter(movie=None).count()


def test_completeness_counts_missing_values_and_missing_relations(page) -> None:
    rows = table_as_dict(page.panels["completeness"].tables[0])
    movies = list(Movie.objects.all())
    rated = set(Rating.objects.values_list("movie_id", flat=True)) | set(
        DatasetRating.objects.values_list("movie_id", flat=True)
    )
    assert number(rows["budget (0 = unknown)"][0]) == sum(1 for m in movies if m.budget == 0)
    assert number(rows["runtime (missing or 0)"][0]) == sum(1 for m in movies if not m.runtime)
    assert number(rows["release date"][0]) == sum(1 for m in movies if m.release_date is None)
    assert number(rows["cast and crew (none)"][0]) == sum(1 for m in movies if not m.credits.exists())
    assert number(rows["keywords (none)"][0]) == sum(1 for m in movies if not m.keywords.exists())
    assert number(rows["ratings (none)"][0]) == sum(1 for m in movies if m.pk not in rated)


def test_runtime_statistics_ignore_unknown_runtimes(page) -> None:
    runtimes = [m.runtime for m in Movie.objects.all() if m.runtime]
    stats = page.panels["runtime"].stats
    assert number(stats["Median"]) == pytest.approx(statistics.median(runtimes))
    assert number(stats["Known values"]) == len(runtimes)
    assert number(stats["Unknown (missing or 0)"]) == Movie.objects.count() - len(runtimes)


def test_the_one_dollar_budget_is_flagged_and_listed_by_the_stated_rule(page, refreshed_catalog) -> None:
    panel = page.panels["budget"]
    budgets = np.array([m.budget for m in Movie.objects.all() if m.budget > 0], dtype=float)
    logs = np.log10(budgets)
    q1, q3 = np.quantile(logs, [0.25, 0.75])
    low, high = q1 - 3 * (q3 - q1), q3 + 3 * (q3 - q1)
    expected = int(((logs < low) | (logs > high)).sum())
    assert number(panel.stats["Outliers below"]) + number(panel.stats["Outliers above"]) == expected == 1
    assert number(panel.stats["Lower fence"]) == pytest.approx(10**low, rel=1e-3)
    outlier_rows = panel.tables[1][1:]
    assert [row[0] for row in outlier_rows] == [refreshed_catalog.outlier.title]


def test_the_return_outlier_is_the_same_film(page, refreshed_catalog) -> None:
    titles = [row[0] for row in page.panels["return_ratio"].tables[1][1:]]
    assert titles == [refreshed_catalog.outlier.title]


def test_films_per_genre_match_the_orm(page) -> None:
    rows = table_as_dict(page.panels["genres"].tables[0])
    for genre in Genre.objects.all():
        assert number(rows[genre.name][0]) == genre.movies.count()


def test_scores_are_counted_per_source(page) -> None:
    rows = table_as_dict(page.panels["rating_scores"].tables[0])
    site = Counter(Rating.objects.values_list("score", flat=True))
    dataset = Counter(DatasetRating.objects.values_list("score", flat=True))
    for score in set(site) | set(dataset):
        assert [number(cell) for cell in rows[f"{score:.1f}"]] == [site[score], dataset[score]]


def test_the_long_tail_of_raters_matches_their_counts(page) -> None:
    stats = page.panels["ratings_per_rater"].stats
    per_rater = Counter(DatasetRating.objects.values_list("rater_id", flat=True))
    per_user = Counter(Rating.objects.values_list("user_id", flat=True))
    assert number(stats["dataset raters: Median"]) == statistics.median(per_rater.values())
    assert number(stats["site users: Maximum"]) == max(per_user.values())
    assert number(stats["dataset raters: Ratings"]) == DatasetRating.objects.count()


def test_films_without_ratings_are_counted_in_the_tail(page) -> None:
    rated = set(Rating.objects.values_list("movie_id", flat=True)) | set(
        DatasetRating.objects.values_list("movie_id", flat=True)
    )
    stats = page.panels["ratings_per_film"].stats
    assert number(stats["Films without ratings"]) == Movie.objects.exclude(pk__in=rated).count()


def test_activity_is_counted_per_utc_year_and_source(page) -> None:
    rows = table_as_dict(page.panels["rating_years"].tables[0])
    dataset = Counter(
        dt.datetime.fromtimestamp(stamp, dt.UTC).year
        for stamp in DatasetRating.objects.values_list("rated_at", flat=True)
    )
    site = Counter(created.year for created in Rating.objects.values_list("created_at", flat=True))
    assert {year: [number(c) for c in cells] for year, cells in ((int(k), v) for k, v in rows.items())} == {
        year: [site[year], dataset[year]] for year in set(site) | set(dataset)
    }


def test_platform_overlap_uses_the_film_or_the_normalised_title_and_year(page) -> None:
    table = page.panels["streaming_overlap"].tables[0]
    rows, column = table_as_dict(table), table[0].index
    keys = {}
    for title in StreamingTitle.objects.select_related("platform"):
        identity = ("film", title.movie_id) if title.movie_id else ("title", title.title_search, title.release_year)
        keys.setdefault(title.platform.name, set()).add(identity)
    assert number(rows["Netflix"][column("Hulu") - 1]) == len(keys["Netflix"] & keys["Hulu"]) == 2
    assert number(rows["Hulu"][column("Hulu") - 1]) == len(keys["Hulu"])


def test_rejects_are_summed_by_reason_over_all_runs(page) -> None:
    rows = table_as_dict(page.panels["import_rejects"].tables[0])
    assert number(rows["no such film"][0]) == 4
    assert number(rows["id is not a number"][0]) == 7


def test_model_versions_show_their_metrics_and_the_active_one(page) -> None:
    from recommender.models import ModelVersion

    active = ModelVersion.objects.get(status=ModelVersion.Status.ACTIVE)
    panel = page.panels["model_versions"]
    assert panel.stats["Active versions"] == f"v{active.pk}"
    header, *rows = panel.tables[0]
    row = next(row for row in rows if row[0] == f"v{active.pk}")
    assert number(row[header.index("rmse")]) == pytest.approx(active.metrics["rmse"])


def test_every_panel_has_one_chart_served_to_staff_only(page, client) -> None:
    for key, panel in page.panels.items():
        assert len(panel.images) == 1, key
        response = client.get(panel.images[0]["src"])
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    client.logout()
    assert client.get(next(iter(page.panels.values())).images[0]["src"]).status_code == 302


def test_the_numbers_follow_the_reader_s_language_and_charts_fall_back_to_the_default(page, client) -> None:
    response = client.get(reverse("insights"), HTTP_ACCEPT_LANGUAGE="es")
    reader = read_insights(response.content.decode())
    assert '<html lang="es">' in response.content.decode()
    # This snapshot was drawn in English only: the charts fall back to it.
    assert "/en/" in next(iter(reader.panels.values())).images[0]["src"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Computed {when} UTC in"), ("es", "Calculado el {when} (UTC) en")],
)
def test_the_page_says_when_the_report_was_computed_and_in_which_time_zone(
    refreshed_catalog, client, language: str, expected: str
) -> None:
    snapshot = insights_snapshot_current()
    assert snapshot is not None
    client.force_login(refreshed_catalog.staff)
    response = client.get(reverse("insights"), HTTP_ACCEPT_LANGUAGE=language)
    with translation.override(language):
        when = date_format(snapshot.generated_at.astimezone(dt.UTC), "DATETIME_FORMAT")
    assert expected.format(when=when) in " ".join(response.content.decode().split())


@pytest.mark.parametrize(
    ("language", "genres", "languages"),
    [
        ("en", {"Drama", "Comedy", "Horror"}, {"English", "French"}),
        ("es", {"Drama", "Comedia", "Terror"}, {"Inglés", "Francés"}),
    ],
)
def test_genres_and_original_languages_are_named_in_the_reader_s_language(
    page, client, language: str, genres: set[str], languages: set[str]
) -> None:
    # Stored as TMDB writes them ("Horror", "fr"); the rest of the site shows them translated.
    reader = read_insights(client.get(reverse("insights"), HTTP_ACCEPT_LANGUAGE=language).content.decode())

    assert set(table_as_dict(reader.panels["genres"].tables[0])) == genres
    assert set(table_as_dict(reader.panels["languages"].tables[0])) == languages
