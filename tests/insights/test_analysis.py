"""The pure statistics helpers, on tiny hand-made inputs with exact answers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from catalog.insights import analysis


def test_it_counts_half_open_bins_and_closes_the_last_one() -> None:
    values = pd.Series([0, 9.9, 10, 19, 20, None])
    assert analysis.binned_counts(values, [0, 10, 20]) == [2, 3]


def test_it_counts_an_open_ended_last_bin() -> None:
    assert analysis.binned_counts(pd.Series([5, 500, 5000]), [0, 10, np.inf]) == [1, 2]


def test_it_flags_a_one_dollar_budget_as_a_low_outlier_on_the_log_scale() -> None:
    budgets = pd.Series([1, 0, *[10_000_000 * step for step in range(1, 11)]])
    low, high, mask = analysis.log_outliers(budgets)
    logs = np.log10(budgets[budgets > 0].astype(float))
    q1, q3 = logs.quantile(0.25), logs.quantile(0.75)
    assert low == pytest.approx(10 ** (q1 - 3 * (q3 - q1)))
    assert high == pytest.approx(10 ** (q3 + 3 * (q3 - q1)))
    assert mask.tolist() == [True] + [False] * 11


def test_a_zero_is_unknown_and_never_an_outlier() -> None:
    _low, _high, mask = analysis.log_outliers(pd.Series([0, 0, 5, 6, 7]))
    assert not mask.iloc[:2].any()


def test_the_frequency_summary_matches_the_expanded_list() -> None:
    per_rater = [1, 1, 1, 2, 3, 3, 10, 50]
    frequency = pd.Series(per_rater).value_counts()
    summary = analysis.frequency_summary(frequency)
    assert summary["holders"] == 8
    assert summary["items"] == sum(per_rater)
    assert summary["median"] == pytest.approx(float(np.median(per_rater)))
    assert summary["mean"] == pytest.approx(float(np.mean(per_rater)))
    assert summary["max"] == 50
    # The top 10% of 8 raters is one rater (rounded up): the one with 50.
    assert summary["top_10_percent_share"] == pytest.approx(50 / sum(per_rater))


def test_the_median_of_an_odd_count_is_the_middle_holder() -> None:
    summary = analysis.frequency_summary(pd.Series({1: 2, 7: 1, 9: 2}))
    assert summary["median"] == 7


def test_it_bins_a_frequency_table_by_holder() -> None:
    frequency = pd.Series({1: 5, 3: 2, 4: 1, 12: 1})
    assert analysis.binned_frequency(frequency, [1, 2, 5, 10, np.inf]) == [5, 3, 0, 1]


def test_rank_correlation_ignores_missing_values_pairwise() -> None:
    frame = pd.DataFrame({"a": [1, 2, 3, 4, None], "b": [10, 20, 30, 40, 1], "c": [4, 3, 2, 1, 0]})
    matrix = analysis.rank_correlation(frame)
    assert matrix[0][1] == pytest.approx(1.0)
    assert matrix[1][2] == pytest.approx(frame["b"].corr(frame["c"], method="spearman"))


def test_not_a_number_becomes_none_for_json() -> None:
    assert analysis.as_number(math.nan) is None
    assert analysis.as_number(np.int64(3)) == 3
    assert analysis.describe(pd.Series([], dtype=float))["median"] is None
