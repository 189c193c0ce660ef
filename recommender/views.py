"""Staff view of the model registry (placeholder until the recommender issue lands)."""

from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@staff_member_required
def staff_status(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Models"})
