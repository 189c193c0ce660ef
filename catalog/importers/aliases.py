"""Films a curator merged away (catalog.models.MovieAlias): their external ids lead imports to the film kept.

A row of a file that names a merged film by an id the film kept could not take
(it holds its own) is the film kept's: the film-list importers leave it
unchanged (the film kept has its own row in its own id), and the links and
the dataset ratings find the film kept through it. Without this, a re-import
after a merge would create the duplicate again.
"""

from __future__ import annotations

from collections.abc import Iterable

from catalog.models import MovieAlias

ALIASED_ID_FIELDS = ("tmdb_id", "movielens_id", "ml100k_id")


def merged_film_ids(field: str, keys: Iterable[int] | None = None) -> dict[int, int]:
    """Ids of `field` (tmdb_id, movielens_id, ml100k_id) of merged films, to the film kept; among `keys` if given."""
    if field not in ALIASED_ID_FIELDS:
        raise ValueError(f"films are not merged by {field}")
    # Curators' merges are few: all of them are read, rather than a query holding every id of a file
    # (SQLite refuses more than 32,766 parameters, and The Movies Dataset has 45,000 films).
    merged = dict(MovieAlias.objects.filter(**{f"{field}__isnull": False}).values_list(field, "movie_id"))
    if keys is None:
        return merged
    return {key: merged[key] for key in set(keys) if key in merged}
