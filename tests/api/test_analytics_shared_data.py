"""The analytics endpoints on the real samples in ../shared/data, checked against pandas on the raw files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rest_framework.test import APIClient

from catalog.services import catalog_import

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PLATFORM_FILES = {
    "amazon_prime": "amazon_prime_titles.csv",
    "disney_plus": "disney_plus_titles.csv",
    "hulu": "hulu_titles.csv",
    "netflix": "netflix_titles.csv",
}

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture
def imported() -> None:
    catalog_import(paths=[SHARED_DATA / "the-movies-dataset", SHARED_DATA / "streaming"])


def released() -> pd.Series:
    films = pd.read_csv(SHARED_DATA / "the-movies-dataset" / "movies_metadata.csv", dtype=str)
    films = films.drop_duplicates("id")
    return pd.to_datetime(films["release_date"], errors="coerce", format="%Y-%m-%d").dropna()


def test_month_and_weekday_counts_match_the_raw_file(imported: None) -> None:
    client = APIClient()
    dates = released()
    for name, month in [("septiembre", 9), ("January", 1)]:
        assert client.get("/api/v1/analytics/films-by-month/", {"month": name}).json()["films"] == int(
            (dates.dt.month == month).sum()
        )
    for name, iso in [("miércoles", 3), ("Friday", 5)]:
        assert client.get("/api/v1/analytics/films-by-weekday/", {"day": name}).json()["films"] == int(
            (dates.dt.day_of_week + 1 == iso).sum()
        )


@pytest.mark.parametrize("platform", list(PLATFORM_FILES))
def test_platform_counts_and_top_actor_match_the_raw_files(imported: None, platform: str) -> None:
    client = APIClient()
    titles = pd.read_csv(SHARED_DATA / "streaming" / PLATFORM_FILES[platform], dtype=str, keep_default_na=False)
    count = client.get("/api/v1/analytics/streaming/count/", {"platform": platform}).json()
    assert count["titles"] == len(titles)
    year = int(titles["release_year"].value_counts().idxmax())
    names = titles[titles["release_year"] == str(year)]["cast"].str.split(",").explode().str.strip()
    names = names[names != ""]
    top = client.get("/api/v1/analytics/streaming/top-actor/", {"platform": platform, "year": year}).json()
    if names.empty:
        assert top["actor"] is None
    else:
        counts = names.value_counts().rename_axis("name").reset_index()
        best = counts.sort_values(["count", "name"], ascending=[False, True]).iloc[0]
        assert (top["actor"], top["appearances"]) == (best["name"], best["count"])
