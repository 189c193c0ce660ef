"""Pages on a 360 px phone: nothing wider than the screen, and rating targets big enough to hit.

Headless Chromium via Playwright against the live server, as in test_site_journey.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from recommender.models import ModelVersion
from tests.factories import DEFAULT_PASSWORD, GenreFactory, ModelVersionFactory, MovieFactory, StaffUserFactory

pytestmark = [pytest.mark.browser]

PHONE = {"width": 360, "height": 800}
# WCAG 2.2 "Target size (minimum)": 24 by 24 CSS pixels.
MIN_TARGET = 24
# What full-precision metrics look like in the registry.
UNROUNDED_RMSE = 0.9414671659469604


@pytest.fixture
def phone(chromium: Any, live_server: Any, transactional_db: None) -> Any:
    """A signed-in staff member's page on a 360 px wide screen."""
    StaffUserFactory(username="curator")
    context = chromium.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "curator")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    yield page
    context.close()


def page_width(page: Any) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth")


def test_the_model_status_page_fits_a_phone(phone: Any, live_server: Any) -> None:
    metrics = {"holdout_rmse": UNROUNDED_RMSE, "train_rmse": UNROUNDED_RMSE, "ratings": 100_000}
    ModelVersionFactory(status=ModelVersion.Status.ACTIVE, metrics=metrics, data_size={"ratings": 100_000})
    for _ in range(3):
        ModelVersionFactory(metrics=metrics, training_seconds=12.3456789)

    phone.goto(f"{live_server.url}/staff/models/")

    assert page_width(phone) <= PHONE["width"]


def test_the_ratings_import_page_fits_a_phone(phone: Any, live_server: Any, tmp_path: Path) -> None:
    phone.goto(f"{live_server.url}/me/ratings/import/")
    assert page_width(phone) <= PHONE["width"]

    ratings = tmp_path / "ratings.csv"
    ratings.write_text("title,year,rating\nA Film Nobody Has Heard Of In Any Language Anywhere,1999,3.5\n")
    phone.set_input_files("input[type=file]", str(ratings))
    phone.click("main form.stacked button[type=submit]")
    phone.wait_for_selector("#report-heading")

    assert page_width(phone) <= PHONE["width"]


def test_every_half_star_is_a_24_px_target_and_the_onboarding_fits_a_phone(phone: Any, live_server: Any) -> None:
    film = MovieFactory(title="Heat", genres=[GenreFactory(name="Drama")], vote_count=5000)

    for url in [f"/films/{film.pk}/", "/welcome/"]:
        phone.goto(live_server.url + url)
        boxes = phone.locator("label.star").evaluate_all(
            "labels => labels.map(label => {"
            " const box = label.getBoundingClientRect(); return [box.width, box.height]; })"
        )

        assert len(boxes) >= 10, url
        assert all(width >= MIN_TARGET and height >= MIN_TARGET for width, height in boxes), (url, boxes[:2])
        assert page_width(phone) <= PHONE["width"], url
