"""The catalog: films and everything about them, streaming catalogs, import runs.

Filled by `manage.py import_catalog` and `manage.py load_demo`; curated in the
admin. External ids (TMDB, IMDb, MovieLens, MovieLens 100K) are unique where
they exist so a re-import updates rows instead of duplicating them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalog.text import normalize_title, title_key


def curated_fields_field() -> models.JSONField:
    """The fields a curator changed in the admin: imports keep them (catalog.importers.curated)."""
    return models.JSONField(
        _("fields kept from imports"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Fields a curator changed in the admin; later imports leave them as they are."),
    )


# Rows curators add have no TMDB id; the imports match TMDB's rows by it and leave theirs alone.
OWN_ROW_HELP = _("Empty for one a curator adds; the imports fill TMDB's.")


class Genre(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("genre")
        verbose_name_plural = _("genres")

    def __str__(self) -> str:
        return self.name


class Collection(models.Model):
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True, help_text=OWN_ROW_HELP)
    name = models.CharField(_("name"), max_length=300)
    poster_path = models.CharField(_("poster path"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    class Gender(models.IntegerChoices):
        # TMDB's codes.
        NOT_SET = 0, _("not set")
        FEMALE = 1, _("female")
        MALE = 2, _("male")
        NON_BINARY = 3, _("non-binary")

    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True)
    name = models.CharField(_("name"), max_length=300, db_index=True)
    name_search = models.CharField(_("name search"), max_length=300, db_index=True, editable=False, default="")
    gender = models.PositiveSmallIntegerField(_("gender"), choices=Gender.choices, null=True, blank=True)
    profile_path = models.CharField(_("profile path"), max_length=200, blank=True)
    curated_fields = curated_fields_field()
    # Stored, not counted per request: the people list is ordered by it, and
    # counting every person's films took seconds on the full credits table.
    # Kept by catalog.services.person_film_counts_refresh.
    films_count = models.PositiveIntegerField(_("films"), default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["-films_count", "name", "id"], name="catalog_person_by_films")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_search = normalize_title(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class PersonAlias(models.Model):
    """The TMDB id of a person merged into another: imports credit the person kept, never recreate the duplicate."""

    tmdb_id = models.PositiveIntegerField(_("TMDB id"), unique=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person"))

    class Meta:
        verbose_name = _("merged TMDB id")
        verbose_name_plural = _("merged TMDB ids")

    def __str__(self) -> str:
        return f"{self.tmdb_id} → {self.person_id}"


class Company(models.Model):
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True, help_text=OWN_ROW_HELP)
    name = models.CharField(_("name"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class Country(models.Model):
    code = models.CharField(_("ISO 3166-1 code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(_("ISO 639-1 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name or self.code


class Keyword(models.Model):
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True, help_text=OWN_ROW_HELP)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("keyword")
        verbose_name_plural = _("keywords")

    def __str__(self) -> str:
        return self.name


class MovieQuerySet(models.QuerySet["Movie"]):
    def recommendable(self) -> MovieQuerySet:
        """Films a curator has not hidden from recommendations."""
        return self.filter(is_hidden=False)

    def released(self) -> MovieQuerySet:
        return self.filter(release_year__isnull=False)


class Movie(models.Model):
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True)
    imdb_id = models.CharField(_("IMDb id"), max_length=12, blank=True, db_index=True)
    movielens_id = models.PositiveIntegerField(_("MovieLens id"), null=True, blank=True, unique=True)
    # MovieLens 100K numbers its films in its own id space (the demo catalog).
    ml100k_id = models.PositiveIntegerField(_("MovieLens 100K id"), null=True, blank=True, unique=True)

    title = models.CharField(_("title"), max_length=500)
    # Lower-case, accent-free title: the search key on every database.
    title_search = models.CharField(_("title search"), max_length=500, db_index=True, editable=False, default="")
    original_title = models.CharField(_("original title"), max_length=500, blank=True)
    # The same key for the original title: a Spanish speaker looks for "El laberinto del fauno",
    # which TMDB files as "Pan's Labyrinth" (site and API search, ratings CSV import).
    original_title_search = models.CharField(
        _("original title search"), max_length=500, db_index=True, editable=False, default="", blank=True
    )
    overview = models.TextField(_("overview"), blank=True)
    tagline = models.CharField(_("tagline"), max_length=1000, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    release_year = models.PositiveSmallIntegerField(_("release year"), null=True, blank=True, db_index=True)
    runtime = models.PositiveIntegerField(_("runtime (minutes)"), null=True, blank=True)
    budget = models.BigIntegerField(_("budget"), default=0)
    revenue = models.BigIntegerField(_("revenue"), default=0)
    # revenue / budget; 0 where the budget is 0 (unknown).
    return_ratio = models.FloatField(_("return"), default=0)
    popularity = models.FloatField(_("popularity"), default=0, db_index=True)
    vote_average = models.FloatField(_("vote average"), default=0)
    vote_count = models.PositiveIntegerField(_("vote count"), default=0)
    status = models.CharField(_("status"), max_length=40, blank=True)
    original_language = models.CharField(_("original language"), max_length=12, blank=True, db_index=True)
    adult = models.BooleanField(_("adult"), default=False)
    video = models.BooleanField(_("video"), default=False)
    poster_path = models.CharField(_("poster path"), max_length=200, blank=True)
    homepage = models.CharField(_("homepage"), max_length=1000, blank=True)

    genres = models.ManyToManyField(Genre, blank=True, related_name="movies", verbose_name=_("genres"))
    collection = models.ForeignKey(
        Collection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="movies",
        verbose_name=_("collection"),
    )
    companies = models.ManyToManyField(Company, blank=True, related_name="movies", verbose_name=_("companies"))
    countries = models.ManyToManyField(Country, blank=True, related_name="movies", verbose_name=_("countries"))
    spoken_languages = models.ManyToManyField(
        Language, blank=True, related_name="movies", verbose_name=_("spoken languages")
    )
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="movies", verbose_name=_("keywords"))

    # Aggregates of every rating in moviesite (site users and dataset raters).
    # The dataset's part changes only on import and is kept apart, so the site
    # users' part can be folded in often without reading the dataset ratings
    # again (catalog.services.movie_rating_stats_refresh and _refresh_site).
    ratings_count = models.PositiveIntegerField(_("ratings in moviesite"), default=0)
    ratings_average = models.FloatField(_("average rating in moviesite"), default=0)
    dataset_ratings_count = models.PositiveIntegerField(_("dataset ratings"), default=0, editable=False)
    dataset_ratings_total = models.FloatField(_("sum of the dataset ratings"), default=0, editable=False)

    is_hidden = models.BooleanField(
        _("hidden from recommendations"), default=False, help_text=_("Curators hide a film from every recommendation.")
    )
    curated_fields = curated_fields_field()  # fields, and "credits"
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MovieQuerySet.as_manager()

    class Meta:
        ordering = ["-popularity", "id"]
        verbose_name = _("film")
        verbose_name_plural = _("films")
        indexes = [
            models.Index(fields=["release_year", "title_search"], name="movie_year_title"),
            models.Index(fields=["-vote_count"], name="movie_vote_count"),
            models.Index(fields=["release_date"], name="movie_release_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="movie_budget_not_negative",
                violation_error_code="min_value",
                violation_error_message=_("The budget cannot be negative (0 means unknown)."),
            ),
            models.CheckConstraint(
                condition=Q(revenue__gte=0),
                name="movie_revenue_not_negative",
                violation_error_code="min_value",
                violation_error_message=_("The revenue cannot be negative (0 means unknown)."),
            ),
            models.CheckConstraint(
                condition=Q(vote_average__gte=0) & Q(vote_average__lte=10),
                name="movie_vote_average_range",
                violation_error_message=_("The vote average must be between 0 and 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.release_year})" if self.release_year else self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.title_search = title_key(self.title)[:500]
        self.original_title_search = title_key(self.original_title)[:500]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class MovieAlias(models.Model):
    """A film merged into another (catalog.services.film_merge): where its old ids lead now.

    Its page's address redirects to the film kept. The external ids the film
    kept could not take (it holds its own) are kept here, so a later import
    of the same files updates the film kept instead of creating the
    duplicate again (catalog.importers.aliases), as PersonAlias does for people,
    and a user's ratings file naming the duplicate's TMDB or IMDb id finds it.
    """

    merged_movie_id = models.PositiveBigIntegerField(_("merged film id"), unique=True)
    merged_title = models.CharField(_("merged film title"), max_length=500, blank=True)
    tmdb_id = models.PositiveIntegerField(_("TMDB id"), null=True, blank=True, unique=True)
    imdb_id = models.CharField(_("IMDb id"), max_length=12, blank=True, db_index=True)
    movielens_id = models.PositiveIntegerField(_("MovieLens id"), null=True, blank=True, unique=True)
    ml100k_id = models.PositiveIntegerField(_("MovieLens 100K id"), null=True, blank=True, unique=True)
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("film"))
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merged film")
        verbose_name_plural = _("merged films")

    def __str__(self) -> str:
        return f"{self.merged_movie_id} → {self.movie_id}"


class DistinctFilmPair(models.Model):
    """Two films a curator said are not one film: the possible duplicates leave the pair out.

    Stored with the lower film id first, so a pair is one row whichever way
    round it was dismissed. Deleting either film, as a merge deletes the
    duplicate, deletes the pair; imports update films in place and keep it.
    """

    first_movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+", verbose_name=_("film"))
    second_movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="+", verbose_name=_("other film"))
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)

    class Meta:
        ordering = ["-dismissed_at", "-id"]
        verbose_name = _("pair of different films")
        verbose_name_plural = _("pairs of different films")
        constraints = [
            models.UniqueConstraint(
                fields=["first_movie", "second_movie"],
                name="distinct_film_pair_unique",
                violation_error_message=_("These two films are already marked as different films."),
            ),
            models.CheckConstraint(
                condition=Q(first_movie__lt=F("second_movie")),
                name="distinct_film_pair_ordered",
                violation_error_message=_("The first film must be the one with the lower id."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_movie_id} ≠ {self.second_movie_id}"


class MovieLensLink(models.Model):
    """One MovieLens film id and the catalog film it stands for (links.csv / links_small.csv).

    Several MovieLens ids can point at the same TMDB film, so the mapping lives
    here rather than only in Movie.movielens_id (which keeps the first one).
    Dataset ratings are mapped to films through this table.
    """

    movielens_id = models.PositiveIntegerField(_("MovieLens id"), unique=True)
    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="movielens_links", verbose_name=_("film"))

    class Meta:
        ordering = ["movielens_id"]
        verbose_name = _("MovieLens link")
        verbose_name_plural = _("MovieLens links")

    def __str__(self) -> str:
        return f"MovieLens {self.movielens_id} → {self.movie_id}"


class Credit(models.Model):
    class Kind(models.TextChoices):
        CAST = "cast", _("cast")
        CREW = "crew", _("crew")

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="credits", verbose_name=_("film"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="credits", verbose_name=_("person"))
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    character = models.CharField(_("character"), max_length=1000, blank=True)
    order = models.PositiveIntegerField(_("billing order"), null=True, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    job = models.CharField(_("job"), max_length=100, blank=True)
    credit_id = models.CharField(_("TMDB credit id"), max_length=40, blank=True)

    class Meta:
        ordering = ["movie", "kind", "order", "id"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        indexes = [
            models.Index(fields=["person", "kind"], name="credit_person_kind"),
            models.Index(fields=["movie", "kind", "order"], name="credit_movie_billing"),
            models.Index(fields=["job", "person"], name="credit_job_person"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["movie", "credit_id"],
                condition=~Q(credit_id=""),
                name="credit_unique_per_movie",
                violation_error_message=_("This film already has a credit with this TMDB credit id."),
            ),
        ]

    def __str__(self) -> str:
        role = self.character if self.kind == self.Kind.CAST else self.job
        return f"{self.person} — {role}"


class KnowledgeFact(models.Model):
    """A knowledge-graph triple about a film (the demo's Freebase facts).

    `entity` is an opaque id (e.g. Freebase `m.0bln8`): two films sharing an
    actor share the id even when no name is known, which is all that content
    similarity needs.
    """

    movie = models.ForeignKey(Movie, on_delete=models.CASCADE, related_name="facts", verbose_name=_("film"))
    relation = models.CharField(_("relation"), max_length=100)
    entity = models.CharField(_("entity"), max_length=64)

    class Meta:
        verbose_name = _("knowledge fact")
        verbose_name_plural = _("knowledge facts")
        constraints = [
            models.UniqueConstraint(fields=["movie", "relation", "entity"], name="fact_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} {self.relation} {self.entity}"


class Platform(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The letter that prefixes show ids in URLs and exports (n for Netflix's s1: ns1).
    code = models.CharField(_("code"), max_length=1, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self) -> str:
        return self.name


class StreamingTitle(models.Model):
    class Kind(models.TextChoices):
        MOVIE = "movie", _("Movie")
        TV_SHOW = "tv", _("TV Show")

    class DurationUnit(models.TextChoices):
        MINUTES = "min", _("minutes")
        SEASONS = "season", _("seasons")

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="titles", verbose_name=_("platform"))
    show_id = models.CharField(_("show id"), max_length=20)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=500)
    title_search = models.CharField(_("title search"), max_length=500, db_index=True, editable=False, default="")
    director = models.TextField(_("director"), blank=True)
    cast = models.TextField(_("cast"), blank=True)
    country = models.TextField(_("country"), blank=True)
    date_added = models.DateField(_("date added"), null=True, blank=True)
    release_year = models.PositiveSmallIntegerField(_("release year"), null=True, blank=True)
    age_rating = models.CharField(_("age rating"), max_length=20, blank=True)
    duration_value = models.PositiveIntegerField(_("duration"), null=True, blank=True)
    duration_unit = models.CharField(_("duration unit"), max_length=6, choices=DurationUnit.choices, blank=True)
    listed_in = models.TextField(_("listed in"), blank=True)
    description = models.TextField(_("description"), blank=True)
    movie = models.ForeignKey(
        Movie,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="streaming_titles",
        verbose_name=_("film"),
    )
    # Set when a curator fixed the match by hand: imports then leave `movie` alone.
    match_locked = models.BooleanField(_("match fixed by a curator"), default=False)
    # Set by the match when the title and year name a film whose directors are known and are
    # not the title's (catalog.importers.title_match.directors_differ): left unmatched for a curator.
    directors_differ = models.BooleanField(_("directors differ from its film's"), default=False, editable=False)
    curated_fields = curated_fields_field()

    class Meta:
        ordering = ["platform", "title"]
        verbose_name = _("streaming title")
        verbose_name_plural = _("streaming titles")
        indexes = [
            models.Index(fields=["platform", "release_year"], name="streaming_platform_year"),
            models.Index(fields=["title_search", "release_year"], name="streaming_title_year"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["platform", "show_id"], name="streaming_show_id_per_platform"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.platform.name})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.title_search = title_key(self.title)[:500]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    # One entry per file: path, format, sha256 and its own row counts.
    files = models.JSONField(_("files"), default=list, blank=True)
    rows_read = models.PositiveBigIntegerField(_("rows read"), default=0)
    rows_inserted = models.PositiveBigIntegerField(_("rows inserted"), default=0)
    rows_updated = models.PositiveBigIntegerField(_("rows updated"), default=0)
    rows_unchanged = models.PositiveBigIntegerField(_("rows unchanged"), default=0)
    rows_rejected = models.PositiveBigIntegerField(_("rows rejected"), default=0)
    rejects_by_reason = models.JSONField(_("rejects by reason"), default=dict, blank=True)
    rejects_path = models.CharField(_("rejects path"), max_length=500, blank=True)
    # The streaming match after the run: films, matched, changed, directors_differ (streaming_match_counts).
    streaming_match = models.JSONField(_("streaming match"), default=dict, blank=True)
    duration_seconds = models.FloatField(_("duration (seconds)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # A dry run parses and validates everything, then rolls the database back.
    dry_run = models.BooleanField(_("dry run"), default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")

    def __str__(self) -> str:
        return gettext("Import %(number)s (%(status)s)") % {"number": self.pk, "status": self.get_status_display()}


class InsightsGeneration(models.Model):
    """How far the insights snapshot has caught up with the refreshes asked for (one row).

    Each request raises `requested` by one after its data committed and queues
    a task carrying that number; a run records the `requested` it starts from
    before reading the catalog, and raises `computed` to it once its snapshot
    is stored. A queued task whose number is at most `computed` has nothing
    left to do: a run that started after its request already saw its data.
    Numbers, not times, so no clock decides what is covered.
    """

    requested = models.PositiveBigIntegerField(default=0)
    computed = models.PositiveBigIntegerField(default=0)

    class Meta:
        # Written by the refresh tasks only: no admin, no permissions to hand out.
        default_permissions = ()

    def __str__(self) -> str:
        return f"insights: {self.computed} of {self.requested} requested"
