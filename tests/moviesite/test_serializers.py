"""moviesite.serializers.ModelSerializer: fields derived once per class, output and translations unchanged."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework import serializers

from catalog.selectors import film_detail_queryset
from catalog.serializers import FilmDetailSerializer, FilmSummarySerializer
from tests.factories import CastCreditFactory, GenreFactory, MovieFactory

pytestmark = pytest.mark.django_db


def drf_twin(serializer_class: type) -> type:
    """The same serializer deriving its fields from the model every time, as DRF's ModelSerializer does."""
    return type(
        f"Drf{serializer_class.__name__}", (serializer_class,), {"get_fields": serializers.ModelSerializer.get_fields}
    )


@pytest.mark.parametrize("serializer_class", [FilmSummarySerializer, FilmDetailSerializer])
def test_a_film_serializes_exactly_as_with_drf_s_own_model_serializer(serializer_class: type) -> None:
    heat = MovieFactory(title="Heat", genres=[GenreFactory(name="Crime"), GenreFactory(name="Drama")])
    CastCreditFactory(movie=heat)
    movie = film_detail_queryset().get(pk=heat.pk)
    twin = drf_twin(serializer_class)
    for _round in range(2):  # the first builds the fields, the second copies them
        assert serializer_class(movie).data == twin(movie).data


def test_the_fields_are_derived_from_the_model_once_per_class(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = serializers.ModelSerializer.build_field

    def counting(self, field_name, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(field_name)
        return original(self, field_name, *args, **kwargs)

    monkeypatch.setattr(serializers.ModelSerializer, "build_field", counting)
    FilmSummarySerializer().fields  # noqa: B018 - built here, or by an earlier test
    calls.clear()
    first, second = FilmSummarySerializer(), FilmSummarySerializer()

    assert list(first.fields) == list(second.fields)
    assert first.fields["title"] is not second.fields["title"], "serializers must not share field instances"
    assert calls == []


def test_labels_follow_the_language_of_each_use() -> None:
    with translation.override("en"):
        assert FilmSummarySerializer().fields["vote_count"].label == "Vote count"
    with translation.override("es"):
        assert FilmSummarySerializer().fields["vote_count"].label == "Número de votos"
