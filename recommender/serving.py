"""What the site and the API ask the recommender for. Reads only; cheap per request.

Every function works from the process's loaded models (recommender.registry)
and catalog snapshot, then checks the few films it is about to return against
the database, so a film hidden a second ago is never shown.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Collection, Hashable, Sequence
from datetime import datetime
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.genres import genre_label
from catalog.models import Credit, Movie, StreamingTitle
from moviesite.sql import aware, prepared_statements, quoted_column, quoted_table
from ratings.models import Dismissal, Rating
from recommender.base import Recommendation, UserHistory
from recommender.recommenders import HybridRecommender, PopularityRecommender, popular_reason, top_films
from recommender.registry import ActiveModels, active_models

# Extra films ranked beyond `limit` in case the database says some were hidden since the
# snapshot was taken (the snapshot already leaves out the films hidden before).
_HIDDEN_MARGIN = 3
_SHARED_CAST_BILLING = 5


class _RankingCache:
    """The process's most recent rankings, keyed by everything that decides them.

    A user's ranking is a function of their ratings and dismissals, the loaded
    models, the catalog snapshot, the language of the reasons and the request;
    a film's neighbours, of the film, the models, the snapshot and the
    language. The keys hold exactly those, so nothing is ever invalidated: a
    new rating or a new model simply makes a new key. What a ranking reads
    from the catalog besides the snapshot (the films on a platform, the genres
    and people behind "Shares ...") refreshes with the snapshot
    (RECOMMENDER_CATALOG_TTL). Films hidden since are still dropped on every
    request (_visible). Per process, so it needs no Redis and survives Redis
    being down; bounded (the least recently used goes).
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._lock = threading.Lock()
        # One slot per user or film, holding its latest key and ranking: a new
        # rating replaces the user's entry instead of piling up beside it.
        self._entries: OrderedDict[Hashable, tuple[Hashable, list[Recommendation]]] = OrderedDict()

    def get(self, slot: Hashable, key: Hashable) -> list[Recommendation] | None:
        with self._lock:
            found = self._entries.get(slot)
            if found is None or found[0] != key:
                return None
            self._entries.move_to_end(slot)
            return found[1]

    def latest(self, slot: Hashable) -> tuple[Hashable, list[Recommendation]] | None:
        """The slot's entry whatever its key: what a request may ask the database about before it knows its key."""
        with self._lock:
            found = self._entries.get(slot)
            if found is not None:
                self._entries.move_to_end(slot)
            return found

    def put(self, slot: Hashable, key: Hashable, ranking: list[Recommendation]) -> None:
        with self._lock:
            self._entries[slot] = (key, ranking)
            self._entries.move_to_end(slot)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


# A user's latest ranking (slot: the user), and a film's neighbours with their
# reasons (slot: the film), the same for every visitor.
_rankings = _RankingCache(size=2048)
_neighbour_rankings = _RankingCache(size=4096)


def user_history(user: Any) -> UserHistory:
    """A site user's ratings and dismissals, as the recommenders see them."""
    history, _visible_ids = _history_and_visible(user, [])
    return history


def _history_and_visible(user: Any, film_ids: Sequence[int]) -> tuple[UserHistory, set[int]]:
    """The user's history, and which of `film_ids` are not hidden, in one round trip."""
    if user is None or not getattr(user, "is_authenticated", False):
        return UserHistory(ratings={}), _visible_ids(film_ids)
    with prepared_statements(), connection.cursor() as cursor:
        cursor.execute(_history_sql(len(film_ids)), [user.pk, user.pk, user.pk, *film_ids])
        rows = cursor.fetchall()
    ratings: dict[int, float] = {}
    excluded, visible = set(), set()
    latest = None
    for movie_id, kind, score, updated in rows:
        if kind == _RATED:
            ratings[movie_id] = score
        elif kind == _DISMISSED:
            excluded.add(movie_id)
        elif kind == _LATEST:
            latest = _timestamp(updated)
        else:
            visible.add(movie_id)
    history = UserHistory(
        ratings=ratings,
        excluded=frozenset(excluded),
        user_key=f"u{user.pk}",
        latest_rating_at=latest.timestamp() if latest else None,
    )
    return history, visible


# The queries every recommendation request makes are written as SQL, with the
# names taken from the models: built as querysets, constructing and compiling
# them cost about 0.8 ms of the 1 ms that the history took and 0.5 of the 0.6
# ms of the visibility check (pyinstrument, in process on PostgreSQL), far
# more than the round trips themselves.
_LATEST, _RATED, _DISMISSED, _VISIBLE = 0, 1, 2, 3


@functools.cache
def _history_sql(visible_count: int) -> str:
    """One round trip for the user's ratings, dismissals and, when asked, which films are visible.

    Only the time of the latest rating is needed (HybridRecommender: is the user's
    history newer than the model?), so it comes as one MAX row rather than a
    timestamp per rating: turning PostgreSQL's text timestamps into aware datetimes
    costs Django's loader a few microseconds each, more than the rest of a row.
    The MAX row comes first so that PostgreSQL types the other branches' NULLs
    from it (unknown NULLs in two leading branches would be typed text).
    """
    rating_user = quoted_column(Rating, "user")
    sql = (
        f"SELECT NULL, {_LATEST}, NULL, MAX({quoted_column(Rating, 'updated_at')}) "  # noqa: S608 - names from the models
        f"FROM {quoted_table(Rating)} WHERE {rating_user} = %s "
        f"UNION ALL SELECT {quoted_column(Rating, 'movie')}, {_RATED}, {quoted_column(Rating, 'score')}, NULL "
        f"FROM {quoted_table(Rating)} WHERE {rating_user} = %s "
        f"UNION ALL SELECT {quoted_column(Dismissal, 'movie')}, {_DISMISSED}, NULL, NULL "
        f"FROM {quoted_table(Dismissal)} WHERE {quoted_column(Dismissal, 'user')} = %s"
    )
    if visible_count:
        sql += f" UNION ALL SELECT {quoted_column(Movie, 'id')}, {_VISIBLE}, NULL, NULL {_visible_from(visible_count)}"
    return sql


@functools.cache
def _visible_sql(count: int) -> str:
    return f"SELECT {quoted_column(Movie, 'id')} {_visible_from(count)}"


def _visible_from(count: int) -> str:
    """FROM the films table WHERE the film is one of `count` ids and not hidden."""
    key, hidden = quoted_column(Movie, "id"), quoted_column(Movie, "is_hidden")
    placeholders = ", ".join(["%s"] * count)
    return f"FROM {quoted_table(Movie)} WHERE {key} IN ({placeholders}) AND NOT {hidden}"


def _timestamp(value: Any) -> datetime | None:
    """An aggregate's timestamp as an aware datetime: SQLite gives MAX() of a datetime column as text."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return aware(value)


def _visible_ids(film_ids: Sequence[int]) -> set[int]:
    if not film_ids:
        return set()
    with prepared_statements(), connection.cursor() as cursor:
        cursor.execute(_visible_sql(len(film_ids)), list(film_ids))
        return {movie_id for (movie_id,) in cursor.fetchall()}


def _visible(recommendations: list[Recommendation], limit: int) -> list[Recommendation]:
    """The films not hidden right now (a curator may have hidden one since the ranking was made)."""
    visible = _visible_ids([item.movie_id for item in recommendations])
    return [item for item in recommendations if item.movie_id in visible][:limit]


def _platform_films(platform_slugs: Sequence[str]) -> dict[int, list[str]]:
    films: dict[int, list[str]] = defaultdict(list)
    rows = (
        StreamingTitle.objects.filter(platform__slug__in=list(platform_slugs), movie__isnull=False)
        .values_list("movie_id", "platform__name")
        .distinct()
    )
    for movie_id, platform_name in rows:
        films[movie_id].append(platform_name)
    return films


def recommendations_for_user(
    *, user: Any, limit: int = 10, platform_slugs: Sequence[str] | None = None
) -> list[Recommendation]:
    """The user's top films with a reason each; popularity for anonymous or new users."""
    models = active_models()
    # The ranking this user was last given is most likely still the answer:
    # whether its films are still visible is asked with the history itself.
    latest = _rankings.latest(_user_slot(user))
    history, visible = _history_and_visible(user, [item.movie_id for item in latest[1]] if latest else [])
    key = (
        models.generation,
        models.snapshot.token,
        history.user_key,
        frozenset(history.ratings.items()),
        history.excluded,
        history.latest_rating_at,
        tuple(sorted(platform_slugs)) if platform_slugs else None,
        limit,
        get_language(),
    )
    if latest is not None and latest[0] == key:
        return [item for item in latest[1] if item.movie_id in visible][:limit]
    ranked = _ranking_compute(models, history, limit=limit, platform_slugs=platform_slugs)
    _rankings.put(history.user_key, key, ranked)
    return _visible(ranked, limit)


def _user_slot(user: Any) -> str | None:
    """The ranking cache's slot of a user: the same as UserHistory.user_key."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return f"u{user.pk}"


def _ranking_compute(
    models: ActiveModels, history: UserHistory, *, limit: int, platform_slugs: Sequence[str] | None
) -> list[Recommendation]:
    on_platforms = _platform_films(platform_slugs) if platform_slugs else None
    recommender = HybridRecommender(
        models.snapshot,
        svd=models.svd,
        content=models.content,
        item_neighbours=models.item_neighbours,
        weights=models.blend,
    )
    ranked = recommender.recommend(
        history, limit=limit + _HIDDEN_MARGIN, candidates=on_platforms.keys() if on_platforms is not None else None
    )
    if on_platforms is None:
        return ranked
    return [
        Recommendation(
            movie_id=item.movie_id,
            score=item.score,
            reason=" · ".join(
                [_("On %(platform)s") % {"platform": ", ".join(sorted(on_platforms[item.movie_id]))}, item.reason]
            ),
            parts=item.parts,
        )
        for item in ranked
    ]


def popular_movies(*, limit: int = 10, genre: str | None = None, exclude: Collection[int] = ()) -> list[Recommendation]:
    """Films by IMDb's weighted rating, optionally within one genre (by name)."""
    snapshot = active_models().snapshot
    candidates: Collection[int] | None = None
    if genre:
        genre_id = snapshot.genre_id(genre)
        if genre_id is None:
            return []
        candidates = snapshot.movie_ids[snapshot.genre_members.get(genre_id, np.zeros(0, dtype=np.int64))].tolist()
    history = UserHistory(ratings={}, excluded=frozenset(exclude))
    ranked = PopularityRecommender(snapshot).recommend(history, limit=limit + _HIDDEN_MARGIN, candidates=candidates)
    if genre:
        reason = _("Popular in %(genre)s") % {"genre": genre_label(genre)}
        ranked = [Recommendation(item.movie_id, item.score, reason, item.parts) for item in ranked]
    return _visible(ranked, limit)


def _shared_features(movie_id: int, others: list[int]) -> dict[int, list[str]]:
    """What each film shares with `movie_id`: genres, then director and top-billed cast, then keywords."""
    wanted = [movie_id, *others]
    features: dict[int, list[str]] = defaultdict(list)
    for film, name in Movie.genres.through.objects.filter(movie_id__in=wanted).values_list("movie_id", "genre__name"):
        features[film].append(genre_label(name))
    # One film filter around the OR, and no ordering: with the job test outside
    # it, PostgreSQL scanned every director in the catalog (60 ms at 45,000 films).
    people = (
        Credit.objects.filter(movie_id__in=wanted)
        .filter(Q(job="Director") | Q(kind=Credit.Kind.CAST, order__lt=_SHARED_CAST_BILLING))
        .order_by()
    )
    for film, name in people.values_list("movie_id", "person__name"):
        features[film].append(name)
    for film, name in Movie.keywords.through.objects.filter(movie_id__in=wanted).values_list(
        "movie_id", "keyword__name"
    ):
        features[film].append(name)
    source = features.get(movie_id, [])
    return {
        other: list(dict.fromkeys(name for name in source if name in set(features.get(other, [])))) for other in others
    }


def serving_epoch() -> str:
    """Changes whenever this process's models or catalog snapshot change: part of the key of caches of pages."""
    models = active_models()
    return f"{models.generation}.{models.snapshot.token}"


def similar_movies(*, movie_id: int, limit: int = 10) -> list[Recommendation]:
    """Content neighbours of a film (co-rating neighbours when the content index has none for it)."""
    models = active_models()
    key = (models.generation, models.snapshot.token, movie_id, limit, get_language())
    ranked = _neighbour_rankings.get(movie_id, key)
    if ranked is None:
        ranked = _similar_compute(models, movie_id=movie_id, limit=limit)
        _neighbour_rankings.put(movie_id, key, ranked)
    return _visible(ranked, limit)


def _similar_compute(models: ActiveModels, *, movie_id: int, limit: int) -> list[Recommendation]:
    snapshot = models.snapshot
    positions, found = snapshot.indices_of([movie_id])
    if not found[0]:
        return []
    film = int(positions[0])
    # A film with nothing to compare (no genre, keyword, credit or overview)
    # has no content neighbours: its co-rating neighbours still say something.
    for model in [model for model in (models.content, models.item_neighbours) if model is not None]:
        neighbours, scores = model.neighbours_of(snapshot, film)
        if len(neighbours):
            break
    else:
        return []
    values = np.full(len(snapshot), -np.inf)
    values[neighbours] = scores
    blocked = snapshot.hidden.copy()
    blocked[film] = True
    chosen = top_films(values, blocked, limit + _HIDDEN_MARGIN).tolist()
    chosen_ids = [int(snapshot.movie_ids[index]) for index in chosen]
    shared = _shared_features(movie_id, chosen_ids)
    ranked = []
    for index, other in zip(chosen, chosen_ids, strict=True):
        common = shared.get(other, [])[:3]
        if common:
            reason = _("Shares %(features)s") % {"features": ", ".join(common)}
        elif model is models.content:
            reason = _("Similar to %(title)s") % {"title": snapshot.titles[film]}
        else:
            reason = _("People who liked %(title)s liked this") % {"title": snapshot.titles[film]}
        ranked.append(Recommendation(other, float(values[index]), reason, {model.kind: float(values[index])}))
    return ranked


__all__ = [
    "popular_movies",
    "popular_reason",
    "recommendations_for_user",
    "serving_epoch",
    "similar_movies",
    "user_history",
]
