"""The catalog and ratings admin: lists, curation actions and the rejects download."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Collection, Company, Credit, ImportRun, Keyword, Movie, Person, StreamingTitle
from catalog.services import catalog_import
from ratings.models import DatasetRating
from tests.catalog import fixtures_import as fx
from tests.factories import (
    CastCreditFactory,
    CrewCreditFactory,
    DatasetRatingFactory,
    GenreFactory,
    ImportRunFactory,
    KnowledgeFactFactory,
    MovieFactory,
    PersonFactory,
    PlatformFactory,
    RatingFactory,
    StreamingTitleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "catalog_genre", "catalog_collection", "catalog_company", "catalog_country", "catalog_language",
    "catalog_keyword", "catalog_movie", "catalog_person", "catalog_personalias", "catalog_moviealias", "catalog_credit",
    "catalog_knowledgefact", "catalog_movielenslink", "catalog_platform", "catalog_streamingtitle", "catalog_importrun",
    "ratings_rating", "ratings_datasetrating", "ratings_watchlistentry", "ratings_dismissal",
]  # fmt: skip


@pytest.mark.parametrize("name", CHANGELISTS)
def test_every_model_has_a_searchable_changelist(staff_client: Client, name: str) -> None:
    CastCreditFactory()
    KnowledgeFactFactory()
    StreamingTitleFactory()
    RatingFactory()
    DatasetRatingFactory()
    ImportRunFactory()

    response = staff_client.get(reverse(f"admin:{name}_changelist"), {"q": "film 1"})

    assert response.status_code == 200


@pytest.mark.parametrize("term", ["AÑO BISIESTO", "año", "ano", "Áño"])
def test_the_film_list_finds_a_title_whatever_its_accents_and_case(staff_client: Client, term: str) -> None:
    # SQLite's LIKE ignores case only in ASCII: 'AÑO' missed 'Año bisiesto'.
    MovieFactory(title="Año bisiesto")
    MovieFactory(title="Heat")

    response = staff_client.get(reverse("admin:catalog_movie_changelist"), {"q": term})

    assert [film.title for film in response.context["cl"].result_list] == ["Año bisiesto"]


def test_the_film_and_streaming_lists_find_a_title_typed_with_accents_it_lacks(staff_client: Client) -> None:
    MovieFactory(title="Leon: The Professional")
    StreamingTitleFactory(title="Pokemon the Movie")

    films = staff_client.get(reverse("admin:catalog_movie_changelist"), {"q": "Léon"})
    titles = staff_client.get(reverse("admin:catalog_streamingtitle_changelist"), {"q": "Pokémon"})

    assert [film.title for film in films.context["cl"].result_list] == ["Leon: The Professional"]
    assert [title.title for title in titles.context["cl"].result_list] == ["Pokemon the Movie"]


def test_the_streaming_list_finds_a_title_typed_with_other_punctuation(staff_client: Client) -> None:
    StreamingTitleFactory(title="Spider-Man: Far From Home")
    StreamingTitleFactory(title="Spider Woman")

    response = staff_client.get(reverse("admin:catalog_streamingtitle_changelist"), {"q": "Spider\u2013Man far"})

    assert [title.title for title in response.context["cl"].result_list] == ["Spider-Man: Far From Home"]


@pytest.mark.parametrize("term", ["Acción", "accion", "Action", "ciencia ficcion"])
def test_the_genre_list_finds_a_genre_by_the_name_the_site_shows(staff_client: Client, term: str) -> None:
    GenreFactory(name="Action")
    GenreFactory(name="Science Fiction")
    GenreFactory(name="Drama")

    response = staff_client.get(reverse("admin:catalog_genre_changelist"), {"q": term})

    expected = ["Science Fiction"] if term == "ciencia ficcion" else ["Action"]
    assert [genre.name for genre in response.context["cl"].result_list] == expected


def test_a_film_page_shows_its_credits_inline(staff_client: Client) -> None:
    credit = CastCreditFactory(character="Woody")

    response = staff_client.get(reverse("admin:catalog_movie_change", args=[credit.movie.pk]))

    assert response.status_code == 200
    assert "Woody" in response.content.decode()


def test_the_dataset_ratings_list_searches_exact_rater_ids_only(staff_client: Client) -> None:
    DatasetRatingFactory(rater_id=4242)
    url = reverse("admin:ratings_datasetrating_changelist")

    assert "4242" in staff_client.get(url, {"q": "4242"}).content.decode()
    assert staff_client.get(url, {"q": "not a number"}).status_code == 200


def test_dataset_ratings_are_read_only_in_the_admin_since_the_next_import_would_undo_an_edit(
    staff_client: Client,
) -> None:
    rating = DatasetRatingFactory(score=3.0)
    film = MovieFactory()
    change = reverse("admin:ratings_datasetrating_change", args=[rating.pk])

    added = staff_client.post(
        reverse("admin:ratings_datasetrating_add"),
        {"source": 1, "rater_id": 77, "movie": film.pk, "score": 3.5, "rated_at": 0},
    )
    viewed = staff_client.get(change)
    changed = staff_client.post(change, {"score": 4.5, "rated_at": 0})
    deleted = staff_client.post(reverse("admin:ratings_datasetrating_delete", args=[rating.pk]), {"post": "yes"})

    assert added.status_code == changed.status_code == deleted.status_code == 403
    assert viewed.status_code == 200
    assert "3.0" in viewed.content.decode()
    assert list(DatasetRating.objects.values_list("pk", "score")) == [(rating.pk, 3.0)]


def test_merging_two_people_moves_credits_and_drops_repeats(staff_client: Client) -> None:
    keep, duplicate = PersonFactory(name="Tom Hanks"), PersonFactory(name="Tom  Hanks")
    shared_film, other_film = MovieFactory(), MovieFactory()
    CrewCreditFactory(person=keep, movie=shared_film)
    CastCreditFactory(person=keep, movie=other_film, character="Woody")
    CrewCreditFactory(person=duplicate, movie=shared_film)  # same role: a repeat
    CastCreditFactory(person=duplicate, movie=shared_film, character="Himself")

    response = staff_client.post(
        reverse("admin:catalog_person_changelist"),
        {"action": "merge_people", "_selected_action": [keep.pk, duplicate.pk]},
    )

    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert Credit.objects.filter(person=keep).count() == 3
    assert Credit.objects.filter(movie=shared_film, kind=Credit.Kind.CREW).count() == 1


def test_merging_refuses_anything_but_two_people(staff_client: Client) -> None:
    people = [PersonFactory() for _ in range(3)]

    staff_client.post(
        reverse("admin:catalog_person_changelist"),
        {"action": "merge_people", "_selected_action": [p.pk for p in people]},
    )

    assert Person.objects.count() == 3


def test_curators_hide_and_show_films(staff_client: Client) -> None:
    film = MovieFactory()
    url = reverse("admin:catalog_movie_changelist")

    staff_client.post(url, {"action": "hide_from_recommendations", "_selected_action": [film.pk]})
    assert Movie.objects.get(pk=film.pk).is_hidden
    assert not Movie.objects.recommendable().filter(pk=film.pk).exists()

    staff_client.post(url, {"action": "show_in_recommendations", "_selected_action": [film.pk]})
    assert not Movie.objects.get(pk=film.pk).is_hidden


def test_fixing_a_streaming_match_in_the_admin_locks_it(staff_client: Client) -> None:
    title = StreamingTitleFactory()
    film = MovieFactory()
    url = reverse("admin:catalog_streamingtitle_change", args=[title.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"platform": title.platform.pk, "movie": film.pk, "date_added": "", "duration_value": 90})

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    title = StreamingTitle.objects.get(pk=title.pk)
    assert title.movie == film and title.match_locked


def test_an_import_run_links_to_its_rejects_file(staff_client: Client, tmp_path: Path) -> None:
    run = catalog_import(paths=[fx.write_movies_dataset(tmp_path / "tmd")])
    assert run.rows_rejected > 0

    listing = staff_client.get(reverse("admin:catalog_importrun_changelist")).content.decode()
    download = staff_client.get(reverse("admin:catalog_importrun_rejects", args=[run.pk]))

    assert reverse("admin:catalog_importrun_rejects", args=[run.pk]) in listing
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"file,line,field,value,reason")


def test_the_rejects_view_serves_nothing_outside_the_imports_directory(staff_client: Client) -> None:
    run = ImportRunFactory(rejects_path=str(Path(settings.BASE_DIR) / "manage.py"), rows_rejected=1)

    response = staff_client.get(reverse("admin:catalog_importrun_rejects", args=[run.pk]))

    assert response.status_code == 404


def test_the_rejects_download_needs_staff(client: Client) -> None:
    client.force_login(UserFactory())
    run = ImportRunFactory()

    response = client.get(reverse("admin:catalog_importrun_rejects", args=[run.pk]))

    assert response.status_code == 302
    assert ImportRun.objects.filter(pk=run.pk).exists()


def admin_form_data(staff_client: Client, url: str) -> dict[str, object]:
    """The values an admin change form would post back unchanged."""
    form = staff_client.get(url).context["adminform"].form
    return {name: value for name, value in form.initial.items() if value is not None}


def test_a_streaming_match_fix_shows_on_both_film_pages_at_once(staff_client: Client) -> None:
    wrong, right = MovieFactory(title="Heat"), MovieFactory(title="Heat", release_date=None)
    title = StreamingTitleFactory(platform=PlatformFactory(slug="hulu"), movie=wrong, title="Heat")
    wrong_page, right_page = (reverse("movie-detail", args=[film.pk]) for film in (wrong, right))
    assert "Hulu" in staff_client.get(wrong_page).content.decode()
    assert "Hulu" not in staff_client.get(right_page).content.decode()  # both pages' facts are cached now
    url = reverse("admin:catalog_streamingtitle_change", args=[title.pk])
    data = admin_form_data(staff_client, url)
    data.update({"platform": title.platform.pk, "movie": right.pk, "date_added": "", "duration_value": 90})

    assert staff_client.post(url, data).status_code == 302

    assert "Hulu" in staff_client.get(right_page).content.decode()
    assert "Hulu" not in staff_client.get(wrong_page).content.decode()


def test_unlocking_a_streaming_match_touches_its_film(staff_client: Client) -> None:
    film = MovieFactory()
    title = StreamingTitleFactory(movie=film, match_locked=True)
    before = Movie.objects.get(pk=film.pk).updated_at

    staff_client.post(
        reverse("admin:catalog_streamingtitle_changelist"), {"action": "unlock_match", "_selected_action": [title.pk]}
    )

    assert not StreamingTitle.objects.get(pk=title.pk).match_locked
    assert Movie.objects.get(pk=film.pk).updated_at > before


def test_renaming_a_person_shows_on_their_films_pages_at_once(staff_client: Client) -> None:
    film = MovieFactory()
    person = PersonFactory(name="Jon Smiht")
    CastCreditFactory(person=person, movie=film, character="Joe")
    film_page = reverse("movie-detail", args=[film.pk])
    assert "Jon Smiht" in staff_client.get(film_page).content.decode()
    url = reverse("admin:catalog_person_change", args=[person.pk])
    data = admin_form_data(staff_client, url)
    data["name"] = "Jon Smith"

    assert staff_client.post(url, data).status_code == 302

    html = staff_client.get(film_page).content.decode()
    assert "Jon Smith" in html and "Jon Smiht" not in html


def test_merging_people_shows_on_the_duplicates_films_at_once(staff_client: Client) -> None:
    keep, duplicate = PersonFactory(name="Tom Hanks"), PersonFactory(name="Tom  Hanks (dup)")
    CastCreditFactory(person=keep, movie=MovieFactory(), character="Woody")
    CastCreditFactory(person=keep, movie=MovieFactory(), character="Forrest")
    film = MovieFactory()
    CastCreditFactory(person=duplicate, movie=film, character="Captain Miller")
    film_page = reverse("movie-detail", args=[film.pk])
    assert "(dup)" in staff_client.get(film_page).content.decode()

    staff_client.post(
        reverse("admin:catalog_person_changelist"),
        {"action": "merge_people", "_selected_action": [keep.pk, duplicate.pk]},
        follow=True,  # the admin's "merged" message is shown there, not on the film page
    )

    html = staff_client.get(film_page).content.decode()
    assert "Tom Hanks" in html and "(dup)" not in html


# The admin in Spanish: every label curators see comes from a translated verbose_name.
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def test_the_import_runs_list_speaks_spanish(staff_client: Client) -> None:
    ImportRunFactory(dry_run=True, rows_read=12)

    html = staff_client.get(reverse("admin:catalog_importrun_changelist"), **SPANISH).content.decode()

    for label in ["Iniciada el", "Estado", "Simulación", "Filas leídas", "Por estado", "Por simulación"]:
        assert label in html
    assert "Por status" not in html
    assert "Por dry run" not in html


def test_an_import_run_page_speaks_spanish_and_names_its_status(staff_client: Client) -> None:
    run = ImportRunFactory(error="boom")

    html = staff_client.get(reverse("admin:catalog_importrun_change", args=[run.pk]), **SPANISH).content.decode()

    for label in ["Archivos", "Ruta de los rechazos", "Error:", "Filas leídas", f"Importación {run.pk} (completada)"]:
        assert label in html
    assert "Rows read" not in html
    assert "succeeded" not in html


def test_a_streaming_title_page_speaks_spanish(staff_client: Client) -> None:
    title = StreamingTitleFactory()

    url = reverse("admin:catalog_streamingtitle_change", args=[title.pk])
    html = staff_client.get(url, **SPANISH).content.decode()

    for label in ["Plataforma", "Id del título", "Tipo", "Película", "Unidad de duración", "Título para búsqueda"]:
        assert f"{label}:" in html
    for english in ["Show id", "Duration unit", "Title search"]:
        assert english not in html


def test_a_film_page_names_its_relations_in_spanish(staff_client: Client) -> None:
    movie = MovieFactory()

    html = staff_client.get(reverse("admin:catalog_movie_change", args=[movie.pk]), **SPANISH).content.decode()

    for label in ["Colección", "Productoras", "Países", "Idiomas hablados", "Palabras clave"]:
        assert f"{label}:" in html
    for english in ["Spoken languages", "Companies:", "Keywords:"]:
        assert english not in html


def test_people_show_their_gender_by_name_in_spanish(staff_client: Client) -> None:
    person = PersonFactory(name="Agnès Varda", gender=Person.Gender.FEMALE)

    listing = staff_client.get(reverse("admin:catalog_person_changelist"), **SPANISH).content.decode()
    form = staff_client.get(reverse("admin:catalog_person_change", args=[person.pk]), **SPANISH).content.decode()

    assert "Id de TMDB" in listing
    assert "Género" in listing
    assert '<td class="field-gender">mujer</td>' in listing
    assert '<option value="1" selected>mujer</option>' in form
    assert "no binario" in form
    assert "Tmdb id" not in listing + form


def film_page_queries(staff_client: Client, credits: int) -> int:
    film = MovieFactory()
    for _ in range(credits):
        CastCreditFactory(movie=film)
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:catalog_movie_change", args=[film.pk]))
    assert response.status_code == 200
    return len(queries)


def test_a_film_page_costs_the_same_queries_whatever_its_number_of_credits(staff_client: Client) -> None:
    assert film_page_queries(staff_client, credits=60) == film_page_queries(staff_client, credits=1)


def test_a_film_page_links_each_credited_person_and_all_its_credits(staff_client: Client) -> None:
    credit = CastCreditFactory(person=PersonFactory(name="Agnès Varda"), character="Herself")

    html = staff_client.get(reverse("admin:catalog_movie_change", args=[credit.movie.pk])).content.decode()

    assert "Agnès Varda — Herself" in html
    assert reverse("admin:catalog_credit_change", args=[credit.pk]) in html
    assert f"{reverse('admin:catalog_credit_changelist')}?movie__id__exact={credit.movie.pk}" in html


def test_a_film_with_a_big_cast_and_crew_can_be_saved(staff_client: Client) -> None:
    film = MovieFactory(title="Cleopatra")
    for _ in range(150):  # about 10 posted fields each made 1,500, past DATA_UPLOAD_MAX_NUMBER_FIELDS
        CrewCreditFactory(movie=film)
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = admin_form_data(staff_client, url)
    data["title"] = "Cleopatra (1963)"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    assert Movie.objects.get(pk=film.pk).title == "Cleopatra (1963)"


def test_the_credits_list_of_one_film_edits_characters_in_place(staff_client: Client) -> None:
    film = MovieFactory()
    credit = CastCreditFactory(movie=film, character="Woody (voice)")
    CastCreditFactory()  # another film's
    url = f"{reverse('admin:catalog_credit_changelist')}?movie__id__exact={film.pk}"
    formset = staff_client.get(url).context["cl"].formset
    data: dict[str, object] = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset:
        data.update({form.add_prefix(name): form[name].value() for name in ["id", "character", "job", "order"]})
        data = {key: value for key, value in data.items() if value is not None}
    data.update({"form-0-character": "Woody", "_save": "Save"})

    response = staff_client.post(url, data)

    assert response.status_code == 302
    assert Credit.objects.get(pk=credit.pk).character == "Woody"
    assert "credits" in Movie.objects.get(pk=film.pk).curated_fields


def test_hiding_films_is_written_in_each_film_s_history(staff_client: Client) -> None:
    film, already_hidden = MovieFactory(), MovieFactory(is_hidden=True)

    staff_client.post(
        reverse("admin:catalog_movie_changelist"),
        {"action": "hide_from_recommendations", "_selected_action": [film.pk, already_hidden.pk]},
    )

    assert [entry.object_id for entry in LogEntry.objects.filter(action_flag=CHANGE)] == [str(film.pk)]
    history = staff_client.get(reverse("admin:catalog_movie_history", args=[film.pk]), **SPANISH).content.decode()
    assert "oculta en las recomendaciones" in history


def test_a_merge_is_written_in_the_history_of_both_people(staff_client: Client) -> None:
    keep, duplicate = PersonFactory(name="Tom Hanks"), PersonFactory(name="Tom  Hanks")
    CastCreditFactory(person=keep)

    staff_client.post(
        reverse("admin:catalog_person_changelist"),
        {"action": "merge_people", "_selected_action": [keep.pk, duplicate.pk]},
    )

    deletion = LogEntry.objects.get(action_flag=DELETION)
    change = LogEntry.objects.get(action_flag=CHANGE)
    assert (deletion.object_id, deletion.object_repr) == (str(duplicate.pk), "Tom  Hanks")
    assert change.object_id == str(keep.pk)
    assert f"Tom  Hanks (id {duplicate.pk})" in change.get_change_message()


def test_unlocking_a_streaming_match_is_written_in_the_title_s_history(staff_client: Client) -> None:
    title = StreamingTitleFactory(match_locked=True)

    staff_client.post(
        reverse("admin:catalog_streamingtitle_changelist"), {"action": "unlock_match", "_selected_action": [title.pk]}
    )

    assert "match fixed by a curator" in LogEntry.objects.get(object_id=str(title.pk)).get_change_message()


def test_merging_needs_the_permission_to_delete_people(client: Client) -> None:
    curator = UserFactory(is_staff=True)
    curator.user_permissions.set(Permission.objects.filter(codename__in=["view_person", "change_person"]))
    client.force_login(curator)
    keep, duplicate = PersonFactory(), PersonFactory()

    client.post(
        reverse("admin:catalog_person_changelist"),
        {"action": "merge_people", "_selected_action": [keep.pk, duplicate.pk]},
    )

    assert Person.objects.count() == 2


def test_the_people_list_counts_credits_per_listed_person_without_grouping_the_table(staff_client: Client) -> None:
    busy = PersonFactory(name="Busy")
    PersonFactory(name="Idle")
    CastCreditFactory(person=busy)
    CrewCreditFactory(person=busy)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(reverse("admin:catalog_person_changelist"))

    html = response.content.decode()
    assert '<td class="field-credit_count">2</td>' in html
    assert '<td class="field-credit_count">0</td>' in html
    assert not any('GROUP BY "catalog_person"' in query["sql"] for query in queries)


def test_a_film_page_offers_its_credits_in_spanish(staff_client: Client) -> None:
    film = MovieFactory()
    CastCreditFactory(movie=film)
    CrewCreditFactory(movie=film)

    html = staff_client.get(reverse("admin:catalog_movie_change", args=[film.pk]), **SPANISH).content.decode()

    assert "Editar sus 2 créditos" in html
    assert "Añadir un crédito" in html


def test_a_year_that_contradicts_the_release_date_is_refused_in_spanish(staff_client: Client) -> None:
    film = MovieFactory(release_date=dt.date(1995, 10, 30), release_year=1995)
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = admin_form_data(staff_client, url)
    data["release_year"] = 1999

    refused = staff_client.post(url, data, **SPANISH)
    data.update({"release_year": 1999, "release_date": "1999-10-30"})
    accepted = staff_client.post(url, data)

    assert refused.status_code == 200
    assert "El año de estreno debe ser el año de la fecha de estreno (1995)" in refused.content.decode()
    assert accepted.status_code == 302
    assert Movie.objects.get(pk=film.pk).release_year == 1999


def test_an_import_run_page_shows_each_file_s_counts_as_a_table(staff_client: Client, tmp_path: Path) -> None:
    run = catalog_import(paths=[fx.write_movies_dataset(tmp_path / "tmd")])

    html = staff_client.get(reverse("admin:catalog_importrun_change", args=[run.pk]), **SPANISH).content.decode()

    assert "<th>Formato</th>" in html
    assert "<tr><td>movies_metadata.csv</td><td>movies_metadata</td><td>7</td><td>3</td>" in html
    assert "<li>1: movies_metadata.csv: budget: not a number</li>" in html
    assert "&quot;sha256&quot;" not in html  # no stored JSON


def test_an_import_run_page_shows_each_file_s_encoding_and_parts_of_rows_left_out(
    staff_client: Client, tmp_path: Path
) -> None:
    titles = [fx.STREAMING_HEADER, fx.streaming_row(title="Café"), fx.streaming_row(title="Café crème")]
    (tmp_path / "netflix_titles.csv").write_bytes(("\n".join(titles) + "\n").encode("cp1252"))
    run = catalog_import(paths=[tmp_path])

    html = staff_client.get(reverse("admin:catalog_importrun_change", args=[run.pk]), **SPANISH).content.decode()

    assert "<th>Partes de filas omitidas</th><th>Codificación</th>" in html
    assert "<td>1</td><td>1</td><td>cp1252</td>" in html  # duplicates merged, left out, encoding


def test_impossible_figures_are_refused_with_messages_not_constraint_names(staff_client: Client) -> None:
    film = MovieFactory()
    url = reverse("admin:catalog_movie_change", args=[film.pk])
    data = admin_form_data(staff_client, url)
    data.update({"budget": -5, "revenue": -1, "vote_average": 11})

    html = staff_client.post(url, data, **SPANISH).content.decode()

    assert "El presupuesto no puede ser negativo (0 significa desconocido)." in html
    assert "Los ingresos no pueden ser negativos (0 significa desconocido)." in html
    assert "La media de votos debe estar entre 0 y 10." in html
    assert "movie_budget_not_negative" not in html


def test_a_repeated_tmdb_credit_id_is_refused_with_a_message_in_spanish(staff_client: Client) -> None:
    credit = CastCreditFactory(credit_id="52fe4284c3a36847f8024f95")

    html = staff_client.post(
        reverse("admin:catalog_credit_add"),
        {"movie": credit.movie.pk, "person": credit.person.pk, "kind": "cast", "credit_id": credit.credit_id},
        **SPANISH,
    ).content.decode()

    assert "Esta película ya tiene un crédito con este id de crédito de TMDB." in html
    assert "credit_unique_per_movie" not in html


def test_film_and_person_pages_link_to_the_site_s_pages(staff_client: Client) -> None:
    credit = CastCreditFactory()

    film_page = staff_client.get(reverse("admin:catalog_movie_change", args=[credit.movie.pk])).content.decode()
    person_page = staff_client.get(reverse("admin:catalog_person_change", args=[credit.person.pk])).content.decode()

    assert f'href="{reverse("movie-detail", args=[credit.movie.pk])}" class="viewsitelink"' in film_page
    assert f'href="{reverse("person-detail", args=[credit.person.pk])}" class="viewsitelink"' in person_page


def test_deleting_a_film_counts_its_dataset_ratings_without_reading_them(staff_client: Client) -> None:
    film = MovieFactory()
    CastCreditFactory(movie=film)
    for rater in range(3):
        DatasetRatingFactory(movie=film, rater_id=rater + 1)
    Movie.objects.filter(pk=film.pk).update(dataset_ratings_count=3)  # as the import's recount leaves it
    url = reverse("admin:catalog_movie_delete", args=[film.pk])

    with CaptureQueriesContext(connection) as queries:
        page = staff_client.get(url)
    statements = [query["sql"] for query in queries]
    deleted = staff_client.post(url, {"post": "yes"})

    assert page.status_code == 200
    assert "Dataset ratings: 3" in page.content.decode()
    assert not any("ratings_datasetrating" in sql for sql in statements)
    assert deleted.status_code == 302
    assert not DatasetRating.objects.exists() and not Credit.objects.exists()


@pytest.mark.parametrize(("may_delete_dataset_ratings", "deleted"), [(True, True), (False, False)])
def test_deleting_a_film_takes_the_permission_to_delete_its_dataset_ratings(
    client: Client, may_delete_dataset_ratings: bool, deleted: bool
) -> None:
    film = MovieFactory()
    DatasetRatingFactory(movie=film)
    Movie.objects.filter(pk=film.pk).update(dataset_ratings_count=1)
    codenames = ["view_movie", "delete_movie"] + (["delete_datasetrating"] if may_delete_dataset_ratings else [])
    curator = UserFactory(is_staff=True)
    curator.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(curator)

    client.post(reverse("admin:catalog_movie_delete", args=[film.pk]), {"post": "yes"})

    assert Movie.objects.filter(pk=film.pk).exists() is not deleted
    assert DatasetRating.objects.exists() is not deleted


def test_curators_add_keywords_collections_and_companies_without_a_tmdb_id(staff_client: Client) -> None:
    for model, name in [("keyword", "heist"), ("keyword", "caper"), ("collection", "Ocean's"), ("company", "Own")]:
        response = staff_client.post(reverse(f"admin:catalog_{model}_add"), {"name": name, "tmdb_id": ""})
        assert response.status_code == 302, response.content.decode()

    assert sorted(Keyword.objects.values_list("name", "tmdb_id")) == [("caper", None), ("heist", None)]
    assert Collection.objects.get().tmdb_id is None
    assert Company.objects.get().tmdb_id is None


def test_a_keywords_import_keeps_the_keywords_curators_added_to_a_film(tmp_path: Path) -> None:
    keywords = tmp_path / "keywords.csv"
    fx.write_text(tmp_path / "movies_metadata.csv", fx.csv_table([{**fx.PLAIN_FILM, "id": "9000001"}]))
    fx.write_text(keywords, "id,keywords\n9000001,\"[{'id': 931, 'name': 'jealousy'}]\"\n")
    catalog_import(paths=[tmp_path])
    film = Movie.objects.get(tmdb_id=9000001)
    film.keywords.add(Keyword.objects.create(name="heist"))

    fx.write_text(keywords, "id,keywords\n9000001,\"[{'id': 932, 'name': 'betrayal'}]\"\n")
    catalog_import(paths=[keywords])

    assert sorted(film.keywords.values_list("name", flat=True)) == ["betrayal", "heist"]
