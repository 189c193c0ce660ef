"""List the films that may be one film, for operators: the pairs the admin's "Possible duplicates" page shows.

    python manage.py find_duplicate_films

One line per pair, strongest reason first (catalog.selectors.film_possible_duplicates),
then the count. Nothing is merged: a curator decides each pair on that page.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from catalog.models import Movie
from catalog.selectors import film_possible_duplicates, films_of_pairs


def _film(movie: Movie) -> str:
    return f"{movie.pk} {movie} [TMDB {movie.tmdb_id or '-'}, IMDb {movie.imdb_id or '-'}]"


class Command(BaseCommand):
    help = "List the pairs of films that may be one film, with the reason; merges nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        pairs = film_possible_duplicates()
        films = films_of_pairs(pairs=pairs)
        for pair in pairs:
            first, second = films.get(pair.first_id), films.get(pair.second_id)
            if first is not None and second is not None:
                self.stdout.write(f"{_film(first)}  ~  {_film(second)}: {pair.reason.label}")
        self.stdout.write(
            self.style.SUCCESS(f"{len(pairs)} possible duplicate pair(s); curators decide them in the admin.")
        )
