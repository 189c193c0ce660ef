"""The recommender's management commands as an operator runs them."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from recommender.models import ModelVersion, TuningRun
from tests.factories import DatasetRatingFactory, MovieFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ("{n_epochs: 30}", "--params is not valid JSON"),
        ("[30]", "--params must be a JSON object"),
        ('{"epochs": 30}', "unknown SVD parameter epochs"),
    ],
)
def test_train_refuses_bad_svd_parameters_before_training_anything(params: str, message: str) -> None:
    film = MovieFactory()
    DatasetRatingFactory(rater_id=1, movie=film, score=4.0)

    with pytest.raises(CommandError, match=message):
        call_command("train", "--kind", "collaborative", "--params", params)

    assert not ModelVersion.objects.exists()


def test_train_passes_good_svd_parameters_to_the_model() -> None:
    film = MovieFactory()
    DatasetRatingFactory(rater_id=1, movie=film, score=4.0)

    call_command("train", "--kind", "collaborative", "--params", '{"n_epochs": 3, "n_factors": 4}')

    svd = ModelVersion.objects.get(kind="collaborative")
    assert svd.status == ModelVersion.Status.ACTIVE
    assert svd.params["n_epochs"] == 3 and svd.params["n_factors"] == 4


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        ("{n_epochs: [30]}", "--grid is not valid JSON"),
        ("[30]", "--grid must be a JSON object"),
        ('{"epochs": [30]}', "unknown SVD parameter epochs"),
        ('{"n_epochs": 30}', "--grid: n_epochs must be a non-empty list"),
    ],
)
def test_tune_refuses_a_bad_grid_before_reading_any_rating(grid: str, message: str) -> None:
    film = MovieFactory()
    DatasetRatingFactory(rater_id=1, movie=film, score=4.0)

    with pytest.raises(CommandError, match=message):
        call_command("tune", "--grid", grid)

    assert not TuningRun.objects.exists()
