"""The one small interface every recommender implements.

The site, the API and the offline evaluation all talk to recommenders through
this, so what is measured is exactly what is served.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Recommendation:
    movie_id: int
    score: float
    # Short and human: "Because you liked Heat", "Popular in Drama", "On Netflix".
    reason: str = ""
    # The parts of a blended score, for debugging and the API.
    parts: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class UserHistory:
    """What a recommender may know about one user: their ratings and exclusions."""

    ratings: dict[int, float]  # movie id -> score (0.5-5.0)
    excluded: frozenset[int] = frozenset()  # dismissed or otherwise never to show
    user_key: str | None = None  # the id the trained model knows this user by, if any
    # Newest rating change (unix seconds): a model trained before it folds the user in afresh.
    latest_rating_at: float | None = None

    @property
    def site_user_id(self) -> int | None:
        """The auth user id behind a "u<id>" key (dataset raters are "d<source>:<id>")."""
        if self.user_key and self.user_key.startswith("u") and self.user_key[1:].isdigit():
            return int(self.user_key[1:])
        return None


class Recommender(Protocol):
    name: str

    def recommend(
        self, history: UserHistory, *, limit: int = 10, candidates: Collection[int] | None = None
    ) -> list[Recommendation]:
        """Top films for this user, best first, never one they rated or excluded."""
        ...
