"""The popularity prior: IMDb's weighted rating, as a pure function over arrays."""

from __future__ import annotations

import numpy as np

# m in IMDb's formula: the votes a film needs before its own average counts
# for as much as the catalog mean. The 80th percentile of vote counts among
# films that have any is the usual choice.
MINIMUM_VOTES_QUANTILE = 0.8


def weighted_rating(
    vote_counts: np.ndarray, vote_averages: np.ndarray, *, minimum_votes: float | None = None
) -> np.ndarray:
    """WR = v/(v+m)·R + m/(v+m)·C for every film (C: mean rating over films with votes)."""
    votes = vote_counts.astype(np.float64)
    averages = vote_averages.astype(np.float64)
    has_votes = votes > 0
    if not has_votes.any():
        return np.zeros_like(votes)
    catalog_mean = float(np.average(averages[has_votes], weights=votes[has_votes]))
    if minimum_votes is None:
        minimum_votes = float(np.quantile(votes[has_votes], MINIMUM_VOTES_QUANTILE))
    minimum_votes = max(minimum_votes, 1.0)
    return votes / (votes + minimum_votes) * averages + minimum_votes / (votes + minimum_votes) * catalog_mean
