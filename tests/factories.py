"""factory_boy factories for every model the tests build."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from accounts.models import Profile
from catalog.models import (
    Collection,
    Company,
    Country,
    Credit,
    Genre,
    ImportRun,
    Keyword,
    KnowledgeFact,
    Language,
    Movie,
    Person,
    Platform,
    StreamingTitle,
)
from ratings.models import DatasetRating, Dismissal, Rating, WatchlistEntry
from recommender.models import ModelVersion

DEFAULT_PASSWORD = "a-long-test-passphrase-42"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(DEFAULT_PASSWORD)


class StaffUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ProfileFactory(DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ("user",)

    user = factory.SubFactory(UserFactory)
    language = "en"


class GenreFactory(DjangoModelFactory):
    class Meta:
        model = Genre
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Genre {n}")
    tmdb_id = factory.Sequence(lambda n: 9000 + n)


class CollectionFactory(DjangoModelFactory):
    class Meta:
        model = Collection

    tmdb_id = factory.Sequence(lambda n: 100000 + n)
    name = factory.Sequence(lambda n: f"Collection {n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    tmdb_id = factory.Sequence(lambda n: 200000 + n)
    name = factory.Sequence(lambda n: f"Person {n}")


class CompanyFactory(DjangoModelFactory):
    class Meta:
        model = Company

    tmdb_id = factory.Sequence(lambda n: 300000 + n)
    name = factory.Sequence(lambda n: f"Company {n}")


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("code",)

    code = "US"
    name = "United States of America"


class LanguageFactory(DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = "en"
    name = "English"


class KeywordFactory(DjangoModelFactory):
    class Meta:
        model = Keyword

    tmdb_id = factory.Sequence(lambda n: 400000 + n)
    name = factory.Sequence(lambda n: f"keyword {n}")


class MovieFactory(DjangoModelFactory):
    class Meta:
        model = Movie
        skip_postgeneration_save = True

    tmdb_id = factory.Sequence(lambda n: 500000 + n)
    imdb_id = factory.Sequence(lambda n: f"tt{9000000 + n:07d}")
    title = factory.Sequence(lambda n: f"Film {n}")
    original_title = factory.LazyAttribute(lambda m: m.title)
    overview = "A film made for the tests."
    release_date = dt.date(2000, 1, 1)
    release_year = factory.LazyAttribute(lambda m: m.release_date.year if m.release_date else None)
    runtime = 100
    popularity = 1.0
    original_language = "en"

    @factory.post_generation
    def genres(self, create: bool, extracted: list[Genre] | None, **kwargs: object) -> None:
        if create and extracted:
            self.genres.set(extracted)

    @factory.post_generation
    def keywords(self, create: bool, extracted: list[Keyword] | None, **kwargs: object) -> None:
        if create and extracted:
            self.keywords.set(extracted)


class CreditFactory(DjangoModelFactory):
    """A credit written as the app writes one: the person's stored film count follows it."""

    class Meta:
        model = Credit
        abstract = True

    @classmethod
    def _create(cls, model_class: type[Credit], *args: object, **kwargs: object) -> Credit:
        from catalog.services import person_film_counts_refresh

        credit = super()._create(model_class, *args, **kwargs)
        person_film_counts_refresh(person_ids=[credit.person_id])
        return credit


class CastCreditFactory(CreditFactory):
    class Meta:
        model = Credit

    movie = factory.SubFactory(MovieFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Credit.Kind.CAST
    character = factory.Sequence(lambda n: f"Character {n}")
    order = factory.Sequence(lambda n: n)
    credit_id = factory.Sequence(lambda n: f"cast{n:08d}")


class CrewCreditFactory(CreditFactory):
    class Meta:
        model = Credit

    movie = factory.SubFactory(MovieFactory)
    person = factory.SubFactory(PersonFactory)
    kind = Credit.Kind.CREW
    department = "Directing"
    job = "Director"
    credit_id = factory.Sequence(lambda n: f"crew{n:08d}")


class KnowledgeFactFactory(DjangoModelFactory):
    class Meta:
        model = KnowledgeFact

    movie = factory.SubFactory(MovieFactory)
    relation = "film.film.actor"
    entity = factory.Sequence(lambda n: f"m.{n:06x}")


PLATFORMS = {
    "amazon_prime": ("Amazon Prime Video", "a"),
    "disney_plus": ("Disney+", "d"),
    "hulu": ("Hulu", "h"),
    "netflix": ("Netflix", "n"),
}


class PlatformFactory(DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("slug",)

    slug = "netflix"
    name = factory.LazyAttribute(lambda p: PLATFORMS.get(p.slug, (p.slug.title(), "x"))[0])
    code = factory.LazyAttribute(lambda p: PLATFORMS.get(p.slug, ("", p.slug[0]))[1])


class StreamingTitleFactory(DjangoModelFactory):
    class Meta:
        model = StreamingTitle

    platform = factory.SubFactory(PlatformFactory)
    show_id = factory.Sequence(lambda n: f"s{n + 1}")
    kind = StreamingTitle.Kind.MOVIE
    title = factory.Sequence(lambda n: f"Streaming title {n}")
    release_year = 2020
    duration_value = 90
    duration_unit = StreamingTitle.DurationUnit.MINUTES


class ImportRunFactory(DjangoModelFactory):
    class Meta:
        model = ImportRun

    status = ImportRun.Status.SUCCEEDED


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    user = factory.SubFactory(UserFactory)
    movie = factory.SubFactory(MovieFactory)
    score = 4.0


class DatasetRatingFactory(DjangoModelFactory):
    class Meta:
        model = DatasetRating

    source = DatasetRating.Source.MOVIELENS
    rater_id = factory.Sequence(lambda n: n + 1)
    movie = factory.SubFactory(MovieFactory)
    score = 4.0
    rated_at = 1_000_000_000


class WatchlistEntryFactory(DjangoModelFactory):
    class Meta:
        model = WatchlistEntry

    user = factory.SubFactory(UserFactory)
    movie = factory.SubFactory(MovieFactory)


class DismissalFactory(DjangoModelFactory):
    class Meta:
        model = Dismissal

    user = factory.SubFactory(UserFactory)
    movie = factory.SubFactory(MovieFactory)


class ModelVersionFactory(DjangoModelFactory):
    class Meta:
        model = ModelVersion

    kind = ModelVersion.Kind.COLLABORATIVE
    status = ModelVersion.Status.READY


def dataset_ratings_grid(n_films: int, n_raters: int) -> list[Movie]:
    """`n_films` new films rated by `n_raters` dataset raters (two in three pairs, varied scores), in one insert."""
    films = [MovieFactory() for _ in range(n_films)]
    DatasetRating.objects.bulk_create(
        DatasetRating.keyed(
            source=DatasetRating.Source.MOVIELENS,
            rater_id=rater,
            movie=film,
            score=float(1 + (rater * 7 + index * 3) % 9) / 2,
            rated_at=1_000_000_000,
        )
        for rater in range(1, n_raters + 1)
        for index, film in enumerate(films)
        if (rater + index) % 3
    )
    return films


def verified_artifact(name: str = "factory-artifact") -> dict[str, str]:
    """`artifact_path` and `checksum` of a real artifact on disk, for versions that get activated."""
    import uuid

    import numpy as np

    from recommender.artifacts import artifact_write

    path, checksum = artifact_write(name=f"{name}-{uuid.uuid4().hex[:8]}", arrays={"ids": np.arange(3)})
    return {"artifact_path": str(path), "checksum": checksum}
