"""The catalog's routes under /api/v1/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from catalog.api import analytics, browse, films, people, staff

analytics_urlpatterns: list[URLPattern | URLResolver] = [
    path("films-by-month/", analytics.FilmsByMonthApi.as_view(), name="api-analytics-films-by-month"),
    path("films-by-weekday/", analytics.FilmsByWeekdayApi.as_view(), name="api-analytics-films-by-weekday"),
    path("title-popularity/", analytics.TitlePopularityApi.as_view(), name="api-analytics-title-popularity"),
    path("title-votes/", analytics.TitleVotesApi.as_view(), name="api-analytics-title-votes"),
    path("similar/", analytics.SimilarTitlesApi.as_view(), name="api-analytics-similar"),
    path("actor/", analytics.ActorApi.as_view(), name="api-analytics-actor"),
    path("director/", analytics.DirectorApi.as_view(), name="api-analytics-director"),
    path("streaming/longest/", analytics.StreamingLongestApi.as_view(), name="api-analytics-streaming-longest"),
    path("streaming/count/", analytics.StreamingCountApi.as_view(), name="api-analytics-streaming-count"),
    path(
        "streaming/rated-above/",
        analytics.StreamingRatedAboveApi.as_view(),
        name="api-analytics-streaming-rated-above",
    ),
    path("streaming/top-actor/", analytics.StreamingTopActorApi.as_view(), name="api-analytics-streaming-top-actor"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("films/", films.FilmListApi.as_view(), name="api-film-list"),
    path("films/<int:pk>/", films.FilmDetailApi.as_view(), name="api-film-detail"),
    path("films/<int:pk>/directors/", films.FilmDirectorListApi.as_view(), name="api-film-directors"),
    path("films/<int:pk>/similar/", films.FilmSimilarApi.as_view(), name="api-film-similar"),
    path("people/", people.PersonListApi.as_view(), name="api-person-list"),
    path("people/<int:pk>/", people.PersonDetailApi.as_view(), name="api-person-detail"),
    path("people/<int:pk>/credits/", people.PersonCreditListApi.as_view(), name="api-person-credits"),
    path("genres/", browse.GenreListApi.as_view(), name="api-genre-list"),
    path("platforms/", browse.PlatformListApi.as_view(), name="api-platform-list"),
    path("streaming-titles/", browse.StreamingTitleListApi.as_view(), name="api-streaming-title-list"),
    path("import-runs/", staff.ImportRunListApi.as_view(), name="api-import-run-list"),
    path("import-runs/<int:pk>/", staff.ImportRunDetailApi.as_view(), name="api-import-run-detail"),
    path("analytics/", include(analytics_urlpatterns)),
]
