"""Template helpers for film pages: posters, rating steps, money and return figures."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.templatetags.static import static
from django.utils import formats
from django.utils.translation import gettext as _

from catalog import cards
from catalog.genres import genre_label as _genre_label
from catalog.languages import language_label as _language_label
from catalog.languages import language_tag as _language_tag
from catalog.models import Movie
from ratings.models import ALLOWED_SCORES

register = template.Library()

# (value as posted, value as stored, which half of a star): "1.5" must never be localised to "1,5".
SCORE_STEPS = [
    (f"{score:g}", score, "left" if index % 2 == 0 else "right") for index, score in enumerate(ALLOWED_SCORES)
]


@register.simple_tag
def poster_url(movie: Movie) -> str:
    """TMDB's image when the film has a poster path and an image host is configured, else the local placeholder."""
    if movie.poster_path and settings.TMDB_IMAGE_BASE_URL:
        return settings.TMDB_IMAGE_BASE_URL.rstrip("/") + "/" + movie.poster_path.lstrip("/")
    return static("img/poster-placeholder.svg")


@register.filter
def card_key(movie: Movie) -> str:
    return cards.card_key(movie)


@register.simple_tag
def score_steps() -> list[tuple[str, float, str, str]]:
    """(posted value, stored value, star half, accessible label) for the ten half-star radio inputs."""
    return [
        (value, number, half, _("%(score)s out of 5") % {"score": score_label(number)})
        for value, number, half in SCORE_STEPS
    ]


@register.filter
def money(value: int | None) -> str:
    """Whole US dollars with thousands separators; '—' when unknown (0)."""
    if not value:
        return "—"
    return f"${intcomma(int(value))}"


@register.filter
def count_label(value: int | None) -> str:
    """A count as the active language groups its digits: 45,466 (45 466 in Spanish); a bare 45466 read as a code."""
    return formats.number_format(value or 0, use_l10n=True, force_grouping=True)


@register.filter
def score_label(value: float | None) -> str:
    """A score as people write it in the active language: 4, 3.5 (3,5 in Spanish); never the posted value."""
    return "" if value is None else formats.number_format(Decimal(f"{value:g}"), use_l10n=True)


@register.filter
def genre_label(name: str) -> str:
    """A stored genre name as shown in the active language."""
    return _genre_label(name)


@register.filter
def language_tag(code: str) -> str:
    """A stored language code as a `lang` attribute's value ("" when it names no language)."""
    return _language_tag(code)


@register.filter
def language_label(code: str) -> str:
    """An ISO 639-1 code as the language's name in the active language."""
    return _language_label(code)
