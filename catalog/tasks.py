"""Celery tasks of the catalog app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from catalog.insights.services import InsightsRefreshBusy, insights_refresh_if_needed
from catalog.services import movie_rating_figures_refresh_changed, movie_rating_stats_refresh_site

# A refresh reads the whole catalog: minutes on the full dataset, not hours.
REFRESH_TIME_LIMIT = 30 * 60


@shared_task(bind=True, acks_late=True, max_retries=20, time_limit=REFRESH_TIME_LIMIT,
             soft_time_limit=REFRESH_TIME_LIMIT - 60, ignore_result=True)  # fmt: skip
def refresh_insights(self, generation: int | None = None) -> str | None:
    """Recompute the insights snapshot for request `generation` unless a later run covered it (None).

    If one is being computed, try again a minute later: retrying (rather than
    dropping the request) matters, as the running refresh may have read the
    catalog before the import that queued this one. Requests that wait
    together are covered by whichever runs first.
    """
    try:
        snapshot = insights_refresh_if_needed(generation=generation)
    except InsightsRefreshBusy:
        if self.request.is_eager:
            return None
        raise self.retry(countdown=60) from None
    return snapshot.id if snapshot else None


@shared_task(name="catalog.tasks.refresh_rating_figures", soft_time_limit=240, time_limit=300, ignore_result=True)
def refresh_rating_figures() -> int:
    """Beat's frequent fold of the films rated since the last run into their figures; returns the films changed."""
    return movie_rating_figures_refresh_changed()


@shared_task(name="catalog.tasks.recount_rating_figures", soft_time_limit=540, time_limit=600, ignore_result=True)
def recount_rating_figures() -> int:
    """Beat's hourly recount of every film's figures from the ratings tables; returns the films changed."""
    return movie_rating_stats_refresh_site()
