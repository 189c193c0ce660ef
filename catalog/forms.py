"""Forms of the catalog pages: the browse filters."""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.genres import genre_label
from catalog.languages import language_label
from catalog.selectors import FilterFacets, MovieFilters

SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("popularity", _("Popularity")),
    ("weighted", _("Rating")),
    ("year", _("Newest first")),
    ("-year", _("Oldest first")),
    ("title", _("Title")),
]
MIN_YEAR, MAX_YEAR = 1870, 2100


class MovieFilterForm(forms.Form):
    q = forms.CharField(label=_("Title"), required=False, max_length=200)
    genre = forms.ChoiceField(label=_("Genre"), required=False)
    year_from = forms.IntegerField(label=_("From year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    year_to = forms.IntegerField(label=_("To year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR)
    language = forms.ChoiceField(label=_("Original language"), required=False)
    platform = forms.MultipleChoiceField(label=_("Streaming on"), required=False, widget=forms.CheckboxSelectMultiple)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: object, facets: FilterFacets, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.facets = facets
        any_choice = [("", _("Any"))]
        self.fields["genre"].choices = any_choice + [(name, genre_label(name)) for name in facets.genres]  # type: ignore[attr-defined]
        languages = sorted(
            ((code, language_label(code)) for code in facets.languages), key=lambda choice: choice[1].casefold()
        )
        self.fields["language"].choices = any_choice + languages  # type: ignore[attr-defined]
        self.fields["platform"].choices = facets.platforms  # type: ignore[attr-defined]
        self.fields["year_from"].widget.attrs.update(placeholder=str(MIN_YEAR), inputmode="numeric")
        self.fields["year_to"].widget.attrs.update(placeholder=str(MAX_YEAR), inputmode="numeric")

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(_("'From year' must not be after 'To year'."))
        return data

    def fragment_key(self) -> str:
        """All the rendered form depends on besides the language: the values sent and the choices offered.

        The browse page caches the form's HTML under it (drawing its selects
        through Django's widget templates cost about a fifth of the page).
        """
        sent = sorted((name, self.data.getlist(name)) for name in self.fields if name in self.data)  # type: ignore[attr-defined]
        facets = [self.facets.genres, self.facets.languages, self.facets.platforms]
        return hashlib.sha256(json.dumps([self.is_bound, sent, facets]).encode()).hexdigest()

    def to_filters(self) -> MovieFilters:
        """The valid filters; a field that did not validate is left out rather than failing the page."""
        data = self.cleaned_data if self.is_bound else {}
        return MovieFilters(
            query=data.get("q") or "",
            genre=data.get("genre") or "",
            year_from=data.get("year_from"),
            year_to=data.get("year_to"),
            language=data.get("language") or "",
            platforms=tuple(data.get("platform") or ()),
            sort=data.get("sort") or "relevance",
        )
