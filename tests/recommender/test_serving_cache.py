"""The per-process cache of rankings: it saves the scoring, never a stale answer."""

from __future__ import annotations

import pytest
from django.utils import translation

from catalog.services import movie_hidden_set
from recommender import serving
from recommender.base import Recommendation
from recommender.recommenders import HybridRecommender
from recommender.registry import registry
from recommender.services import content_index_rebuild
from tests.factories import DismissalFactory, GenreFactory, MovieFactory, RatingFactory, UserFactory
from tests.recommender.test_serving import make_ranked_films

pytestmark = pytest.mark.django_db


@pytest.fixture
def scorings(settings, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the times the hybrid recommender really scores the catalog, with a snapshot that lives."""
    settings.RECOMMENDER_CATALOG_TTL = 300
    calls: list[int] = []
    original = HybridRecommender.recommend

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(HybridRecommender, "recommend", counted)
    return calls


def ids(ranking) -> list[int]:
    return [item.movie_id for item in ranking]


def test_the_same_question_is_scored_once(scorings: list[int]) -> None:
    make_ranked_films()
    user = UserFactory()
    first = serving.recommendations_for_user(user=user, limit=3)
    second = serving.recommendations_for_user(user=user, limit=3)
    assert ids(first) == ids(second)
    assert [item.reason for item in first] == [item.reason for item in second]
    assert len(scorings) == 1


def test_a_new_rating_or_dismissal_is_answered_at_once(scorings: list[int]) -> None:
    best, good, _fine, _weak = make_ranked_films()
    user = UserFactory()
    assert best.pk in ids(serving.recommendations_for_user(user=user, limit=4))
    RatingFactory(user=user, movie=best, score=4.0)
    assert best.pk not in ids(serving.recommendations_for_user(user=user, limit=4))
    DismissalFactory(user=user, movie=good)
    assert good.pk not in ids(serving.recommendations_for_user(user=user, limit=4))
    assert len(scorings) == 3


def test_another_user_language_limit_or_model_is_another_question(scorings: list[int]) -> None:
    make_ranked_films()
    user, other = UserFactory(), UserFactory()
    serving.recommendations_for_user(user=user, limit=3)
    serving.recommendations_for_user(user=other, limit=3)
    serving.recommendations_for_user(user=user, limit=2)
    with translation.override("es"):
        spanish = serving.recommendations_for_user(user=user, limit=3)
    assert spanish[0].reason.startswith("Popular en")
    registry.reset()  # what loading a new model version does to the key
    serving.recommendations_for_user(user=user, limit=3)
    assert len(scorings) == 5


def test_a_film_hidden_after_it_was_cached_is_not_shown(scorings: list[int]) -> None:
    best, *_ = make_ranked_films()
    user = UserFactory()
    assert ids(serving.recommendations_for_user(user=user, limit=2))[0] == best.pk
    best.is_hidden = True
    best.save()
    assert best.pk not in ids(serving.recommendations_for_user(user=user, limit=2))
    assert len(scorings) == 1


@pytest.fixture
def registry_checked_rarely(settings) -> None:
    """The model registry is not asked again within the test: only the request's own queries are counted."""
    settings.RECOMMENDER_REGISTRY_CHECK_SECONDS = 300


@pytest.mark.usefixtures("registry_checked_rarely")
def test_a_repeated_question_asks_the_database_once(scorings: list[int], django_assert_num_queries) -> None:
    """History, dismissals and the cached films' visibility come in one statement."""
    best, good, *_ = make_ranked_films()
    user = UserFactory()
    RatingFactory(user=user, movie=good, score=4.5)
    first = serving.recommendations_for_user(user=user, limit=2)
    with django_assert_num_queries(1):
        again = serving.recommendations_for_user(user=user, limit=2)
    assert ids(again) == ids(first)
    assert best.pk in ids(again)
    assert good.pk not in ids(again)
    assert len(scorings) == 1


@pytest.mark.usefixtures("registry_checked_rarely")
def test_a_changed_history_is_scored_again_and_checked_again(scorings: list[int], django_assert_num_queries) -> None:
    best, good, *_ = make_ranked_films()
    user = UserFactory()
    serving.recommendations_for_user(user=user, limit=3)
    DismissalFactory(user=user, movie=best)
    with django_assert_num_queries(2):
        after = serving.recommendations_for_user(user=user, limit=3)
    assert best.pk not in ids(after)
    assert good.pk in ids(after)
    assert len(scorings) == 2


def test_the_cache_keeps_one_entry_per_user_and_stays_bounded() -> None:
    cache = serving._RankingCache(size=2)
    cache.put("u1", "history 1", [Recommendation(1, 1.0, "first", {})])
    cache.put("u1", "history 2", [Recommendation(2, 1.0, "second", {})])
    assert cache.get("u1", "history 1") is None
    assert cache.get("u1", "history 2")[0].movie_id == 2
    for slot in ("u2", "u3"):
        cache.put(slot, "history", [Recommendation(3, 1.0, slot, {})])
    assert cache.get("u1", "history 2") is None
    assert cache.get("u3", "history") is not None


def test_the_same_question_in_another_language_gets_reasons_in_that_language(scorings: list[int]) -> None:
    make_ranked_films()
    user = UserFactory()
    english = serving.recommendations_for_user(user=user, limit=3)
    with translation.override("es"):
        spanish = serving.recommendations_for_user(user=user, limit=3)
    assert ids(spanish) == ids(english)
    assert english[0].reason == "Popular in Drama"
    assert spanish[0].reason.startswith("Popular en")
    assert len(scorings) == 2


def test_a_film_hidden_after_it_was_cached_leaves_the_list_full(scorings: list[int]) -> None:
    best, good, fine, _weak = make_ranked_films()
    user = UserFactory()
    assert ids(serving.recommendations_for_user(user=user, limit=2)) == [best.pk, good.pk]
    movie_hidden_set(movies=[best], hidden=True)
    assert ids(serving.recommendations_for_user(user=user, limit=2)) == [good.pk, fine.pk]
    assert ids(serving.popular_movies(limit=2)) == [good.pk, fine.pk]


def test_a_film_s_neighbours_asked_again_with_a_larger_limit_fill_it(settings) -> None:
    settings.RECOMMENDER_CATALOG_TTL = 300
    drama = GenreFactory(name="Drama")
    source, *others = [MovieFactory(genres=[drama]) for _ in range(12)]
    content_index_rebuild()

    assert len(serving.similar_movies(movie_id=source.pk, limit=2)) == 2
    wider = ids(serving.similar_movies(movie_id=source.pk, limit=10))
    assert len(set(wider)) == 10
    assert set(wider) <= {film.pk for film in others}
