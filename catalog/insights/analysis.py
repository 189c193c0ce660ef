"""Pure statistics helpers for the insights report (pandas/numpy, no Django).

Everything here takes plain series or frequency tables and returns plain,
JSON-serialisable values, so the snapshot can be stored as JSON and the
helpers tested on tiny hand-made inputs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# Tukey's "far out" fences: beyond 3 IQR from the quartiles. Applied to log10
# of money values, whose spread is multiplicative; this flags the data-entry
# errors of the dataset (budgets of $1, returns of 10,000x) and little else.
OUTLIER_IQR_MULTIPLIER = 3.0


def as_number(value: Any) -> float | int | None:
    """A JSON-friendly number: numpy scalars unwrapped, NaN/inf to None."""
    if value is None:
        return None
    if isinstance(value, (np.integer, int)) and not isinstance(value, bool):
        return int(value)
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def describe(values: pd.Series) -> dict[str, float | int | None]:
    """Count, quartiles, extremes and mean of the non-missing values."""
    clean = values.dropna()
    if clean.empty:
        return {"count": 0, "min": None, "q1": None, "median": None, "q3": None, "max": None, "mean": None}
    return {
        "count": int(clean.size),
        "min": as_number(clean.min()),
        "q1": as_number(clean.quantile(0.25)),
        "median": as_number(clean.median()),
        "q3": as_number(clean.quantile(0.75)),
        "max": as_number(clean.max()),
        "mean": as_number(clean.mean()),
    }


def binned_counts(values: pd.Series, edges: Sequence[float]) -> list[int]:
    """Counts per half-open bin [edges[i], edges[i+1]); the last bin is closed.

    Values outside the edges are not counted: callers choose edges that cover
    the data (an infinite last edge for an open-ended bin).
    """
    clean = values.dropna().to_numpy(dtype=float)
    counts = []
    last = len(edges) - 2
    for index in range(len(edges) - 1):
        low, high = edges[index], edges[index + 1]
        upper = clean <= high if index == last else clean < high
        counts.append(int(np.count_nonzero((clean >= low) & upper)))
    return counts


def log_edges(low_exponent: int, high_exponent: int, steps_per_decade: int = 1) -> list[float]:
    """Edges 10**low ... 10**high, `steps_per_decade` bins per power of ten."""
    total = (high_exponent - low_exponent) * steps_per_decade
    return [10 ** (low_exponent + step / steps_per_decade) for step in range(total + 1)]


def tukey_fences(values: pd.Series, *, multiplier: float = OUTLIER_IQR_MULTIPLIER) -> tuple[float, float]:
    """(low, high) fences: Q1 - k*IQR and Q3 + k*IQR of the values."""
    q1, q3 = values.quantile(0.25), values.quantile(0.75)
    spread = q3 - q1
    return float(q1 - multiplier * spread), float(q3 + multiplier * spread)


def log_outliers(values: pd.Series, *, multiplier: float = OUTLIER_IQR_MULTIPLIER) -> tuple[float, float, pd.Series]:
    """Fences on log10 of the positive values, back in the values' units, and the outlier mask.

    Returns (low_fence, high_fence, mask) where mask is aligned on `values`
    and is False for values that are not positive (unknown, not outliers).
    """
    positive = values[values > 0]
    if positive.empty:
        return math.nan, math.nan, pd.Series(False, index=values.index)
    low_log, high_log = tukey_fences(np.log10(positive.astype(float)), multiplier=multiplier)
    low, high = 10**low_log, 10**high_log
    mask = (values > 0) & ((values < low) | (values > high))
    return low, high, mask


def frequency_summary(frequency: pd.Series) -> dict[str, float | int | None]:
    """Summary of a count-of-counts table: index = items per holder, value = holders.

    Used for "ratings per rater" and "ratings per film", aggregated in SQL so
    26M ratings never reach Python: the median, mean and top shares come from
    the (small) table of how many holders have n items.
    """
    frequency = frequency[frequency > 0].sort_index()
    holders = int(frequency.sum())
    if holders == 0:
        return {"holders": 0, "items": 0, "min": None, "median": None, "mean": None, "max": None,
                "top_1_percent_share": None, "top_10_percent_share": None}  # fmt: skip
    sizes = frequency.index.to_numpy(dtype=float)
    weights = frequency.to_numpy(dtype=float)
    items = float((sizes * weights).sum())
    cumulative = np.cumsum(weights)
    median_position = (holders - 1) / 2
    lower = sizes[np.searchsorted(cumulative, math.floor(median_position) + 1)]
    upper = sizes[np.searchsorted(cumulative, math.ceil(median_position) + 1)]
    return {
        "holders": holders,
        "items": int(items),
        "min": int(sizes[0]),
        "median": float((lower + upper) / 2),
        "mean": items / holders,
        "max": int(sizes[-1]),
        "top_1_percent_share": top_share(frequency, 0.01),
        "top_10_percent_share": top_share(frequency, 0.10),
    }


def top_share(frequency: pd.Series, fraction: float) -> float:
    """Share of all items held by the top `fraction` of holders (at least one holder)."""
    frequency = frequency[frequency > 0].sort_index(ascending=False)
    holders = int(frequency.sum())
    wanted = max(1, math.ceil(holders * fraction))
    taken = 0
    held = 0.0
    for size, count in frequency.items():
        take = min(int(count), wanted - taken)
        held += float(size) * take
        taken += take
        if taken >= wanted:
            break
    total = float((frequency.index.to_numpy(dtype=float) * frequency.to_numpy(dtype=float)).sum())
    return held / total if total else 0.0


def binned_frequency(frequency: pd.Series, edges: Sequence[float]) -> list[int]:
    """Holders per bin of a count-of-counts table, bins half-open like `binned_counts`."""
    counts = []
    sizes = frequency.index.to_numpy(dtype=float)
    weights = frequency.to_numpy(dtype=np.int64)
    last = len(edges) - 2
    for index in range(len(edges) - 1):
        low, high = edges[index], edges[index + 1]
        upper = sizes <= high if index == last else sizes < high
        counts.append(int(weights[(sizes >= low) & upper].sum()))
    return counts


def rank_correlation(frame: pd.DataFrame) -> list[list[float | None]]:
    """Spearman rank correlation, pairwise over the rows where both fields are known.

    Rank rather than Pearson: budget, revenue, votes and popularity are heavily
    skewed and a handful of blockbusters would otherwise decide every number.
    """
    matrix = frame.corr(method="spearman", min_periods=3)
    return [[as_number(value) for value in row] for row in matrix.to_numpy()]
