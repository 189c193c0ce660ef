"""People: search by name, and each person's films with their return figures."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers

from catalog.analytics import actor_figures, director_totals
from catalog.api.common import BAD_REQUEST, NOT_FOUND, Pagination, validated
from catalog.models import Credit, Person
from catalog.serializers import ActorFiguresSerializer, PersonFilmSerializer, PersonSummarySerializer
from catalog.text import normalize_title
from moviesite.serializers import ModelSerializer


class PersonFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of the name; accents and case ignored."
    )


@extend_schema(
    tags=["people"],
    summary="Search people",
    description="Actors and crew whose name contains `q`, those credited on most films first.",
    parameters=[PersonFilterSerializer],
    responses={200: PersonSummarySerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
)
class PersonListApi(generics.ListAPIView):
    serializer_class = PersonSummarySerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Person]:
        params = validated(PersonFilterSerializer, self.request.query_params)
        people = Person.objects.all()
        needle = normalize_title(params.get("q", ""))
        if needle:
            people = people.filter(name_search__contains=needle)
        return people.order_by("-films_count", "name", "id")


class DirectorSummaryFiguresSerializer(serializers.Serializer):
    films_count = serializers.IntegerField()
    total_return = serializers.FloatField()


class PersonDetailSerializer(ModelSerializer):
    acting = serializers.SerializerMethodField()
    crew = serializers.SerializerMethodField()
    as_actor = serializers.SerializerMethodField()
    as_director = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "profile_path", "acting", "crew", "as_actor", "as_director"]
        read_only_fields = fields

    def _credits(self, person: Person, kind: str) -> list[Credit]:
        return [credit for credit in person.credits.all() if credit.kind == kind]

    @extend_schema_field(PersonFilmSerializer(many=True))
    def get_acting(self, person: Person) -> list[dict[str, Any]]:
        return PersonFilmSerializer(self._credits(person, Credit.Kind.CAST), many=True).data  # type: ignore[return-value]

    @extend_schema_field(PersonFilmSerializer(many=True))
    def get_crew(self, person: Person) -> list[dict[str, Any]]:
        return PersonFilmSerializer(self._credits(person, Credit.Kind.CREW), many=True).data  # type: ignore[return-value]

    @extend_schema_field(ActorFiguresSerializer)
    def get_as_actor(self, person: Person) -> dict[str, Any]:
        return ActorFiguresSerializer(actor_figures(person=person)).data  # type: ignore[return-value]

    @extend_schema_field(DirectorSummaryFiguresSerializer)
    def get_as_director(self, person: Person) -> dict[str, Any]:
        totals = director_totals(person=person)
        return {"films_count": totals.films_count, "total_return": totals.total_return}


@extend_schema(
    tags=["people"],
    summary="A person",
    description="Their films as cast and crew, and their return figures as actor and as director.",
    responses={200: PersonDetailSerializer, 404: NOT_FOUND},
)
class PersonDetailApi(generics.RetrieveAPIView):
    serializer_class = PersonDetailSerializer

    def get_queryset(self) -> QuerySet[Person]:
        credits = Credit.objects.select_related("movie").order_by("movie__release_date", "movie_id", "id")
        return Person.objects.prefetch_related(Prefetch("credits", queryset=credits))
