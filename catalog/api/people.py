"""People: search by name, each person's first films with their return figures, and the rest of their credits."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from catalog.analytics import actor_figures, director_totals
from catalog.api.common import BAD_REQUEST, NOT_FOUND, Pagination, validated
from catalog.models import Credit, Person
from catalog.selectors import CreditsShown, person_credits, person_credits_first
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


# Each list of a person's answer holds the first page of the credits endpoint, whose default page size it shares.
PERSON_CREDITS_SHOWN = Pagination.page_size
_SHOWN_HELP = (
    f"The first {PERSON_CREDITS_SHOWN} credits as %s, oldest film first (undated last); "
    "`%s_count` counts them all and `%s_next` links to the next page of them."
)
_NEXT_HELP = (
    "The next page of these credits at `/api/v1/people/{id}/credits/` (`page` 2 of "
    f"{PERSON_CREDITS_SHOWN}), or null when every one is listed here."
)


class PersonDetailSerializer(ModelSerializer):
    """A person with the first credits of each kind; the view passes them in the context as `credits`."""

    acting = serializers.SerializerMethodField(help_text=_SHOWN_HELP % ("cast", "acting", "acting"))
    acting_count = serializers.SerializerMethodField(help_text="Credits as cast.")
    acting_next = serializers.SerializerMethodField(help_text=_NEXT_HELP)
    crew = serializers.SerializerMethodField(help_text=_SHOWN_HELP % ("crew", "crew", "crew"))
    crew_count = serializers.SerializerMethodField(help_text="Credits as crew.")
    crew_next = serializers.SerializerMethodField(help_text=_NEXT_HELP)
    as_actor = serializers.SerializerMethodField()
    as_director = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "profile_path",
            "acting",
            "acting_count",
            "acting_next",
            "crew",
            "crew_count",
            "crew_next",
            "as_actor",
            "as_director",
        ]
        read_only_fields = fields

    def _shown(self, kind: str) -> CreditsShown:
        shown: CreditsShown = self.context["credits"][kind]
        return shown

    def _next(self, person: Person, kind: str) -> str | None:
        if self._shown(kind).count <= PERSON_CREDITS_SHOWN:
            return None
        path = reverse("api-person-credits", kwargs={"pk": person.pk})
        return self.context["request"].build_absolute_uri(f"{path}?{urlencode({'kind': kind, 'page': 2})}")

    @extend_schema_field(PersonFilmSerializer(many=True))
    def get_acting(self, person: Person) -> list[dict[str, Any]]:
        return PersonFilmSerializer(self._shown(Credit.Kind.CAST).credits, many=True).data  # type: ignore[return-value]

    def get_acting_count(self, person: Person) -> int:
        return self._shown(Credit.Kind.CAST).count

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_acting_next(self, person: Person) -> str | None:
        return self._next(person, Credit.Kind.CAST)

    @extend_schema_field(PersonFilmSerializer(many=True))
    def get_crew(self, person: Person) -> list[dict[str, Any]]:
        return PersonFilmSerializer(self._shown(Credit.Kind.CREW).credits, many=True).data  # type: ignore[return-value]

    def get_crew_count(self, person: Person) -> int:
        return self._shown(Credit.Kind.CREW).count

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_crew_next(self, person: Person) -> str | None:
        return self._next(person, Credit.Kind.CREW)

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
    description=(
        f"Their first {PERSON_CREDITS_SHOWN} credits as cast and as crew, oldest film first, with how many there are "
        "and a link to the rest (`/api/v1/people/{id}/credits/`), and their return figures as actor and as director, "
        "over every film."
    ),
    responses={200: PersonDetailSerializer, 404: NOT_FOUND},
)
class PersonDetailApi(generics.RetrieveAPIView):
    serializer_class = PersonDetailSerializer
    queryset = Person.objects.all()

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        person = self.get_object()
        credits = person_credits_first(person=person, limit=PERSON_CREDITS_SHOWN)
        return Response(self.get_serializer(person, context={**self.get_serializer_context(), "credits": credits}).data)


class PersonCreditsParamsSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Credit.Kind.choices,
        help_text="`cast` (the characters played) or `crew` (the jobs done).",
        error_messages={"invalid_choice": gettext_lazy("“{input}” is not a kind of credit. Valid kinds: cast, crew.")},
    )


@extend_schema(
    tags=["people"],
    summary="A person's credits",
    description=(
        "Every credit of one kind, oldest film first (undated last), paginated (20 a page, `page_size` up to 100): "
        "the rest of the `acting` or `crew` list of `/api/v1/people/{id}/`, whose `acting_next` and `crew_next` "
        "link here."
    ),
    parameters=[
        PersonCreditsParamsSerializer,
        OpenApiParameter("id", int, OpenApiParameter.PATH, description="The person's id."),
    ],
    responses={200: PersonFilmSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
)
class PersonCreditListApi(generics.ListAPIView):
    serializer_class = PersonFilmSerializer
    pagination_class = Pagination

    def get_queryset(self) -> QuerySet[Credit]:
        params = validated(PersonCreditsParamsSerializer, self.request.query_params)
        person = get_object_or_404(Person, pk=self.kwargs["pk"])
        return person_credits(person=person, kind=params["kind"])
