"""Write paths for the catalog: imports, rating statistics and the curators' fixes."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from catalog.analytics import director_q
from catalog.importers.title_match import (
    Names,
    TitleYearIndex,
    candidate_films,
    directors_differ,
    film_by_people,
    listed_names,
    title_year_index,
)
from catalog.models import (
    Credit,
    DistinctFilmPair,
    ImportRun,
    KnowledgeFact,
    Movie,
    MovieAlias,
    MovieLensLink,
    Person,
    PersonAlias,
    StreamingTitle,
)
from catalog.text import person_name_key, title_key_undecorated
from moviesite.sql import quoted_column, quoted_table
from ratings.models import DatasetRating, Dismissal, Rating, RatingChange, WatchlistEntry, dataset_rating_key


def catalog_import(
    *,
    paths: Sequence[Path],
    format_name: str | None = None,
    platform: str | None = None,
    dry_run: bool = False,
    progress: Callable[..., Any] | None = None,
) -> ImportRun:
    """Import dataset files (or directories, zips, .gz) and record an ImportRun; see catalog.importers."""
    from catalog.importers.run import run_import

    return run_import(paths=list(paths), format_name=format_name, platform=platform, dry_run=dry_run, progress=progress)


UNFINISHED_RUN_ERROR = "Stopped before it finished (killed or interrupted); the next import took over."


def import_runs_unfinished_close() -> int:
    """Mark runs still 'running' as failed; call only while holding the import lock.

    With the lock held no other import is alive, so those runs are dead: an
    import killed, or interrupted while a database query was in flight, could
    not record its end and would otherwise show as running forever.
    """
    return ImportRun.objects.filter(status=ImportRun.Status.RUNNING).update(
        status=ImportRun.Status.FAILED, finished_at=timezone.now(), error=UNFINISHED_RUN_ERROR
    )


def movie_rating_stats_refresh() -> int:
    """After an import: recount every film's dataset ratings, and its figures (dataset and site ratings).

    One aggregate over the dataset ratings (the only time they are read for
    this) and one UPDATE; returns the films whose figures changed.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        _rating_figures_lock(cursor)
        return _rating_figures_update(cursor, movie_ids=None, recount_dataset=True)


def movie_rating_stats_refresh_site(*, movie_ids: Collection[int] | None = None) -> int:
    """Fold the site users' ratings as they are now into films' figures; returns the films changed.

    A film's figures are its dataset part (counted at the latest import) plus
    its site ratings, recomputed from the ratings table, so a missed or
    repeated run never drifts. Without `movie_ids`, every film: beat's hourly
    recount, which also catches ratings that went without a RatingChange (a
    deleted account's, through the cascade). The rating writes themselves
    never touch the film's row (a lock and an UPDATE on every write cost 19%
    of the mixed load's throughput, measured): they record a RatingChange,
    which movie_rating_figures_refresh_changed folds in.
    """
    if movie_ids is not None and not movie_ids:
        return 0
    with transaction.atomic(), connection.cursor() as cursor:
        if movie_ids is None:
            _rating_figures_lock(cursor)
        return _rating_figures_update(cursor, movie_ids=movie_ids)


def movie_rating_figures_refresh_changed() -> int:
    """Refresh the figures of the films rated since the last run (their RatingChange rows); returns the films changed.

    Beat runs this every RATING_FIGURES_REFRESH_SECONDS, so its cost follows
    the ratings written since, not the size of the ratings table. The rows
    are taken with one DELETE … RETURNING: it removes only rows whose rating
    write has committed, and the figures are computed by later statements,
    which see those ratings (a write still in flight keeps its row for the
    next run). Two runs at once take disjoint rows.
    """
    table, movie_id = quoted_table(RatingChange), quoted_column(RatingChange, "movie_id")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} RETURNING {movie_id}")  # noqa: S608 - names from the model
        changed = {row[0] for row in cursor.fetchall()}
        return _rating_figures_update(cursor, movie_ids=changed) if changed else 0


def movie_rating_figures_follow() -> None:
    """Site ratings changed (and RatingChange rows say which films): refresh now when nothing else will.

    With a broker, beat folds them in within RATING_FIGURES_REFRESH_SECONDS
    (catalog.tasks.refresh_rating_figures) and a rating write does nothing
    more. Without one (the embedded mode, where tasks run eagerly and beat runs
    only while `make run` serves) the changed films are refreshed once the write
    commits.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(movie_rating_figures_refresh_changed)


def _rating_figures_lock(cursor: Any) -> None:
    """Whole-catalog refreshes take turns (PostgreSQL): two UPDATEs of many rows in different orders can deadlock.

    Held to the end of the transaction. A refresh of a few films needs none:
    its rows are taken in one statement that holds no other lock first.
    """
    if connection.vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('moviesite.rating-figures'))")


def _rating_figures_update(cursor: Any, *, movie_ids: Collection[int] | None, recount_dataset: bool = False) -> int:
    """Set ratings_count / ratings_average from the dataset part and the site ratings; bump `updated_at`.

    With `recount_dataset` the dataset part is counted afresh from the dataset
    ratings and stored too, in the same UPDATE (each film row written once).
    Films without any rating get 0 from the LEFT JOINs: one pass over each
    table (a second NOT EXISTS pass cost as much again on 10M rows). Only
    films whose figures change are written (their cached cards and pages
    follow `updated_at`). Films without TMDB data take their rating count as
    popularity (the demo catalog has no TMDB popularity).
    """
    ids = sorted({int(pk) for pk in movie_ids}) if movie_ids is not None else []
    if movie_ids is not None and not ids:
        return 0
    movie, site, dataset = quoted_table(Movie), quoted_table(Rating), quoted_table(DatasetRating)
    among = f"IN ({', '.join(['%s'] * len(ids))})"
    chosen, site_chosen, popular_chosen = (
        (f"WHERE m.id {among}", f"WHERE movie_id {among}", f"AND id {among}") if ids else ("", "", "")
    )
    if recount_dataset:
        dataset_count, dataset_total = "COALESCE(d.n, 0)", "COALESCE(d.total, 0)"
        dataset_join = (
            f"LEFT JOIN (SELECT movie_id, COUNT(*) AS n, SUM(score) AS total FROM {dataset} GROUP BY movie_id) AS d"  # noqa: S608
            " ON d.movie_id = m.id"
        )
    else:
        dataset_count, dataset_total, dataset_join = "m.dataset_ratings_count", "m.dataset_ratings_total", ""
    count = f"{dataset_count} + COALESCE(s.n, 0)"
    mean = f"({dataset_total} + COALESCE(s.total, 0)) / ({count})"
    rounded = f"ROUND(CAST({mean} AS numeric), 4)" if connection.vendor == "postgresql" else f"ROUND({mean}, 4)"
    now = Movie._meta.get_field("updated_at").get_db_prep_save(timezone.now(), connection)
    cursor.execute(
        f"""
        UPDATE {movie} SET ratings_count = fresh.n, ratings_average = fresh.mean,
            dataset_ratings_count = fresh.dataset_n, dataset_ratings_total = fresh.dataset_total, updated_at = %s
        FROM (
            SELECT m.id, {dataset_count} AS dataset_n, {dataset_total} AS dataset_total,
                {count} AS n, CASE WHEN {count} > 0 THEN {rounded} ELSE 0 END AS mean
            FROM {movie} m
            LEFT JOIN (
                SELECT movie_id, COUNT(*) AS n, SUM(score) AS total FROM {site} {site_chosen} GROUP BY movie_id
            ) AS s ON s.movie_id = m.id
            {dataset_join}
            {chosen}
        ) AS fresh
        WHERE {movie}.id = fresh.id AND (
            {movie}.ratings_count <> fresh.n OR {movie}.ratings_average <> fresh.mean
            OR {movie}.dataset_ratings_count <> fresh.dataset_n OR {movie}.dataset_ratings_total <> fresh.dataset_total
        )
        """,  # noqa: S608 - table names from the models, ids as parameters
        [now, *ids, *ids],
    )
    changed = cursor.rowcount
    cursor.execute(
        f"UPDATE {movie} SET popularity = ratings_count "  # noqa: S608
        f"WHERE tmdb_id IS NULL AND popularity <> ratings_count {popular_chosen}",
        ids,
    )
    return changed


@transaction.atomic
def movie_hidden_set(*, movies: Sequence[Movie] | Any, hidden: bool) -> int:
    """Hide films from (or return them to) every recommendation."""
    return Movie.objects.filter(pk__in=[m.pk for m in movies]).exclude(is_hidden=hidden).update(is_hidden=hidden)


@transaction.atomic
def movie_curator_save(*, movie: Movie, changed: Collection[str]) -> Movie:
    """Save a curator's edit of a film: its return follows a new budget or revenue, imports keep what changed."""
    if {"budget", "revenue"} & set(changed) and "return_ratio" not in changed:
        movie.return_ratio = movie.revenue / movie.budget if movie.budget else 0.0
    movie.curated_fields = sorted(set(movie.curated_fields) | set(changed))
    movie.save()
    return movie


def curated_fields_add(*, record: Movie | Person | StreamingTitle, fields: Collection[str]) -> list[str]:
    """Record that a curator changed these fields (or relations, "credits") of a film or person; imports keep them."""
    merged = sorted(set(record.curated_fields) | set(fields))
    if merged != record.curated_fields:
        record.curated_fields = merged
        type(record).objects.filter(pk=record.pk).update(curated_fields=merged)
    return merged


@transaction.atomic
def curated_fields_clear(*, records: QuerySet[Movie] | QuerySet[Person] | QuerySet[StreamingTitle]) -> int:
    """Let imports write every field of these records again (the next import may undo a fix); how many."""
    return records.exclude(curated_fields=[]).update(curated_fields=[])


@transaction.atomic
def movies_credits_curate(*, movie_ids: Collection[int | None], person_ids: Collection[int | None] = ()) -> None:
    """A curator changed these films' credits (of these people): imports keep them from now on, the
    films' pages show it and the people's film counts follow."""
    for movie in Movie.objects.filter(pk__in={pk for pk in movie_ids if pk is not None}).only("pk", "curated_fields"):
        curated_fields_add(record=movie, fields=["credits"])
    movies_touch(movie_ids=movie_ids)
    person_film_counts_refresh(person_ids=[pk for pk in person_ids if pk is not None])


@transaction.atomic
def movies_delete(*, movies: QuerySet[Movie]) -> int:
    """Delete films (and, by cascade, their credits and ratings); the people they credited are recounted."""
    person_ids = set(Credit.objects.filter(movie__in=movies).values_list("person_id", flat=True))
    deleted, _by_model = movies.delete()
    person_film_counts_refresh(person_ids=person_ids)
    return deleted


def movies_touch(*, movie_ids: Collection[int | None]) -> int:
    """Mark films as edited now, for facts that live in other tables (platforms, cast).

    The film page's fragments and the film cards are cached by the film's
    `updated_at`; a change made elsewhere shows at once only when it moves.
    """
    ids = {pk for pk in movie_ids if pk is not None}
    if not ids:
        return 0
    return Movie.objects.filter(pk__in=ids).update(updated_at=timezone.now())


def person_film_counts_refresh(*, person_ids: Collection[int] | None = None) -> int:
    """Recount the films each person is credited on (all people, or these); returns the people changed.

    Called after a credits import, a merge and a curator's credit edits; one
    UPDATE that writes only the counts that differ, so an unchanged re-import
    writes nothing.
    """
    ids = sorted({int(pk) for pk in person_ids if pk is not None}) if person_ids is not None else []
    if person_ids is not None and not ids:
        return 0
    person, credit = quoted_table(Person), quoted_table(Credit)
    chosen = f"WHERE p.id IN ({', '.join(['%s'] * len(ids))})" if ids else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {person} SET films_count = fresh.n
            FROM (
                SELECT p.id, COUNT(DISTINCT c.movie_id) AS n
                FROM {person} p LEFT JOIN {credit} c ON c.person_id = p.id
                {chosen}
                GROUP BY p.id
            ) AS fresh
            WHERE {person}.id = fresh.id AND {person}.films_count <> fresh.n
            """,  # noqa: S608 - table names from the models, ids as parameters
            ids,
        )
        return cursor.rowcount


def person_films_touch(*, person: Person) -> int:
    """A person's name or picture changed: redraw the films that credit them."""
    return movies_touch(movie_ids=set(Credit.objects.filter(person=person).values_list("movie_id", flat=True)))


@transaction.atomic
def person_merge(*, keep: Person, duplicate: Person) -> Person:
    """Move every credit of `duplicate` to `keep`, drop credits that become repeats, delete `duplicate`.

    A credit is a repeat when `keep` already has the same role on the same
    film (same kind, character/job and department).
    """
    if keep.pk == duplicate.pk:
        raise ValueError("a person cannot be merged into itself")
    kept_roles = {
        (movie, kind, character, department, job)
        for movie, kind, character, department, job in Credit.objects.filter(person=keep).values_list(
            "movie_id", "kind", "character", "department", "job"
        )
    }
    for credit in Credit.objects.filter(person=duplicate).select_for_update():
        role = (credit.movie_id, credit.kind, credit.character, credit.department, credit.job)
        if role in kept_roles:
            credit.delete()
            continue
        credit.person = keep
        credit.save(update_fields=["person"])
        kept_roles.add(role)
    if not keep.profile_path and duplicate.profile_path:
        keep.profile_path = duplicate.profile_path
    if keep.gender is None and duplicate.gender is not None:
        keep.gender = duplicate.gender
    duplicate_tmdb_id = duplicate.tmdb_id
    PersonAlias.objects.filter(person=duplicate).update(person=keep)
    duplicate.delete()
    if keep.tmdb_id is None and duplicate_tmdb_id is not None:
        keep.tmdb_id = duplicate_tmdb_id
    elif duplicate_tmdb_id is not None:
        # The next credits import names the duplicate by this id: it credits `keep` instead.
        PersonAlias.objects.create(tmdb_id=duplicate_tmdb_id, person=keep)
    keep.save()
    person_film_counts_refresh(person_ids=[keep.pk])
    person_films_touch(person=keep)
    return keep


# A film's own values the film kept takes from the duplicate where it has none (empty, 0 or None);
# the external ids and the figures computed from ratings are handled apart.
FILM_FIELDS_FILLED = [
    "original_title",
    "overview",
    "tagline",
    "runtime",
    "status",
    "original_language",
    "poster_path",
    "homepage",
    "collection",
]
FILM_RELATIONS_JOINED = ["genres", "companies", "countries", "spoken_languages", "keywords"]
FILM_EXTERNAL_IDS = ["tmdb_id", "movielens_id", "ml100k_id"]


def film_merge_order(first: Movie, second: Movie) -> tuple[Movie, Movie]:
    """Of two records of one film, (the one to keep, the one to merge into it).

    The one with a TMDB id (the imports keep it up to date), else the one
    with more ratings, else the older record.
    """
    keep, duplicate = sorted((first, second), key=lambda film: (film.tmdb_id is None, -film.ratings_count, film.pk))
    return keep, duplicate


@transaction.atomic
def film_merge(*, keep: Movie, duplicate: Movie, take_values: bool = True) -> Movie:
    """Merge `duplicate` into `keep`: everything hanging off it moves to `keep`, then it is deleted.

    Where both films hold the same thing, `keep`'s stays: a field or relation
    a curator changed on `keep` is never overwritten, and `keep`'s own values
    win; it takes the duplicate's only where it has none. A site user or
    dataset rater who rated both keeps one rating, the most recent; a
    watchlist entry or "not interested" held on both stays once. Credits and
    knowledge facts that repeat one of `keep`'s are dropped. The film stays
    hidden from recommendations if either was.

    External ids: `keep` takes the duplicate's TMDB, MovieLens, MovieLens 100K
    and IMDb ids where it has none; the ones it cannot take, and the
    duplicate's own id, go to a MovieAlias, which leads later imports and old
    links of the duplicate's page to `keep`.

    `take_values=False` is an import's merge of a copy into the film it
    certainly is (links.csv naming a TMDB film for a film written from a
    MovieLens list alone): `keep` takes none of the copy's own values
    (fields, genres and other relations), which its next import would
    overwrite anyway, and nothing is marked as a curator's.
    """
    if keep.pk == duplicate.pk:
        raise ValueError("a film cannot be merged into itself")
    keep = Movie.objects.select_for_update().get(pk=keep.pk)
    duplicate = Movie.objects.select_for_update().get(pk=duplicate.pk)
    person_ids = set(Credit.objects.filter(movie__in=[keep, duplicate]).values_list("person_id", flat=True))
    taken: set[str] = set()
    if take_values:
        taken = _film_merge_fields(keep, duplicate) | _film_merge_relations(keep, duplicate)
    keep.is_hidden = keep.is_hidden or duplicate.is_hidden
    if _film_merge_credits_and_facts(keep, duplicate) and take_values:
        taken.add("credits")
    # What `keep` took is the curator's doing: imports keep it, as they keep an edit in the admin
    # (and a re-import of the same files changes nothing). "Let imports change…" undoes it.
    keep.curated_fields = sorted(set(keep.curated_fields) | taken)
    StreamingTitle.objects.filter(movie=duplicate).update(movie=keep)
    MovieLensLink.objects.filter(movie=duplicate).update(movie=keep)
    if duplicate.movielens_id is not None:
        # Dataset ratings find films by their MovieLens ids through the links (catalog.importers.ratings).
        MovieLensLink.objects.update_or_create(movielens_id=duplicate.movielens_id, defaults={"movie": keep})
    _film_merge_site_ratings(keep, duplicate)
    added_count, added_total = _film_merge_dataset_ratings(keep, duplicate)
    _film_merge_user_lists(keep, duplicate)

    alias_ids: dict[str, object] = {}
    for field in FILM_EXTERNAL_IDS:
        value = getattr(duplicate, field)
        if value is not None and getattr(keep, field) is None:
            setattr(keep, field, value)
        elif value is not None:
            alias_ids[field] = value
    if not keep.imdb_id:
        keep.imdb_id = duplicate.imdb_id
    elif duplicate.imdb_id and duplicate.imdb_id != keep.imdb_id:
        alias_ids["imdb_id"] = duplicate.imdb_id
    MovieAlias.objects.filter(movie=duplicate).update(movie=keep)
    keep.dataset_ratings_count += added_count
    keep.dataset_ratings_total += added_total
    duplicate_pk, duplicate_title = duplicate.pk, duplicate.title
    # Everything that hung off it has moved or been dropped above: the cascade finds nothing left.
    Movie.objects.filter(pk=duplicate_pk).delete()
    keep.save()
    MovieAlias.objects.create(merged_movie_id=duplicate_pk, merged_title=duplicate_title[:500], movie=keep, **alias_ids)
    with connection.cursor() as cursor:
        _rating_figures_update(cursor, movie_ids=[keep.pk])
    keep.refresh_from_db()
    person_film_counts_refresh(person_ids=person_ids)
    movies_touch(movie_ids=[keep.pk])
    return keep


def film_pair_dismiss(*, first: Movie, second: Movie, user: User | None = None) -> DistinctFilmPair:
    """Record that two films are not one film, so the possible duplicates leave the pair out.

    Either order gives the same row (the lower id first); dismissing a pair again changes nothing.
    """
    if first.pk == second.pk:
        raise ValueError("a film cannot be told apart from itself")
    low, high = sorted((first.pk, second.pk))
    pair, _created = DistinctFilmPair.objects.get_or_create(
        first_movie_id=low, second_movie_id=high, defaults={"dismissed_by": user}
    )
    return pair


def _film_merge_fields(keep: Movie, duplicate: Movie) -> set[str]:
    """`keep` takes the duplicate's values where it has none, except in the fields a curator changed on it.

    Returns the fields taken.
    """
    curated = set(keep.curated_fields)
    taken: set[str] = set()
    for field in FILM_FIELDS_FILLED:
        if field not in curated and not getattr(keep, field) and getattr(duplicate, field):
            setattr(keep, field, getattr(duplicate, field))
            taken.add(field)
    dated = {"release_date", "release_year"}
    date = duplicate.release_date
    if not dated & curated and keep.release_date is None and date and keep.release_year in (None, date.year):
        keep.release_date, keep.release_year = date, date.year
        taken |= dated
    if not dated & curated and keep.release_year is None and duplicate.release_year is not None:
        keep.release_year = duplicate.release_year
        taken.add("release_year")
    money = {"budget", "revenue", "return_ratio"}
    if not money & curated and not keep.budget and not keep.revenue and (duplicate.budget or duplicate.revenue):
        keep.budget, keep.revenue, keep.return_ratio = duplicate.budget, duplicate.revenue, duplicate.return_ratio
        taken |= money
    votes = {"popularity", "vote_average", "vote_count"}
    if not votes & curated and not keep.vote_count and duplicate.vote_count and duplicate.tmdb_id is not None:
        keep.popularity, keep.vote_average = duplicate.popularity, duplicate.vote_average
        keep.vote_count = duplicate.vote_count
        taken |= votes
    return taken


def _film_merge_relations(keep: Movie, duplicate: Movie) -> set[str]:
    """Genres, companies, countries, languages, keywords: `keep` gains the duplicate's, unless a curator set its own.

    Returns the relations that gained any.
    """
    gained = set()
    for name in FILM_RELATIONS_JOINED:
        if name in keep.curated_fields:
            continue
        missing = getattr(duplicate, name).exclude(pk__in=getattr(keep, name).values("pk"))
        if missing.exists():
            getattr(keep, name).add(*missing)
            gained.add(name)
    return gained


def _film_merge_credits_and_facts(keep: Movie, duplicate: Movie) -> bool:
    """Move the duplicate's credits and facts; drop those `keep` already has (same role, same TMDB credit, same fact).

    A curator's credits on `keep` stay as they are: the duplicate's are then dropped.
    Returns whether any credit moved.
    """
    moved = False
    if "credits" in keep.curated_fields:
        Credit.objects.filter(movie=duplicate).delete()
    else:
        kept = Credit.objects.filter(movie=keep)
        roles = set(kept.values_list("person_id", "kind", "character", "department", "job"))
        credit_ids = set(kept.exclude(credit_id="").values_list("credit_id", flat=True))
        for credit in Credit.objects.filter(movie=duplicate):
            role = (credit.person_id, credit.kind, credit.character, credit.department, credit.job)
            if role in roles or (credit.credit_id and credit.credit_id in credit_ids):
                credit.delete()
                continue
            Credit.objects.filter(pk=credit.pk).update(movie=keep)
            moved = True
            roles.add(role)
            credit_ids.add(credit.credit_id)
    facts = set(KnowledgeFact.objects.filter(movie=keep).values_list("relation", "entity"))
    KnowledgeFact.objects.filter(movie=duplicate).exclude(
        pk__in=[
            pk
            for pk, relation, entity in KnowledgeFact.objects.filter(movie=duplicate).values_list(
                "pk", "relation", "entity"
            )
            if (relation, entity) in facts
        ]
    ).update(movie=keep)
    return moved


def _film_merge_site_ratings(keep: Movie, duplicate: Movie) -> None:
    """Site users' ratings move to `keep`; a user who rated both keeps the rating changed last.

    The kept rating keeps its own creation time; it takes the later score with
    the time it was given, so the user's history shows it when it happened.
    """
    kept = {rating.user_id: rating for rating in Rating.objects.filter(movie=keep).select_for_update()}
    both = Rating.objects.filter(movie=duplicate, user_id__in=list(kept)).select_for_update()
    for rating in both:
        other = kept[rating.user_id]
        if rating.updated_at > other.updated_at:
            Rating.objects.filter(pk=other.pk).update(score=rating.score, updated_at=rating.updated_at)
    both.delete()
    Rating.objects.filter(movie=duplicate).update(movie=keep)


def _film_merge_dataset_ratings(keep: Movie, duplicate: Movie) -> tuple[int, float]:
    """Dataset ratings move to `keep`, a rater who rated both keeping the later rating; what `keep` gains (count, sum).

    A dataset rating's key holds its film, so a moved rating is a new row. The
    duplicate's ratings are found with one scan of the table (it has no index
    by film, see DatasetRating); the rest goes by key.
    """
    moved = list(
        DatasetRating.objects.filter(movie_id=duplicate.pk).values_list("id", "source", "rater_id", "score", "rated_at")
    )
    if not moved:
        return 0, 0.0
    new_keys = {old: dataset_rating_key(source, rater, keep.pk) for old, source, rater, _score, _at in moved}
    existing: dict[int, tuple[float, int]] = {}
    keys = list(new_keys.values())
    for start in range(0, len(keys), 2000):
        for pk, score, rated_at in DatasetRating.objects.filter(pk__in=keys[start : start + 2000]).values_list(
            "pk", "score", "rated_at"
        ):
            existing[pk] = (score, rated_at)
    dropped_count, dropped_total = 0, 0.0
    created, replaced = [], []
    for old, source, rater, score, rated_at in moved:
        key = new_keys[old]
        if key in existing:
            kept_score, kept_at = existing[key]
            dropped_count += 1
            if rated_at <= kept_at:
                dropped_total += score
                continue
            # The duplicate's is later: it takes the place of `keep`'s, by a delete and an insert by key
            # (bulk_update's one CASE per row took 2.6 of 5 s for 10,000 such ratings on PostgreSQL).
            dropped_total += kept_score
            replaced.append(key)
        created.append(
            DatasetRating(id=key, source=source, rater_id=rater, movie_id=keep.pk, score=score, rated_at=rated_at)
        )
    gone = [old for old, *_rest in moved] + replaced
    for start in range(0, len(gone), 2000):
        DatasetRating.objects.filter(pk__in=gone[start : start + 2000]).delete()
    DatasetRating.objects.bulk_create(created, batch_size=2000)
    return len(moved) - dropped_count, sum(score for *_ids, score, _at in moved) - dropped_total


def _film_merge_user_lists(keep: Movie, duplicate: Movie) -> None:
    """Watchlists and "not interested" move to `keep`, once per user; a film the user rated is not "not interested"."""
    WatchlistEntry.objects.filter(
        movie=duplicate, user_id__in=WatchlistEntry.objects.filter(movie=keep).values("user_id")
    ).delete()
    WatchlistEntry.objects.filter(movie=duplicate).update(movie=keep)
    Dismissal.objects.filter(
        movie=duplicate, user_id__in=Dismissal.objects.filter(movie=keep).values("user_id")
    ).delete()
    Dismissal.objects.filter(movie=duplicate).update(movie=keep)
    Dismissal.objects.filter(movie=keep, user_id__in=Rating.objects.filter(movie=keep).values("user_id")).delete()


@transaction.atomic
def streaming_title_match_set(*, title: StreamingTitle, movie: Movie | None) -> StreamingTitle:
    """A curator's fix of which film a streaming title is: imports keep it from then on.

    Both the film it leaves and the film it joins are touched, so their pages
    show the change at once.
    """
    previous = StreamingTitle.objects.filter(pk=title.pk).values_list("movie_id", flat=True).first()
    title.movie = movie
    title.match_locked = True
    title.directors_differ = False
    title.save(update_fields=["movie", "match_locked", "directors_differ"])
    movies_touch(movie_ids={previous, title.movie_id})
    return title


@transaction.atomic
def streaming_titles_unlock(*, titles: QuerySet[StreamingTitle]) -> int:
    """Let imports match curator-fixed titles again (the next match run may move them); returns how many."""
    locked = titles.filter(match_locked=True)
    movie_ids = set(locked.values_list("movie_id", flat=True))
    unlocked = locked.update(match_locked=False)
    movies_touch(movie_ids=movie_ids)
    return unlocked


def _title_keys(title: StreamingTitle) -> tuple[str, str]:
    """A streaming title's key as given, and undecorated ("" when it has no decoration)."""
    return title.title_search, title_key_undecorated(title.title, title.release_year)


def _films_by_key(field: str, keys: set[str]) -> TitleYearIndex:
    """The films whose `field` (title_search or original_title_search) is one of `keys`, by (key, year)."""
    films = Movie.objects.filter(**{f"{field}__in": keys}, release_year__isnull=False)
    return title_year_index((pk, [key], year) for pk, key, year in films.values_list("pk", field, "release_year"))


def _candidate_films(index: TitleYearIndex, keys: tuple[str, str], year: int | None) -> set[int]:
    """The films a streaming title could be, by its keys (`_title_keys`): those of the first key that finds any.

    The undecorated title is only tried when the title as given finds no film
    at all, so a title the plain rule finds ambiguous stays with those candidates.
    """
    for key in keys:
        if found := candidate_films(index, [key], year):
            return found
    return set()


def _film_chosen(
    title: StreamingTitle, found: set[int], *, directors_of: dict[int, Names], cast_of: dict[int, Names]
) -> tuple[int | None, bool]:
    """The film `film_by_people` chooses of those `found`, and whether its directors refused every one."""
    if not found:
        return None, False
    directors = listed_names(title.director)
    # Names are read only where they can decide: the cast only between two films or more.
    cast = listed_names(title.cast) if len(found) > 1 else frozenset()
    match = film_by_people(found, directors=directors, cast=cast, directors_of=directors_of, cast_of=cast_of)
    refused = all(directors_differ(directors, directors_of.get(pk, frozenset())) for pk in found)
    return match, refused


def _credited_names(movie_ids: set[int], *, credits: Q) -> dict[int, Names]:
    """Each film's people credited as `credits` says (directing, cast), as `person_name_key`s."""
    names: dict[int, set[str]] = {}
    ids = sorted(movie_ids)
    # In slices: SQLite limits the parameters of one query.
    for start in range(0, len(ids), 500):
        found = Credit.objects.filter(credits, movie_id__in=ids[start : start + 500])
        for movie_id, name in found.values_list("movie_id", "person__name"):
            if key := person_name_key(name):
                names.setdefault(movie_id, set()).add(key)
    return {movie_id: frozenset(found) for movie_id, found in names.items()}


# Rows per UPDATE of the streaming match: three parameters each, far below any database's limit.
_MATCH_WRITE_BATCH = 2000


def _streaming_matches_write(writes: Sequence[tuple[int, int | None, bool]]) -> None:
    """Set (streaming title id, film id, directors differ) in a few UPDATE ... FROM (VALUES ...) statements.

    A first match of a platform's catalog changes most of its titles: one
    UPDATE per title took three quarters of the match's time (about 14,000
    titles in 19 of 25 s, profiled on PostgreSQL). The VALUES list's columns
    are column1, column2, column3 on both PostgreSQL and SQLite; the casts
    type a batch whose films are all NULL.
    """
    table = quoted_table(StreamingTitle)
    pk, movie, differ = (quoted_column(StreamingTitle, name) for name in ("id", "movie", "directors_differ"))
    with connection.cursor() as cursor:
        for start in range(0, len(writes), _MATCH_WRITE_BATCH):
            batch = writes[start : start + _MATCH_WRITE_BATCH]
            rows = ", ".join(["(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS boolean))"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET {movie} = matched.column2, {differ} = matched.column3 "  # noqa: S608 - names from the model
                f"FROM (VALUES {rows}) AS matched WHERE {table}.{pk} = matched.column1",
                [value for write in batch for value in write],
            )


def streaming_titles_match() -> int:
    """Link unlocked streaming films to their catalog film, by title key (`title_key`) and year, then people.

    Punctuation, "&" or "and" and the kind of apostrophe do not matter. A title
    with no film of its year takes the film of its title released a year before
    or after: platforms and TMDB disagree by a year on some films (The African
    Queen: 1952 on Prime Video, 1951 in MovieLens). A title that finds no film
    at all is tried again without the platform's decorations ("Thappad (4K UHD)",
    "Marvel's Iron Man & Hulk: Heroes United"; `title_key_undecorated`), then,
    both ways, against the films' original titles ("Le fabuleux destin d'Amélie
    Poulain" for Amélie), each by the same rules. Of the films found, the
    title's directors and cast choose (`title_match.film_by_people`): a film
    whose directors differ from the title's is refused, and a title left with
    none is flagged `directors_differ` for a curator; of two or more, the one
    sharing a director, or with no director known, the one sharing an actor;
    otherwise none. Returns the number of titles whose match changed.
    """
    titles = list(
        StreamingTitle.objects.filter(kind=StreamingTitle.Kind.MOVIE, match_locked=False).only(
            "pk", "title", "title_search", "release_year", "director", "cast", "movie_id", "directors_differ"
        )
    )
    keys = {title.pk: _title_keys(title) for title in titles}
    by_title = _films_by_key("title_search", {key for pair in keys.values() for key in pair} - {""})
    candidates = {title.pk: _candidate_films(by_title, keys[title.pk], title.release_year) for title in titles}
    # Original titles only for the titles no film's title found (Netflix lists some foreign films by theirs).
    unfound = [title for title in titles if not candidates[title.pk]]
    by_original_title = _films_by_key("original_title_search", {key for t in unfound for key in keys[t.pk]} - {""})
    for title in unfound:
        candidates[title.pk] = _candidate_films(by_original_title, keys[title.pk], title.release_year)
    films = {pk for found in candidates.values() for pk in found}
    several = {pk for found in candidates.values() if len(found) > 1 for pk in found}
    directors_of = _credited_names(films, credits=director_q(prefix=""))
    cast_of = _credited_names(several, credits=Q(kind=Credit.Kind.CAST))
    changed = 0
    touched: set[int | None] = set()
    writes: list[tuple[int, int | None, bool]] = []
    for title in titles:
        match, differ = _film_chosen(title, candidates[title.pk], directors_of=directors_of, cast_of=cast_of)
        if (title.movie_id, title.directors_differ) != (match, differ):
            writes.append((title.pk, match, differ))
        if title.movie_id != match:
            touched.update((title.movie_id, match))
            changed += 1
    with transaction.atomic():
        _streaming_matches_write(writes)
        not_films = StreamingTitle.objects.filter(match_locked=False, movie__isnull=False).exclude(
            kind=StreamingTitle.Kind.MOVIE
        )
        touched.update(not_films.values_list("movie_id", flat=True))
        changed += not_films.update(movie=None)
        StreamingTitle.objects.filter(directors_differ=True).exclude(
            kind=StreamingTitle.Kind.MOVIE, match_locked=False
        ).update(directors_differ=False)
        movies_touch(movie_ids=touched)
    return changed
