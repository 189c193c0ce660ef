"""/favicon.ico: the admin and API docs pages link no icon, so browsers ask for this path."""

from __future__ import annotations

from django.templatetags.static import static


def test_favicon_ico_redirects_to_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response.url == static("img/favicon.svg")
