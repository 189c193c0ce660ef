"""Account pages (placeholders until the foundation issue lands)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def signup(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Sign up"})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Profile"})
