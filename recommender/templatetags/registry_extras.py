"""Template helpers for the staff model registry page."""

from __future__ import annotations

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def metric(value: object) -> object:
    """A float metric rounded to 4 decimals in the active language's format; any other value as it is.

    Metrics are stored at full precision (0.9414671659469604), which made the page
    wider than a phone for no information gained.
    """
    if isinstance(value, float):
        return formats.number_format(round(value, 4))
    return value
