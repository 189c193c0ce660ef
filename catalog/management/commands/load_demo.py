"""Load the demo catalog: MovieLens 100K out of the recbole 1.2.1 wheel on PyPI.

1,682 films (title, year, genres), their Freebase knowledge-graph facts and
100,000 ratings by 943 raters. The wheel is downloaded once with pip into
settings.DEMO_CACHE_DIR and read as a zip (recbole is never installed).
Idempotent: a second run changes nothing. `--if-empty` skips the whole thing
when the catalog already has films (what `make run` uses).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count

from catalog.importers.demo import DemoDownloadError, demo_sources, demo_wheel
from catalog.importers.run import run_import
from catalog.management.commands.import_catalog import interruptible, one_import_at_a_time, write_summary
from catalog.models import Movie
from ratings.models import DatasetRating


class Command(BaseCommand):
    help = (
        "Load the MovieLens 100K demo catalog (films, knowledge-graph facts, 100,000 ratings) from the recbole wheel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the catalog already has films.")
        parser.add_argument("--dry-run", action="store_true", help="Read and validate everything, then roll back.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Movie.objects.exists():
            self.stdout.write("The catalog already has films: demo not loaded (--if-empty).")
            return
        try:
            wheel = demo_wheel()
        except DemoDownloadError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Reading MovieLens 100K from {wheel}")
        with interruptible(), one_import_at_a_time():
            run = run_import(paths=[], sources=demo_sources(wheel), dry_run=options["dry_run"])
        write_summary(self.stdout, self.style, run)
        demo = DatasetRating.objects.filter(source=DatasetRating.Source.ML100K)
        raters = demo.values("rater_id").distinct().count()
        films = Movie.objects.filter(ml100k_id__isnull=False).count()
        facts = Movie.objects.filter(ml100k_id__isnull=False).aggregate(n=Count("facts"))["n"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo catalog: {films:,} films, {facts:,} knowledge-graph facts, "
                f"{demo.count():,} ratings by {raters:,} raters."
            )
        )
