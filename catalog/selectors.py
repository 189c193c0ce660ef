"""Read paths over the catalog: search and filters shared by the site and the API."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, overload

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    IntegerChoices,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from catalog.analytics import DIRECTOR_JOB, director_q
from catalog.crew_jobs import crew_job_label
from catalog.genres import genre_names_called
from catalog.models import (
    Credit,
    DistinctFilmPair,
    Genre,
    Keyword,
    Movie,
    MovieAlias,
    Person,
    Platform,
    StreamingTitle,
)
from catalog.text import normalize_title, title_key
from moviesite.sql import RowsBy, quoted_table

# Shrinks a film's average towards a middling score until it has this many
# votes, so one 5-star rating does not top the list (a Bayesian average).
WEIGHTED_PRIOR_VOTES = 25
WEIGHTED_PRIOR_MEAN = 3.0  # on the 0.5-5 scale


def weighted_rating_expression() -> Case:
    """A film's Bayesian-average rating on 0.5-5: TMDB votes (halved) when it has any, else moviesite ratings."""
    prior = Value(WEIGHTED_PRIOR_VOTES * WEIGHTED_PRIOR_MEAN)
    votes = Value(WEIGHTED_PRIOR_VOTES)
    tmdb = (F("vote_count") * F("vote_average") / Value(2.0) + prior) / (F("vote_count") + votes)
    site = (F("ratings_count") * F("ratings_average") + prior) / (F("ratings_count") + votes)
    return Case(When(vote_count__gt=0, then=tmdb), default=site, output_field=FloatField())


SORTS = {
    # With a title search: the films the search names first (`TitleSearch`), then by popularity; without, popularity.
    "relevance": ("-popularity", "id"),
    "popularity": ("-popularity", "id"),
    "rating": ("-vote_average", "-vote_count", "id"),
    "weighted": (weighted_rating_expression().desc(), "-popularity", "id"),
    "votes": ("-vote_count", "id"),
    # Films without a year last both ways (databases differ on where NULL sorts);
    # ascending NULLS LAST is PostgreSQL's default, so the (release_year, title) index still serves.
    "year": (F("release_year").desc(nulls_last=True), "title_search", "id"),
    "-year": (F("release_year").asc(nulls_last=True), "title_search", "id"),
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
    sort: str = "relevance"


def movie_search(*, filters: MovieFilters) -> QuerySet[Movie] | TitleSearch:
    """Films matching the filters, in the requested order.

    The title search is accent-, case- and punctuation-insensitive on every
    database ("spider man" finds "Spider-Man"): it matches the `title_key` of
    the query in the `title_search` and `original_title_search` columns
    (TMDB files "El laberinto del fauno" as "Pan's Labyrinth"); on PostgreSQL a
    trigram GIN index on each serves the `contains`.
    """
    movies = Movie.objects.all()
    needle = title_key(filters.query) if filters.query else ""
    if filters.query:
        # A search of punctuation alone ("?") has an empty key, which every title would contain.
        matches = Q(title_search__contains=needle) | Q(original_title_search__contains=needle)
        movies = movies.filter(matches) if needle else movies.none()
    if filters.genre:
        movies = movies.filter(
            Q(genres__name__iexact=filters.genre) | Q(genres__name__in=genre_names_called(filters.genre))
        )
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
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "relevance" and needle:
        return TitleSearch(movies.order_by(*SORTS[sort]), needle=needle)
    return movies.order_by(*SORTS[sort])


# "godfather" names "The Godfather" as much as "padrino" names "El padrino".
LEADING_ARTICLES = ("the", "a", "an", "el", "la", "los", "las", "le", "les", "il", "der", "die", "das")


class TitleSearch(Sequence[Movie]):
    """A title search's films in best-match order: those it names, then every match by popularity.

    A film names the search when its title or original title is the search's
    key, an article before it aside: "ran" lists Ran before Ransom, "up" Up
    before Tin Cup, "godfather" The Godfather first. Ranking every match
    (prefixes and word starts too) read all of them on each page: 23-29 ms a
    page on PostgreSQL for a word in 7% of 45,000 films, which took the API's
    search from about 500 to 82 requests/s under load. Here the named films
    come from the title columns' B-tree indexes (a few rows), and the rest
    from the popularity order's index walk, which stops once the page is full.
    Sliced and counted as a Paginator needs; `query` is that of every match,
    for the cached count (catalog.pagination.CatalogPaginator).
    """

    NAMED_AT_MOST = 50

    def __init__(self, matches: QuerySet[Movie], *, needle: str) -> None:
        self.matches = matches
        self.needle = needle

    @property
    def query(self) -> Any:
        return self.matches.query

    @cached_property
    def named_ids(self) -> list[int]:
        named = [self.needle, *(f"{article} {self.needle}" for article in LEADING_ARTICLES)]
        exact = Q(title_search__in=named) | Q(original_title_search__in=named)
        return list(self.matches.filter(exact).values_list("pk", flat=True)[: self.NAMED_AT_MOST])

    def count(self) -> int:  # type: ignore[override]  # the total, as Paginator and QuerySet count
        return self.matches.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, key: int) -> Movie: ...

    @overload
    def __getitem__(self, key: slice) -> list[Movie]: ...

    def __getitem__(self, key: int | slice) -> Movie | list[Movie]:
        if isinstance(key, int):
            found = self[key : key + 1] if key >= 0 else []
            if not found:
                raise IndexError(key)
            return found[0]
        if key.step is not None:
            raise TypeError("a TitleSearch is read in slices without a step")
        start, stop = key.start or 0, key.stop
        named = self.named_ids
        head = named[start:stop]
        rows: list[Movie] = []
        if head:
            by_id = {movie.pk: movie for movie in self.matches.order_by().filter(pk__in=head)}
            rows = [by_id[pk] for pk in head if pk in by_id]
        if stop is None or stop > len(named):
            rest = self.matches.exclude(pk__in=named) if named else self.matches
            rows += list(rest[max(0, start - len(named)) : None if stop is None else stop - len(named)])
        return rows

    def __iter__(self) -> Iterator[Movie]:
        return iter(self[0:None])


def original_titles_matched(*, movies: list[Movie], query: str) -> dict[int, str]:
    """{film id: original title} of the films a search found by their original title and not their title.

    Searching "laberinto" lists TMDB's "Pan's Labyrinth": its card then shows
    "El laberinto del fauno", so the reader sees why it is there.
    """
    needle = title_key(query)
    if not needle:
        return {}
    return {
        movie.pk: movie.original_title
        for movie in movies
        if needle not in movie.title_search and needle in movie.original_title_search
    }


# --- Site pages -------------------------------------------------------------
# Reads behind the HTML pages. Each returns fully loaded rows (related rows
# selected or prefetched) so a template never triggers a query per film.

TOP_CAST = 12
ONBOARDING_POOL = 400


@dataclass(frozen=True)
class FilterFacets:
    genres: list[str]
    languages: list[str]
    platforms: list[tuple[str, str]]  # (slug, name)


def movie_filter_facets() -> FilterFacets:
    """The values the browse filters offer, cached briefly: they change only on import."""
    cached = cache.get(FACETS_CACHE_KEY)
    if cached is not None:
        return cached
    facets = FilterFacets(
        genres=list(Genre.objects.order_by("name").values_list("name", flat=True)),
        languages=list(
            Movie.objects.exclude(original_language="")
            .order_by("original_language")
            .values_list("original_language", flat=True)
            .distinct()
        ),
        platforms=list(Platform.objects.order_by("name").values_list("slug", "name")),
    )
    cache.set(FACETS_CACHE_KEY, facets, FACETS_CACHE_SECONDS)
    return facets


FACETS_CACHE_KEY = "catalog:filter-facets:v1"
FACETS_CACHE_SECONDS = 300


def movie_cards(*, movie_ids: Sequence[int]) -> list[Movie]:
    """Films by id, in the order given (a ranking), with genres prefetched; unknown ids dropped."""
    if not movie_ids:
        return []
    by_id = {movie.pk: movie for movie in Movie.objects.filter(pk__in=movie_ids).prefetch_related("genres")}
    return [by_id[movie_id] for movie_id in movie_ids if movie_id in by_id]


def movies_popular_now(*, limit: int = 12, exclude: Collection[int] = ()) -> list[Movie]:
    """The most popular recommendable films (TMDB popularity, or rating counts for the demo)."""
    movies = Movie.objects.recommendable().exclude(pk__in=list(exclude)).order_by("-popularity", "id")
    return list(movies.prefetch_related("genres")[:limit])


@dataclass(frozen=True)
class NewOnPlatform:
    movie: Movie
    platform_name: str
    date_added: dt.date | None


def movies_new_on_platforms(*, platform_ids: Collection[int], limit: int = 12) -> list[NewOnPlatform]:
    """Films most recently added to the given platforms (matched streaming titles), newest first."""
    if not platform_ids:
        return []
    titles = (
        StreamingTitle.objects.filter(platform_id__in=list(platform_ids), movie__isnull=False, movie__is_hidden=False)
        .select_related("platform", "movie")
        .order_by(F("date_added").desc(nulls_last=True), "-id")
    )
    seen: set[int] = set()
    rows: list[NewOnPlatform] = []
    # A film on several platforms appears once, under its newest addition.
    for title in titles[: limit * 4]:
        movie = title.movie
        if movie is None or movie.pk in seen:
            continue
        seen.add(movie.pk)
        rows.append(NewOnPlatform(movie=movie, platform_name=title.platform.name, date_added=title.date_added))
        if len(rows) == limit:
            break
    prefetch_related_objects([row.movie for row in rows], "genres")
    return rows


_MOVIE_WITH_COLLECTION = RowsBy(Movie, "pk", related="collection")


def movie_detail_get(*, pk: int) -> Movie:
    """One film for its page, with its collection; what else the page shows is in MovieFacts. 404 if none."""
    movies: list[Movie] = _MOVIE_WITH_COLLECTION.fetch(pk)
    if not movies:
        raise Http404("No film with this id.")
    return movies[0]


def movie_merged_into(*, pk: int) -> int | None:
    """The film a curator merged this (deleted) film into, if any: its old page leads there."""
    return MovieAlias.objects.filter(merged_movie_id=pk).values_list("movie_id", flat=True).first()


def movie_or_the_one_merged_into(*, pk: int) -> Movie | None:
    """The film with this id, else the film a curator merged it into, else None."""
    movie = Movie.objects.filter(pk=pk).first()
    if movie is None:
        kept = movie_merged_into(pk=pk)
        movie = Movie.objects.filter(pk=kept).first() if kept is not None else None
    return movie


class MovieFacts:
    """What a film page shows besides the film's own row, each part loaded on first use.

    The page caches the fragments that show these (templates/catalog/movie_detail.html),
    so a page served from the cache loads none of them; drawn afresh, the whole
    page takes four queries however many credits the film has.
    """

    def __init__(self, movie: Movie) -> None:
        self.movie = movie

    @cached_property
    def genres(self) -> list[Genre]:
        return list(self.movie.genres.all())

    @cached_property
    def keywords(self) -> list[Keyword]:
        return list(self.movie.keywords.all())

    @cached_property
    def _people(self) -> list[Credit]:
        """The cast and the directors in one query, in billing order."""
        return list(
            Credit.objects.filter(movie=self.movie)
            .filter(Q(kind=Credit.Kind.CAST) | Q(kind=Credit.Kind.CREW, job="Director"))
            .select_related("person")
            .order_by("order", "id")
        )

    @cached_property
    def top_cast(self) -> list[Credit]:
        return [credit for credit in self._people if credit.kind == Credit.Kind.CAST][:TOP_CAST]

    @cached_property
    def directors(self) -> list[Credit]:
        return [credit for credit in self._people if credit.kind == Credit.Kind.CREW]

    @cached_property
    def platforms(self) -> list[Platform]:
        """The platforms the film streams on, each once, by name."""
        return list(Platform.objects.filter(titles__movie=self.movie).distinct().order_by("name"))


@dataclass(frozen=True)
class PersonFilm:
    movie: Movie
    roles: list[str]  # characters played and jobs done in this film


@dataclass(frozen=True)
class PersonDetail:
    person: Person
    films: list[PersonFilm]  # one page of them
    page: Page
    film_count: int
    total_return: float
    average_return: float  # total return over the number of films (0 where the budget is unknown)
    budgets_known: int  # films with a known budget: with none, the return figures mean nothing


# Films listed on a person's page at a time: a prolific crew member has hundreds.
PERSON_FILMS_PAGE = 100


def person_detail_get(*, pk: int, page: str | int | None = None) -> PersonDetail:
    """A person, one page of their films (newest first) with roles, and the return figures of all their films.

    A person credited twice in one film (actor and director) counts that film once. The
    figures are summed by the database and only the page's films and roles are loaded, so the
    page costs the same whatever the number of films (every credit was loaded and drawn).
    """
    person = get_object_or_404(Person, pk=pk)
    movies = Movie.objects.filter(pk__in=Credit.objects.filter(person=person).values("movie_id"))
    figures = movies.aggregate(
        films=Count("id"), total=Sum("return_ratio", default=0.0), budgets=Count("id", filter=Q(budget__gt=0))
    )
    ordered = movies.order_by(F("release_date").desc(nulls_last=True), "id")
    paginator = Paginator(ordered, PERSON_FILMS_PAGE)
    paginator.count = figures["films"]  # already counted by the aggregate: no second COUNT
    films_page = paginator.get_page(page)
    films = {movie.pk: PersonFilm(movie=movie, roles=[]) for movie in films_page.object_list}
    roles = (
        Credit.objects.filter(person=person, movie_id__in=list(films))
        .order_by("movie_id", "kind", "order", "id")
        .values_list("movie_id", "kind", "character", "job")
    )
    for movie_id, kind, character, job in roles:
        # A character is the film's own text; a job is TMDB's vocabulary, named in the reader's language.
        role = character if kind == Credit.Kind.CAST else crew_job_label(job)
        if role and role not in films[movie_id].roles:
            films[movie_id].roles.append(role)
    count, total_return = figures["films"], float(figures["total"])
    return PersonDetail(
        person=person,
        films=list(films.values()),
        page=films_page,
        film_count=count,
        total_return=total_return,
        average_return=total_return / count if count else 0.0,
        budgets_known=figures["budgets"],
    )


def person_credits(*, person: Person, kind: str) -> QuerySet[Credit]:
    """A person's credits of one kind (cast or crew) with their films, oldest film first, undated films last."""
    return (
        Credit.objects.filter(person=person, kind=kind)
        .select_related("movie")
        .order_by(F("movie__release_date").asc(nulls_last=True), "movie_id", "id")
    )


def film_directors(*, movie: Movie) -> QuerySet[Credit]:
    """A film's directing credits with their people, in billing order."""
    return Credit.objects.filter(director_q(prefix=""), movie=movie).select_related("person").order_by("order", "id")


# What a film's API answer shows of its credits (catalog.serializers.FilmDetailSerializer).
CAST_SHOWN = 10
# As many as a page of `/api/v1/films/{id}/directors/`, like the lists of a person's answer.
DIRECTORS_SHOWN = 20


def film_detail_queryset() -> QuerySet[Movie]:
    """Films with what FilmDetailSerializer shows, and only that.

    Of the credits, the top-billed cast and the first directors, and how many directors there are:
    every credit was loaded to show those, and a film with 1,000 credits took three times as long
    as one with a few.
    """
    credits = Credit.objects.select_related("person").order_by("order", "id")
    directing = Credit.objects.filter(director_q(prefix=""), movie=OuterRef("pk"))
    directors_count = directing.order_by().values("movie").annotate(count=Count("id")).values("count")
    return (
        Movie.objects.select_related("collection")
        .annotate(directors_count=Coalesce(Subquery(directors_count), 0))
        .prefetch_related(
            "genres",
            Prefetch("credits", queryset=credits.filter(kind=Credit.Kind.CAST)[:CAST_SHOWN], to_attr="cast_shown"),
            Prefetch(
                "credits",
                queryset=credits.filter(director_q(prefix=""))[:DIRECTORS_SHOWN],
                to_attr="directors_shown",
            ),
            Prefetch("streaming_titles", queryset=StreamingTitle.objects.select_related("platform")),
        )
    )


@dataclass(frozen=True)
class CreditsShown:
    credits: list[Credit]  # the first ones, in person_credits' order
    count: int  # all of them


def person_credits_first(*, person: Person, limit: int) -> dict[str, CreditsShown]:
    """The first `limit` credits of each kind and how many there are, in at most three queries.

    The API's person answer shows these and links to the rest: every credit made that answer
    1.4 MB and 1.8 s for a person credited on 13,338 films.
    """
    counts = dict(Credit.objects.filter(person=person).order_by().values_list("kind").annotate(credits=Count("id")))
    return {
        kind: CreditsShown(
            credits=list(person_credits(person=person, kind=kind)[:limit]) if counts.get(kind) else [],
            count=counts.get(kind, 0),
        )
        for kind in Credit.Kind.values
    }


def onboarding_candidates(*, limit: int = 24, exclude: Collection[int] = ()) -> list[Movie]:
    """Well-known films spread across genres, for a new user to rate.

    Takes the most rated / popular films, then deals them out genre by genre
    (each genre's best-known film first), so the set is not all one genre.
    Works on ids and genre ids, then loads only the chosen films.
    """
    pool = list(
        Movie.objects.recommendable()
        .exclude(pk__in=list(exclude))
        .order_by("-ratings_count", "-vote_count", "-popularity", "id")
        .values_list("id", flat=True)[:ONBOARDING_POOL]
    )
    genres_of: dict[int, list[int]] = {movie_id: [] for movie_id in pool}
    for movie_id, genre_id in Movie.genres.through.objects.filter(movie_id__in=pool).values_list(
        "movie_id", "genre_id"
    ):
        genres_of[movie_id].append(genre_id)
    # Each film joins the queue of its least represented genre so far, so
    # rarer genres (Western, Film-Noir) get a film of their own.
    queues: dict[int, list[int]] = {}
    for movie_id in pool:
        genre_ids = sorted(genres_of[movie_id]) or [0]
        genre_id = min(genre_ids, key=lambda candidate: len(queues.get(candidate, ())))
        queues.setdefault(genre_id, []).append(movie_id)
    chosen: list[int] = []
    while len(chosen) < limit and any(queues.values()):
        for queue in queues.values():
            if queue:
                chosen.append(queue.pop(0))
                if len(chosen) == limit:
                    break
    return movie_cards(movie_ids=chosen)


@dataclass(frozen=True)
class MovieCard:
    movie: Movie
    reason: str = ""


def movie_cards_ranked(*, ranking: Sequence[tuple[int, str]]) -> list[MovieCard]:
    """Cards for a ranking of (movie id, reason) pairs, e.g. recommendations, in its order (two queries)."""
    reasons = dict(ranking)
    return [
        MovieCard(movie=movie, reason=reasons[movie.pk]) for movie in movie_cards(movie_ids=[pk for pk, _ in ranking])
    ]


def platform_ids_for_user(*, user: User | AnonymousUser) -> list[int]:
    """The streaming platforms on the user's profile (none for anonymous users)."""
    if not user.is_authenticated:
        return []
    return list(Platform.objects.filter(subscribers__user=user).values_list("id", flat=True))


SUGGESTION_MIN_SIMILARITY = 0.3
# difflib.get_close_matches' default cutoff, for the SQLite path.
SUGGESTION_MIN_RATIO = 0.6


def movie_title_suggestions(*, query: str, limit: int = 5) -> list[Movie]:
    """Films with a title or original title close to a search that found nothing ("amelei" -> "Amélie",
    "laberinto del fuano" -> "Pan's Labyrinth", whose original title is "El laberinto del fauno").

    PostgreSQL: pg_trgm word similarity on the normalised title, which matches
    the query against any run of words ("godfater" -> "The Godfather"), found
    through the title's trigram index: pg_trgm's `%>` operator with the threshold set
    for this transaction. Comparing word_similarity() itself read every film:
    at 45,000 generated titles (a small vocabulary, so many near matches) a
    suggestion took 100-125 ms that way and 23-42 ms through the index, and
    82 ms against 1.6 ms for a search nothing resembles.
    SQLite: difflib over the titles with a word starting with the query's first
    letter, each compared at every word start (see `_title_similarity`).
    """
    needle = title_key(query)
    if len(needle) < 3:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramWordSimilar
        from django.contrib.postgres.search import TrigramWordSimilarity

        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)", [str(SUGGESTION_MIN_SIMILARITY)]
            )
            return list(
                Movie.objects.filter(
                    TrigramWordSimilar(F("title_search"), needle)
                    | TrigramWordSimilar(F("original_title_search"), needle)
                )
                .annotate(
                    similarity=Greatest(
                        TrigramWordSimilarity(needle, "title_search"),
                        TrigramWordSimilarity(needle, "original_title_search"),
                    )
                )
                .order_by("-similarity", "-popularity", "id")
                .prefetch_related("genres")[:limit]
            )
    initial = needle[0]
    rows = Movie.objects.filter(
        Q(title_search__startswith=initial)
        | Q(title_search__contains=f" {initial}")
        | Q(original_title_search__startswith=initial)
        | Q(original_title_search__contains=f" {initial}")
    ).values_list("title_search", "original_title_search", "id", "popularity")
    scored = [
        (max(_title_similarity(needle, title), _title_similarity(needle, original)), popularity or 0.0, pk)
        for title, original, pk, popularity in rows
    ]
    close = sorted(
        (row for row in scored if row[0] >= SUGGESTION_MIN_RATIO), key=lambda row: (-row[0], -row[1], row[2])
    )
    return movie_cards(movie_ids=[pk for _score, _popularity, pk in close[:limit]])


def _title_similarity(needle: str, title: str) -> float:
    """How close a search is to a title, at its best word start.

    The whole title, and every run of as many words as the search starting at
    each word, so a leading article ("the godfather") or a longer title
    ("godfather part ii") does not hide a close match.
    """
    words = title.split()
    width = len(needle.split())
    candidates = {title, *(" ".join(words[start : start + width]) for start in range(len(words)))}
    return max(difflib.SequenceMatcher(None, needle, candidate).ratio() for candidate in candidates)


def movie_credits_first(*, movie: Movie, limit: int) -> tuple[list[Credit], int]:
    """A film's first `limit` credits in billing order (cast, then crew) with their people, and how many it has."""
    credits = Credit.objects.filter(movie=movie).order_by("kind", "order", "id")
    return list(credits.select_related("person")[:limit]), credits.count()


# A name search matches part of a name from this many characters on (PostgreSQL's
# trigram indexes serve `contains` only from three), and keeps the best-known matches.
NAME_PART_MIN_LENGTH = 3
NAME_MATCHES_LIMIT = 200


def people_named_like(name: str) -> QuerySet[Person]:
    """People whose name is `name` or, from three characters, holds it (accents and case aside):
    the NAME_MATCHES_LIMIT with the most films, looked up through the name's indexes."""
    return _best_known_matching(Person.objects.all(), "name_search", normalize_title(name), best_first="-films_count")


def films_titled_like(title: str) -> QuerySet[Movie]:
    """Films whose title is `title` or, from three characters, holds it (accents and case aside):
    the NAME_MATCHES_LIMIT with the most votes, looked up through the title's indexes."""
    return _best_known_matching(Movie.objects.all(), "title_search", title_key(title), best_first="-vote_count")


def _best_known_matching(rows: QuerySet[Any], search_field: str, needle: str, *, best_first: str) -> QuerySet[Any]:
    if len(needle) < NAME_PART_MIN_LENGTH:
        return rows.filter(**{search_field: needle})
    matches = rows.filter(**{f"{search_field}__contains": needle}).order_by(best_first, "id")
    return rows.filter(pk__in=matches.values("pk")[:NAME_MATCHES_LIMIT])


def credits_of_name(*, credits: QuerySet[Credit], name: str) -> QuerySet[Credit]:
    """The credits of the people and films named like `name` (people_named_like, films_titled_like).

    Both ids are looked up first through the indexed search keys, so the credits come from
    their person and film indexes: a join with an OR across both tables read every credit.
    """
    person_ids = list(people_named_like(name).values_list("id", flat=True))
    movie_ids = list(films_titled_like(name).values_list("id", flat=True))
    return credits.filter(Q(person_id__in=person_ids) | Q(movie_id__in=movie_ids))


class DuplicateReason(IntegerChoices):
    """Why two films may be one, strongest first (the values order the list)."""

    SAME_IMDB_ID = 1, _("same IMDb id")
    SAME_TITLE_SAME_YEAR = 2, _("same title, same year")
    ORIGINAL_TITLE_SAME_YEAR = 3, _("one's original title is the other's title, same year")
    SAME_TITLE_YEAR_APART = 4, _("same title, a year apart")
    ORIGINAL_TITLE_YEAR_APART = 5, _("one's original title is the other's title, a year apart")


@dataclass(frozen=True)
class PossibleDuplicate:
    first_id: int  # the lower id
    second_id: int
    reason: DuplicateReason


def film_possible_duplicates() -> list[PossibleDuplicate]:
    """Pairs of films that may be one film, strongest reason first, leaving out pairs curators said differ.

    The same IMDb id is certain. Otherwise the same title key (`title_search`, or
    one's `original_title_search` against the other's `title_search`) with
    release years equal or one apart (the datasets disagree by a year on some
    films), unless both films have TMDB ids and different IMDb ids (two
    films of one name: remakes, namesakes), or both have directors and
    none in common. One statement: the self-joins go through the title and
    IMDb indexes, so the whole catalog is read once, never pair by pair.
    """
    movie, credit, person = quoted_table(Movie), quoted_table(Credit), quoted_table(Person)
    dismissed = quoted_table(DistinctFilmPair)
    # Two films known to TMDB and to IMDb under different ids are two films, whatever their titles.
    both_identified_apart = (
        "a.tmdb_id IS NOT NULL AND b.tmdb_id IS NOT NULL AND a.imdb_id <> '' AND b.imdb_id <> ''"
        " AND a.imdb_id <> b.imdb_id"
    )

    def same_title(key: str, years_later: int, reason: DuplicateReason) -> str:
        """Films `b` titled as film `a`'s `key`, released `years_later` than it.

        Equal keys and years make the join a hash join: a range of years made
        PostgreSQL walk every film of a common title for each film.
        """
        each_pair_once = "AND b.id > a.id" if key == "title_search" and years_later == 0 else ""
        other_title = "AND a.original_title_search <> a.title_search" if key == "original_title_search" else ""
        return f"""
            SELECT CASE WHEN a.id < b.id THEN a.id ELSE b.id END, CASE WHEN a.id < b.id THEN b.id ELSE a.id END,
                {reason.value}
            FROM {movie} a JOIN {movie} b
                ON b.title_search = a.{key} AND b.release_year = a.release_year + {years_later} {each_pair_once}
            WHERE a.{key} <> '' {other_title} AND b.id <> a.id AND NOT ({both_identified_apart})
        """  # noqa: S608 - names from the models

    def directing(movie_id: str) -> str:
        return f"SELECT 1 FROM {credit} c WHERE c.movie_id = {movie_id} AND c.kind = %s AND c.job = %s"  # noqa: S608

    sql = f"""
        WITH pairs AS (
            SELECT a.id AS first_id, b.id AS second_id, {DuplicateReason.SAME_IMDB_ID.value} AS reason
            FROM {movie} a JOIN {movie} b ON b.imdb_id = a.imdb_id AND b.id > a.id
            WHERE a.imdb_id <> '' AND b.imdb_id <> ''
            UNION ALL {same_title("title_search", 0, DuplicateReason.SAME_TITLE_SAME_YEAR)}
            UNION ALL {same_title("title_search", 1, DuplicateReason.SAME_TITLE_YEAR_APART)}
            UNION ALL {same_title("original_title_search", 0, DuplicateReason.ORIGINAL_TITLE_SAME_YEAR)}
            UNION ALL {same_title("original_title_search", 1, DuplicateReason.ORIGINAL_TITLE_YEAR_APART)}
            UNION ALL {same_title("original_title_search", -1, DuplicateReason.ORIGINAL_TITLE_YEAR_APART)}
        ),
        strongest AS (
            SELECT first_id, second_id, MIN(reason) AS reason FROM pairs GROUP BY first_id, second_id
        )
        SELECT s.first_id, s.second_id, s.reason FROM strongest s
        WHERE NOT EXISTS (
            SELECT 1 FROM {dismissed} d WHERE d.first_movie_id = s.first_id AND d.second_movie_id = s.second_id
        )
        AND (
            s.reason = {DuplicateReason.SAME_IMDB_ID.value}
            OR NOT EXISTS ({directing("s.first_id")})
            OR NOT EXISTS ({directing("s.second_id")})
            OR EXISTS (
                SELECT 1 FROM {credit} c1 JOIN {person} p1 ON p1.id = c1.person_id,
                    {credit} c2 JOIN {person} p2 ON p2.id = c2.person_id
                WHERE c1.movie_id = s.first_id AND c1.kind = %s AND c1.job = %s
                    AND c2.movie_id = s.second_id AND c2.kind = %s AND c2.job = %s
                    AND (c1.person_id = c2.person_id OR p1.name_search = p2.name_search)
            )
        )
        ORDER BY s.reason, s.first_id, s.second_id
    """  # noqa: S608 - names from the models, values as parameters
    director_credit = [Credit.Kind.CREW.value, DIRECTOR_JOB]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner prices the self-joins far above their real work, and compiling the
            # statement for JIT then took 5 to 7 s of the 6 to 8 s it ran on 47,000 films.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, director_credit * 4)
        rows = cursor.fetchall()
    return [PossibleDuplicate(first, second, DuplicateReason(reason)) for first, second, reason in rows]


def films_of_pairs(*, pairs: Sequence[PossibleDuplicate]) -> dict[int, Movie]:
    """The films of these pairs by id, with what the possible-duplicates list shows of them."""
    ids = {pk for pair in pairs for pk in (pair.first_id, pair.second_id)}
    shown = ["title", "release_year", "tmdb_id", "imdb_id", "movielens_id", "ratings_count", "vote_count"]
    return Movie.objects.only(*shown).in_bulk(ids)


def streaming_match_counts() -> dict[str, int]:
    """Streaming films: how many, how many matched to a film, how many refused one because directors differ."""
    return StreamingTitle.objects.filter(kind=StreamingTitle.Kind.MOVIE).aggregate(
        films=Count("pk"), matched=Count("movie"), directors_differ=Count("pk", filter=Q(directors_differ=True))
    )
