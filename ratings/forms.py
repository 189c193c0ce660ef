"""Forms for rating a film and importing ratings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ratings.models import ALLOWED_SCORES

SCORE_CHOICES = [(f"{score:g}", f"{score:g}") for score in ALLOWED_SCORES]
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Your rating"), choices=SCORE_CHOICES, coerce=float)


class RatingsImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: title, year, rating — or imdb_id / tmdb_id and rating. Ratings 0.5 to 5."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload
