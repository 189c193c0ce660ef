"""/insights/ is for staff, is never computed per request, and can be computed on demand."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from catalog.models import Movie
from tests.factories import UserFactory
from tests.insights.html_reading import read_insights

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(fixture_catalog, insights_dir) -> Client:
    client = Client()
    client.force_login(fixture_catalog.staff)
    return client


def test_anonymous_visitors_are_sent_to_the_login_page(client, insights_dir) -> None:
    response = client.get(reverse("insights"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_in_users_who_are_not_staff_get_403(client, db, insights_dir) -> None:
    client.force_login(UserFactory())
    assert client.get(reverse("insights")).status_code == 403
    assert client.post(reverse("insights-refresh")).status_code == 403


def test_without_a_snapshot_the_page_says_so_and_offers_to_compute(staff_client, insights_dir) -> None:
    response = staff_client.get(reverse("insights"))
    assert response.status_code == 200
    assert b'id="insights-empty"' in response.content
    assert reverse("insights-refresh").encode() in response.content
    assert not list(insights_dir.glob("snapshots/*"))


def test_the_refresh_button_computes_the_report_in_the_embedded_mode(
    staff_client, insights_dir, django_capture_on_commit_callbacks, charts_not_drawn
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("insights-refresh"))
    assert response.status_code == 302
    response = staff_client.get(response.url)
    reader = read_insights(response.content.decode())
    assert reader.summary["Films"] == str(Movie.objects.count())
