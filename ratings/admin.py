"""Admin for ratings. DatasetRating holds tens of millions of rows: its list never
counts the whole table, shows raw ids instead of joining films, and searches by
exact rater id only; users' rows by (part of) a username or title."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from moviesite.admin_lists import EstimatedCountPaginator
from ratings.models import ALLOWED_SCORES, DatasetRating, Dismissal, Rating, WatchlistEntry
from ratings.selectors import dataset_ratings_of_rater, dataset_ratings_of_source, rows_of_user_or_film_named
from ratings.services import rating_delete, rating_set, ratings_delete, score_validate


class ScoreFilter(admin.SimpleListFilter):
    title = _("score")
    parameter_name = "score"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(score), str(score)) for score in sorted(ALLOWED_SCORES)]

    def queryset(self, request: Any, queryset: QuerySet[Rating]) -> QuerySet[Rating]:
        value = self.value()
        return queryset.filter(score=float(value)) if value in {str(score) for score in ALLOWED_SCORES} else queryset


SEARCH_USER_OR_FILM = _("A username or a film's title, or three letters or more of one (accents and case ignored).")


class UserOrFilmSearch:
    """Search users' rows or films' by (part of) the username or the title, through indexes."""

    def get_search_results(self, request: Any, queryset: QuerySet[Any], search_term: str) -> tuple[QuerySet[Any], bool]:
        if not search_term.strip():
            return queryset, False
        return rows_of_user_or_film_named(rows=queryset, name=search_term), False


class RatingAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("score") is not None:
            # The site's own message, not the database constraint's name.
            cleaned["score"] = score_validate(cleaned["score"])
        return cleaned


@admin.register(Rating)
class RatingAdmin(UserOrFilmSearch, admin.ModelAdmin):
    """A user's ratings: written through ratings.services, so the film's figures follow as on the site."""

    form = RatingAdminForm
    list_display = ["user", "movie", "score", "updated_at"]
    # Fixed choices: neither filter reads the table to find what to offer (no DISTINCT, no date_hierarchy).
    list_filter = [ScoreFilter, ("created_at", admin.DateFieldListFilter)]
    search_fields = ["user__username", "movie__title_search"]
    search_help_text = SEARCH_USER_OR_FILM
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" would count every rating once per filter choice, however many the users rated.
    show_facets = admin.ShowFacets.NEVER

    def get_readonly_fields(self, request: Any, obj: Rating | None = None) -> list[str]:
        """A rating is one user's opinion of one film: only its score can change."""
        return ["user", "movie"] if obj is not None else []

    def save_model(self, request: Any, obj: Rating, form: Any, change: bool) -> None:
        rating, _created = rating_set(user=obj.user, movie=obj.movie, score=obj.score)
        obj.pk, obj.created_at, obj.updated_at = rating.pk, rating.created_at, rating.updated_at

    def delete_model(self, request: Any, obj: Rating) -> None:
        rating_delete(user=obj.user, movie=obj.movie)

    def delete_queryset(self, request: Any, queryset: QuerySet[Rating]) -> None:
        ratings_delete(ratings=queryset)


class DatasetSourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request: Any, model_admin: Any) -> list[tuple[str, str]]:
        return [(str(source.value), str(source.label)) for source in DatasetRating.Source]

    def queryset(self, request: Any, queryset: QuerySet[DatasetRating]) -> QuerySet[DatasetRating]:
        value = self.value()
        if value is None:
            return queryset
        return dataset_ratings_of_source(ratings=queryset, source=int(value)) if value.isdigit() else queryset.none()


@admin.register(DatasetRating)
class DatasetRatingAdmin(admin.ModelAdmin):
    """Filtered by source and searched by rater through ranges of the packed key (its index), sorted by key only:
    a sort or filter on any other column read tens of millions of rows."""

    list_display = ["pk", "source", "rater_id", "movie_id", "score", "rated_at"]
    list_filter = [DatasetSourceFilter]
    search_fields = ["=rater_id"]
    search_help_text = _("A rater id, exactly.")
    raw_id_fields = ["movie"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" ran one COUNT per source over the whole table: over 12 minutes on 3M ratings.
    show_facets = admin.ShowFacets.NEVER
    ordering = ["-pk"]
    sortable_by = ["pk"]
    list_per_page = 100

    def get_search_results(
        self, request: Any, queryset: QuerySet[DatasetRating], search_term: str
    ) -> tuple[QuerySet[DatasetRating], bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        if not term.isdigit():
            return queryset.none(), False
        return dataset_ratings_of_rater(ratings=queryset, rater_id=int(term)), False

    def has_add_permission(self, request: Any) -> bool:
        """Dataset ratings come only from the imported files: the next import would undo an edit here.

        They are also counted into the films' figures only at an import. To fix
        one, fix the file and import it again.
        """
        return False

    def has_change_permission(self, request: Any, obj: DatasetRating | None = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: DatasetRating | None = None) -> bool:
        return False


@admin.register(WatchlistEntry)
class WatchlistEntryAdmin(UserOrFilmSearch, admin.ModelAdmin):
    list_display = ["user", "movie", "added_at"]
    search_fields = ["user__username", "movie__title_search"]
    search_help_text = SEARCH_USER_OR_FILM
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]


@admin.register(Dismissal)
class DismissalAdmin(UserOrFilmSearch, admin.ModelAdmin):
    list_display = ["user", "movie", "created_at"]
    search_fields = ["user__username", "movie__title_search"]
    search_help_text = SEARCH_USER_OR_FILM
    raw_id_fields = ["user", "movie"]
    list_select_related = ["user", "movie"]
