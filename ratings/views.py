"""HTML views for a user's ratings and watchlist (placeholders until the site issue lands)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def my_ratings(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "My ratings"})


@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Watchlist"})


@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Welcome"})
