"""Compare every recommender offline on one split and store the figures.

Prints the protocol, then the RMSE/MAE of Surprise's SVD with its default
parameters and with the current tuned ones: k-fold over every rating (the same
folds for both; optimistic for the tuned ones, which `tune` chose on those
ratings) and on the final test (the ratings `tune` never sees, fitted on all
the others), then top-N metrics (precision, recall, NDCG and hit rate at 10,
catalog coverage) of popularity, content, SVD, item-neighbours and the hybrid.
The results are stored as an EvaluationRun and on the active model versions
(the SVD errors only on an SVD version trained with the evaluated parameters);
the blend weights tuned on the validation split go to the active collaborative
version, so serving uses them.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from surprise import SVD, Dataset, Reader, accuracy
from surprise.model_selection import KFold, cross_validate

from recommender import services
from recommender.catalog_data import catalog_snapshot_build
from recommender.collaborative import DEFAULT_SVD_PARAMS
from recommender.content import content_documents, content_index_build
from recommender.evaluation import FINAL_TEST_SHARE, evaluation_run, final_test_mask
from recommender.models import EvaluationRun, ModelVersion
from recommender.ratings_data import RatingsData, ratings_load
from recommender.registry import model_load
from recommender.scoring import NeighbourModel

TOP_N_COLUMNS = ("precision@10", "recall@10", "ndcg@10", "hit_rate@10", "coverage")
SVD_ERROR_METRICS = ("kfold_rmse", "kfold_mae", "final_test_rmse", "final_test_mae")


def _sample(rows: np.ndarray, size: int, seed: int) -> np.ndarray:
    if len(rows) <= size:
        return rows
    return np.sort(np.random.default_rng(seed).choice(rows, size=size, replace=False))


def _surprise_dataset(data: RatingsData, rows: np.ndarray) -> Dataset:
    frame = pd.DataFrame({"user": data.users[rows], "item": data.items[rows], "score": data.scores[rows]})
    return Dataset.load_from_df(frame, Reader(rating_scale=(0.5, 5.0)))


def kfold_errors(data: RatingsData, params: dict[str, Any], *, folds: int, max_ratings: int, seed: int) -> dict:
    """Mean RMSE and MAE of Surprise's SVD over k folds (the same folds for the same seed)."""
    rows = _sample(np.arange(len(data)), max_ratings, seed)
    dataset = _surprise_dataset(data, rows)
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


def final_test_errors(data: RatingsData, params: dict[str, Any], *, max_ratings: int, seed: int) -> dict | None:
    """RMSE and MAE of Surprise's SVD fitted on every other rating, tested on the final-test ratings."""
    in_final_test = final_test_mask(data)
    train = _sample(np.flatnonzero(~in_final_test), max_ratings, seed)
    test = _sample(np.flatnonzero(in_final_test), max(max_ratings // FINAL_TEST_SHARE, 1), seed)
    if len(train) == 0 or len(test) == 0:
        return None
    started = time.perf_counter()
    algo = SVD(random_state=seed, **params)
    algo.fit(_surprise_dataset(data, train).build_full_trainset())
    fit_seconds = time.perf_counter() - started
    tests = zip(data.users[test].tolist(), data.items[test].tolist(), data.scores[test].tolist(), strict=True)
    predictions = algo.test(list(tests))
    return {
        "rmse": round(float(accuracy.rmse(predictions, verbose=False)), 4),
        "mae": round(float(accuracy.mae(predictions, verbose=False)), 4),
        "fit_seconds": round(fit_seconds, 2),
        "train_ratings": len(train),
        "test_ratings": len(test),
    }


class Command(BaseCommand):
    help = "Evaluate popularity, content, SVD, item-neighbours and hybrid on one split; store the results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--folds", type=int, default=5, help="k of the k-fold RMSE/MAE (default 5)")
        parser.add_argument(
            "--test-fraction",
            type=float,
            default=0.2,
            help="per-user holdout share for the top-N metrics (default 0.2)",
        )
        parser.add_argument("--seed", type=int, default=0, help="seed of the folds, split and samples")
        parser.add_argument(
            "--kfold-max-ratings",
            type=int,
            default=1_000_000,
            help="above this many ratings the SVD errors use a random sample of that size (default 1,000,000)",
        )
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
            self._svd_errors(data, tuned_params, results, options)
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
            kfold, final = results["svd_kfold"]["tuned"], results.get("svd_final_test", {}).get("tuned")
            self.stdout.write(
                f"  tuned SVD RMSE {kfold['rmse']:.4f} {options['folds']}-fold (target <= 0.910)"
                + (f", {final['rmse']:.4f} on the final test" if final else "")
            )
        if options["dry_run"]:
            return
        self._store(protocol, results, tuned_params, time.perf_counter() - started)

    def _svd_errors(self, data: RatingsData, tuned_params: dict[str, Any], results: dict, options: dict) -> None:
        folds, max_ratings, seed = options["folds"], options["kfold_max_ratings"], options["seed"]
        self.stdout.write(self.style.MIGRATE_HEADING("SVD rating prediction"))
        self.stdout.write(
            f"  {folds}-fold over every rating (the same folds for both; the tuned parameters were chosen on them)"
        )
        for label, params in (("default", DEFAULT_SVD_PARAMS), ("tuned", tuned_params)):
            errors = kfold_errors(data, params, folds=folds, max_ratings=max_ratings, seed=seed)
            results.setdefault("svd_kfold", {})[label] = {**errors, "params": params}
            self.stdout.write(f"  {label:8} RMSE {errors['rmse']:.4f}  MAE {errors['mae']:.4f}  {params}")
        self.stdout.write(f"  final test: the 1 in {FINAL_TEST_SHARE} ratings tune never sees, fitted on the others")
        for label, params in (("default", DEFAULT_SVD_PARAMS), ("tuned", tuned_params)):
            final = final_test_errors(data, params, max_ratings=max_ratings, seed=seed)
            if final is None:
                self.stdout.write(f"  {label:8} too few ratings for a final test")
                continue
            results.setdefault("svd_final_test", {})[label] = {**final, "params": params}
            self.stdout.write(
                f"  {label:8} RMSE {final['rmse']:.4f}  MAE {final['mae']:.4f}  "
                f"({final['test_ratings']:,} test ratings)"
            )

    @transaction.atomic
    def _store(self, protocol: dict, results: dict, tuned_params: dict[str, Any], seconds: float) -> None:
        run = EvaluationRun.objects.create(protocol=protocol, results=results, duration_seconds=round(seconds, 2))
        active = list(ModelVersion.objects.select_for_update().filter(status=ModelVersion.Status.ACTIVE))
        run.model_versions.set(active)
        summary = {name: results[name].get("ndcg@10") for name in results if "ndcg@10" in results[name]}
        for version in active:
            version.metrics = {**version.metrics, "evaluation_run": run.pk, "ndcg@10": summary}
            if version.kind == ModelVersion.Kind.COLLABORATIVE:
                self._svd_errors_store(version, results, tuned_params)
                version.params = {**version.params, "blend_weights": results["hybrid"]["blend_weights"]}
            version.save(update_fields=["metrics", "params"])
        self.stdout.write(self.style.SUCCESS(f"Stored evaluation run {run.pk} ({seconds:.1f} s)."))

    def _svd_errors_store(self, version: ModelVersion, results: dict, tuned_params: dict[str, Any]) -> None:
        """The evaluated errors describe the active SVD only if it was trained with the evaluated parameters."""
        for metric in SVD_ERROR_METRICS:
            version.metrics.pop(metric, None)
        if any(version.params.get(name) != value for name, value in tuned_params.items()):
            self.stdout.write(
                f"The active SVD version {version.pk} was trained with other parameters: "
                "its RMSE is stored on the evaluation run only (retrain to use the tuned ones)."
            )
            return
        for section, prefix in (("svd_kfold", "kfold"), ("svd_final_test", "final_test")):
            tuned = results.get(section, {}).get("tuned")
            if tuned:
                version.metrics[f"{prefix}_rmse"] = tuned["rmse"]
                version.metrics[f"{prefix}_mae"] = tuned["mae"]
