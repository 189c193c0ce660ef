"""Compare every recommender offline on one split and store the figures.

Prints the protocol, then k-fold RMSE/MAE of Surprise's SVD (default
parameters and the current tuned ones, on the same folds) and top-N metrics
(precision, recall, NDCG and hit rate at 10, catalog coverage) of popularity,
content, SVD, item-neighbours and the hybrid. The results are stored as an
EvaluationRun and on the active model versions; the blend weights tuned on the
validation split go to the active collaborative version, so serving uses them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from surprise import SVD, Dataset, Reader
from surprise.model_selection import KFold, cross_validate

from recommender import services
from recommender.catalog_data import catalog_snapshot_build
from recommender.collaborative import DEFAULT_SVD_PARAMS
from recommender.content import content_documents, content_index_build
from recommender.evaluation import evaluation_run
from recommender.models import EvaluationRun, ModelVersion
from recommender.ratings_data import RatingsData, ratings_load
from recommender.registry import model_load
from recommender.scoring import NeighbourModel

TOP_N_COLUMNS = ("precision@10", "recall@10", "ndcg@10", "hit_rate@10", "coverage")


def kfold_errors(data: RatingsData, params: dict[str, Any], *, folds: int, max_ratings: int, seed: int) -> dict:
    """Mean RMSE and MAE of Surprise's SVD over k folds (the same folds for the same seed)."""
    rows = np.arange(len(data))
    if len(rows) > max_ratings:
        rows = np.random.default_rng(seed).choice(rows, size=max_ratings, replace=False)
    frame = pd.DataFrame({"user": data.users[rows], "item": data.items[rows], "score": data.scores[rows]})
    dataset = Dataset.load_from_df(frame, Reader(rating_scale=(0.5, 5.0)))
    scores = cross_validate(
        SVD(random_state=seed, **params), dataset, measures=["rmse", "mae"], cv=KFold(folds, random_state=seed)
    )
    return {
        "rmse": round(float(np.mean(scores["test_rmse"])), 4),
        "mae": round(float(np.mean(scores["test_mae"])), 4),
        "fit_seconds": round(float(np.mean(scores["fit_time"])), 2),
        "ratings": len(rows),
        "folds": folds,
    }


class Command(BaseCommand):
    help = "Evaluate popularity, content, SVD, item-neighbours and hybrid on one split; store the results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--test-fraction", type=float, default=0.2)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--kfold-max-ratings", type=int, default=1_000_000)
        parser.add_argument("--skip-kfold", action="store_true", help="top-N metrics only")
        parser.add_argument("--dry-run", action="store_true", help="print, store nothing")

    def _content_model(self) -> NeighbourModel:
        active = ModelVersion.objects.filter(kind=ModelVersion.Kind.CONTENT, status=ModelVersion.Status.ACTIVE).first()
        if active:
            return model_load(active)  # type: ignore[return-value]
        self.stdout.write("No active content index: building one in memory for the evaluation.")
        arrays = content_index_build(content_documents(), k=settings.RECOMMENDER_NEIGHBOURS)
        return NeighbourModel.from_arrays(version_id=0, kind="content", arrays=arrays)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        data = ratings_load(progress=self.stdout.write)
        if len(data) == 0:
            raise CommandError("There are no ratings to evaluate on: run load_demo or import ratings first.")
        tuned_params = services.svd_params_current()
        report = evaluation_run(
            data,
            snapshot=catalog_snapshot_build(),
            content=self._content_model(),
            svd_params=tuned_params,
            k=settings.RECOMMENDER_NEIGHBOURS,
            test_fraction=options["test_fraction"],
            seed=options["seed"],
            progress=self.stdout.write,
        )
        protocol, results = report["protocol"], report["results"]
        self.stdout.write(self.style.MIGRATE_HEADING("Protocol"))
        for key, value in protocol.items():
            self.stdout.write(f"  {key}: {value}")
        if not options["skip_kfold"]:
            self.stdout.write(self.style.MIGRATE_HEADING(f"SVD rating prediction, {options['folds']}-fold"))
            for label, params in (("default", DEFAULT_SVD_PARAMS), ("tuned", tuned_params)):
                errors = kfold_errors(
                    data, params, folds=options["folds"], max_ratings=options["kfold_max_ratings"], seed=options["seed"]
                )
                results.setdefault("svd_kfold", {})[label] = {**errors, "params": params}
                self.stdout.write(f"  {label:8} RMSE {errors['rmse']:.4f}  MAE {errors['mae']:.4f}  {params}")
        self.stdout.write(self.style.MIGRATE_HEADING("Top-10 over the full catalog"))
        self.stdout.write("  " + f"{'recommender':16}" + "".join(f"{column:>14}" for column in TOP_N_COLUMNS))
        for name in ("popularity", "content", "svd", "item_neighbours", "hybrid"):
            if name in results:
                row = results[name]
                self.stdout.write("  " + f"{name:16}" + "".join(f"{row[column]:>14.4f}" for column in TOP_N_COLUMNS))
        hybrid = results["hybrid"]["ndcg@10"]
        ratio = hybrid / results["popularity"]["ndcg@10"] if results["popularity"]["ndcg@10"] else float("inf")
        best_part = max(
            results[name]["ndcg@10"] for name in ("popularity", "content", "svd", "item_neighbours") if name in results
        )
        self.stdout.write(
            f"  hybrid NDCG@10 = {ratio:.2f}x popularity's (target >= 1.5), "
            f"{'above' if hybrid > best_part else 'NOT above'} every part (best part {best_part:.4f})"
        )
        if "svd_kfold" in results:
            tuned_rmse = results["svd_kfold"]["tuned"]["rmse"]
            self.stdout.write(f"  tuned SVD RMSE {tuned_rmse:.4f} (target <= 0.910)")
        if options["dry_run"]:
            return
        self._store(protocol, results, time.perf_counter() - started)

    @transaction.atomic
    def _store(self, protocol: dict, results: dict, seconds: float) -> None:
        run = EvaluationRun.objects.create(protocol=protocol, results=results, duration_seconds=round(seconds, 2))
        active = list(ModelVersion.objects.select_for_update().filter(status=ModelVersion.Status.ACTIVE))
        run.model_versions.set(active)
        summary = {name: results[name].get("ndcg@10") for name in results if "ndcg@10" in results[name]}
        for version in active:
            version.metrics = {**version.metrics, "evaluation_run": run.pk, "ndcg@10": summary}
            if version.kind == ModelVersion.Kind.COLLABORATIVE:
                if "svd_kfold" in results:
                    version.metrics["kfold_rmse"] = results["svd_kfold"]["tuned"]["rmse"]
                    version.metrics["kfold_mae"] = results["svd_kfold"]["tuned"]["mae"]
                version.params = {**version.params, "blend_weights": results["hybrid"]["blend_weights"]}
            version.save(update_fields=["metrics", "params"])
        self.stdout.write(self.style.SUCCESS(f"Stored evaluation run {run.pk} ({seconds:.1f} s)."))
