"""catalog.text.title_key_undecorated: a streaming title's key without the platform's decorations."""

from __future__ import annotations

import pytest

from catalog.text import title_key_undecorated


@pytest.mark.parametrize(
    ("on_the_platform", "year", "undecorated"),
    [
        # Picture format (Prime Video).
        ("Thappad (4K UHD)", 2020, "thappad"),
        ("The World is Not Enough (4K UHD)", 1999, "the world is not enough"),
        ("Heat (HD)", 1995, "heat"),
        # Subtitles, dubbing and the language of the version.
        ("Amélie [English Subtitled]", 2001, "amelie"),
        ("Amélie (Subtitled)", 2001, "amelie"),
        ("Akira (Dubbed)", 1988, "akira"),
        ("(Dub) Mass Effect: Paragon Lost", 2013, "mass effect paragon lost"),
        ("Seven (Telugu)", 2019, "seven"),
        ("Master (Malayalam)", 2021, "master"),
        # Editions.
        ("Aliens (Extended Edition)", 1986, "aliens"),
        ("Kingdom of Heaven (Director's Cut)", 2005, "kingdom of heaven"),
        ("Kingdom of Heaven (Director\u2019s Cut)", 2005, "kingdom of heaven"),
        ("Payback (Theatrical Version)", 1999, "payback"),
        ("Ghost Team (Unrated)", 2016, "ghost team"),
        ("Grease (40th Anniversary Edition)", 1978, "grease"),
        ("Grease (Special Edition)", 1978, "grease"),
        # The film's year, or the year next to it.
        ("Amazing Grace (1974)", 1974, "amazing grace"),
        ("Kindred Spirits (2019)", 2020, "kindred spirits"),
        # Two notes.
        ("Blade Runner (Director's Cut) (4K UHD)", 1982, "blade runner"),
        # The same notes after a spaced hyphen or dash.
        ("Kingdom of Heaven - Director's Cut", 2005, "kingdom of heaven"),
        ("Aliens \u2013 Extended Edition", 1986, "aliens"),
        ("Saaho \u2014 Hindi", 2019, "saaho"),
        ("Amazing Grace - 1974", 1974, "amazing grace"),
        ("Thappad - 4K UHD (Hindi)", 2020, "thappad"),
        ("Spider-Man - HD", 2002, "spider man"),
        # A studio's or author's name before the title.
        ("Marvel's Iron Man & Hulk: Heroes United", 2013, "iron man and hulk heroes united"),
        ("Marvel Studios\u2019 Captain America: The Winter Soldier", 2014, "captain america the winter soldier"),
        ("Disney's The Kid", 2000, "the kid"),
        ("Disney\u2022Pixar\u2019s Up", 2009, "up"),
        ("Walt Disney`s Fantasia", 1940, "fantasia"),
        ("Dr. Seuss' The Lorax", 2012, "the lorax"),
        ("Disney's 101 Dalmatians (4K UHD)", 1996, "101 dalmatians"),
    ],
)
def test_it_reads_past_a_platform_decoration(on_the_platform: str, year: int, undecorated: str) -> None:
    assert title_key_undecorated(on_the_platform, year) == undecorated


@pytest.mark.parametrize(
    ("title", "year"),
    [
        # The bracket or the punctuation is the title itself.
        ("(500) Days of Summer", 2009),
        ("Airplane!", 1980),
        ("Star Wars: The Rise of Skywalker (Episode IX)", 2019),
        ("Puzzle (L'uomo Senza Memoria)", 2021),
        ("Pinkfong! Super Wheels (Cars, Trucks, Buses and More)", 2020),
        ("Thalía 'Viva Tour' (En Vivo)", 2014),
        ("Showtime Championship Boxing: Lopez vs. Salido (R)", 2011),
        ("The Nightmare Before Christmas (Special)", 1993),
        # A year that is not the film's: another film's year, or a title of years.
        ("Amazing Grace (1984)", 1974),
        ("Amazing Grace (1974)", None),
        # A possessive that is part of the title, or a studio's name not followed by a title.
        ("Pan's Labyrinth", 2006),
        ("Teacher's Pet", 2004),
        ("Donald's Dog Laundry", 1940),
        ("Marvel's", 2012),
        ("Disney's own story", 2012),
        # What follows a dash is the title's own, or a part of the film rather than the film.
        ("The Beatles: Eight Days a Week - The Touring Years", 2016),
        ("Pok\u00e9mon: Mewtwo Strikes Back - Evolution", 2019),
        ("Free Willy 2 - The Adventure Home", 1995),
        ("Mission: Impossible \u2013 Fallout", 2018),
        ("LEGO Star Wars: The New Yoda Chronicles \u2013 Duel of the Skywalkers", 2014),
        ("The Days of Noah: The Flood - Part 1 of 4", 2019),
        ("Act 5 - Series 1", 2021),
        ("Woodstock - 1969", 1972),
        # An unspaced hyphen joins words: no note.
        ("Director-Cut", 2005),
        # Nothing left once the note goes.
        ("(Subtitled)", 2001),
        ("[4K UHD]", 2001),
    ],
)
def test_it_has_nothing_to_read_past_in_a_plain_title(title: str, year: int | None) -> None:
    assert title_key_undecorated(title, year) == ""
