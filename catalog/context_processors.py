"""Template context shared by the catalog's pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def catalog_fragments(request: HttpRequest) -> dict[str, float]:
    """How long a rendered film card or browse-filter form is reused: as long as the catalog snapshot.

    The fragments are the same for every visitor; their keys name the film's
    last edit (or the filters' values) and the language, so an edited title
    shows at once and only a change of genres waits this long.
    """
    return {"catalog_fragment_ttl": settings.RECOMMENDER_CATALOG_TTL}
