"""Similar films with their reasons, and fold-in of site users the model knows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from ratings.models import Rating
from recommender import services
from recommender.models import ModelVersion
from recommender.registry import registry
from recommender.serving import similar_movies, user_history
from tests.factories import (
    CastCreditFactory,
    DatasetRatingFactory,
    GenreFactory,
    MovieFactory,
    PersonFactory,
    RatingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_similar_films_share_what_the_reason_names() -> None:
    drama, western = GenreFactory(name="Drama"), GenreFactory(name="Western")
    hanks = PersonFactory(name="Tom Hanks")
    source = MovieFactory(title="Source", genres=[drama])
    twin = MovieFactory(title="Twin", genres=[drama])
    MovieFactory(title="Unrelated", genres=[western])
    CastCreditFactory(movie=source, person=hanks, order=0)
    CastCreditFactory(movie=twin, person=hanks, order=1)
    services.content_index_rebuild()

    similar = similar_movies(movie_id=source.pk, limit=5)
    assert [item.movie_id for item in similar] == [twin.pk]
    assert similar[0].reason == "Shares Drama, Tom Hanks"


def test_a_film_with_nothing_to_compare_gets_the_films_its_raters_also_rated() -> None:
    drama = GenreFactory(name="Drama")
    bare = MovieFactory(title="Bare", overview="")  # no genre, keyword, credit or overview
    watched_with_it, other = MovieFactory(genres=[drama]), MovieFactory(genres=[drama])
    for rater in range(1, 6):
        DatasetRatingFactory(rater_id=rater, movie=bare, score=4.0)
        DatasetRatingFactory(rater_id=rater, movie=watched_with_it, score=4.0)
    DatasetRatingFactory(rater_id=9, movie=other, score=4.0)
    services.content_index_rebuild()
    services.collaborative_retrain()

    similar = similar_movies(movie_id=bare.pk, limit=5)

    assert [item.movie_id for item in similar] == [watched_with_it.pk]
    assert similar[0].reason == "People who liked Bare liked this"


def test_similar_films_leave_out_hidden_ones() -> None:
    drama = GenreFactory(name="Drama")
    source, hidden = MovieFactory(genres=[drama]), MovieFactory(genres=[drama], is_hidden=True)
    services.content_index_rebuild()
    assert hidden.pk not in [item.movie_id for item in similar_movies(movie_id=source.pk)]


def test_a_site_user_in_the_model_is_folded_in_again_after_a_new_rating() -> None:
    films = [MovieFactory() for _ in range(8)]
    user = UserFactory()
    for index, film in enumerate(films[:4]):
        RatingFactory(user=user, movie=film, score=4.0 + (index % 2))
    for rater in range(20):
        for index, film in enumerate(films):
            DatasetRatingFactory(rater_id=rater + 1, movie=film, score=float(1 + (rater + index) % 5))
    services.collaborative_retrain()
    model = registry.active().svd
    assert model is not None and model.stored_user(user.pk) is not None
    snapshot = registry.active().snapshot

    def vector() -> tuple[np.ndarray, bool]:
        history = user_history(user)
        rated, found = snapshot.indices_of(list(history.ratings))
        scores = np.array(list(history.ratings.values()))
        factors, _bias, folded = model.user_vector(
            snapshot,
            user_id=user.pk,
            rated=rated[found],
            scores=scores[found],
            latest_rating_at=history.latest_rating_at,
        )
        return factors, folded

    trained, folded = vector()
    assert not folded
    Rating.objects.filter(user=user).update(updated_at=timezone.now() + dt.timedelta(seconds=5))
    RatingFactory(user=user, movie=films[6], score=0.5)
    refreshed, folded = vector()
    assert folded
    assert not np.allclose(trained, refreshed)


def test_enough_new_ratings_queue_a_retrain(settings, django_capture_on_commit_callbacks, charts_not_drawn) -> None:
    settings.RECOMMENDER_RETRAIN_AFTER_NEW_RATINGS = 3
    films = [MovieFactory() for _ in range(3)]
    for rater in range(5):
        for film in films:
            DatasetRatingFactory(rater_id=rater + 1, movie=film, score=3.0)
    services.collaborative_retrain()
    first = ModelVersion.objects.get(kind="collaborative", status="active")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retrain_if_enough_new_ratings() is None
    user = UserFactory()
    for film in films:
        RatingFactory(user=user, movie=film, score=5.0)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retrain_if_enough_new_ratings() is not None
    newest = ModelVersion.objects.get(kind="collaborative", status="active")
    assert newest.pk != first.pk


def test_the_reason_names_only_the_top_five_billed_actors_they_share() -> None:
    drama = GenreFactory(name="Drama")
    lead, extra = PersonFactory(name="Lead Actor"), PersonFactory(name="Sixth Billed")
    source = MovieFactory(title="Source", genres=[drama])
    twin = MovieFactory(title="Twin", genres=[drama])
    for film in (source, twin):
        CastCreditFactory(movie=film, person=lead, order=4)
        CastCreditFactory(movie=film, person=extra, order=5)
    services.content_index_rebuild()

    similar = similar_movies(movie_id=source.pk, limit=5)

    assert [item.movie_id for item in similar] == [twin.pk]
    assert similar[0].reason == "Shares Drama, Lead Actor"
