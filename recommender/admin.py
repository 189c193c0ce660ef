"""Admin for the registry: version history with metrics, retrain and activate actions."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from recommender import services
from recommender.models import EvaluationRun, ModelVersion, PendingTask, TuningRun


@admin.register(ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "created_at", "activated_at", "training_seconds", "holdout_rmse", "ratings")
    list_filter = ("kind", "status")
    search_fields = ("id", "error", "checksum")
    readonly_fields = [field.name for field in ModelVersion._meta.fields]
    actions = ["activate_selected", "retrain_kind"]

    @admin.display(description=_("holdout RMSE"))
    def holdout_rmse(self, version: ModelVersion) -> str:
        value = version.metrics.get("holdout_rmse")
        return f"{value:.4f}" if isinstance(value, float) else "—"

    @admin.display(description=_("ratings"))
    def ratings(self, version: ModelVersion) -> object:
        return version.data_size.get("n_ratings", version.data_size.get("n_items", "—"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Activate the selected version (one per kind)"), permissions=["change"])
    def activate_selected(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        for version in queryset:
            try:
                services.model_version_activate(version=version)
            except services.RegistryError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(request, _("Activated %(version)s.") % {"version": version}, messages.SUCCESS)

    @admin.action(description=_("Queue a retrain of the selected versions' kinds"), permissions=["change"])
    def retrain_kind(self, request: HttpRequest, queryset: QuerySet[ModelVersion]) -> None:
        for kind in sorted(set(queryset.values_list("kind", flat=True))):
            task_id = services.retrain_request(kind=kind)
            self.message_user(
                request,
                _("Retrain of %(kind)s queued.") % {"kind": kind}
                if task_id
                else _("Queue unavailable: the retrain of %(kind)s waits in the outbox.") % {"kind": kind},
            )


@admin.register(TuningRun)
class TuningRunAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "algorithm", "search", "best_rmse", "best_mae", "folds", "n_ratings")
    readonly_fields = [field.name for field in TuningRun._meta.fields]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    list_display = ("id", "created_at", "hybrid_ndcg", "popularity_ndcg", "duration_seconds")
    readonly_fields = ("created_at", "protocol", "results", "duration_seconds")

    @admin.display(description=_("hybrid NDCG@10"))
    def hybrid_ndcg(self, run: EvaluationRun) -> object:
        return (run.results.get("hybrid") or {}).get("ndcg@10", "—")

    @admin.display(description=_("popularity NDCG@10"))
    def popularity_ndcg(self, run: EvaluationRun) -> object:
        return (run.results.get("popularity") or {}).get("ndcg@10", "—")


@admin.register(PendingTask)
class PendingTaskAdmin(admin.ModelAdmin):
    list_display = ("id", "task_name", "created_at", "attempts", "dispatched_at")
    list_filter = ("task_name",)
    readonly_fields = ("task_name", "kwargs", "created_at", "attempts", "last_error", "dispatched_at")
