"""Read paths over the catalog: search and filters shared by the site and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from catalog.models import Movie
from catalog.text import normalize_title

SORTS = {
    "popularity": ("-popularity", "id"),
    "rating": ("-vote_average", "-vote_count", "id"),
    "votes": ("-vote_count", "id"),
    "year": ("-release_year", "title_search", "id"),
    "-year": ("release_year", "title_search", "id"),
    "title": ("title_search", "release_year", "id"),
}


@dataclass(frozen=True)
class MovieFilters:
    query: str = ""
    genre: str = ""  # genre name, case-insensitive
    year: int | None = None
    year_from: int | None = None
    year_to: int | None = None
    language: str = ""  # original language code
    platforms: tuple[str, ...] = ()  # platform slugs
    sort: str = "popularity"


def movie_search(*, filters: MovieFilters) -> QuerySet[Movie]:
    """Films matching the filters, in the requested order.

    The title search is accent- and case-insensitive on every database: it
    matches the normalised `title_search` column; on PostgreSQL a trigram GIN
    index serves the `contains`.
    """
    movies = Movie.objects.all()
    if filters.query:
        needle = normalize_title(filters.query)
        movies = movies.filter(title_search__contains=needle)
    if filters.genre:
        movies = movies.filter(genres__name__iexact=filters.genre)
    if filters.year is not None:
        movies = movies.filter(release_year=filters.year)
    if filters.year_from is not None:
        movies = movies.filter(release_year__gte=filters.year_from)
    if filters.year_to is not None:
        movies = movies.filter(release_year__lte=filters.year_to)
    if filters.language:
        movies = movies.filter(original_language=filters.language)
    if filters.platforms:
        movies = movies.filter(streaming_titles__platform__slug__in=filters.platforms)
    if filters.genre or filters.platforms:
        movies = movies.distinct()
    order = SORTS.get(filters.sort, SORTS["popularity"])
    return movies.order_by(*order)
