"""The Spanish catalogs as shipped (locale/ and locale_overrides/), read the way Django serves them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

SPANISH_CATALOG = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"
SPANISH_OVERRIDES = settings.BASE_DIR / "locale_overrides" / "es" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("path", [SPANISH_CATALOG, SPANISH_OVERRIDES], ids=["locale", "locale_overrides"])
def test_every_plural_entry_has_as_many_forms_as_the_catalog_declares(path: Path) -> None:
    # A missing form is served as the English msgid_plural: the Spanish site then says
    # "Your account is deleted, with its 5 ratings." (msgfmt --check refuses such a catalog too).
    catalog = polib.pofile(str(path))
    declared = re.search(r"nplurals=(\d+)", catalog.metadata["Plural-Forms"])
    assert declared is not None
    forms = int(declared.group(1))
    short = [entry.msgid for entry in catalog if entry.msgid_plural and len(entry.msgstr_plural) != forms]
    assert short == []


def _project_copy(tmp_path: Path) -> Path:
    """The project's sources, without git, the virtualenv or compiled files, with the virtualenv linked."""
    project = tmp_path / "project"
    shutil.copytree(
        settings.BASE_DIR,
        project,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "staticfiles", "node_modules", "__pycache__", "*.mo"),
    )
    (project / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return project


def _messages_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env["MOVIESITE_VAR_DIR"] = str(tmp_path / "var")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _msgids(catalog: polib.POFile) -> set[tuple[str | None, str]]:
    return {(entry.msgctxt, entry.msgid) for entry in catalog if not entry.obsolete}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test-deps installs it)")
def test_make_messages_finds_every_string_of_the_sources_translated_and_keeps_the_overrides(tmp_path: Path) -> None:
    """What `make messages` (the README's way to add strings) makes of a copy of the project.

    Fails on a string the sources hold and the catalog does not translate (or translates
    for an older wording: fuzzy), on an entry no source holds any more, and if it touched
    the overrides of Django's and DRF's messages (it once deleted them as obsolete).
    """
    project = _project_copy(tmp_path)
    subprocess.run(
        ["make", "-s", "messages"], cwd=project, env=_messages_env(tmp_path), check=True, capture_output=True
    )

    regenerated = polib.pofile(str(project / SPANISH_CATALOG.relative_to(settings.BASE_DIR)))
    assert [entry.msgid for entry in regenerated.untranslated_entries()] == []
    assert [entry.msgid for entry in regenerated.fuzzy_entries()] == []
    shipped = polib.pofile(str(SPANISH_CATALOG))
    assert sorted(_msgids(shipped) - _msgids(regenerated), key=str) == []  # kept, though no source holds it
    assert sorted(_msgids(regenerated) - _msgids(shipped), key=str) == []
    overrides = project / SPANISH_OVERRIDES.relative_to(settings.BASE_DIR)
    assert overrides.read_bytes() == SPANISH_OVERRIDES.read_bytes()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (make test-deps installs it)")
def test_the_catalog_is_stored_as_make_messages_writes_it(tmp_path: Path) -> None:
    """A catalog edited by hand is rewritten by the next `make messages`, burying the real change in
    thousands of lines: whoever adds strings runs it and commits what it wrote (its date aside)."""
    project = _project_copy(tmp_path)
    subprocess.run(
        ["make", "-s", "messages"], cwd=project, env=_messages_env(tmp_path), check=True, capture_output=True
    )

    regenerated = (project / SPANISH_CATALOG.relative_to(settings.BASE_DIR)).read_text(encoding="utf-8")
    assert _without_creation_date(regenerated) == _without_creation_date(SPANISH_CATALOG.read_text(encoding="utf-8"))


def _without_creation_date(catalog: str) -> list[str]:
    return [line for line in catalog.splitlines() if not line.startswith('"POT-Creation-Date:')]


def test_the_overrides_of_django_s_and_drf_s_messages_say_tu() -> None:
    with translation.override("es"):
        assert translation.gettext("Your old password was entered incorrectly. Please enter it again.") == (
            "La contraseña actual no es correcta. Escríbela otra vez."
        )
        assert translation.gettext("You do not have permission to perform this action.") == (
            "No tienes permiso para realizar esta acción."
        )


@pytest.mark.django_db
def test_the_browse_form_s_range_and_length_errors_say_tu_and_name_the_limit_rightly(client: Client) -> None:
    """The browse page's year limits and search length reach Django's validators, whose Spanish says "usted"."""
    page = client.get("/films/", {"year_from": "2200", "q": "a" * 201}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Asegúrate de que este valor es menor o igual que 2100." in page
    assert "Asegúrate de que este valor tiene como mucho 200 caracteres (tiene 201)." in page
    assert "Asegúrese" not in page


def test_it_says_in_spanish_that_an_account_with_five_ratings_is_deleted() -> None:
    with translation.override("es"):
        message = translation.ngettext(
            "Your account is deleted, with its %(count)d rating.",
            "Your account is deleted, with its %(count)d ratings.",
            5,
        ) % {"count": 5}
    assert message == "Tu cuenta se ha eliminado, con sus 5 valoraciones."
