"""Every recommender behind the one interface of recommender.base.

Each scores all films of the catalog snapshot as one array and then takes the
top of it the same way, so popularity, content, SVD, item-neighbours and the
hybrid are measured by the evaluation exactly as they are served.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _
from threadpoolctl import ThreadpoolController

from catalog.genres import genre_label
from recommender.base import Recommendation, UserHistory
from recommender.catalog_data import CatalogSnapshot
from recommender.scoring import NeighbourModel, SvdModel

# A user's ratings are centred on their mean shrunk towards this, so that a
# single 5-star rating still counts as liking (and a single 2 as not).
CENTRE_PRIOR_SCORE = 3.5
CENTRE_PRIOR_WEIGHT = 2.0
# "Because you liked X" names only a film rated at least this and above the
# user's own shrunk mean: the co-rating signal also counts films the user
# watched and disliked, and those must never be called liked.
LIKED_MINIMUM_SCORE = 3.5
SIGNALS = ("svd", "item_neighbours", "content", "popularity")
# On a large catalog the SVD re-ranks this many films chosen by the cheap
# signals instead of predicting all of them (45,000 x 100 multiply-adds was
# most of a request); its z-scores use the mean and spread over a fixed sample.
RERANK_POOL = 2000


@dataclass(frozen=True)
class RatedFilms:
    """A user's ratings in catalog indices, with the weights the neighbour signals use."""

    indices: np.ndarray
    scores: np.ndarray
    centred: np.ndarray  # score minus the user's shrunk mean: > 0 liked, < 0 disliked

    @classmethod
    def from_history(cls, snapshot: CatalogSnapshot, history: UserHistory) -> RatedFilms:
        ids = np.fromiter(history.ratings.keys(), dtype=np.int64, count=len(history.ratings))
        scores = np.fromiter(history.ratings.values(), dtype=np.float64, count=len(history.ratings))
        positions, found = snapshot.indices_of(ids)
        scores = scores[found]
        centre = (scores.sum() + CENTRE_PRIOR_SCORE * CENTRE_PRIOR_WEIGHT) / (len(scores) + CENTRE_PRIOR_WEIGHT)
        return cls(indices=positions[found], scores=scores, centred=scores - centre)

    @property
    def liked(self) -> np.ndarray:
        """Which rated films a reason may say the user liked."""
        return (self.centred > 0) & (self.scores >= LIKED_MINIMUM_SCORE)

    @property
    def engagement(self) -> np.ndarray:
        """Weights for the co-rating signal: having watched counts, liking counts more."""
        return np.clip(1.0 + self.centred / 2.0, 0.1, None)


@functools.cache
def _threadpools() -> ThreadpoolController:
    return ThreadpoolController()


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """One BLAS thread for per-request algebra (a 100x100 solve, one matrix-vector product).

    At this size threads only add synchronisation, and on a busy machine
    OpenBLAS's spinning threads made one fold-in take 200 ms instead of 0.2.
    """
    with _threadpools().limit(limits=1, user_api="blas"):
        yield


def blocked_films(
    snapshot: CatalogSnapshot, history: UserHistory, rated: RatedFilms, candidates: Collection[int] | None
) -> np.ndarray:
    blocked = snapshot.hidden.copy()
    blocked[rated.indices] = True
    if history.excluded:
        positions, found = snapshot.indices_of(list(history.excluded))
        blocked[positions[found]] = True
    if candidates is not None:
        allowed = np.zeros(len(snapshot), dtype=bool)
        positions, found = snapshot.indices_of(list(candidates))
        allowed[positions[found]] = True
        blocked |= ~allowed
    return blocked


def top_films(scores: np.ndarray, blocked: np.ndarray, limit: int) -> np.ndarray:
    """Catalog indices of the `limit` best unblocked films, best first (ties: lower index)."""
    available = np.flatnonzero(~blocked & np.isfinite(scores))
    if limit <= 0 or len(available) == 0:
        return np.zeros(0, dtype=np.int64)
    values = scores[available]
    chosen = np.argpartition(-values, limit - 1)[:limit] if len(available) > limit else np.arange(len(available))
    order = np.lexsort((available[chosen], -values[chosen]))
    return available[chosen][order]


def zscore(values: np.ndarray) -> np.ndarray:
    if values.size == 0:
        return values
    std = float(values.std())
    return (values - float(values.mean())) / std if std > 0 else np.zeros_like(values)


def popular_reason(snapshot: CatalogSnapshot, film: int) -> str:
    genre = snapshot.genre_names.get(int(snapshot.primary_genre[film]))
    if genre:
        return _("Popular in %(genre)s") % {"genre": genre_label(genre)}
    return _("Popular on moviesite")


def liked_reason(snapshot: CatalogSnapshot, film: int) -> str:
    return _("Because you liked %(title)s") % {"title": snapshot.titles[film]}


class CatalogRecommender:
    """Shared top-N machinery: subclasses say how they score the catalog and why."""

    name = "base"

    def __init__(self, snapshot: CatalogSnapshot) -> None:
        self.snapshot = snapshot

    def score_catalog(
        self, history: UserHistory, rated: RatedFilms, blocked: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        raise NotImplementedError

    def explain(self, films: list[int], parts: list[dict[str, float]], rated: RatedFilms) -> list[str]:
        """Each chosen film's reason, given its signals (one call for the whole list, so work can be shared)."""
        return [popular_reason(self.snapshot, film) for film in films]

    def recommend(
        self, history: UserHistory, *, limit: int = 10, candidates: Collection[int] | None = None
    ) -> list[Recommendation]:
        rated = RatedFilms.from_history(self.snapshot, history)
        blocked = blocked_films(self.snapshot, history, rated, candidates)
        with single_threaded_blas():
            signals = self.score_catalog(history, rated, blocked)
        total = signals.pop("score")
        chosen = top_films(total, blocked, limit).tolist()
        parts = [{name: round(float(values[film]), 4) for name, values in signals.items()} for film in chosen]
        reasons = self.explain(chosen, parts, rated)
        return [
            Recommendation(
                movie_id=int(self.snapshot.movie_ids[film]), score=float(total[film]), reason=reason, parts=film_parts
            )
            for film, film_parts, reason in zip(chosen, parts, reasons, strict=True)
        ]


class PopularityRecommender(CatalogRecommender):
    name = "popularity"

    def score_catalog(
        self, history: UserHistory, rated: RatedFilms, blocked: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        return {"score": self.snapshot.weighted_rating}


class NeighbourRecommender(CatalogRecommender):
    """Content similarity or co-rating neighbours of what the user rated."""

    def __init__(self, snapshot: CatalogSnapshot, model: NeighbourModel, *, name: str) -> None:
        super().__init__(snapshot)
        self.model = model
        self.name = name

    def weights(self, rated: RatedFilms) -> np.ndarray:
        return rated.centred if self.name == "content" else rated.engagement

    def score_catalog(
        self, history: UserHistory, rated: RatedFilms, blocked: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        affinity = self.model.affinity(self.snapshot, rated.indices, self.weights(rated))
        # Popularity only breaks ties among films the neighbours say nothing about.
        return {"score": affinity + 1e-6 * self.snapshot.prior}

    def explain(self, films: list[int], parts: list[dict[str, float]], rated: RatedFilms) -> list[str]:
        liked = rated.liked
        sources = self.model.strongest_sources(self.snapshot, films, rated.indices[liked], self.weights(rated)[liked])
        return [
            liked_reason(self.snapshot, sources[film][0]) if film in sources else popular_reason(self.snapshot, film)
            for film in films
        ]


class SvdRecommender(CatalogRecommender):
    name = "svd"

    def __init__(self, snapshot: CatalogSnapshot, model: SvdModel) -> None:
        super().__init__(snapshot)
        self.model = model

    def user_vector(self, history: UserHistory, rated: RatedFilms) -> tuple[np.ndarray, float]:
        factors, bias, _folded = self.model.user_vector(
            self.snapshot,
            user_id=history.site_user_id,
            rated=rated.indices,
            scores=rated.scores,
            latest_rating_at=history.latest_rating_at,
        )
        return factors, bias

    def predicted(self, history: UserHistory, rated: RatedFilms) -> np.ndarray:
        return self.model.predict_all(self.snapshot, *self.user_vector(history, rated))

    def score_catalog(
        self, history: UserHistory, rated: RatedFilms, blocked: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        return {"score": self.predicted(history, rated)}

    def explain(self, films: list[int], parts: list[dict[str, float]], rated: RatedFilms) -> list[str]:
        return [_("Matches your ratings")] * len(films)


@dataclass(frozen=True)
class BlendWeights:
    """How much each signal counts, moving from `cold` to `warm` as ratings accumulate.

    With n ratings the weights are (1 - a)·cold + a·warm where
    a = n / (n + half_way): a user with `half_way` ratings is halfway between.
    A new user is served content and popularity; a user with hundreds of
    ratings mostly the collaborative signals.
    """

    cold: dict[str, float] = field(
        default_factory=lambda: {"svd": 0.0, "item_neighbours": 0.0, "content": 0.5, "popularity": 0.5}
    )
    warm: dict[str, float] = field(
        default_factory=lambda: {"svd": 0.3, "item_neighbours": 0.5, "content": 0.1, "popularity": 0.1}
    )
    half_way: float = 10.0

    def for_ratings(self, n_ratings: int) -> dict[str, float]:
        share = n_ratings / (n_ratings + self.half_way) if n_ratings > 0 else 0.0
        return {
            signal: (1 - share) * self.cold.get(signal, 0.0) + share * self.warm.get(signal, 0.0) for signal in SIGNALS
        }

    def as_dict(self) -> dict[str, object]:
        return {"cold": dict(self.cold), "warm": dict(self.warm), "half_way": self.half_way}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> BlendWeights:
        default = cls()
        return cls(
            cold={**default.cold, **dict(data.get("cold") or {})},  # type: ignore[call-overload]
            warm={**default.warm, **dict(data.get("warm") or {})},  # type: ignore[call-overload]
            half_way=float(data.get("half_way") or default.half_way),  # type: ignore[arg-type]
        )


class HybridRecommender(CatalogRecommender):
    """Blend of the standardised signals with weights from the user's number of ratings.

    Signals whose model is missing drop out and the others carry the weight.
    """

    name = "hybrid"

    def __init__(
        self,
        snapshot: CatalogSnapshot,
        *,
        svd: SvdModel | None = None,
        content: NeighbourModel | None = None,
        item_neighbours: NeighbourModel | None = None,
        weights: BlendWeights | None = None,
    ) -> None:
        super().__init__(snapshot)
        self.svd = SvdRecommender(snapshot, svd) if svd else None
        self.content = NeighbourRecommender(snapshot, content, name="content") if content else None
        self.item_neighbours = (
            NeighbourRecommender(snapshot, item_neighbours, name="item_neighbours") if item_neighbours else None
        )
        self.weights = weights or BlendWeights()

    def signals(self, history: UserHistory, rated: RatedFilms, *, with_svd: bool = True) -> dict[str, np.ndarray]:
        """Each available signal over the whole catalog, standardised (z-scores)."""
        raw: dict[str, np.ndarray] = {"popularity": self.snapshot.prior}
        if len(rated.indices):
            if self.svd and with_svd:
                raw["svd"] = self.svd.predicted(history, rated)
            if self.content:
                raw["content"] = self.content.model.affinity(self.snapshot, rated.indices, rated.centred)
            if self.item_neighbours:
                raw["item_neighbours"] = self.item_neighbours.model.affinity(
                    self.snapshot, rated.indices, rated.engagement
                )
        return {signal: zscore(values) for signal, values in raw.items()}

    @staticmethod
    def blend(signals: dict[str, np.ndarray], weights: dict[str, float]) -> dict[str, np.ndarray]:
        present = {signal: weights.get(signal, 0.0) for signal in signals if weights.get(signal, 0.0) > 0}
        if not present:
            present = {"popularity": 1.0}
        scale = sum(present.values())
        parts = {signal: (weight / scale) * signals[signal] for signal, weight in present.items()}
        return {"score": np.sum(list(parts.values()), axis=0), **parts}

    def score_catalog(
        self, history: UserHistory, rated: RatedFilms, blocked: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        weights = self.weights.for_ratings(len(rated.indices))
        n_films = len(self.snapshot)
        if self.svd is None or weights["svd"] <= 0 or not len(rated.indices) or n_films <= 2 * RERANK_POOL:
            return self.blend(self.signals(history, rated), weights)
        signals = self.signals(history, rated, with_svd=False)
        cheap = self.blend(signals, {signal: weight for signal, weight in weights.items() if signal != "svd"})
        # The pool is drawn from the films that may be shown (platform filter, not rated, not hidden).
        eligible = cheap["score"] if blocked is None else np.where(blocked, -np.inf, cheap["score"])
        pool = np.argpartition(-eligible, RERANK_POOL - 1)[:RERANK_POOL]
        factors, bias = self.svd.user_vector(history, rated)
        sample = np.arange(0, n_films, n_films // RERANK_POOL)  # every k-th film: a fixed, even sample
        reference = self.svd.model.predict_at(self.snapshot, factors, bias, sample)
        spread = float(reference.std()) or 1.0
        standardised = np.full(n_films, np.nan)
        standardised[pool] = (self.svd.model.predict_at(self.snapshot, factors, bias, pool) - reference.mean()) / spread
        return self.blend({**signals, "svd": standardised}, weights)

    def explain(self, films: list[int], parts: list[dict[str, float]], rated: RatedFilms) -> list[str]:
        """Each film's reason: the liked film behind its strongest signal, else that signal's own reason.

        Each neighbour model's strongest sources are found for all the films at
        once, and only for a model some film's reason needs.
        """
        sources: dict[str, dict[int, tuple[int, float]]] = {}
        liked = rated.liked

        def source(recommender: NeighbourRecommender, film: int) -> tuple[int, float] | None:
            if recommender.name not in sources:
                sources[recommender.name] = recommender.model.strongest_sources(
                    self.snapshot, films, rated.indices[liked], recommender.weights(rated)[liked]
                )
            return sources[recommender.name].get(film)

        def reason(film: int, film_parts: dict[str, float]) -> str:
            strongest = max(film_parts, key=lambda signal: film_parts[signal]) if film_parts else "popularity"
            if strongest != "popularity" and len(rated.indices):
                for recommender in (self.item_neighbours, self.content) if strongest != "content" else (self.content,):
                    if recommender is None:
                        continue
                    found = source(recommender, film)
                    if found and not math.isclose(found[1], 0.0):
                        return liked_reason(self.snapshot, found[0])
                if strongest == "svd":
                    return _("Matches your ratings")
            return popular_reason(self.snapshot, film)

        return [reason(film, film_parts) for film, film_parts in zip(films, parts, strict=True)]
