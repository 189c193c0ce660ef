"""Admin for the catalog: every model searchable and filterable, credits inline on a film,
import runs with their counts and rejects, and the curators' safe fixes (merge two
people or two films, hide a film from recommendations, fix a streaming title's film)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from catalog.genres import genre_names_called
from catalog.languages import language_label
from catalog.models import (
    Collection,
    Company,
    Country,
    Credit,
    DistinctFilmPair,
    Genre,
    ImportRun,
    Keyword,
    KnowledgeFact,
    Language,
    Movie,
    MovieAlias,
    MovieLensLink,
    Person,
    PersonAlias,
    Platform,
    StreamingTitle,
)
from catalog.selectors import (
    credits_of_name,
    film_possible_duplicates,
    films_of_pairs,
    movie_credits_first,
    movie_filter_facets,
)
from catalog.services import (
    curated_fields_add,
    curated_fields_clear,
    film_merge,
    film_merge_order,
    film_pair_dismiss,
    movie_curator_save,
    movie_hidden_set,
    movies_credits_curate,
    movies_delete,
    person_films_touch,
    person_merge,
    streaming_title_match_set,
    streaming_titles_unlock,
)
from catalog.text import normalize_title, title_key
from moviesite.admin_lists import EstimatedCountPaginator, deleted_objects_summarised
from ratings.models import DatasetRating, Dismissal, Rating, WatchlistEntry

# Credits listed on a film's admin page; the rest are one link away.
CREDITS_SHOWN = 30


class TitleSearchAccentsAside:
    """The admin's search, plus the whole search term against the normalised title.

    Django's search compares each word with `icontains`: SQLite ignores case
    only in ASCII ('AÑO' missed 'Año bisiesto') and the stored key has no
    accents, so a title typed with accents the catalog does not write ('Léon'
    for 'Leon: The Professional') was missed on every database.
    """

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Any], search_term: str) -> Any:
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)  # type: ignore[misc]
        needle = title_key(search_term)
        if needle:
            results = results | queryset.filter(title_search__contains=needle)
        return results, may_have_duplicates


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "tmdb_id", "film_count"]
    search_fields = ["name"]
    search_help_text = _(
        "The name as stored, or as the site shows it in English or Spanish (accents and case ignored)."
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Genre]:
        return super().get_queryset(request).annotate(film_count=Count("movies"))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Genre], search_term: str
    ) -> tuple[QuerySet[Genre], bool]:
        """Also the genres the site names so: a Spanish curator looks for 'Acción', the row says 'Action'."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return results | queryset.filter(name__in=genre_names_called(search_term)), may_have_duplicates

    @admin.display(description=_("films"), ordering="film_count")
    def film_count(self, genre: Genre) -> int:
        return genre.film_count  # type: ignore[attr-defined]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["name", "tmdb_id"]
    search_fields = ["name", "=tmdb_id"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "tmdb_id"]
    search_fields = ["name", "=tmdb_id"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    list_display = ["name", "tmdb_id"]
    search_fields = ["name", "=tmdb_id"]


def log_changes(request: HttpRequest, records: list[Any], *, fields: list[str]) -> None:
    """Write an action's change into each record's admin history, as the change form does (actions are not logged).

    Fields are stored by their English verbose name, which the history page translates.
    """
    if not records or request.user.pk is None:
        return
    meta = records[0]._meta
    with translation.override(None):
        names = [str(meta.get_field(name).verbose_name) for name in fields]
    LogEntry.objects.log_actions(
        user_id=request.user.pk,
        queryset=records,  # type: ignore[arg-type]
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": names}}],
    )


class KeptFromImports:
    """For the films', people's and streaming titles' admins: the curated fields, in the curator's language."""

    @admin.display(description=_("fields kept from imports"))
    def kept_from_imports(self, record: Movie | Person | StreamingTitle) -> str:
        labels = {field.name: getattr(field, "verbose_name", None) for field in record._meta.get_fields()}
        labels["credits"] = _("credits")  # a relation, not a field
        return ", ".join(str(labels.get(name) or name) for name in record.curated_fields) or "—"


@admin.action(
    description=_("Let imports change the curators' fixes of the selected items again"), permissions=["change"]
)
def let_imports_update(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Any]) -> None:
    records = list(queryset.exclude(curated_fields=[]))
    released = curated_fields_clear(records=queryset.filter(pk__in=[record.pk for record in records]))
    log_changes(request, records, fields=["curated_fields"])
    modeladmin.message_user(
        request,
        ngettext(
            "The next import may change every field of %d item again.",
            "The next import may change every field of %d items again.",
            released,
        )
        % released,
    )


def movies_deleted_objects(
    objs: Any, request: HttpRequest, admin_site: admin.AdminSite
) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
    """The films' delete page: credits, users' ratings, watchlists and dismissals counted, not listed.

    The dataset ratings are not read at all: they have no index by film (catalog.importers:
    the bulk load's cost), and a popular film has tens of thousands, so they are counted from
    the films. The deletion itself still removes them (one scan, as the model says).
    """
    return deleted_objects_summarised(
        objs,
        request,
        admin_site,
        counted=[Credit, Rating, WatchlistEntry, Dismissal],
        known_counts={DatasetRating: sum(movie.dataset_ratings_count for movie in objs)},
    )


# The release statuses TMDB gives a film (The Movies Dataset has no other); the column is free text.
MOVIE_STATUSES = {
    "Released": pgettext_lazy("film status", "Released"),
    "Post Production": pgettext_lazy("film status", "Post Production"),
    "In Production": pgettext_lazy("film status", "In Production"),
    "Planned": pgettext_lazy("film status", "Planned"),
    "Rumored": pgettext_lazy("film status", "Rumored"),
    "Canceled": pgettext_lazy("film status", "Canceled"),
}


class MovieStatusFilter(admin.SimpleListFilter):
    """TMDB's statuses as fixed choices, and one for any other or none.

    Django's filter for the field listed the distinct values of the column: a read of every
    film on each page of the list.
    """

    title = _("status")
    parameter_name = "status"
    OTHER = "other"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Movie]) -> list[tuple[str, Any]]:
        return [*MOVIE_STATUSES.items(), (self.OTHER, _("No status or another"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Movie]) -> QuerySet[Movie]:
        value = self.value()
        if value is None:
            return queryset
        if value == self.OTHER:
            return queryset.exclude(status__in=MOVIE_STATUSES)
        return queryset.filter(status=value)


class MovieGenreFilter(admin.SimpleListFilter):
    """A genre's films as `id IN` the genre's rows of the films-genres table.

    Django's filter for the many-to-many joined that table, so the list and its count
    selected DISTINCT every column of the matching films (0.13 s for the count alone at 45,000 films).
    """

    title = _("genres")
    parameter_name = "genres__id__exact"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Movie]) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in Genre.objects.order_by("name").values_list("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Movie]) -> QuerySet[Movie]:
        value = self.value()
        if value is None:
            return queryset
        if not value.isdigit():
            return queryset.none()
        return queryset.filter(pk__in=Movie.genres.through.objects.filter(genre_id=int(value)).values("movie_id"))


class MovieLanguageFilter(admin.SimpleListFilter):
    """The original languages the browse page offers, from its cached facets (at most FACETS_CACHE_SECONDS old).

    Django's filter for the field read the distinct languages of every film on each page of
    the list. A language new since the facets were read still filters when asked for.
    """

    title = _("original language")
    parameter_name = "original_language"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin[Movie]) -> list[tuple[str, str]]:
        return [(code, f"{language_label(code)} ({code})") for code in movie_filter_facets().languages]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Movie]) -> QuerySet[Movie]:
        value = self.value()
        return queryset if value is None else queryset.filter(original_language=value)


class MovieAdminForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        date, year = cleaned.get("release_date"), cleaned.get("release_year")
        if date and year and date.year != year:
            # Imports derive the year from the date; pages and analytics read one or the other.
            self.add_error(
                "release_year",
                _("The release year must be the release date's year (%(year)d): change both, or clear the date.")
                % {"year": date.year},
            )
        return cleaned


class FilmPairDecisionForm(forms.Form):
    """A curator's decision on one pair of the possible duplicates: merge them, or they are different films."""

    MERGE, DIFFERENT = "merge", "different"

    first = forms.ModelChoiceField(queryset=Movie.objects.all())
    second = forms.ModelChoiceField(queryset=Movie.objects.all())
    decision = forms.ChoiceField(choices=[(MERGE, _("Merge")), (DIFFERENT, _("Not the same film"))])
    page = forms.IntegerField(min_value=1, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        if cleaned.get("first") is not None and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("A pair needs two different films."))
        return cleaned


DUPLICATES_PER_PAGE = 50


@admin.register(Movie)
class MovieAdmin(TitleSearchAccentsAside, KeptFromImports, admin.ModelAdmin):
    form = MovieAdminForm
    list_display = [
        "title",
        "release_year",
        "tmdb_id",
        "ml100k_id",
        "popularity",
        "vote_average",
        "ratings_count",
        "ratings_average",
        "is_hidden",
    ]
    list_filter = ["is_hidden", MovieGenreFilter, MovieStatusFilter, "adult", MovieLanguageFilter]
    search_fields = ["title", "title_search", "original_title", "=tmdb_id", "=imdb_id", "=movielens_id", "=ml100k_id"]
    readonly_fields = [
        "title_search",
        "ratings_count",
        "ratings_average",
        "kept_from_imports",
        "created_at",
        "updated_at",
        "credits_summary",
    ]
    raw_id_fields = ["collection"]
    autocomplete_fields = ["genres", "companies", "countries", "spoken_languages", "keywords"]
    # "Show counts" counted every film once per filter choice: 1.3 s on 45,000 films.
    show_facets = admin.ShowFacets.NEVER
    # "x of 45,000": a second count of every film on each filtered or searched page.
    show_full_result_count = False
    actions = ["hide_from_recommendations", "show_in_recommendations", "merge_films", let_imports_update]
    list_per_page = 50

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        return movies_deleted_objects(objs, request, self.admin_site)

    def view_on_site(self, obj: Movie) -> str:  # type: ignore[override]
        """ "View on site" on a film's page: the curator sees the fix as visitors do."""
        return reverse("movie-detail", args=[obj.pk])

    def save_model(self, request: HttpRequest, obj: Movie, form: Any, change: bool) -> None:
        movie_curator_save(movie=obj, changed=form.changed_data if change else [])

    def delete_model(self, request: HttpRequest, obj: Movie) -> None:
        movies_delete(movies=Movie.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Movie]) -> None:
        movies_delete(movies=queryset)

    @admin.display(description=_("credits"))
    def credits_summary(self, movie: Movie) -> str:
        """The film's first credits as links, and links to all of them and to add one.

        Not an inline: a big cast and crew (hundreds of credits) posted back with
        the film went past DATA_UPLOAD_MAX_NUMBER_FIELDS, and the film could not be
        saved at all. Credits are edited on their own pages, 100 to a list page.
        """
        if movie.pk is None:
            return "—"
        shown, total = movie_credits_first(movie=movie, limit=CREDITS_SHOWN)
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            ((reverse("admin:catalog_credit_change", args=[credit.pk]), credit) for credit in shown),
        )
        all_credits = reverse("admin:catalog_credit_changelist") + f"?movie__id__exact={movie.pk}"
        add_credit = reverse("admin:catalog_credit_add") + f"?movie={movie.pk}"
        return format_html(
            '<ul>{}</ul><p><a href="{}">{}</a> · <a href="{}">{}</a></p>',
            items,
            all_credits,
            ngettext("Edit its %(count)d credit", "Edit its %(count)d credits", total) % {"count": total},
            add_credit,
            _("Add a credit"),
        )

    def has_merge_permission(self, request: HttpRequest) -> bool:
        """A merge deletes the duplicate: it needs both permissions (an action's list means any one of them)."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    def get_urls(self) -> list[Any]:
        duplicates = [
            path("duplicates/", self.admin_site.admin_view(self.duplicates_view), name="catalog_movie_duplicates"),
            path(
                "duplicates/decide/",
                self.admin_site.admin_view(self.duplicate_decide_view),
                name="catalog_movie_duplicate_decide",
            ),
        ]
        return [*duplicates, *super().get_urls()]

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        extra_context = {"can_review_duplicates": self.has_change_permission(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def duplicates_view(self, request: HttpRequest) -> HttpResponseBase:
        """Pairs of films that may be one film, strongest reason first, each to merge or to tell apart."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        page = Paginator(film_possible_duplicates(), DUPLICATES_PER_PAGE).get_page(request.GET.get("page"))
        pairs = list(page)
        films = films_of_pairs(pairs=pairs)
        # A film merged or deleted since the pairs were read leaves its pair out.
        rows = [
            (films[pair.first_id], films[pair.second_id], pair)
            for pair in pairs
            if pair.first_id in films and pair.second_id in films
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Possible duplicates"),
            "page": page,
            "rows": rows,
            "can_merge": self.has_merge_permission(request),
        }
        return TemplateResponse(request, "admin/catalog/movie/duplicates.html", context)

    def duplicate_decide_view(self, request: HttpRequest) -> HttpResponseBase:
        """Merge a pair of the possible duplicates (change and delete permissions), or mark it as two films."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        form = FilmPairDecisionForm(request.POST)
        if not form.is_valid():
            self.message_user(
                request,
                _("This pair is no longer there to decide on: one of its films was merged or deleted."),
                level=messages.ERROR,
            )
            return redirect("admin:catalog_movie_duplicates")
        first, second = form.cleaned_data["first"], form.cleaned_data["second"]
        if form.cleaned_data["decision"] == FilmPairDecisionForm.MERGE:
            if not self.has_merge_permission(request):
                raise PermissionDenied
            self.merge_two_films(request, [first, second])
        else:
            if not self.has_change_permission(request):
                raise PermissionDenied
            pair = film_pair_dismiss(first=first, second=second, user=request.user)  # type: ignore[arg-type]
            self.log_addition(request, pair, [{"added": {}}])
            self.message_user(
                request,
                _("%(first)s and %(second)s are marked as different films: the list leaves them out.")
                % {"first": first, "second": second},
            )
        back = reverse("admin:catalog_movie_duplicates")
        return redirect(f"{back}?page={form.cleaned_data['page']}" if form.cleaned_data["page"] else back)

    @admin.action(
        description=_("Merge the two selected films (keeps the one with a TMDB id, else the one with more ratings)"),
        permissions=["merge"],
    )
    def merge_films(self, request: HttpRequest, queryset: QuerySet[Movie]) -> None:
        films = list(queryset)
        if len(films) != 2:
            self.message_user(request, _("Select exactly two films to merge."), level=messages.ERROR)
            return
        self.merge_two_films(request, films)

    def merge_two_films(self, request: HttpRequest, films: list[Movie]) -> None:
        """Merge two films as the action does, logged and announced: the caller checked the merge permission."""
        keep, duplicate = film_merge_order(*films)
        duplicate_name, duplicate_id = str(duplicate), duplicate.pk
        with transaction.atomic():
            self.log_deletions(request, [duplicate])  # type: ignore[arg-type]
            keep = film_merge(keep=keep, duplicate=duplicate)
            self.log_change(
                request,
                keep,
                _("Merged %(duplicate)s (id %(id)s) into this film.")
                % {"duplicate": duplicate_name, "id": duplicate_id},
            )
        self.message_user(
            request,
            _("%(duplicate)s (id %(id)s) merged into %(keep)s (id %(keep_id)s), which was kept.")
            % {"duplicate": duplicate_name, "id": duplicate_id, "keep": keep, "keep_id": keep.pk},
        )

    @admin.action(description=_("Hide the selected films from recommendations"), permissions=["change"])
    def hide_from_recommendations(self, request: HttpRequest, queryset: QuerySet[Movie]) -> None:
        films = list(queryset.exclude(is_hidden=True))
        changed = movie_hidden_set(movies=films, hidden=True)
        log_changes(request, films, fields=["is_hidden"])
        self.message_user(request, ngettext("%d film hidden.", "%d films hidden.", changed) % changed)

    @admin.action(description=_("Show the selected films in recommendations again"), permissions=["change"])
    def show_in_recommendations(self, request: HttpRequest, queryset: QuerySet[Movie]) -> None:
        films = list(queryset.exclude(is_hidden=False))
        changed = movie_hidden_set(movies=films, hidden=False)
        log_changes(request, films, fields=["is_hidden"])
        self.message_user(request, ngettext("%d film shown again.", "%d films shown again.", changed) % changed)


def people_with_credit_counts(people: Iterable[Person]) -> list[Person]:
    """The people, each with `credit_count`: one GROUP BY over their credits (the person index)."""
    listed = list(people)
    counts = dict(Credit.objects.filter(person__in=listed).order_by().values_list("person").annotate(n=Count("pk")))
    for person in listed:
        person.credit_count = counts.get(person.pk, 0)  # type: ignore[attr-defined]
    return listed


class PersonChangeList(ChangeList):
    """The people list counts the credits of its page's people only.

    As a subquery in the list's SELECT it was also run for every row the page skips
    (OFFSET): page 200 of 200,000 people counted 20,000 people's credits, 1.0-1.7 s.
    """

    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        self.result_list = people_with_credit_counts(self.result_list)  # type: ignore[assignment]


@admin.register(Person)
class PersonAdmin(KeptFromImports, admin.ModelAdmin):
    list_display = ["name", "tmdb_id", "gender", "films_count", "credit_count"]
    search_fields = ["name_search", "=tmdb_id"]
    search_help_text = _("Part of the name (accents and case ignored), or a TMDB id.")
    # "x of 300,000": a second count of the whole table on every search.
    show_full_result_count = False
    # Nor a count of every person for the page links (0.03-0.35 s at 200,000 people).
    paginator = EstimatedCountPaginator
    readonly_fields = ["name_search", "kept_from_imports", "merged_tmdb_ids"]
    actions = ["merge_people", let_imports_update]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PersonChangeList

    def view_on_site(self, obj: Person) -> str:  # type: ignore[override]
        return reverse("person-detail", args=[obj.pk])

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        """The normalised name's `contains`, which PostgreSQL's trigram index serves (Django's icontains
        compares upper-cased columns, which no index holds, and read every person), or an exact TMDB id."""
        term = search_term.strip()
        if not term:
            return queryset, False
        matches = Q(name_search__contains=normalize_title(term))
        if term.isdigit():
            matches |= Q(tmdb_id=int(term))
        return queryset.filter(matches), False

    def get_deleted_objects(
        self, objs: Any, request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """A person's credits as one count: a prolific one has hundreds, each a query and a line."""
        return deleted_objects_summarised(objs, request, self.admin_site, counted=[Credit])

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if change and form.changed_data:
            curated_fields_add(record=obj, fields=form.changed_data)
            person_films_touch(person=obj)

    @admin.display(description=_("merged TMDB ids"))
    def merged_tmdb_ids(self, person: Person) -> str:
        """People merged into this one: imports credit this person for them."""
        return ", ".join(str(tmdb_id) for tmdb_id in person.aliases.values_list("tmdb_id", flat=True)) or "—"

    def has_merge_permission(self, request: HttpRequest) -> bool:
        """A merge deletes the duplicate: it needs both permissions (an action's list means any one of them)."""
        return self.has_change_permission(request) and self.has_delete_permission(request)

    @admin.display(description=_("credits"))
    def credit_count(self, person: Person) -> int:
        """Counted for the listed people only (PersonChangeList); not sortable: sorting by it counted every
        person's credits (the stored films_count sorts by its index instead)."""
        return person.credit_count  # type: ignore[attr-defined]

    @admin.action(
        description=_("Merge the two selected people (keeps the one with more credits)"),
        permissions=["merge"],
    )
    def merge_people(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people = sorted(people_with_credit_counts(queryset), key=lambda p: (-p.credit_count, p.pk))  # type: ignore[attr-defined]
        if len(people) != 2:
            self.message_user(request, _("Select exactly two people to merge."), level=messages.ERROR)
            return
        keep, duplicate = people
        duplicate_name, duplicate_id = str(duplicate), duplicate.pk
        self.log_deletions(request, [duplicate])  # type: ignore[arg-type]
        person_merge(keep=keep, duplicate=duplicate)
        self.log_change(
            request,
            keep,
            _("Merged %(duplicate)s (id %(id)s) into this person.") % {"duplicate": duplicate_name, "id": duplicate_id},
        )
        self.message_user(
            request, _("%(duplicate)s merged into %(keep)s.") % {"duplicate": duplicate_name, "keep": keep}
        )


@admin.register(MovieAlias)
class MovieAliasAdmin(admin.ModelAdmin):
    """Films merged into others; deleting one lets the next import create that film again from its ids."""

    list_display = ["merged_movie_id", "merged_title", "movie", "tmdb_id", "movielens_id", "ml100k_id", "merged_at"]
    search_fields = ["=merged_movie_id", "=tmdb_id", "=movielens_id", "=ml100k_id", "merged_title"]
    raw_id_fields = ["movie"]
    list_select_related = ["movie"]
    readonly_fields = ["merged_at"]


@admin.register(DistinctFilmPair)
class DistinctFilmPairAdmin(admin.ModelAdmin):
    """Pairs curators marked "Not the same film" on the possible duplicates; deleting one lists the pair again."""

    list_display = ["first_movie", "second_movie", "dismissed_by", "dismissed_at"]
    search_fields = ["=first_movie__id", "=second_movie__id", "first_movie__title", "second_movie__title"]
    list_select_related = ["first_movie", "second_movie", "dismissed_by"]
    readonly_fields = ["first_movie", "second_movie", "dismissed_by", "dismissed_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Pairs are made on the possible-duplicates page, which stores them in order."""
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PersonAlias)
class PersonAliasAdmin(admin.ModelAdmin):
    """Merged TMDB ids; deleting one lets the next credits import recreate that person."""

    list_display = ["tmdb_id", "person"]
    search_fields = ["=tmdb_id", "person__name"]
    raw_id_fields = ["person"]
    list_select_related = ["person"]


# TMDB's crew departments: the filter offers these instead of reading a million credits for them.
CREW_DEPARTMENTS = [
    "Actors", "Art", "Camera", "Costume & Make-Up", "Crew", "Directing", "Editing", "Lighting", "Production",
    "Sound", "Visual Effects", "Writing",
]  # fmt: skip


class DepartmentFilter(admin.SimpleListFilter):
    title = _("department")
    parameter_name = "department"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [(department, department) for department in CREW_DEPARTMENTS]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Credit]) -> QuerySet[Credit]:
        value = self.value()
        return queryset.filter(department=value) if value else queryset


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    """Credits one by one or 100 to a page (a film's page links here): every change is kept from imports.

    A million rows or more: the list never counts them all, offers fixed departments, searches
    a person's or film's exact name through their indexed search keys, and sorts the whole
    table only by indexed columns (a film's or person's credits sort by any column).
    """

    list_display = ["pk", "movie", "person", "kind", "character", "job", "order"]
    list_editable = ["character", "job", "order"]
    list_filter = ["kind", DepartmentFilter]
    search_fields = ["person__name_search", "movie__title_search"]
    search_help_text = _("A person's or film's name, or three letters or more of one (accents and case ignored).")
    raw_id_fields = ["movie", "person"]
    list_select_related = ["movie", "person"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # "Show counts" counted every credit once per filter choice: 5.4 s on a million credits.
    show_facets = admin.ShowFacets.NEVER

    def get_sortable_by(self, request: HttpRequest) -> Any:
        if {"movie__id__exact", "person__id__exact"} & set(request.GET):
            return self.list_display
        return ["pk", "movie", "person"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Credit], search_term: str
    ) -> tuple[QuerySet[Credit], bool]:
        if not search_term.strip():
            return queryset, False
        return credits_of_name(credits=queryset, name=search_term), False

    def save_model(self, request: HttpRequest, obj: Credit, form: Any, change: bool) -> None:
        before = Credit.objects.filter(pk=obj.pk).values_list("movie_id", "person_id").first() if change else None
        super().save_model(request, obj, form, change)
        movie_before, person_before = before or (None, None)
        movies_credits_curate(movie_ids={movie_before, obj.movie_id}, person_ids={person_before, obj.person_id})

    def delete_model(self, request: HttpRequest, obj: Credit) -> None:
        super().delete_model(request, obj)
        movies_credits_curate(movie_ids={obj.movie_id}, person_ids={obj.person_id})

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Credit]) -> None:
        credited = list(queryset.values_list("movie_id", "person_id"))
        super().delete_queryset(request, queryset)
        movies_credits_curate(
            movie_ids={movie for movie, _person in credited}, person_ids={person for _movie, person in credited}
        )


@admin.register(KnowledgeFact)
class KnowledgeFactAdmin(admin.ModelAdmin):
    list_display = ["movie", "relation", "entity"]
    list_filter = ["relation"]
    search_fields = ["=entity", "movie__title"]
    raw_id_fields = ["movie"]
    list_select_related = ["movie"]


@admin.register(MovieLensLink)
class MovieLensLinkAdmin(admin.ModelAdmin):
    list_display = ["movielens_id", "movie"]
    search_fields = ["=movielens_id", "movie__title"]
    raw_id_fields = ["movie"]
    list_select_related = ["movie"]


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "code"]
    search_fields = ["name", "slug"]


class MatchedFilter(admin.SimpleListFilter):
    title = _("matched to a film")
    parameter_name = "matched"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[StreamingTitle]) -> QuerySet[StreamingTitle]:
        if self.value() == "yes":
            return queryset.filter(movie__isnull=False)
        if self.value() == "no":
            return queryset.filter(movie__isnull=True)
        return queryset


@admin.register(StreamingTitle)
class StreamingTitleAdmin(TitleSearchAccentsAside, KeptFromImports, admin.ModelAdmin):
    list_display = ["title", "platform", "show_id", "kind", "release_year", "movie", "match_locked"]
    list_filter = ["platform", "kind", MatchedFilter, "match_locked", "directors_differ", "age_rating"]
    search_fields = ["title", "title_search", "=show_id", "director"]
    raw_id_fields = ["movie"]
    readonly_fields = ["title_search", "directors_differ", "kept_from_imports"]
    list_select_related = ["platform", "movie"]
    actions = ["unlock_match", let_imports_update]

    def save_model(self, request: HttpRequest, obj: StreamingTitle, form: Any, change: bool) -> None:
        if change and "movie" in form.changed_data:
            # A curator chose the film: imports must not rematch it. Before the
            # save, so the service still sees the film the title leaves.
            streaming_title_match_set(title=obj, movie=obj.movie)
        super().save_model(request, obj, form, change)
        # The film is kept by match_locked; the title's own fields by curated_fields.
        fixed = [name for name in form.changed_data if name not in {"movie", "match_locked"}]
        if change and fixed:
            curated_fields_add(record=obj, fields=fixed)

    @admin.action(description=_("Let imports match the selected titles again"), permissions=["change"])
    def unlock_match(self, request: HttpRequest, queryset: QuerySet[StreamingTitle]) -> None:
        titles = list(queryset.filter(match_locked=True))
        changed = streaming_titles_unlock(titles=queryset.filter(pk__in=[title.pk for title in titles]))
        log_changes(request, titles, fields=["match_locked"])
        self.message_user(request, ngettext("%d title unlocked.", "%d titles unlocked.", changed) % changed)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "started_at",
        "status",
        "dry_run",
        "rows_read",
        "rows_inserted",
        "rows_updated",
        "rows_unchanged",
        "rows_rejected",
        "duration_seconds",
        "rejects_link",
    ]
    list_filter = ["status", "dry_run"]
    # The files and rejects are drawn as tables, not as their stored JSON.
    readonly_fields = [
        *(field.name for field in ImportRun._meta.fields if field.name not in {"id", "files", "rejects_by_reason"}),
        "files_table",
        "rejects_table",
        "rejects_link",
    ]
    fields = list(readonly_fields)

    @admin.display(description=_("files"))
    def files_table(self, run: ImportRun) -> str:
        """One row per file: what it was read as and what happened to its rows."""
        headers = [_("file"), _("format"), _("rows read"), _("rows inserted"), _("rows updated")]
        headers += [_("rows unchanged"), _("rows rejected"), _("duplicates merged"), _("parts of rows left out")]
        headers += [_("encoding"), _("duration (seconds)")]
        keys = ["read", "inserted", "updated", "unchanged", "rejected", "duplicates_merged", "left_out", "encoding"]
        keys += ["seconds"]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td>" + "<td>{}</td>" * len(keys) + "<td><code>{}</code></td></tr>",
            (
                (
                    entry.get("label") or entry.get("path", ""),
                    entry.get("format", ""),
                    *(entry.get(key, "") for key in keys),
                    entry.get("sha256", "")[:12],
                )
                for entry in run.files
            ),
        )
        head = format_html_join("", "<th>{}</th>", ((capfirst(str(header)),) for header in [*headers, "sha256"]))
        return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, rows)

    @admin.display(description=_("rejects by reason"))
    def rejects_table(self, run: ImportRun) -> str:
        if not run.rejects_by_reason:
            return "—"
        reasons = sorted(run.rejects_by_reason.items(), key=lambda item: (-item[1], item[0]))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}: {}</li>", ((n, r) for r, n in reasons)))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def get_urls(self) -> list[Any]:
        rejects = path(
            "<int:run_id>/rejects.csv",
            self.admin_site.admin_view(self.rejects_view),
            name="catalog_importrun_rejects",
        )
        return [rejects, *super().get_urls()]

    @admin.display(description=_("rejects"))
    def rejects_link(self, run: ImportRun) -> str:
        if not run.rejects_path or not run.rows_rejected:
            return "—"
        url = reverse("admin:catalog_importrun_rejects", args=[run.pk])
        return format_html('<a href="{}">{} ({})</a>', url, _("download"), run.rows_rejected)

    def rejects_view(self, request: HttpRequest, run_id: int) -> HttpResponseBase:
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = ImportRun.objects.filter(pk=run_id).first()
        if run is None or not run.rejects_path:
            raise Http404(_("This import has no rejects file."))
        rejects = Path(run.rejects_path).resolve()
        # Only ever serve files the importer wrote under IMPORTS_DIR.
        if not rejects.is_relative_to(Path(settings.IMPORTS_DIR).resolve()) or not rejects.is_file():
            raise Http404(_("The rejects file is no longer there."))
        return FileResponse(
            rejects.open("rb"), as_attachment=True, filename=f"import-{run.pk}-rejects.csv", content_type="text/csv"
        )
