"""The staff page /insights/, its chart images, and the refresh button."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from catalog.insights.panels import catalog_summary
from catalog.insights.selectors import insights_chart_file, insights_sections, insights_snapshot_current
from catalog.insights.services import insights_refresh_request

View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """Anonymous visitors go to the login page; signed-in non-staff get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def chart_language(available: list[str]) -> str:
    """The reader's language if charts were drawn in it, else the site default."""
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language in available:
        return language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in available else (available or [""])[0]


@require_GET
@staff_required
def insights_page(request: HttpRequest) -> HttpResponse:
    snapshot = insights_snapshot_current()
    if snapshot is None:
        return render(request, "insights/page.html", {"snapshot": None})
    language = chart_language(snapshot.languages)
    sections = insights_sections(snapshot=snapshot)
    for section in sections:
        for panel in section.panels:
            panel.image_src = reverse("insights-chart", args=[snapshot.id, language, panel.key])
    return render(
        request,
        "insights/page.html",
        {"snapshot": snapshot, "sections": sections, "summary": catalog_summary(snapshot.data)},
    )


@require_GET
@staff_required
def insights_chart(request: HttpRequest, snapshot_id: str, language: str, key: str) -> FileResponse:
    path = insights_chart_file(snapshot_id=snapshot_id, language=language, key=key)
    if path is None:
        raise Http404(_("No such chart."))
    response = FileResponse(path.open("rb"), content_type="image/png")
    # The snapshot id is in the URL: a given URL never changes content.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


@require_POST
@staff_required
def insights_refresh_view(request: HttpRequest) -> HttpResponse:
    insights_refresh_request()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        messages.success(request, _("The report was recomputed."))
    else:
        messages.success(request, _("A refresh was queued; reload this page in a minute."))
    return redirect("insights")
