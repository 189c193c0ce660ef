from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.middleware import SESSION_LANGUAGE_KEY
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def test_it_needs_a_logged_in_user(client: Client) -> None:
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_four_platforms(client: Client) -> None:
    client.force_login(ProfileFactory().user)

    response = client.get(reverse("profile"))

    for name in ["Amazon Prime Video", "Disney+", "Hulu", "Netflix"]:
        assert name.encode() in response.content


def test_it_saves_platforms_and_language_and_switches_the_site_language(client: Client) -> None:
    profile = ProfileFactory()
    client.force_login(profile.user)

    response = client.post(reverse("profile"), {"language": "es", "platforms": ["netflix", "hulu"]})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.language == "es"
    assert sorted(profile.platforms.values_list("slug", flat=True)) == ["hulu", "netflix"]
    assert client.session[SESSION_LANGUAGE_KEY] == "es"
    assert response.cookies["django_language"].value == "es"
    assert client.get(reverse("profile")).headers["Content-Language"] == "es"


def test_it_clears_the_platforms_when_none_are_ticked(client: Client) -> None:
    profile = ProfileFactory()
    client.force_login(profile.user)
    client.post(reverse("profile"), {"language": "en", "platforms": ["netflix"]})

    client.post(reverse("profile"), {"language": "en"})

    assert profile.platforms.count() == 0


def test_it_refuses_an_unknown_platform_or_language(client: Client) -> None:
    profile = ProfileFactory()
    client.force_login(profile.user)

    response = client.post(reverse("profile"), {"language": "fr", "platforms": ["betamax"]})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"language", "platforms"}
    profile.refresh_from_db()
    assert profile.language == "en"


def test_the_header_language_switch_saves_a_signed_in_users_choice(client: Client) -> None:
    profile = ProfileFactory(language="en")
    client.force_login(profile.user)

    response = client.post(reverse("set_language"), {"language": "es", "next": "/accounts/profile/"})

    assert response.status_code == 302
    assert response.url == "/accounts/profile/"
    profile.refresh_from_db()
    assert profile.language == "es"
    assert client.get(reverse("profile")).headers["Content-Language"] == "es"


def test_the_header_language_switch_works_for_anonymous_visitors_and_ignores_foreign_next(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "es", "next": "https://elsewhere.example/"})

    assert response.status_code == 302
    assert "elsewhere.example" not in response.url
    assert response.cookies["django_language"].value == "es"


def test_the_language_menu_names_each_language_in_itself(client: Client) -> None:
    client.force_login(ProfileFactory(language="es").user)

    html = client.get(reverse("profile")).content.decode()

    assert '<option value="en">English</option>' in html
    assert '<option value="es" selected>Español</option>' in html
