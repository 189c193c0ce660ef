"""Film cards (templates/catalog/_movie_card.html) are cached as rendered HTML; this names them.

A card's film part (poster, title, year, genres) is the same for every
visitor, so it is kept in the per-process fragment cache under the film, its
last edit and the language (see catalog.context_processors for how long).
Knowing which cards are already kept lets a page load genres only for the
films it will actually draw.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.cache import caches
from django.core.cache.utils import make_template_fragment_key
from django.db.models import prefetch_related_objects
from django.utils.translation import get_language

from catalog.models import Movie

CARD_FRAGMENT = "film-card"


def card_key(movie: Movie) -> str:
    """The card's part of its cache key, as in the template's `{% cache ... film-card movie|card_key %}`.

    The fragment's name is unquoted there: the tag takes it as written, quotes included.
    """
    return f"{movie.pk}:{movie.updated_at.timestamp()}:{get_language()}"


def cards_genres_prefetch(movies: Sequence[Movie]) -> None:
    """Load the genres of the films whose card is not cached yet (one query, none when all are)."""
    keys = {make_template_fragment_key(CARD_FRAGMENT, [card_key(movie)]): movie for movie in movies}
    cached = caches["template_fragments"].get_many(list(keys))
    missing = [movie for key, movie in keys.items() if key not in cached]
    if missing:
        prefetch_related_objects(missing, "genres")
