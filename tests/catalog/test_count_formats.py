"""Counts on the pages are grouped as the reader's language groups digits (a bare 14075 reads as a code)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from catalog.templatetags.catalog_extras import count_label
from tests.factories import MovieFactory

pytestmark = pytest.mark.django_db

NBSP = "\xa0"  # Django's Spanish thousands separator


@pytest.mark.parametrize(("language", "expected"), [("en", "45,466"), ("es", f"45{NBSP}466"), ("en", "7"), ("es", "0")])
def test_a_count_is_grouped_in_the_active_language(language: str, expected: str) -> None:
    value = int(expected.replace(",", "").replace(NBSP, ""))
    with translation.override(language):
        assert count_label(value) == expected


@pytest.mark.parametrize(
    ("language", "votes", "ratings"),
    [("en", "14,075 votes", "1,203 ratings"), ("es", f"14{NBSP}075 votos", f"1{NBSP}203 valoraciones")],
)
def test_the_film_page_groups_its_vote_and_rating_counts(
    client: Client, language: str, votes: str, ratings: str
) -> None:
    movie = MovieFactory(vote_count=14075, vote_average=8.3, ratings_count=1203, ratings_average=4.1)

    html = client.get(reverse("movie-detail", args=[movie.pk]), HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert votes in html
    assert ratings in html


def test_a_single_vote_keeps_the_singular_in_spanish(client: Client) -> None:
    movie = MovieFactory(vote_count=1, vote_average=6.0)

    html = client.get(reverse("movie-detail", args=[movie.pk]), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "6,0/10 · 1 voto<" in html
