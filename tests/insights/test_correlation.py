"""The correlation matrix counts a film nobody voted for as having no vote average.

TMDB writes vote_average 0 for a film with vote_count 0 (30 of the sample's
599 films): read as a real score, those zeros drag every correlation with the
vote average and made the report claim a vote average for all 599 films.
"""

from __future__ import annotations

import pandas as pd
import pytest

from catalog.insights.compute import insights_compute
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db
# popularity, vote count, vote average
FILMS = [(1.0, 10, 5.0), (2.0, 20, 6.0), (3.0, 30, 7.0), (4.0, 0, 0.0), (5.0, 0, 0.0)]


def test_a_film_without_votes_has_no_vote_average_in_the_correlation() -> None:
    for popularity, votes, average in FILMS:
        MovieFactory(popularity=popularity, vote_count=votes, vote_average=average)
    frame = pd.DataFrame(FILMS, columns=["popularity", "vote_count", "vote_average"])
    voted = frame[frame["vote_count"] > 0]

    correlation = insights_compute()["correlation"]

    fields = correlation["fields"]
    row = correlation["matrix"][fields.index("vote_average")]
    assert row[fields.index("popularity")] == pytest.approx(
        voted["vote_average"].corr(voted["popularity"], method="spearman")
    )
    assert correlation["known"]["vote_average"] == len(voted)
