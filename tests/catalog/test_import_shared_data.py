"""The real samples in ../shared/data (enabled by MOVIESITE_SHARED_DATA=1, as .ci/run does)."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import Movie, StreamingTitle
from catalog.services import catalog_import
from ratings.models import DatasetRating

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]


def test_it_imports_the_shared_samples_completely_and_a_rerun_changes_nothing() -> None:
    paths = [SHARED_DATA / "the-movies-dataset", SHARED_DATA / "streaming"]

    first = catalog_import(paths=paths)

    assert Movie.objects.count() == 599
    with_cast_and_crew = Movie.objects.filter(credits__kind="cast").filter(credits__kind="crew").distinct()
    assert with_cast_and_crew.count() == 35
    keyword_files = next(entry for entry in first.files if entry["format"] == "keywords")
    # Every film has its keywords record (81 of them are empty lists in the sample).
    assert keyword_files["read"] - keyword_files["duplicates_merged"] == 599
    assert keyword_files["rejected"] == 0
    assert DatasetRating.objects.count() == 10_987
    assert StreamingTitle.objects.count() == 600
    assert first.rows_rejected == 0

    second = catalog_import(paths=paths)

    assert (second.rows_inserted, second.rows_updated, second.rows_rejected) == (0, 0, 0)
