"""With Accept-Language: es every API message a client can meet is in Spanish."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from rest_framework.exceptions import Throttled
from rest_framework.test import APIClient

from tests.factories import (
    CastCreditFactory,
    CrewCreditFactory,
    GenreFactory,
    MovieFactory,
    PersonFactory,
    RatingFactory,
    StaffUserFactory,
    StreamingTitleFactory,
)

pytestmark = pytest.mark.django_db
ES = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.mark.parametrize("path", ["/api/v1/me/ratings/999/", "/api/v1/me/watchlist/999/", "/api/v1/films/999999/"])
def test_an_unknown_id_is_not_found_in_spanish_without_naming_the_model(alice_client: APIClient, path: str) -> None:
    response = alice_client.get(path, **ES)
    assert response.status_code == 404
    assert response.json() == {"detail": "No encontrado."}


def test_a_missing_model_version_is_not_found_in_spanish() -> None:
    client = APIClient()
    client.force_authenticate(StaffUserFactory())
    for response in (
        client.get("/api/v1/model-versions/999/", **ES),
        client.post("/api/v1/model-versions/999/activate/", **ES),
    ):
        assert response.json() == {"detail": "No encontrado."}


def test_the_rating_and_delete_404s_agree(alice_client: APIClient, bob: Any) -> None:
    theirs = RatingFactory(user=bob)
    answers = {
        method: getattr(alice_client, method)(f"/api/v1/me/ratings/{theirs.pk}/", {"score": 1}, format="json", **ES)
        for method in ["get", "put", "delete"]
    }
    assert {method: response.json()["detail"] for method, response in answers.items()} == dict.fromkeys(
        answers, "No encontrado."
    )


def test_film_filters_explain_themselves_in_spanish(anon_client: APIClient) -> None:
    body = anon_client.get("/api/v1/films/", {"platform": "a b"}, **ES).json()
    assert body == {"platform": ["“a b” no es un identificador de plataforma."]}
    body = anon_client.get("/api/v1/films/", {"year_from": 2000, "year_to": 1990}, **ES).json()
    assert body == {"year_to": ["year_to no puede ser anterior a year_from."]}


def test_a_score_that_is_not_a_number_is_explained_in_spanish(alice: Any, alice_client: APIClient) -> None:
    rating = RatingFactory(user=alice)
    response = alice_client.put(f"/api/v1/me/ratings/{rating.pk}/", {"score": "4"}, format="json", **ES)
    assert response.json() == {"score": ["La puntuación debe ser un número JSON."]}


def test_an_unknown_streaming_type_lists_the_valid_ones_in_spanish(anon_client: APIClient) -> None:
    body = anon_client.get("/api/v1/streaming-titles/", {"type": "film"}, **ES).json()
    assert body == {"type": ["“film” no es un tipo de título. Tipos válidos: movie, tv (o Movie, TV Show)."]}


@pytest.mark.parametrize(
    ("casts", "message"),
    [
        (["Ana Gil"], "Ana Gil aparece en 1 título de Netflix de 2020."),
        (["Ana Gil", "Ana Gil"], "Ana Gil aparece en 2 títulos de Netflix de 2020."),
    ],
)
def test_the_top_actor_message_agrees_in_number_in_spanish(
    anon_client: APIClient, casts: list[str], message: str
) -> None:
    for cast in casts:
        StreamingTitleFactory(cast=cast, release_year=2020)
    params = {"platform": "netflix", "year": 2020}
    assert anon_client.get("/api/v1/analytics/streaming/top-actor/", params, **ES).json()["message"] == message


def test_a_write_without_the_trailing_slash_names_the_endpoint_in_spanish(alice_client: APIClient) -> None:
    response = alice_client.post("/api/v1/me/ratings", {"score": 4}, format="json", **ES)
    assert response.json() == {
        "detail": "No hay ningún endpoint de la API en esta dirección; el endpoint está en /api/v1/me/ratings/, "
        "con la barra final."
    }


def test_a_persons_credits_explain_a_bad_kind_in_spanish(anon_client: APIClient) -> None:
    person = CastCreditFactory().person
    body = anon_client.get(f"/api/v1/people/{person.pk}/credits/", {"kind": "director"}, **ES).json()
    assert body == {"kind": ["“director” no es un tipo de crédito. Tipos válidos: cast, crew."]}


def test_a_directors_bad_limit_is_explained_in_spanish(anon_client: APIClient) -> None:
    CrewCreditFactory(person=PersonFactory(name="Icíar Bollaín"))
    body = anon_client.get("/api/v1/analytics/director/", {"name": "iciar bollain", "limit": 0}, **ES).json()
    assert body == {"limit": ["Asegúrate de que este valor es mayor o igual que 1."]}


def test_a_score_out_of_range_is_explained_with_the_spanish_decimal_comma(alice: Any, alice_client: APIClient) -> None:
    # The site writes scores as 3,5 for a Spanish reader; its messages must not switch to 0.5.
    rating = RatingFactory(user=alice)
    response = alice_client.put(f"/api/v1/me/ratings/{rating.pk}/", {"score": 7}, format="json", **ES)
    assert response.json() == {"score": ["La puntuación debe estar entre 0,5 y 5, en pasos de 0,5."]}


@pytest.mark.parametrize("genre", ["Acción", "accion", "ACCIÓN", "Action", "action"])
def test_a_genre_is_found_by_its_spanish_name_with_or_without_accents(anon_client: APIClient, genre: str) -> None:
    # The site shows a Spanish reader 'Acción'; the API stores and writes TMDB's 'Action'.
    action = MovieFactory(title="Heat", genres=[GenreFactory(name="Action")])
    MovieFactory(title="Amélie", genres=[GenreFactory(name="Drama")])

    body = anon_client.get("/api/v1/films/", {"genre": genre}, **ES).json()

    assert [film["id"] for film in body["results"]] == [action.pk]


def test_a_spanish_genre_name_finds_both_stored_spellings_of_it(anon_client: APIClient) -> None:
    # TMDB writes 'Science Fiction', MovieLens 'Sci-Fi': both read 'Ciencia ficción' on the site.
    tmdb = MovieFactory(genres=[GenreFactory(name="Science Fiction")])
    movielens = MovieFactory(genres=[GenreFactory(name="Sci-Fi")])

    body = anon_client.get("/api/v1/films/", {"genre": "ciencia ficcion"}, **ES).json()

    assert {film["id"] for film in body["results"]} == {tmdb.pk, movielens.pk}


# DRF's own messages, in the site's "tú" (DRF's Spanish catalog says "usted").


def test_a_call_without_credentials_is_told_so_in_spanish(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/me/ratings/", **ES)
    assert response.status_code == 401
    assert response.json() == {"detail": "No has enviado credenciales de autenticación."}


def test_a_malformed_token_header_is_explained_in_spanish(anon_client: APIClient) -> None:
    response = anon_client.get("/api/v1/me/ratings/", HTTP_AUTHORIZATION="Token a b", **ES)
    assert response.json() == {"detail": "Cabecera de token no válida: el token no puede contener espacios."}


def test_a_missing_field_is_required_in_spanish(alice_client: APIClient) -> None:
    response = alice_client.post("/api/v1/me/ratings/", {"score": 4}, format="json", **ES)
    assert response.json() == {"film": ["Este campo es obligatorio."]}


def test_a_method_the_endpoint_does_not_take_is_refused_in_spanish(alice_client: APIClient) -> None:
    response = alice_client.delete("/api/v1/genres/", **ES)
    assert response.status_code == 405
    assert response.json() == {"detail": "El método “DELETE” no está permitido."}


def test_a_body_the_endpoint_cannot_read_is_refused_in_spanish(alice_client: APIClient) -> None:
    response = alice_client.post("/api/v1/me/ratings/", "film=1", content_type="text/plain", **ES)
    assert response.status_code == 415
    assert response.json() == {"detail": "La solicitud tiene un tipo de contenido que no se admite: “text/plain”."}


def test_a_staff_endpoint_refuses_a_user_in_spanish(alice_client: APIClient) -> None:
    response = alice_client.get("/api/v1/model-versions/", **ES)
    assert response.status_code == 403
    assert response.json() == {"detail": "No tienes permiso para realizar esta acción."}


@pytest.mark.parametrize(
    ("wait", "message"),
    [
        (1, "Has enviado demasiadas solicitudes. Vuelve a intentarlo dentro de 1 segundo."),
        (30, "Has enviado demasiadas solicitudes. Vuelve a intentarlo dentro de 30 segundos."),
    ],
)
def test_a_throttled_call_is_told_when_to_come_back_in_spanish(wait: int, message: str) -> None:
    with translation.override("es"):
        assert str(Throttled(wait=wait).detail) == message
