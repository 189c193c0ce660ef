"""The company's analytics questions, public and read-only (/api/v1/analytics/...).

Each view parses its parameters, asks one selector in catalog.analytics and
serializes the answer. Unknown names answer 404 and ambiguous titles 300 with
the candidates (see catalog.api.common.analytics_error_response).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import analytics
from catalog.api.common import (
    AMBIGUOUS,
    BAD_REQUEST,
    FILM_MERGED,
    FILM_MERGED_LOCATION,
    NOT_FOUND,
    StreamingKindField,
    analytics_error_response,
    merged_film_in_query_response,
    validated,
)
from catalog.api.films import MAX_YEAR, MIN_YEAR
from catalog.calendar_names import UnknownNameError, month_number, weekday_number
from catalog.models import Movie
from catalog.serializers import POPULARITY_HELP, ActorFiguresSerializer
from catalog.text import normalize_title, title_key
from ratings.models import MAX_SCORE
from recommender.serializers import RecommendedFilmSerializer, recommended_films_data
from recommender.serving import similar_movies

TAG = "analytics"


class AnalyticsApi(APIView):
    permission_classes = [permissions.AllowAny]


# --- Release dates -----------------------------------------------------------
class MonthParamsSerializer(serializers.Serializer):
    month = serializers.CharField(
        max_length=20, help_text="Month name in Spanish or English, any case, accents optional (`septiembre`), or 1-12."
    )

    def validate_month(self, value: str) -> int:
        try:
            return month_number(value)
        except UnknownNameError as error:
            raise serializers.ValidationError(_("“%(value)s” is not a month.") % {"value": value}) from error


class MonthCountSerializer(serializers.Serializer):
    month = serializers.IntegerField(help_text="1 = January.")
    films = serializers.IntegerField(help_text="Films in the catalog released in that month, any year.")


class FilmsByMonthApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="Films released in a month",
        description="How many films in the catalog were released in the given month (of any year).",
        parameters=[MonthParamsSerializer],
        responses={200: MonthCountSerializer, 400: BAD_REQUEST},
        examples=[OpenApiExample("September", value={"month": 9, "films": 4302}, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        month = validated(MonthParamsSerializer, request.query_params)["month"]
        return Response({"month": month, "films": analytics.films_released_in_month(month=month)})


class WeekdayParamsSerializer(serializers.Serializer):
    day = serializers.CharField(
        max_length=20,
        help_text=(
            "Day name or its three-letter abbreviation in Spanish or English, any case, accents optional "
            "(`miércoles`, `miercoles`, `mié`, `Wednesday`, `wed`)."
        ),
    )

    def validate_day(self, value: str) -> int:
        try:
            return weekday_number(value)
        except UnknownNameError as error:
            raise serializers.ValidationError(_("“%(value)s” is not a day of the week.") % {"value": value}) from error


class WeekdayCountSerializer(serializers.Serializer):
    day = serializers.IntegerField(help_text="ISO weekday: 1 = Monday ... 7 = Sunday.")
    films = serializers.IntegerField(help_text="Films in the catalog released on that day of the week.")


class FilmsByWeekdayApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="Films released on a day of the week",
        description="How many films in the catalog were released on the given day of the week.",
        parameters=[WeekdayParamsSerializer],
        responses={200: WeekdayCountSerializer, 400: BAD_REQUEST},
        examples=[OpenApiExample("Wednesday", value={"day": 3, "films": 7033}, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        day = validated(WeekdayParamsSerializer, request.query_params)["day"]
        return Response({"day": day, "films": analytics.films_released_on_weekday(iso_weekday=day)})


# --- One title ---------------------------------------------------------------
class TitleParamsSerializer(serializers.Serializer):
    title = serializers.CharField(
        max_length=500, required=False, help_text="The film's title; accents and case ignored. Required without `id`."
    )
    year = serializers.IntegerField(
        required=False, min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="Release year, to choose among namesakes."
    )
    id = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text=(
            "The film's id (a 300 answer lists each candidate's): picks that film; `title` and `year` are then "
            "not needed, and ignored. The id of a film merged into another answers 301 to `id=` the film kept."
        ),
    )

    def validate_title(self, value: str) -> str:
        # CharField trims white space, not zero-width characters or punctuation: "\u200b" or "?" alone is no title.
        if not title_key(value):
            raise serializers.ValidationError(_("Give a title to look for."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "id" not in attrs and "title" not in attrs:
            raise serializers.ValidationError({"title": [_("Give a title, or the film's id.")]})
        return attrs


def _title_answer(request: Request, answer: Callable[[Movie], Any]) -> Response:
    """The answer about the film asked for; `id=` naming a film merged into another is a 301 to `id=` the kept one."""
    params = validated(TitleParamsSerializer, request.query_params)
    try:
        movie = analytics.movie_by_title(
            title=params.get("title", ""), year=params.get("year"), movie_id=params.get("id")
        )
    except analytics.NotFoundError as error:
        merged = params.get("id")
        redirect = merged_film_in_query_response(request, merged=merged) if merged is not None else None
        return redirect or analytics_error_response(error)
    except analytics.AnalyticsError as error:
        return analytics_error_response(error)
    return Response(answer(movie))


class TitlePopularitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    release_year = serializers.IntegerField(allow_null=True)
    popularity = serializers.FloatField(help_text=POPULARITY_HELP)


class TitlePopularityApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="A title's release year and popularity",
        description=(
            "`popularity` is TMDB's score where the film has TMDB data, otherwise its number of ratings in "
            "moviesite: the two are different scales."
        ),
        parameters=[TitleParamsSerializer, FILM_MERGED_LOCATION],
        responses={200: TitlePopularitySerializer, 300: AMBIGUOUS, 301: FILM_MERGED, 400: BAD_REQUEST, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "Toy Story",
                value={"id": 1, "title": "Toy Story", "release_year": 1995, "popularity": 21.946943},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return _title_answer(request, lambda movie: TitlePopularitySerializer(movie).data)


class TitleVotesSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="movie.id")
    title = serializers.CharField(source="movie.title")
    release_year = serializers.IntegerField(source="movie.release_year", allow_null=True)
    enough_votes = serializers.BooleanField(help_text=f"At least {analytics.MIN_VOTES_FOR_AVERAGE} votes.")
    vote_count = serializers.IntegerField(allow_null=True, help_text="Given only with enough votes.")
    vote_average = serializers.FloatField(allow_null=True, help_text="Given only with enough votes.")
    message = serializers.CharField()


class TitleVotesApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="A title's vote count and average",
        description=(
            f"Given only when the film has at least {analytics.MIN_VOTES_FOR_AVERAGE} votes; otherwise "
            "`enough_votes` is false, the figures are null and `message` says why."
        ),
        parameters=[TitleParamsSerializer, FILM_MERGED_LOCATION],
        responses={200: TitleVotesSerializer, 300: AMBIGUOUS, 301: FILM_MERGED, 400: BAD_REQUEST, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "Too few votes",
                value={
                    "id": 7,
                    "title": "Sabrina",
                    "release_year": 1995,
                    "enough_votes": False,
                    "vote_count": None,
                    "vote_average": None,
                    "message": "“Sabrina” has fewer than 2000 votes, so its vote figures are not given.",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return _title_answer(request, lambda movie: TitleVotesSerializer(analytics.title_votes(movie=movie)).data)


def _five_similar_films(movie: Movie) -> Any:
    return recommended_films_data(similar_movies(movie_id=movie.pk, limit=analytics.SIMILAR_TITLES))


class SimilarTitlesApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="Five films similar to a title",
        description="The five nearest films by content (genres, keywords, cast, director, collection, overview).",
        parameters=[TitleParamsSerializer, FILM_MERGED_LOCATION],
        responses={
            200: RecommendedFilmSerializer(many=True),
            300: AMBIGUOUS,
            301: FILM_MERGED,
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request) -> Response:
        return _title_answer(request, _five_similar_films)


# --- People ------------------------------------------------------------------
class NameParamsSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, help_text="The person's name; accents and case ignored.")

    def validate_name(self, value: str) -> str:
        if not normalize_title(value):
            raise serializers.ValidationError(_("Give a name to look for."))
        return value


class ActorAnswerSerializer(ActorFiguresSerializer):
    id = serializers.IntegerField(source="person.id")
    name = serializers.CharField(source="person.name")


class ActorApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="An actor's films and return",
        description="Number of films the actor is credited in, their total return and average return per film.",
        parameters=[NameParamsSerializer],
        responses={200: ActorAnswerSerializer, 300: AMBIGUOUS, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        name = validated(NameParamsSerializer, request.query_params)["name"]
        try:
            person = analytics.actor_by_name(name=name)
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        return Response(ActorAnswerSerializer(analytics.actor_figures(person=person)).data)


class DirectedFilmSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="movie_id")
    title = serializers.CharField()
    release_date = serializers.DateField(allow_null=True)
    return_ratio = serializers.FloatField(help_text="Revenue / budget; 0 where the budget is unknown.")
    budget = serializers.IntegerField()
    revenue = serializers.IntegerField()


class DirectorParamsSerializer(NameParamsSerializer):
    limit = serializers.IntegerField(
        required=False,
        default=analytics.DIRECTOR_FILMS_DEFAULT,
        min_value=1,
        max_value=analytics.DIRECTOR_FILMS_MAX,
        help_text=(
            f"How many films to list (default {analytics.DIRECTOR_FILMS_DEFAULT}, "
            f"at most {analytics.DIRECTOR_FILMS_MAX}); `films_count` and `total_return` cover them all."
        ),
    )


class DirectorAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.id")
    name = serializers.CharField(source="person.name")
    total_return = serializers.FloatField(help_text="Sum of revenue / budget over every film directed.")
    films_count = serializers.IntegerField(help_text="Every film directed; `films` lists the first `limit`.")
    films = DirectedFilmSerializer(many=True, help_text="The first `limit` films by release date, undated last.")


class DirectorApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="A director's return and films",
        description=(
            "Total return over every film directed, their number, and the first `limit` films (by release date, "
            f"{analytics.DIRECTOR_FILMS_DEFAULT} unless asked) with their release date, return, budget and revenue."
        ),
        parameters=[DirectorParamsSerializer],
        responses={200: DirectorAnswerSerializer, 300: AMBIGUOUS, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = validated(DirectorParamsSerializer, request.query_params)
        try:
            person = analytics.director_by_name(name=params["name"])
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        figures = analytics.director_figures(person=person, limit=params["limit"])
        return Response(DirectorAnswerSerializer(figures).data)


# --- Streaming ---------------------------------------------------------------
class PlatformParamSerializer(serializers.Serializer):
    platform = serializers.CharField(
        max_length=100, help_text="Platform slug or name, any case (`netflix`, `Disney+`, `amazon`)."
    )


class PlatformYearParamsSerializer(PlatformParamSerializer):
    year = serializers.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, help_text="Release year.")


class LongestParamsSerializer(PlatformYearParamsSerializer):
    unit = serializers.CharField(
        max_length=20, help_text="Duration unit: `min` (films) or `season` (shows); Spanish words work too."
    )

    def validate_unit(self, value: str) -> str:
        unit = analytics.duration_unit(value)
        if unit is None:
            raise serializers.ValidationError(
                _("“%(value)s” is not a duration unit: use min or season.") % {"value": value}
            )
        return unit


class CountParamsSerializer(PlatformParamSerializer):
    type = StreamingKindField(
        required=False,
        help_text="Only films (`movie`) or shows (`tv`); the dataset's `Movie` and `TV Show` too, any case.",
    )


class DecimalCommaFloatField(serializers.FloatField):
    """A number as Spanish readers write it too: 3,5 is 3.5."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, str) and "." not in data:
            data = data.replace(",", ".")
        return super().to_internal_value(data)


class RatedAboveParamsSerializer(PlatformYearParamsSerializer):
    score = DecimalCommaFloatField(
        min_value=0,
        max_value=MAX_SCORE,
        help_text="Threshold for the average rating in moviesite (0-5); a decimal comma works too (`3,5`).",
    )


class LongestAnswerSerializer(serializers.Serializer):
    platform = serializers.CharField(source="title.platform.slug")
    title = serializers.CharField(source="title.title")
    type = serializers.CharField(source="title.kind")
    release_year = serializers.IntegerField(source="title.release_year", allow_null=True)
    duration_value = serializers.IntegerField(source="title.duration_value")
    duration_unit = serializers.CharField(source="title.duration_unit")
    tied_with = serializers.ListField(
        child=serializers.CharField(),
        help_text=(
            f"Other titles just as long, the first {analytics.TIED_TITLES_SHOWN} alphabetically; `title` is the "
            "first of all."
        ),
    )
    tied_count = serializers.IntegerField(help_text="How many other titles are just as long, named or not.")


class CountAnswerSerializer(serializers.Serializer):
    platform = serializers.CharField()
    titles = serializers.IntegerField()


class RatedAboveAnswerSerializer(serializers.Serializer):
    platform = serializers.CharField()
    year = serializers.IntegerField()
    score = serializers.FloatField()
    films = serializers.IntegerField(help_text="Films whose average rating in moviesite is above `score`.")


class TopActorAnswerSerializer(serializers.Serializer):
    platform = serializers.CharField()
    year = serializers.IntegerField()
    actor = serializers.CharField(allow_null=True, help_text="Null when no title of that year lists its cast.")
    appearances = serializers.IntegerField()
    titles_with_cast = serializers.IntegerField()
    titles = serializers.IntegerField(help_text="The platform's titles released in the year, with or without a cast.")
    tied_with = serializers.IntegerField(
        help_text="How many other names appear as often as `actor` (who is the first of them alphabetically)."
    )
    message = serializers.CharField()


class StreamingLongestApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="The longest title for a year, platform and duration unit",
        description=(
            "Of titles just as long, `title` is the first alphabetically, `tied_with` names the next "
            f"{analytics.TIED_TITLES_SHOWN} and `tied_count` counts every other one."
        ),
        parameters=[LongestParamsSerializer],
        responses={200: LongestAnswerSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = validated(LongestParamsSerializer, request.query_params)
        try:
            platform = analytics.platform_by_name(name=params["platform"])
            longest = analytics.streaming_longest(platform=platform, year=params["year"], unit=params["unit"])
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        return Response(LongestAnswerSerializer(longest).data)


class StreamingCountApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="The number of titles on a platform",
        parameters=[CountParamsSerializer],
        responses={200: CountAnswerSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
        examples=[OpenApiExample("Netflix", value={"platform": "netflix", "titles": 8807}, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        params = validated(CountParamsSerializer, request.query_params)
        try:
            platform = analytics.platform_by_name(name=params["platform"])
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        count = analytics.streaming_title_count(platform=platform, kind=params.get("type"))
        return Response({"platform": platform.slug, "titles": count})


class StreamingRatedAboveApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="Films on a platform rated above a score, in a year",
        description=(
            "How many films on the platform, released in the year, have an average rating in moviesite "
            "(site users and dataset raters) strictly above `score`. Films with no rating are not counted."
        ),
        parameters=[RatedAboveParamsSerializer],
        responses={200: RatedAboveAnswerSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = validated(RatedAboveParamsSerializer, request.query_params)
        try:
            platform = analytics.platform_by_name(name=params["platform"])
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        films = analytics.streaming_films_rated_above(platform=platform, year=params["year"], threshold=params["score"])
        return Response({"platform": platform.slug, "year": params["year"], "score": params["score"], "films": films})


class StreamingTopActorApi(AnalyticsApi):
    @extend_schema(
        tags=[TAG],
        summary="The most frequent actor on a platform in a year",
        description=(
            "Counts each name in the comma-separated cast lists of the platform's titles released in the "
            "year; ties go to the name first in alphabetical order, and `tied_with` counts the others. Some "
            "catalogs (Hulu) list no cast, and a year may have no title: then `actor` is null and `message` says "
            "which."
        ),
        parameters=[PlatformYearParamsSerializer],
        responses={200: TopActorAnswerSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = validated(PlatformYearParamsSerializer, request.query_params)
        try:
            platform = analytics.platform_by_name(name=params["platform"])
        except analytics.AnalyticsError as error:
            return analytics_error_response(error)
        top = analytics.streaming_top_actor(platform=platform, year=params["year"])
        names = {"platform": platform.name, "year": params["year"]}
        if top.titles == 0:
            message = _("%(platform)s has no title from %(year)s.") % names
        elif top.name is None:
            message = _("No %(platform)s title from %(year)s lists its cast.") % names
        else:
            message = ngettext(
                "%(actor)s appears in %(count)s %(platform)s title from %(year)s.",
                "%(actor)s appears in %(count)s %(platform)s titles from %(year)s.",
                top.appearances,
            ) % {**names, "actor": top.name, "count": top.appearances}
            if top.tied_with:
                message += " " + ngettext(
                    "%(others)s other name appears as often.",
                    "%(others)s other names appear as often.",
                    top.tied_with,
                ) % {"others": top.tied_with}
        body: dict[str, Any] = {
            "platform": platform.slug,
            "year": params["year"],
            "actor": top.name,
            "appearances": top.appearances,
            "titles_with_cast": top.titles_with_cast,
            "titles": top.titles,
            "tied_with": top.tied_with,
            "message": message,
        }
        return Response(body)
