"""The company's catalog questions, as read-only selectors.

Every function takes plain values (already parsed by the API), reads the
catalog and returns small dataclasses. Lookups by title or name are accent-
and case-insensitive (`title_key`, `normalize_title`); a name that matches nothing raises
`NotFoundError`, one that matches several things raises `AmbiguousError`
carrying the candidates, so callers can answer "which one?" instead of
guessing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import formats
from django.utils.translation import gettext as _

from catalog.models import Credit, Movie, Person, Platform, StreamingTitle
from catalog.text import normalize_title, title_key

# Vote figures are only meaningful with enough voters (the company's rule).
MIN_VOTES_FOR_AVERAGE = 2000
SIMILAR_TITLES = 5
DIRECTOR_JOB = "Director"


class AnalyticsError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFoundError(AnalyticsError):
    """No film, person or platform answers to the name given."""


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    year: int | None = None
    films: int | None = None


class AmbiguousError(AnalyticsError):
    """Several films or people answer to the name given."""

    def __init__(self, message: str, candidates: list[Candidate]) -> None:
        super().__init__(message)
        self.candidates = candidates


# --- Release dates ---------------------------------------------------------
def films_released_in_month(*, month: int) -> int:
    return Movie.objects.filter(release_date__month=month).count()


def films_released_on_weekday(*, iso_weekday: int) -> int:
    """Films whose release date fell on this ISO weekday (1 = Monday)."""
    return Movie.objects.filter(release_date__iso_week_day=iso_weekday).count()


# An ambiguous name answers with this many candidates; its message counts them all.
CANDIDATES_SHOWN = 50


# --- One title ---------------------------------------------------------------
def movie_by_title(*, title: str = "", year: int | None = None, movie_id: int | None = None) -> Movie:
    """The film with this id when one is given, else the one film with this title (and year, when given)."""
    if movie_id is not None:
        movie = Movie.objects.filter(pk=movie_id).first()
        if movie is None:
            raise NotFoundError(_("No film has the id %(id)s.") % {"id": movie_id})
        return movie
    key = title_key(title)
    if not key:
        raise NotFoundError(_("Give a title to look for."))
    # The title first; else the original title ("El laberinto del fauno" is TMDB's "Pan's Labyrinth").
    for key_field in ("title_search", "original_title_search"):
        movies = Movie.objects.filter(**{key_field: key})
        if year is not None:
            movies = movies.filter(release_year=year)
        found = list(movies.order_by(F("release_year").asc(nulls_last=True), "id")[:CANDIDATES_SHOWN])
        if found:
            break
    if not found:
        if year is not None:
            raise NotFoundError(_("No film titled “%(title)s” released in %(year)s.") % {"title": title, "year": year})
        raise NotFoundError(_("No film titled “%(title)s”.") % {"title": title})
    if len(found) > 1:
        count = movies.count() if len(found) == CANDIDATES_SHOWN else len(found)
        names = {"count": count, "title": title, "year": year}
        if year is None:
            message = _("%(count)s films are titled “%(title)s”: add the year, or give the id of one, to choose.")
        else:
            message = _("%(count)s films titled “%(title)s” were released in %(year)s: give the id of one to choose.")
        raise AmbiguousError(
            message % names,
            [Candidate(id=movie.pk, name=movie.title, year=movie.release_year) for movie in found],
        )
    return found[0]


@dataclass(frozen=True)
class TitleVotes:
    movie: Movie
    enough_votes: bool
    vote_count: int | None
    vote_average: float | None
    message: str


def title_votes(*, movie: Movie) -> TitleVotes:
    """Vote count and average, given only when at least MIN_VOTES_FOR_AVERAGE people voted."""
    if movie.vote_count >= MIN_VOTES_FOR_AVERAGE:
        figures = {
            "title": movie.title,
            "year": movie.release_year,
            # 5,415 votes with an average of 7.7 in English; 5 415 votos con una media de 7,7 in Spanish.
            "count": formats.number_format(movie.vote_count, use_l10n=True, force_grouping=True),
            "average": formats.localize(movie.vote_average),
        }
        if movie.release_year is None:
            message = _("“%(title)s” has %(count)s votes with an average of %(average)s.") % figures
        else:
            message = _("“%(title)s” (%(year)s) has %(count)s votes with an average of %(average)s.") % figures
        return TitleVotes(
            movie=movie,
            enough_votes=True,
            vote_count=movie.vote_count,
            vote_average=movie.vote_average,
            message=message,
        )
    if movie.vote_count == 0:
        message = _("There is no TMDB vote data for “%(title)s”.") % {"title": movie.title}
    else:
        message = _("“%(title)s” has fewer than %(minimum)s votes, so its vote figures are not given.") % {
            "title": movie.title,
            "minimum": MIN_VOTES_FOR_AVERAGE,
        }
    return TitleVotes(movie=movie, enough_votes=False, vote_count=None, vote_average=None, message=message)


# --- People ------------------------------------------------------------------
def _people_credited(*, name: str, credits: Q, role: str) -> Person:
    """The one person with this name who has credits of the given kind."""
    key = normalize_title(name)
    if not key:
        raise NotFoundError(_("Give a name to look for."))
    credited = (
        Person.objects.filter(name_search=key)
        .annotate(films=Count("credits__movie", filter=credits, distinct=True))
        .filter(films__gt=0)
    )
    people = list(credited.order_by("-films", "id")[:CANDIDATES_SHOWN])
    if not people:
        raise NotFoundError(_("No %(role)s called “%(name)s”.") % {"role": role, "name": name})
    if len(people) > 1:
        raise AmbiguousError(
            _("%(count)s people called “%(name)s” have worked as %(role)s: see each one at /api/v1/people/{id}/.")
            % {
                "count": credited.count() if len(people) == CANDIDATES_SHOWN else len(people),
                "name": name,
                "role": role,
            },
            [Candidate(id=person.pk, name=person.name, films=person.films) for person in people],
        )
    return people[0]


def _cast_q(prefix: str = "credits__") -> Q:
    return Q(**{f"{prefix}kind": Credit.Kind.CAST})


def director_q(prefix: str = "credits__") -> Q:
    """Directing credits: of a film's credits (`prefix=""` on Credit itself) or, by default, across its credits."""
    return Q(**{f"{prefix}kind": Credit.Kind.CREW, f"{prefix}job": DIRECTOR_JOB})


def actor_by_name(*, name: str) -> Person:
    return _people_credited(name=name, credits=_cast_q(), role=_("actor"))


def director_by_name(*, name: str) -> Person:
    return _people_credited(name=name, credits=director_q(), role=_("director"))


@dataclass(frozen=True)
class ActorFigures:
    person: Person
    films_count: int
    total_return: float
    # Over every film, as the company defines it (return 0 where the budget is unknown).
    average_return: float
    # The same average over only the films with a known budget.
    films_with_known_budget: int
    average_return_known_budget: float
    # Over only the films whose return is known: TMDB writes 0 for an unknown revenue as
    # for an unknown budget, so a film with a budget but no revenue has no return either.
    films_with_known_return: int
    average_known_return: float | None  # None, not 0, when no film's return is known


def _films_of(person: Person, credits: Q) -> QuerySet[Movie]:
    return Movie.objects.filter(pk__in=Credit.objects.filter(credits, person=person).values("movie_id"))


def actor_figures(*, person: Person) -> ActorFigures:
    """Summed by the database: a person credited on thousands of films costs one row, not thousands."""
    known_budget = Q(budget__gt=0)
    known_return = Q(budget__gt=0, revenue__gt=0)
    figures = _films_of(person, _cast_q(prefix="")).aggregate(
        films=Count("id"),
        total=Sum("return_ratio", default=0.0),
        known=Count("id", filter=known_budget),
        known_total=Sum("return_ratio", filter=known_budget, default=0.0),
        known_return=Count("id", filter=known_return),
        known_return_total=Sum("return_ratio", filter=known_return, default=0.0),
    )
    films, total = figures["films"], float(figures["total"])
    known, known_return_count = figures["known"], figures["known_return"]
    return ActorFigures(
        person=person,
        films_count=films,
        total_return=total,
        average_return=total / films if films else 0.0,
        films_with_known_budget=known,
        average_return_known_budget=float(figures["known_total"]) / known if known else 0.0,
        films_with_known_return=known_return_count,
        average_known_return=(
            float(figures["known_return_total"]) / known_return_count if known_return_count else None
        ),
    )


@dataclass(frozen=True)
class DirectedFilm:
    movie_id: int
    title: str
    release_date: dt.date | None
    return_ratio: float
    budget: int
    revenue: int


@dataclass(frozen=True)
class DirectorTotals:
    films_count: int
    total_return: float


def director_totals(*, person: Person) -> DirectorTotals:
    """How many films the person directed and their summed return, added up by the database."""
    figures = _films_of(person, director_q(prefix="")).aggregate(
        films=Count("id"), total=Sum("return_ratio", default=0.0)
    )
    return DirectorTotals(films_count=figures["films"], total_return=float(figures["total"]))


# A director's answer lists this many films unless the caller asks for more, up to DIRECTOR_FILMS_MAX:
# every film would make the answer grow without bound (a generated person had 13,338).
DIRECTOR_FILMS_DEFAULT = 100
DIRECTOR_FILMS_MAX = 500


@dataclass(frozen=True)
class DirectorFigures:
    person: Person
    total_return: float  # over every film directed, not only those listed
    films_count: int  # every film directed; `films` holds the first `limit` of them
    films: list[DirectedFilm] = field(default_factory=list)


def director_figures(*, person: Person, limit: int = DIRECTOR_FILMS_DEFAULT) -> DirectorFigures:
    """The totals over every film directed, and the first `limit` films by release date (undated last)."""
    movies = _films_of(person, director_q(prefix="")).order_by(F("release_date").asc(nulls_last=True), "id")
    films = [
        DirectedFilm(
            movie_id=movie.pk,
            title=movie.title,
            release_date=movie.release_date,
            return_ratio=movie.return_ratio,
            budget=movie.budget,
            revenue=movie.revenue,
        )
        for movie in movies[:limit]
    ]
    if len(films) < limit:
        # Every film is listed: the totals need no second query.
        totals = DirectorTotals(films_count=len(films), total_return=float(sum(film.return_ratio for film in films)))
    else:
        totals = director_totals(person=person)
    return DirectorFigures(person=person, total_return=totals.total_return, films_count=totals.films_count, films=films)


# --- Streaming ---------------------------------------------------------------
DURATION_UNITS = {
    "min": StreamingTitle.DurationUnit.MINUTES,
    "mins": StreamingTitle.DurationUnit.MINUTES,
    "minute": StreamingTitle.DurationUnit.MINUTES,
    "minutes": StreamingTitle.DurationUnit.MINUTES,
    "minuto": StreamingTitle.DurationUnit.MINUTES,
    "minutos": StreamingTitle.DurationUnit.MINUTES,
    "season": StreamingTitle.DurationUnit.SEASONS,
    "seasons": StreamingTitle.DurationUnit.SEASONS,
    "temporada": StreamingTitle.DurationUnit.SEASONS,
    "temporadas": StreamingTitle.DurationUnit.SEASONS,
}


def duration_unit(value: str) -> str | None:
    """The stored unit for `min`, `minutes`, `minutos`, `season`, `temporadas`...; None if unknown."""
    return DURATION_UNITS.get(normalize_title(value))


def platform_by_name(*, name: str) -> Platform:
    """A platform by slug, name, or its name's first word or the rest of it (`netflix`, `Disney+`, `amazon`,
    `prime video`, `prime`)."""
    key = normalize_title(name).replace("_", " ").replace("-", " ")
    for platform in Platform.objects.all():
        first_word, _space, rest = normalize_title(platform.name).partition(" ")
        names = {
            normalize_title(platform.slug).replace("_", " "),
            normalize_title(platform.name),
            normalize_title(platform.name).rstrip("+").strip(),
            first_word.rstrip("+"),
            # "Amazon Prime Video" is as often called Prime Video, or Prime.
            rest,
            rest.split(" ")[0],
        } - {""}
        if key and key in names:
            return platform
    known = ", ".join(Platform.objects.order_by("slug").values_list("slug", flat=True)) or "-"
    raise NotFoundError(
        _("No platform called “%(name)s”. Known platforms: %(known)s.") % {"name": name, "known": known}
    )


# The longest title's answer names at most this many of the titles just as long: in a year of
# one-season shows every show ties, and the answer would grow with the catalog.
TIED_TITLES_SHOWN = 50


@dataclass(frozen=True)
class LongestTitle:
    title: StreamingTitle
    # The first TIED_TITLES_SHOWN other titles just as long, by title: a tie is part of the answer, not hidden by it.
    tied_with: list[str]
    tied_count: int  # all of them


def streaming_longest(*, platform: Platform, year: int, unit: str) -> LongestTitle:
    """The title with the longest duration in this unit, released in this year, on this platform."""
    titles = StreamingTitle.objects.filter(
        platform=platform, release_year=year, duration_unit=unit, duration_value__isnull=False
    )
    longest = titles.order_by("-duration_value", "title_search", "id").first()
    if longest is None:
        raise NotFoundError(
            _("%(platform)s has no title from %(year)s with a duration in %(unit)s.")
            % {"platform": platform.name, "year": year, "unit": StreamingTitle.DurationUnit(unit).label}
        )
    ties = titles.filter(duration_value=longest.duration_value).exclude(pk=longest.pk)
    tied_with = list(ties.order_by("title_search", "id").values_list("title", flat=True)[:TIED_TITLES_SHOWN])
    tied_count = ties.count() if len(tied_with) == TIED_TITLES_SHOWN else len(tied_with)
    return LongestTitle(title=longest, tied_with=tied_with, tied_count=tied_count)


def streaming_title_count(*, platform: Platform, kind: str | None = None) -> int:
    titles = StreamingTitle.objects.filter(platform=platform)
    if kind:
        titles = titles.filter(kind=kind)
    return titles.count()


def streaming_films_rated_above(*, platform: Platform, year: int, threshold: float) -> int:
    """Films on the platform, released in the year, whose moviesite average rating is above the threshold."""
    return (
        StreamingTitle.objects.filter(
            platform=platform,
            kind=StreamingTitle.Kind.MOVIE,
            release_year=year,
            movie__isnull=False,
            movie__ratings_count__gt=0,
            movie__ratings_average__gt=threshold,
        )
        .values("movie_id")
        .distinct()
        .count()
    )


@dataclass(frozen=True)
class TopActor:
    name: str | None
    appearances: int
    titles_with_cast: int
    # The platform's titles of that year, with or without a cast list.
    titles: int = 0
    # Other names that appear as often as `name`: a tie is part of the answer, not hidden by it.
    tied_with: int = 0


def streaming_top_actor(*, platform: Platform, year: int) -> TopActor:
    """The name that appears most in the cast lists of the platform's titles of that year.

    Cast lists are comma-separated; names are trimmed and compared without case
    or accents (the catalogs write "Sergi López" and "Sergi Lopez", once both in
    one title), and the answer is the spelling used most. A tie goes to the name
    first in alphabetical order, so the answer is stable, and `tied_with` says
    how many other names share it.
    """
    titles_of_year = StreamingTitle.objects.filter(platform=platform, release_year=year)
    counter: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    titles_with_cast = 0
    for cast in titles_of_year.exclude(cast="").values_list("cast", flat=True).iterator():
        written = [(normalize_title(name), name.strip()) for name in cast.split(",")]
        keys = {key for key, _name in written if key}
        if keys:
            titles_with_cast += 1
            counter.update(keys)
            for key, name in written:
                if key:
                    spellings.setdefault(key, Counter())[name] += 1
    titles = titles_of_year.count()
    if not counter:
        return TopActor(name=None, appearances=0, titles_with_cast=0, titles=titles)
    key, appearances = min(counter.items(), key=lambda item: (-item[1], item[0]))
    name = min(spellings[key].items(), key=lambda item: (-item[1], item[0]))[0]
    tied_with = sum(1 for count in counter.values() if count == appearances) - 1
    return TopActor(
        name=name, appearances=appearances, titles_with_cast=titles_with_cast, titles=titles, tied_with=tied_with
    )
