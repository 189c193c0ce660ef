"""Training as a pure function: what the SVD artifact records about the users it saw."""

from __future__ import annotations

import numpy as np

from recommender.catalog_data import CatalogSnapshot
from recommender.ratings_data import RatingsData
from recommender.scoring import SvdModel
from recommender.training import collaborative_build

N_USERS, N_FILMS = 20, 10  # every user rates every film: 200 ratings, so 4 are held out
SITE_USER_IDS = np.arange(1, N_USERS + 1, dtype=np.int64)
FILM_IDS = np.arange(100, 100 + N_FILMS, dtype=np.int64)


def every_user_rates_every_film() -> RatingsData:
    users, items = np.divmod(np.arange(N_USERS * N_FILMS), N_FILMS)
    return RatingsData(
        users=users.astype(np.int32),
        items=items.astype(np.int32),
        scores=(1.0 + (users + items) % 5).astype(np.float32),
        user_keys=SITE_USER_IDS,
        movie_ids=FILM_IDS,
        site_updated_at=np.full(len(users), 1000.0),
    )


def test_a_site_user_with_a_held_out_rating_is_folded_in_rather_than_served_a_vector_that_never_saw_it() -> None:
    data = every_user_rates_every_film()
    arrays, metrics = collaborative_build(data, params={"n_factors": 2, "n_epochs": 2})
    assert metrics["holdout_ratings"] == 4
    assert int(arrays["user_counts"].sum()) == len(data) - 4

    model = SvdModel.from_arrays(version_id=1, arrays=arrays, params={})
    snapshot = CatalogSnapshot(
        token=1,
        movie_ids=FILM_IDS,
        titles=[str(movie_id) for movie_id in FILM_IDS],
        tmdb_vote_counts=np.zeros(N_FILMS),
        tmdb_vote_averages=np.zeros(N_FILMS),
        weighted_rating=np.zeros(N_FILMS),
        prior=np.zeros(N_FILMS),
        hidden=np.zeros(N_FILMS, dtype=bool),
        genre_names={},
        genre_members={},
        primary_genre=np.zeros(N_FILMS, dtype=np.int64),
    )
    folded = {}
    for user_id in SITE_USER_IDS.tolist():
        # Nothing changed since training: the user's ratings are exactly those in the data.
        _factors, _bias, folded[user_id] = model.user_vector(
            snapshot,
            user_id=user_id,
            rated=np.arange(N_FILMS),
            scores=np.ones(N_FILMS, dtype=np.float32),
            latest_rating_at=1000.0,
        )
    trained_on_everything = arrays["user_counts"] == N_FILMS
    assert [folded[user_id] for user_id in SITE_USER_IDS.tolist()] == (~trained_on_everything).tolist()
    assert not trained_on_everything.all()
