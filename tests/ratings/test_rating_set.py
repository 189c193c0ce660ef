"""ratings.services.rating_set: one upsert, on either database."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ratings.models import Dismissal, Rating
from ratings.services import rating_set
from tests.factories import DismissalFactory, MovieFactory, RatingFactory, UserFactory


@pytest.mark.django_db
def test_it_creates_then_changes_and_says_which() -> None:
    user, film = UserFactory(), MovieFactory()
    created, is_new = rating_set(user=user, movie=film, score="4.5")
    assert is_new
    changed, is_new_again = rating_set(user=user, movie=film, score=2)
    assert not is_new_again
    assert changed.pk == created.pk
    stored = Rating.objects.get(user=user, movie=film)
    assert (stored.score, stored.created_at, stored.updated_at) == (2.0, changed.created_at, changed.updated_at)
    assert changed.updated_at > created.updated_at
    assert changed.created_at == created.created_at


@pytest.mark.django_db
def test_the_same_score_again_changes_nothing() -> None:
    rating = RatingFactory(score=3.0)
    again, is_new = rating_set(user=rating.user, movie=rating.movie, score=3.0)
    assert not is_new
    assert (again.pk, again.updated_at) == (rating.pk, Rating.objects.get(pk=rating.pk).updated_at)
    assert again.updated_at == rating.updated_at


@pytest.mark.django_db
def test_rating_clears_not_interested_for_that_user_and_film_only() -> None:
    user, film, other_film = UserFactory(), MovieFactory(), MovieFactory()
    DismissalFactory(user=user, movie=film)
    DismissalFactory(user=user, movie=other_film)
    someone_else = DismissalFactory(movie=film)
    rating_set(user=user, movie=film, score=4)
    assert set(Dismissal.objects.values_list("pk", flat=True)) == {
        Dismissal.objects.get(user=user, movie=other_film).pk,
        someone_else.pk,
    }


@pytest.mark.django_db
def test_a_bad_score_writes_nothing() -> None:
    user, film = UserFactory(), MovieFactory()
    DismissalFactory(user=user, movie=film)
    with pytest.raises(ValidationError) as refused:
        rating_set(user=user, movie=film, score=7)
    assert "score" in refused.value.message_dict
    assert not Rating.objects.exists()
    assert Dismissal.objects.filter(user=user, movie=film).exists()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_many_requests_rating_one_film_at_once_leave_one_rating_and_one_creation() -> None:
    user, film = UserFactory(), MovieFactory()
    outcomes: list[bool] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def rate(score: float) -> None:
        try:
            start.wait()
            outcomes.append(rating_set(user=user, movie=film, score=score)[1])
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(0.5 + index * 0.5,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == [False] * 7 + [True]
    assert Rating.objects.filter(user=user, movie=film).count() == 1
