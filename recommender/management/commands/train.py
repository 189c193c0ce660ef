"""Train the recommender's models now, in this process: content index, co-rating neighbours, SVD.

`make run` calls `train --if-missing` after `load_demo`: it trains only the
kinds that have no active version yet, so a second `make run` starts at once.
Progress goes to stdout; each trained version is recorded in the registry and
activated unless its holdout RMSE is worse than the active one's by more than
RECOMMENDER_RMSE_TOLERANCE (then it is kept as rejected).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from recommender import services
from recommender.collaborative import SVD_PARAMETERS
from recommender.models import ModelVersion

KINDS = ("content", "collaborative", "all")


def svd_params_parse(text: str) -> dict[str, Any] | None:
    """--params as a dict of SVD parameters, refused before anything is trained when it is not one."""
    if not text:
        return None
    try:
        params = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"--params is not valid JSON ({exc})") from exc
    if not isinstance(params, dict):
        raise CommandError("--params must be a JSON object, e.g. '{\"n_epochs\": 30}'")
    unknown = sorted(set(params) - set(SVD_PARAMETERS))
    if unknown:
        raise CommandError(f"--params: unknown SVD parameter {', '.join(unknown)} (known: {', '.join(SVD_PARAMETERS)})")
    return params


class Command(BaseCommand):
    help = "Train the content index, the co-rating neighbours and the SVD model, and activate them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", choices=KINDS, default="all", help="collaborative trains SVD and neighbours")
        parser.add_argument("--if-missing", action="store_true", help="only kinds without an active version")
        parser.add_argument("--force", action="store_true", help="train even if the data is unchanged")
        parser.add_argument("--params", default="", help="SVD parameters as JSON, e.g. '{\"n_epochs\": 30}'")
        parser.add_argument("--dry-run", action="store_true", help="say what would be trained and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        params = svd_params_parse(options["params"])
        wanted = ["content", "collaborative"] if options["kind"] == "all" else [options["kind"]]
        if options["if_missing"]:
            active = set(ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).values_list("kind", flat=True))
            wanted = [
                kind
                for kind in wanted
                if not (
                    {ModelVersion.Kind.COLLABORATIVE, ModelVersion.Kind.ITEM_NEIGHBOURS} <= active
                    if kind == "collaborative"
                    else kind in active
                )
            ]
            if not wanted:
                self.stdout.write("Every model kind has an active version; nothing to train.")
                return
        if options["dry_run"]:
            self.stdout.write(f"Would train: {', '.join(wanted)}")
            return
        trained: list[ModelVersion] = []
        if "content" in wanted:
            version = services.content_index_rebuild(force=options["force"], progress=self.stdout.write)
            trained += [version] if version else []
        if "collaborative" in wanted:
            trained += services.collaborative_retrain(force=options["force"], params=params, progress=self.stdout.write)
        for version in trained:
            figures = ", ".join(
                f"{key} {value:.4f}" if isinstance(value, float) else f"{key} {value}"
                for key, value in sorted(version.metrics.items())
            )
            self.stdout.write(
                self.style.SUCCESS(f"{version.get_kind_display()} v{version.pk}: {version.status}")
                + (f" ({figures})" if figures else "")
            )
        if not trained:
            self.stdout.write("Nothing trained.")
