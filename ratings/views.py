"""HTML views for a user's ratings, watchlist, 'not interested' and onboarding.

Every write is a POST (CSRF-protected) that validates a form, calls one
ratings service and then either redirects (plain form) or, for the page's
fetch() enhancement, renders the film's actions fragment to swap in place.
"""

from __future__ import annotations

import csv
import functools
import itertools
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from catalog.models import Movie
from catalog.selectors import movie_or_the_one_merged_into, onboarding_candidates
from ratings.forms import RatingForm, RatingsImportForm
from ratings.importers import RatingsFileError
from ratings.selectors import (
    EXPORT_DIALECTS,
    ExportDialect,
    MovieUserState,
    movie_user_state,
    rated_movie_ids,
    rating_scores_for_movies,
    ratings_export_rows,
    user_ratings,
    user_watchlist,
)
from ratings.services import (
    dismissal_add,
    dismissal_remove,
    onboarding_complete,
    rating_delete,
    rating_set,
    ratings_import,
    watchlist_add,
    watchlist_remove,
)

# The fetch() enhancement in static/js/site.js sends this header.
FRAGMENT_HEADER = "X-Fragment"
FRAGMENT_STYLES = {"full", "compact"}
ONBOARDING_MINIMUM = 5
ONBOARDING_FILMS = 24
RATINGS_PAGE_SIZE = 50
WATCHLIST_PAGE_SIZE = 48  # cards: a whole number of rows of 2, 3, 4 or 6


def _user(request: HttpRequest) -> User:
    """The signed-in user of a @login_required view."""
    assert isinstance(request.user, User)
    return request.user


def _wants_fragment(request: HttpRequest) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "1"


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _actions_response(
    request: HttpRequest, movie: Movie, *, status: int = 200, announcement: str = ""
) -> HttpResponseBase:
    """After a write: the film's actions fragment for fetch(), else a redirect back.

    `announcement` says what the write did: site.js reads it out through the
    page's live region after the swap; without JavaScript it is the message
    on the page the redirect leads to.
    """
    if not _wants_fragment(request):
        if announcement:
            messages.success(request, announcement)
        return redirect(_next_url(request, reverse("movie-detail", args=[movie.pk])))
    style = request.POST.get("fragment", "full")
    return render(
        request,
        "ratings/_movie_actions.html",
        {
            "movie": movie,
            "state": movie_user_state(user=_user(request), movie=movie),
            "style": style if style in FRAGMENT_STYLES else "full",
            "next": _next_url(request, ""),
            "announcement": announcement,
        },
        status=status,
    )


FilmWriteView = Callable[[HttpRequest, int], HttpResponseBase]


def film_write(view: FilmWriteView) -> FilmWriteView:
    """A POST-only write about one film that never strands a visitor on this URL.

    A signed-out POST (an expired session) goes to the login page with `next`
    pointing at the film page (or the form's own safe `next`), not at this
    POST-only URL; a GET here (a bookmark, an old login redirect) goes to the
    film page instead of an empty 405.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponseBase:
        film_page = reverse("movie-detail", args=[pk])
        if request.method in ("GET", "HEAD"):
            return redirect(film_page)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.is_authenticated:
            return redirect_to_login(_next_url(request, film_page))
        return view(request, pk)

    return wrapper


def _film_of_form(pk: int) -> Movie:
    """The film a page's form names; a page opened before a curator merged its film acts on the film kept."""
    movie = movie_or_the_one_merged_into(pk=pk)
    if movie is None:
        raise Http404
    return movie


@film_write
def film_rate(request: HttpRequest, pk: int) -> HttpResponseBase:
    movie = _film_of_form(pk)
    if request.POST.get("clear"):
        rating_delete(user=_user(request), movie=movie)
        return _actions_response(request, movie)
    form = RatingForm(request.POST)
    if not form.is_valid():
        if _wants_fragment(request):
            return _actions_response(request, movie, status=400)
        messages.error(request, _("Choose a rating from 0.5 to 5 stars."))
        return redirect(_next_url(request, reverse("movie-detail", args=[movie.pk])))
    rating_set(user=_user(request), movie=movie, score=form.cleaned_data["score"])
    return _actions_response(request, movie)


@film_write
def film_watchlist(request: HttpRequest, pk: int) -> HttpResponseBase:
    movie = _film_of_form(pk)
    if request.POST.get("action") == "remove":
        watchlist_remove(user=_user(request), movie=movie)
        announcement = _("Removed “%(title)s” from your watchlist.")
    else:
        watchlist_add(user=_user(request), movie=movie)
        announcement = _("Added “%(title)s” to your watchlist.")
    return _actions_response(request, movie, announcement=announcement % {"title": movie.title})


@film_write
def film_not_interested(request: HttpRequest, pk: int) -> HttpResponseBase:
    movie = _film_of_form(pk)
    if request.POST.get("action") == "remove":
        dismissal_remove(user=_user(request), movie=movie)
        announcement = _("“%(title)s” may be recommended to you again.")
    else:
        dismissal_add(user=_user(request), movie=movie)
        announcement = _("“%(title)s” will not be recommended to you.")
    return _actions_response(request, movie, announcement=announcement % {"title": movie.title})


@login_required
@require_safe
def my_ratings(request: HttpRequest) -> HttpResponse:
    order = request.GET.get("order", "recent")
    page = Paginator(user_ratings(user=_user(request), order=order), RATINGS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "ratings/my_ratings.html", {"ratings": list(page.object_list), "page": page, "order": order})


def _export_dialect(request: HttpRequest) -> ExportDialect:
    """`?dialect=en` or `?dialect=es` when asked (any other value is ignored), else the page's language's."""
    asked = request.GET.get("dialect", "")
    if asked in EXPORT_DIALECTS:
        return EXPORT_DIALECTS[asked]
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return EXPORT_DIALECTS.get(language, EXPORT_DIALECTS["en"])


@login_required
@require_safe
def ratings_export(request: HttpRequest) -> StreamingHttpResponse:
    class Echo:
        def write(self, value: str) -> str:
            return value

    dialect = _export_dialect(request)
    writer = csv.writer(Echo(), delimiter=dialect.delimiter)
    lines = (writer.writerow(row) for row in ratings_export_rows(user=_user(request), dialect=dialect))
    response = StreamingHttpResponse(
        itertools.chain(["\ufeff"], lines) if dialect.byte_order_mark else lines,
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="moviesite-ratings.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def ratings_import_view(request: HttpRequest) -> HttpResponse:
    form = RatingsImportForm(request.POST or None, request.FILES or None)
    report = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = ratings_import(user=_user(request), data=form.cleaned_data["file"].read())
            except RatingsFileError as exc:
                form.add_error("file", str(exc))
        if not form.is_valid():
            status = 400
    return render(request, "ratings/import.html", {"form": form, "report": report}, status=status)


@login_required
@require_safe
def watchlist(request: HttpRequest) -> HttpResponse:
    # A page at a time: drawing every entry took 0.6 s for a watchlist of 500 films, and a list has no limit.
    page = Paginator(user_watchlist(user=_user(request)), WATCHLIST_PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    scores = rating_scores_for_movies(user=_user(request), movie_ids=[entry.movie_id for entry in entries])
    return render(
        request,
        "ratings/watchlist.html",
        {"rows": [(entry, scores.get(entry.movie_id)) for entry in entries], "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponseBase:
    """Rate a handful of well-known films; 'Done' and 'Skip' both end onboarding."""
    if request.method == "POST":
        onboarding_complete(user=_user(request))
        return redirect("home")
    rated = rated_movie_ids(user=_user(request))
    films = onboarding_candidates(limit=ONBOARDING_FILMS)
    scores = rating_scores_for_movies(user=_user(request), movie_ids=[movie.pk for movie in films])
    return render(
        request,
        "ratings/onboarding.html",
        {
            "films": [(movie, MovieUserState(score=scores.get(movie.pk))) for movie in films],
            "rated_count": len(rated),
            "minimum": ONBOARDING_MINIMUM,
        },
    )
