"""The streaming match's people: the directors and cast of a *_titles.csv row choose between films and refuse one.

Films come from factories, with directing and cast credits as the credits
import stores them; streaming rows from a small file in the platforms' own
format, imported as `manage.py import_catalog` does.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from catalog.models import ImportRun, Movie, StreamingTitle
from catalog.services import catalog_import, streaming_title_match_set, streaming_titles_match
from tests.catalog import fixtures_import as fx
from tests.factories import CastCreditFactory, CrewCreditFactory, MovieFactory, PersonFactory

pytestmark = pytest.mark.django_db


def film(title: str, year: int, *, directors: tuple[str, ...] = (), cast: tuple[str, ...] = ()) -> Movie:
    made = MovieFactory(title=title, original_title=title, release_year=year)
    for name in directors:
        CrewCreditFactory(movie=made, person=PersonFactory(name=name))
    for name in cast:
        CastCreditFactory(movie=made, person=PersonFactory(name=name))
    return made


def import_titles(directory: Path, *rows: str) -> ImportRun:
    """Netflix's file holding `rows` (`fx.streaming_row`), imported and matched."""
    fx.write_text(directory / "netflix_titles.csv", "\n".join([fx.STREAMING_HEADER, *rows]) + "\n")
    return catalog_import(paths=[directory])


def matches() -> dict[str, int | None]:
    return dict(StreamingTitle.objects.values_list("show_id", "movie_id"))


def test_of_two_films_of_one_title_and_year_the_one_by_the_rows_director_is_chosen(tmp_path: Path) -> None:
    film("Hamlet", 1990, directors=("Kevin Smith",))
    zeffirelli = film("Hamlet", 1990, directors=("Franco Zeffirelli",))
    film("Little Women", 1993, directors=("Gillian Armstrong",))
    armstrong = film("Little Women", 1995, directors=("Gillian Armstrong", "Robin Swicord"))
    film("Fargo", 1996, directors=("Noah Hawley",))
    coens = film("Fargo", 1996, directors=("Joel Coen",))

    import_titles(
        tmp_path,
        # Case, accents and punctuation aside.
        fx.streaming_row(show_id="s1", title="Hamlet", release_year="1990", director="FRANCO ZEFFIRELLÍ"),
        # A year either side: the 1993 film has a director the row does not list.
        fx.streaming_row(show_id="s2", title="Little Women", release_year="1994", director="Robin Swicord"),
        # Several directors, comma-separated: one in common is enough.
        fx.streaming_row(show_id="s3", title="Fargo", release_year="1996", director="Ethan Coen, Joel Coen"),
    )

    assert matches() == {"s1": zeffirelli.pk, "s2": armstrong.pk, "s3": coens.pk}


def test_a_director_shared_by_two_films_or_by_none_chooses_neither(tmp_path: Path) -> None:
    film("Hamlet", 1990, directors=("Franco Zeffirelli",))
    film("Hamlet", 1990, directors=("Franco Zeffirelli", "Someone Else"))
    film("Crash", 1996, directors=("David Cronenberg",))
    film("Crash", 1996, directors=("Paul Haggis",))

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="Hamlet", release_year="1990", director="Franco Zeffirelli"),
        fx.streaming_row(show_id="s2", title="Crash", release_year="1996", director="Brady Corbet"),
    )

    assert matches() == {"s1": None, "s2": None}
    # Every film the title could be has other directors: flagged for a curator.
    assert dict(StreamingTitle.objects.values_list("show_id", "directors_differ")) == {"s1": False, "s2": True}


def test_a_director_spelt_another_way_chooses_no_film_among_several(tmp_path: Path) -> None:
    # "Bert Gordon" could be "Bert I. Gordon", so the film is not refused; not the same key, so not chosen either.
    film("The Cat", 1958, directors=("Bert I. Gordon",))
    film("The Cat", 1958, cast=("Row Actor",))

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="The Cat", release_year="1958", director="Bert Gordon", cast="Row Actor"),
    )

    assert matches() == {"s1": None}


def test_with_no_director_to_go_by_the_one_film_sharing_an_actor_is_chosen(tmp_path: Path) -> None:
    film("Hamlet", 1990, directors=("Kevin Smith",), cast=("Ann Other",))
    gibson = film("Hamlet", 1990, directors=("Franco Zeffirelli",), cast=("Mel Gibson", "Glenn Close"))
    film("Crash", 1996, cast=("Ann Other",))
    spader = film("Crash", 1996, cast=("James Spader",))
    film("Fargo", 1996, cast=("Frances McDormand",))
    film("Fargo", 1996, cast=("Frances McDormand",))

    import_titles(
        tmp_path,
        # The row names no director.
        fx.streaming_row(show_id="s1", title="Hamlet", release_year="1990", director="", cast="Glenn Close, Ian Holm"),
        # The row names one, but no film's director is known.
        fx.streaming_row(show_id="s2", title="Crash", release_year="1996", director="D. C.", cast="James Spader"),
        # Both films share the actor: neither.
        fx.streaming_row(show_id="s3", title="Fargo", release_year="1996", director="", cast="Frances McDormand"),
    )

    assert matches() == {"s1": gibson.pk, "s2": spader.pk, "s3": None}


def test_a_film_is_not_chosen_because_the_other_was_refused(tmp_path: Path) -> None:
    # The first film shares the actor but has another director: refused. The second is not chosen
    # by elimination: nothing names it.
    film("Hamlet", 1990, directors=("Kevin Smith",), cast=("Mel Gibson",))
    film("Hamlet", 1990)

    import_titles(
        tmp_path,
        fx.streaming_row(
            show_id="s1", title="Hamlet", release_year="1990", director="Franco Zeffirelli", cast="Mel Gibson"
        ),
    )

    assert matches() == {"s1": None}


def test_the_one_film_of_a_title_whose_directors_differ_is_refused_and_reported(tmp_path: Path) -> None:
    film("The Saint", 1997, directors=("Phillip Noyce",))
    film("Stonewall", 1995, directors=("Nigel Finch",))
    film("Wicked", 1998, cast=("Julia Stiles",))
    unknown_on_the_row = film("Alone", 2020, directors=("John Hyams",))
    same_director = film("Big", 1988, directors=("Penny Marshall",))

    run = import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="The Saint", release_year="1997", director="Ernest Dickerson"),
        fx.streaming_row(show_id="s2", title="Stonewall", release_year="1995", director="Roland Emmerich, Ann Smith"),
        # No director known on one side or the other: the title alone decides, as before.
        fx.streaming_row(show_id="s3", title="Wicked", release_year="1998", director="Michael Steinberg"),
        fx.streaming_row(show_id="s4", title="Alone", release_year="2020", director=""),
        fx.streaming_row(show_id="s5", title="Big", release_year="1988", director="Penny Marshall"),
    )

    wicked = Movie.objects.get(title="Wicked")
    assert matches() == {"s1": None, "s2": None, "s3": wicked.pk, "s4": unknown_on_the_row.pk, "s5": same_director.pk}
    flagged = set(StreamingTitle.objects.filter(directors_differ=True).values_list("show_id", flat=True))
    assert flagged == {"s1", "s2"}
    assert run.streaming_match == {"films": 5, "matched": 3, "changed": 3, "directors_differ": 2}
    out = io.StringIO()
    call_command("import_catalog", str(tmp_path), stdout=out)
    summary = out.getvalue()
    assert "Streaming films matched to a catalog film: 3 of 5 (0 changed by this run)" in summary
    assert "left unmatched        2 x the film of their title and year has other directors" in summary


@pytest.mark.parametrize(
    ("on_the_platform", "in_the_catalog"),
    [
        ("Bert I Gordon", "Bert I. Gordon"),
        ("Bert Gordon", "Bert I. Gordon"),
        ("B.J. Rogers", "BJ Rogers"),
        ("Zhang Yimou", "Yimou Zhang"),
        ("Pedro Almodovar", "Pedro Almodóvar"),
        ("Jean Pierre Jeunet", "Jean-Pierre Jeunet"),
        ("Anthony Russo, Joe Russo", "Joe Russo"),
    ],
)
def test_a_director_spelt_another_way_does_not_refuse_the_film(
    tmp_path: Path, on_the_platform: str, in_the_catalog: str
) -> None:
    the_film = film("The Cat", 1958, directors=(in_the_catalog,))

    import_titles(tmp_path, fx.streaming_row(title="The Cat", release_year="1958", director=on_the_platform))

    assert matches() == {"s1": the_film.pk}
    assert not StreamingTitle.objects.filter(directors_differ=True).exists()


def test_directing_credits_imported_after_the_titles_refuse_a_match_made_without_them(tmp_path: Path) -> None:
    import_titles(
        tmp_path / "streaming",
        fx.streaming_row(show_id="s1", title="Toy Story", release_year="1995", director="Someone Else"),
    )
    MovieFactory(tmdb_id=862, title="Toy Story", original_title="Toy Story", release_year=1995)
    assert streaming_titles_match() == 1
    assert StreamingTitle.objects.get().movie_id is not None

    credits = [fx.CREDITS_HEADER, fx.TOY_STORY_CREDITS]
    fx.write_text(tmp_path / "films" / "credits.csv", "\n".join(credits) + "\n")
    run = catalog_import(paths=[tmp_path / "films"])

    title = StreamingTitle.objects.get()
    assert (title.movie_id, title.directors_differ) == (None, True)
    assert run.streaming_match["directors_differ"] == 1


def test_a_curators_choice_or_a_corrected_row_clears_the_flag(tmp_path: Path) -> None:
    saint = film("The Saint", 1997, directors=("Phillip Noyce",))
    film("Stonewall", 1995, directors=("Nigel Finch",))
    rows = [
        fx.streaming_row(show_id="s1", title="The Saint", release_year="1997", director="Ernest Dickerson"),
        fx.streaming_row(show_id="s2", title="Stonewall", release_year="1995", director="Roland Emmerich"),
    ]
    import_titles(tmp_path, *rows)
    assert set(StreamingTitle.objects.filter(directors_differ=True).values_list("show_id", flat=True)) == {"s1", "s2"}

    streaming_title_match_set(title=StreamingTitle.objects.get(show_id="s1"), movie=saint)
    rows[1] = fx.streaming_row(show_id="s2", title="Stonewall", release_year="1995", director="Nigel Finch")
    run = import_titles(tmp_path, *rows)

    assert not StreamingTitle.objects.filter(directors_differ=True).exists()
    assert matches()["s1"] == saint.pk and matches()["s2"] is not None
    assert run.streaming_match["directors_differ"] == 0


def foreign_film(title: str, original_title: str, year: int, *, directors: tuple[str, ...] = ()) -> Movie:
    made = MovieFactory(title=title, original_title=original_title, release_year=year)
    for name in directors:
        CrewCreditFactory(movie=made, person=PersonFactory(name=name))
    return made


def test_a_title_listed_under_the_films_original_title_matches_it(tmp_path: Path) -> None:
    amelie = foreign_film("Amélie", "Le Fabuleux Destin d'Amélie Poulain", 2001)
    labyrinth = foreign_film("Pan's Labyrinth", "El laberinto del fauno", 2006)
    chungking = foreign_film("Chungking Express", "重慶森林", 1994)

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="Le fabuleux destin d’Amélie Poulain", release_year="2001"),  # noqa: RUF001
        # A year either side, as for titles.
        fx.streaming_row(show_id="s2", title="El Laberinto del Fauno", release_year="2007"),
        # Undecorated, as for titles.
        fx.streaming_row(show_id="s3", title="重慶森林 (Cantonese)", release_year="1994"),
        # Two years off: another film.
        fx.streaming_row(show_id="s4", title="El laberinto del fauno", release_year="2008"),
    )

    assert matches() == {"s1": amelie.pk, "s2": labyrinth.pk, "s3": chungking.pk, "s4": None}


def test_a_films_title_comes_before_another_films_original_title(tmp_path: Path) -> None:
    # "Roma" is the title of one film of 2018 and the original title of another.
    roma = foreign_film("Roma", "Roma", 2018)
    foreign_film("Rome", "Roma", 2018)
    # A title found as some film's title is not looked for among original titles, even when ambiguous.
    foreign_film("Hamlet", "Hamlet", 1990)
    foreign_film("Hamlet", "Hamlet", 1990)
    foreign_film("Hamlet Goes Business", "Hamlet", 1990)

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="Roma", release_year="2018"),
        fx.streaming_row(show_id="s2", title="Hamlet", release_year="1990"),
    )

    assert matches() == {"s1": roma.pk, "s2": None}


def test_films_found_by_original_title_obey_the_people_rules(tmp_path: Path) -> None:
    foreign_film("The Host", "Gwoemul", 2006, directors=("Someone Else",))
    bong = foreign_film("Monster", "Gwoemul", 2006, directors=("Bong Joon-ho",))
    foreign_film("The Wave", "Bølgen", 2015, directors=("Roar Uthaug",))

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="Gwoemul", release_year="2006", director="Bong Joon Ho"),
        fx.streaming_row(show_id="s2", title="Bølgen", release_year="2015", director="Kathryn Bigelow"),
    )

    assert matches() == {"s1": bong.pk, "s2": None}
    assert StreamingTitle.objects.get(show_id="s2").directors_differ


def test_an_edition_after_a_dash_is_read_past_and_a_part_is_not(tmp_path: Path) -> None:
    kingdom = film("Kingdom of Heaven", 2005)
    film("The Days of Noah: The Flood", 2019)
    film("The Beatles: Eight Days a Week", 2016)

    import_titles(
        tmp_path,
        fx.streaming_row(show_id="s1", title="Kingdom of Heaven - Director's Cut", release_year="2005"),
        fx.streaming_row(show_id="s2", title="The Days of Noah: The Flood - Part 1 of 4", release_year="2019"),
        fx.streaming_row(show_id="s3", title="The Beatles: Eight Days a Week - The Touring Years", release_year="2016"),
    )

    assert matches() == {"s1": kingdom.pk, "s2": None, "s3": None}


def test_a_summary_without_streaming_films_says_nothing_of_them(tmp_path: Path) -> None:
    fx.write_text(tmp_path / "credits.csv", "\n".join([fx.CREDITS_HEADER, fx.UNKNOWN_FILM_CREDITS]) + "\n")
    out = io.StringIO()

    call_command("import_catalog", str(tmp_path), stdout=out)

    assert ImportRun.objects.get().streaming_match == {"films": 0, "matched": 0, "directors_differ": 0, "changed": 0}
    assert "Streaming" not in out.getvalue()
