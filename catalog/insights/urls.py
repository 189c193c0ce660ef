from __future__ import annotations

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


@staff_member_required
def insights(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Insights"})


urlpatterns = [path("insights/", insights, name="insights")]
