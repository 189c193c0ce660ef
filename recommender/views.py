"""Staff view of the model registry: what serves, what was trained, and buttons to act on it.

Any staff user may look; acting (retrain, activate) takes the permission the
admin asks for the same actions (MODEL_VERSION_CHANGE), so a curator given
only catalog rights cannot switch the model every visitor is served.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from moviesite.beat_liveness import beat_state
from recommender import selectors, services
from recommender.models import MODEL_VERSION_CHANGE, ModelVersion


@staff_member_required
def staff_status(request: HttpRequest) -> HttpResponse:
    return render(request, "recommender/staff_status.html", {**selectors.registry_overview(), "beat": beat_state()})


@staff_member_required
@permission_required(MODEL_VERSION_CHANGE, raise_exception=True)
@require_POST
def staff_retrain(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", ModelVersion.Kind.COLLABORATIVE)
    if kind not in ModelVersion.Kind.values:
        messages.error(request, _("Unknown model kind."))
        return redirect("staff-status")
    newest_before = selectors.newest_model_version_id()
    task_id = services.retrain_request(kind=kind)
    if not task_id:
        messages.warning(request, _("The task queue is unavailable: the retrain will be sent when it is back."))
    elif services.tasks_run_in_process():
        # Embedded mode: the task ran inside this request; what it trained is known already.
        trained = selectors.model_versions_after(version_id=newest_before)
        if not trained:
            messages.info(
                request,
                _(
                    "The retrain ran (task %(id)s) and trained nothing: the data is unchanged since the "
                    "last version, or there is nothing to train on yet."
                )
                % {"id": task_id},
            )
        elif any(version.status == ModelVersion.Status.FAILED for version in trained):
            messages.error(
                request,
                _("The retrain ran (task %(id)s) and failed: the error is on its version below.") % {"id": task_id},
            )
        else:
            messages.success(
                request, _("The retrain ran (task %(id)s): its version is listed below.") % {"id": task_id}
            )
    else:
        messages.success(request, _("Retrain queued (task %(id)s).") % {"id": task_id})
    return redirect("staff-status")


@staff_member_required
@permission_required(MODEL_VERSION_CHANGE, raise_exception=True)
@require_POST
def staff_activate(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion, pk=pk)
    try:
        services.model_version_activate(version=version)
    except services.RegistryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Version %(id)s is now active.") % {"id": version.pk})
    return redirect("staff-status")
