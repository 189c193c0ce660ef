"""HTML pages of the catalog: home, browse and search, film and person pages.

Thin: parse the request, call selectors (and the recommender's serving
functions), render. Writes (ratings, watchlist) live in ratings.views.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.core.cache import caches
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from catalog.cards import cards_genres_prefetch
from catalog.forms import MovieFilterForm
from catalog.genres import genre_names_called
from catalog.pagination import CatalogPaginator
from catalog.selectors import (
    MovieFacts,
    movie_cards_ranked,
    movie_detail_get,
    movie_filter_facets,
    movie_merged_into,
    movie_search,
    movie_title_suggestions,
    movies_new_on_platforms,
    movies_popular_now,
    original_titles_matched,
    person_detail_get,
    platform_ids_for_user,
)
from ratings.selectors import movie_user_state, rating_scores_for_movies, user_rating_count
from recommender.selectors import active_model_versions_served
from recommender.serving import popular_movies, recommendations_for_user, serving_epoch, similar_movies

HOME_ROW = 12
PAGE_SIZE = 24
SIMILAR_COUNT = 12
# Below this many ratings, home invites the user to rate more (onboarding).
ONBOARDING_MINIMUM = 5


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, object] = {}
    if user.is_authenticated:
        recommendations = recommendations_for_user(user=user, limit=HOME_ROW)
        context["for_you"] = movie_cards_ranked(ranking=[(rec.movie_id, rec.reason) for rec in recommendations])
        context["rating_count"] = user_rating_count(user=user)
        context["onboarding_minimum"] = ONBOARDING_MINIMUM
        platform_ids = platform_ids_for_user(user=user)
        context["has_platforms"] = bool(platform_ids)
        context["new_on_platforms"] = movies_new_on_platforms(platform_ids=platform_ids, limit=HOME_ROW)
        if user.is_staff:
            context["model_versions"] = active_model_versions_served()
    context["popular_now"] = movies_popular_now(limit=HOME_ROW)
    top_rated = popular_movies(limit=HOME_ROW)
    context["top_rated"] = movie_cards_ranked(ranking=[(rec.movie_id, rec.reason) for rec in top_rated])
    return render(request, "catalog/home.html", context)


@require_safe
def movie_list(request: HttpRequest) -> HttpResponse:
    facets = movie_filter_facets()
    form = MovieFilterForm(request.GET or None, facets=facets)
    if form.is_bound:
        form.is_valid()
    filters = form.to_filters()
    # A search the form refused (over 200 characters) finds nothing, rather
    # than being dropped and listing every film under its error.
    paginator: Paginator = (
        Paginator([], PAGE_SIZE) if "q" in form.errors else CatalogPaginator(movie_search(filters=filters), PAGE_SIZE)
    )
    page = paginator.get_page(request.GET.get("page"))
    movies = list(page.object_list)
    cards_genres_prefetch(movies)
    scores = rating_scores_for_movies(user=request.user, movie_ids=[movie.pk for movie in movies])
    originals = original_titles_matched(movies=movies, query=filters.query)
    suggestions = movie_title_suggestions(query=filters.query) if filters.query and not movies else []
    # A genre typed into the title search ("acción", "comedy"): offer its filter.
    searched_genres = sorted(genre_names_called(filters.query) & set(facets.genres)) if filters.query else []
    return render(
        request,
        "catalog/movie_list.html",
        {
            "form": form,
            "filters_key": form.fragment_key(),
            "page": page,
            "rows": [(movie, scores.get(movie.pk), originals.get(movie.pk, "")) for movie in movies],
            "suggestions": suggestions,
            "searched_genres": searched_genres,
        },
    )


@require_safe
def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        movie = movie_detail_get(pk=pk)
    except Http404:
        # A film merged into another: old links and bookmarks lead to the film kept, for good.
        kept = movie_merged_into(pk=pk)
        if kept is None:
            raise
        return redirect("movie-detail", pk=kept, permanent=True)
    return render(
        request,
        "catalog/movie_detail.html",
        {
            "movie": movie,
            "facts": MovieFacts(movie),
            "facts_ttl": settings.RECOMMENDER_CATALOG_TTL,
            "similar_section": _similar_section(request, movie_id=movie.pk),
            "state": movie_user_state(user=request.user, movie=movie),
        },
    )


def _similar_section(request: HttpRequest, *, movie_id: int) -> str:
    """The similar-films row as HTML, cached under the exact ranking it shows.

    The row is the same for every visitor. Its key is the visible ranking
    (films and reasons, checked against hidden films on every request), the
    language and the serving epoch, so a new model or a hidden film shows at
    once and the cards' own facts (title, year, genres) refresh with the
    catalog snapshot (RECOMMENDER_CATALOG_TTL). The films are only loaded when
    the row has to be drawn.
    """
    ranking = [(rec.movie_id, rec.reason) for rec in similar_movies(movie_id=movie_id, limit=SIMILAR_COUNT)]
    digest = hashlib.sha256(json.dumps([serving_epoch(), get_language(), ranking]).encode()).hexdigest()
    key = f"film-similar:{digest}"
    fragments = caches["template_fragments"]
    html = fragments.get(key)
    if html is None:
        html = render_to_string(
            "catalog/_similar_films.html", {"similar": movie_cards_ranked(ranking=ranking)}, request=request
        )
        fragments.set(key, html, settings.RECOMMENDER_CATALOG_TTL)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


@require_safe
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    detail = person_detail_get(pk=pk, page=request.GET.get("page"))
    return render(request, "catalog/person_detail.html", {"detail": detail, "page": detail.page})
