"""The model registry, tuning and evaluation history, and the task outbox."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# What retraining or activating a version takes, on the staff page and the API as in the admin.
MODEL_VERSION_CHANGE = "recommender.change_modelversion"


class ModelVersion(models.Model):
    """One trained artifact. Exactly one version per kind is active (database-enforced)."""

    class Kind(models.TextChoices):
        COLLABORATIVE = "collaborative", _("collaborative (SVD)")
        CONTENT = "content", _("content similarity")
        ITEM_NEIGHBOURS = "item_neighbours", _("co-rating neighbours")

    class Status(models.TextChoices):
        TRAINING = "training", _("training")
        READY = "ready", _("ready")
        ACTIVE = "active", _("active")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TRAINING, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    # n_ratings, n_users, n_items, ... at training time.
    data_size = models.JSONField(default=dict, blank=True)
    metrics = models.JSONField(default=dict, blank=True)
    training_seconds = models.FloatField(null=True, blank=True)
    artifact_path = models.CharField(max_length=500, blank=True)
    checksum = models.CharField(_("sha256"), max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(status="active"), name="one_active_model_version_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.pk} ({self.status})"


class TuningRun(models.Model):
    """A hyper-parameter search; the newest one's best parameters feed the next retrain."""

    created_at = models.DateTimeField(auto_now_add=True)
    algorithm = models.CharField(max_length=40, default="SVD")
    search = models.CharField(max_length=20, default="grid")
    param_grid = models.JSONField(default=dict)
    best_params = models.JSONField(default=dict)
    best_rmse = models.FloatField()
    best_mae = models.FloatField(null=True, blank=True)
    folds = models.PositiveSmallIntegerField(default=3)
    n_ratings = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("tuning run")
        verbose_name_plural = _("tuning runs")

    def __str__(self) -> str:
        return f"Tuning {self.pk}: RMSE {self.best_rmse:.4f}"


class EvaluationRun(models.Model):
    """An offline comparison of every recommender on one split (manage.py evaluate)."""

    created_at = models.DateTimeField(auto_now_add=True)
    protocol = models.JSONField(default=dict)
    # {"popularity": {"ndcg@10": ...}, "content": {...}, "svd": {...}, "hybrid": {...}}
    results = models.JSONField(default=dict)
    model_versions = models.ManyToManyField(ModelVersion, blank=True, related_name="evaluations")
    duration_seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evaluation run")
        verbose_name_plural = _("evaluation runs")

    def __str__(self) -> str:
        return f"Evaluation {self.pk}"


class PendingTask(models.Model):
    """A task that could not be published (broker down). Dispatched again later.

    The outbox keeps a retrain request from being lost while Redis is away:
    `dispatch_pending_tasks` (beat, every minute) and every successful publish
    retry what is here.
    """

    task_name = models.CharField(max_length=200)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("pending task")
        verbose_name_plural = _("pending tasks")

    def __str__(self) -> str:
        return f"{self.task_name} ({'sent' if self.dispatched_at else 'pending'})"
