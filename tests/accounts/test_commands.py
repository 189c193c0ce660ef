from __future__ import annotations

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings


@pytest.mark.django_db
def test_ensure_admin_creates_one_superuser_with_a_printed_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    out = StringIO()

    call_command("ensure_admin", stdout=out)
    call_command("ensure_admin", stdout=out)

    admin = get_user_model().objects.get(is_superuser=True)
    printed_password = out.getvalue().split("Admin account created: admin / ")[1].split()[0]
    assert admin.check_password(printed_password)
    assert "exists already" in out.getvalue()
    assert get_user_model().objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_ensure_admin_takes_the_password_from_the_environment_without_printing_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "boss")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "an environment passphrase 1")
    out = StringIO()

    call_command("ensure_admin", stdout=out)

    assert get_user_model().objects.get(username="boss").check_password("an environment passphrase 1")
    assert "an environment passphrase 1" not in out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_points_at_the_address_the_site_is_served_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    out = StringIO()

    call_command("ensure_admin", "--site-url", "http://0.0.0.0:9123/", stdout=out)

    assert "Sign in at http://0.0.0.0:9123/admin/ " in out.getvalue()
    assert "127.0.0.1:8000" not in out.getvalue()


@pytest.mark.django_db
def test_ensure_admin_follows_the_port_make_serve_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DJANGO_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("HOST", raising=False)
    monkeypatch.setenv("PORT", "8011")
    out = StringIO()

    call_command("ensure_admin", stdout=out)

    assert "Sign in at http://127.0.0.1:8011/admin/ " in out.getvalue()


def test_compiletranslations_writes_a_mo_file_django_can_read(tmp_path: Path) -> None:
    po_path = tmp_path / "es" / "LC_MESSAGES" / "django.po"
    po_path.parent.mkdir(parents=True)
    catalog = polib.POFile()
    catalog.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "es"}
    catalog.append(polib.POEntry(msgid="Browse", msgstr="Explorar"))
    catalog.save(str(po_path))

    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command("compiletranslations", stdout=StringIO())

    compiled = polib.mofile(str(po_path.with_suffix(".mo")))
    assert {entry.msgid: entry.msgstr for entry in compiled}["Browse"] == "Explorar"


@pytest.mark.django_db
def test_ensure_admin_prints_the_generated_password_when_the_variables_are_set_but_empty(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An env file or a compose service often sets a variable to nothing; the password is then
    # generated, and must be printed, or nobody can sign in.
    monkeypatch.setenv("DJANGO_ADMIN_USERNAME", "")
    monkeypatch.setenv("DJANGO_ADMIN_EMAIL", "")
    monkeypatch.setenv("DJANGO_ADMIN_PASSWORD", "")
    out = StringIO()

    call_command("ensure_admin", stdout=out)

    admin = get_user_model().objects.get(is_superuser=True)
    printed_password = out.getvalue().split("Admin account created: admin / ")[1].split()[0]
    assert admin.check_password(printed_password)
    assert admin.email == "admin@localhost"
