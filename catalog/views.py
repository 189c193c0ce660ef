"""HTML views of the catalog (placeholders until the site issue lands)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "moviesite"})


def movie_list(request: HttpRequest) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": "Browse"})


def movie_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": f"Film {pk}"})


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "under_construction.html", {"heading": f"Person {pk}"})
