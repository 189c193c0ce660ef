"""The `{% title_error_prefix %}` tag: "Error: " before a page's title when a form on it has errors.

WCAG 3.3.1 practice: the title is the first thing a screen reader says of a
re-rendered page, so a form sent back with errors says so there. base.html
uses it once, for every page that draws a form from its context.
"""

from __future__ import annotations

from django import template
from django.forms import BaseForm, BaseFormSet
from django.utils.translation import gettext as _

register = template.Library()


def context_has_form_errors(context: template.Context) -> bool:
    """Whether a bound form or formset in the context has errors.

    type() rather than isinstance(): the latter would evaluate lazy values
    such as csrf_token, which sets a CSRF cookie on pages that have no form.
    """
    for layer in context.dicts:
        for value in layer.values():
            if issubclass(type(value), BaseForm | BaseFormSet) and value.is_bound and not value.is_valid():
                return True
    return False


@register.simple_tag(takes_context=True)
def title_error_prefix(context: template.Context) -> str:
    # Translators: put before a page's title when a form on the page has errors; keep the space.
    return _("Error: ") if context_has_form_errors(context) else ""
