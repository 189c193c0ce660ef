"""Output serializers for the catalog, shared by every API that shows a film.

Read-only by construction: the catalog is curated in the admin and filled by
imports, never written through the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db.models import prefetch_related_objects
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.models import Credit, Genre, ImportRun, Movie, Person, Platform, StreamingTitle
from catalog.selectors import CAST_SHOWN, DIRECTORS_SHOWN
from moviesite.serializers import ModelSerializer


class GenreSerializer(ModelSerializer):
    films = serializers.IntegerField(read_only=True, help_text="Films in this genre.")

    class Meta:
        model = Genre
        fields = ["id", "name", "films"]
        read_only_fields = fields


class PlatformSerializer(ModelSerializer):
    titles = serializers.IntegerField(
        source="title_count", read_only=True, help_text="Titles in this platform's catalog."
    )

    class Meta:
        model = Platform
        fields = ["slug", "name", "titles"]
        read_only_fields = fields


class PlatformRefSerializer(ModelSerializer):
    class Meta:
        model = Platform
        fields = ["slug", "name"]
        read_only_fields = fields


# Two scales in one field, so clients know not to compare across them.
POPULARITY_HELP = (
    "TMDB's popularity score for films with TMDB data (mostly 0-200, open-ended); for films without it "
    "(such as the demo catalog), the number of ratings in moviesite. The two scales are not comparable."
)


class FilmSummarySerializer(ModelSerializer):
    """A film as it appears in lists: enough to show a card and link to its detail."""

    genres: serializers.SlugRelatedField[Genre] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="name"
    )

    class Meta:
        model = Movie
        fields = [
            "id",
            "title",
            "release_year",
            "genres",
            "original_language",
            "popularity",
            "vote_average",
            "vote_count",
            "ratings_average",
            "ratings_count",
            "poster_path",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "popularity": {"help_text": POPULARITY_HELP},
            "vote_average": {"help_text": "TMDB's average vote (0-10); 0 without TMDB data."},
            "vote_count": {"help_text": "Votes behind `vote_average`; 0 without TMDB data."},
            "ratings_average": {"help_text": "Average rating in moviesite (0.5-5), site users and dataset raters."},
            "ratings_count": {"help_text": "Ratings in moviesite, site users and dataset raters."},
        }


def film_summaries_data(movies: Sequence[Movie]) -> list[dict[str, Any]]:
    """FilmSummarySerializer's data for these films, in their order, each kept in the process's memory.

    A film's summary is the same for every caller and searches return the
    same films again and again, so it is kept in the template_fragments cache
    under the film and its last edit: an edited title shows at once; what
    changes without an edit (genres, the rating aggregates an import
    refreshes) shows within RECOMMENDER_CATALOG_TTL. Only the films not kept
    need their genres loaded (one query); none when all are.
    """
    keys = [f"film-summary-row:{movie.pk}:{movie.updated_at.timestamp()}" for movie in movies]
    found = caches["template_fragments"].get_many(keys)
    missing = {key: movie for key, movie in zip(keys, movies, strict=True) if key not in found}
    if missing:
        found.update(film_summaries_keep(missing))
    return [found[key] for key in keys]


def film_summaries_keep(films: dict[str, Movie]) -> dict[str, dict[str, Any]]:
    """Draw these films' summaries (their genres in one query) and keep each under its key.

    Kept in the template_fragments cache for RECOMMENDER_CATALOG_TTL; the
    callers choose the keys (a film's last edit, or the serving epoch).
    """
    prefetch_related_objects(list(films.values()), "genres")
    drawn: dict[str, dict[str, Any]] = {key: FilmSummarySerializer(movie).data for key, movie in films.items()}
    caches["template_fragments"].set_many(drawn, settings.RECOMMENDER_CATALOG_TTL)
    return drawn


@extend_schema_field(FilmSummarySerializer)
class FilmSummaryField(serializers.Field):  # type: ignore[type-arg]
    """A film nested in another answer (a rating, a watchlist entry), through film_summaries_data."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: Movie) -> dict[str, Any]:
        return film_summaries_data([value])[0]


class CastCreditSerializer(ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Credit
        fields = ["person_id", "name", "character", "order"]
        read_only_fields = fields


class CrewCreditSerializer(ModelSerializer):
    person_id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Credit
        fields = ["person_id", "name", "department", "job"]
        read_only_fields = fields


class FilmDetailSerializer(FilmSummarySerializer):
    """A film's answer; the film comes from catalog.selectors.film_detail_queryset, which loads the credits shown."""

    collection = serializers.CharField(source="collection.name", read_only=True, allow_null=True, default=None)
    cast = serializers.SerializerMethodField(help_text=f"The top {CAST_SHOWN} billed cast members.")
    directors = serializers.SerializerMethodField(
        help_text=f"The first {DIRECTORS_SHOWN} directors in billing order; `directors_count` counts them all "
        "and `directors_next` links to the next page of them."
    )
    directors_count = serializers.IntegerField(read_only=True, help_text="Every director of the film.")
    directors_next = serializers.SerializerMethodField(
        help_text="The next page of the directors at `/api/v1/films/{id}/directors/` (`page` 2 of "
        f"{DIRECTORS_SHOWN}), or null when every one is listed here."
    )
    platforms = serializers.SerializerMethodField(help_text="Streaming platforms that carry this film.")
    return_ratio = serializers.FloatField(read_only=True, help_text="Revenue / budget; 0 where the budget is unknown.")

    class Meta(FilmSummarySerializer.Meta):
        fields = [
            *FilmSummarySerializer.Meta.fields,
            "original_title",
            "overview",
            "tagline",
            "release_date",
            "runtime",
            "budget",
            "revenue",
            "return_ratio",
            "status",
            "homepage",
            "imdb_id",
            "tmdb_id",
            "collection",
            "cast",
            "directors",
            "directors_count",
            "directors_next",
            "platforms",
        ]
        read_only_fields = fields

    def get_cast(self, movie: Movie) -> list[dict[str, Any]]:
        return CastCreditSerializer(movie.cast_shown, many=True).data  # type: ignore[attr-defined,return-value]

    @extend_schema_field(CrewCreditSerializer(many=True))
    def get_directors(self, movie: Movie) -> list[dict[str, Any]]:
        return CrewCreditSerializer(movie.directors_shown, many=True).data  # type: ignore[attr-defined,return-value]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_directors_next(self, movie: Movie) -> str | None:
        if movie.directors_count <= DIRECTORS_SHOWN:  # type: ignore[attr-defined]
            return None
        path = reverse("api-film-directors", kwargs={"pk": movie.pk})
        return self.context["request"].build_absolute_uri(f"{path}?page=2")  # type: ignore[no-any-return]

    def get_platforms(self, movie: Movie) -> list[dict[str, Any]]:
        platforms = {title.platform.slug: title.platform for title in movie.streaming_titles.all()}
        return PlatformRefSerializer(sorted(platforms.values(), key=lambda p: p.name), many=True).data  # type: ignore[return-value]


class PersonSummarySerializer(ModelSerializer):
    films = serializers.IntegerField(
        source="films_count", read_only=True, help_text="Films this person is credited on."
    )

    class Meta:
        model = Person
        fields = ["id", "name", "films"]
        read_only_fields = fields


class ActorFiguresSerializer(serializers.Serializer):
    """An actor's return (catalog.analytics.actor_figures): on a person's page and in the analytics answer."""

    films_count = serializers.IntegerField()
    total_return = serializers.FloatField(help_text="Sum of revenue / budget over the films (0 for unknown budget).")
    average_return = serializers.FloatField(help_text="total_return / films_count.")
    films_with_known_budget = serializers.IntegerField()
    average_return_known_budget = serializers.FloatField(
        help_text="The average over films with a known budget (a film whose revenue is unknown counts as 0)."
    )
    films_with_known_return = serializers.IntegerField(help_text="Films with both a known budget and revenue.")
    average_known_return = serializers.FloatField(
        allow_null=True, help_text="The average over films_with_known_return; null when there is none."
    )


class PersonFilmSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="movie.id")
    title = serializers.CharField(source="movie.title")
    release_year = serializers.IntegerField(source="movie.release_year", allow_null=True)
    role = serializers.SerializerMethodField(help_text="The character played, or the crew job.")
    return_ratio = serializers.FloatField(source="movie.return_ratio")

    def get_role(self, credit: Credit) -> str:
        return credit.character if credit.kind == Credit.Kind.CAST else credit.job


class StreamingTitleSerializer(ModelSerializer):
    platform = PlatformRefSerializer(read_only=True)
    type = serializers.CharField(source="kind", read_only=True, help_text="`movie` or `tv`.")
    film_id = serializers.IntegerField(source="movie_id", read_only=True, allow_null=True)

    class Meta:
        model = StreamingTitle
        fields = [
            "id",
            "platform",
            "show_id",
            "type",
            "title",
            "director",
            "cast",
            "country",
            "date_added",
            "release_year",
            "age_rating",
            "duration_value",
            "duration_unit",
            "listed_in",
            "description",
            "film_id",
        ]
        read_only_fields = fields


class ImportRunSerializer(ModelSerializer):
    class Meta:
        model = ImportRun
        fields = [
            "id",
            "started_at",
            "finished_at",
            "status",
            "files",
            "rows_read",
            "rows_inserted",
            "rows_updated",
            "rows_unchanged",
            "rows_rejected",
            "rejects_by_reason",
            "rejects_path",
            "duration_seconds",
            "error",
        ]
        read_only_fields = fields
