"""Genre names as shown to people: the stored name (TMDB's or MovieLens's English) translated.

The stored name stays what the source wrote and is what filters and the API
send; only the label shown is translated. A name not listed here is shown as is.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from catalog.text import normalize_title

GENRE_LABELS: dict[str, Promise] = {
    # TMDB's genres.
    "Action": pgettext_lazy("genre", "Action"),
    "Adventure": pgettext_lazy("genre", "Adventure"),
    "Animation": pgettext_lazy("genre", "Animation"),
    "Comedy": pgettext_lazy("genre", "Comedy"),
    "Crime": pgettext_lazy("genre", "Crime"),
    "Documentary": pgettext_lazy("genre", "Documentary"),
    "Drama": pgettext_lazy("genre", "Drama"),
    "Family": pgettext_lazy("genre", "Family"),
    "Fantasy": pgettext_lazy("genre", "Fantasy"),
    "Foreign": pgettext_lazy("genre", "Foreign"),
    "History": pgettext_lazy("genre", "History"),
    "Horror": pgettext_lazy("genre", "Horror"),
    "Music": pgettext_lazy("genre", "Music"),
    "Mystery": pgettext_lazy("genre", "Mystery"),
    "Romance": pgettext_lazy("genre", "Romance"),
    "Science Fiction": pgettext_lazy("genre", "Science Fiction"),
    "TV Movie": pgettext_lazy("genre", "TV Movie"),
    "Thriller": pgettext_lazy("genre", "Thriller"),
    "War": pgettext_lazy("genre", "War"),
    "Western": pgettext_lazy("genre", "Western"),
    # MovieLens's other spellings and genres.
    "Children": pgettext_lazy("genre", "Children"),
    "Children's": pgettext_lazy("genre", "Children"),
    "Film-Noir": pgettext_lazy("genre", "Film-Noir"),
    "IMAX": pgettext_lazy("genre", "IMAX"),
    "Musical": pgettext_lazy("genre", "Musical"),
    "Sci-Fi": pgettext_lazy("genre", "Science Fiction"),
    "unknown": pgettext_lazy("genre", "Unknown"),
    "(no genres listed)": pgettext_lazy("genre", "No genre listed"),
}


def genre_label(name: str) -> str:
    """The genre's name in the active language ("War" -> "Bélica" in Spanish)."""
    label = GENRE_LABELS.get(name)
    return name if label is None else str(label)


def genre_names_called(text: str) -> set[str]:
    """The stored genre names a reader may mean by `text`: its label in any site language, accents and
    case aside ("accion" and "Acción" -> Action; "ciencia ficción" -> Science Fiction and Sci-Fi)."""
    return _stored_names_by_label().get(normalize_title(text), set())


@cache
def _stored_names_by_label() -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for stored, label in GENRE_LABELS.items():
                names.setdefault(normalize_title(str(label)), set()).add(stored)
    return names
