"""The Spanish catalog as shipped (locale/es/LC_MESSAGES/django.po), read the way Django serves it."""

from __future__ import annotations

import re

import polib
from django.conf import settings
from django.utils import translation

SPANISH_CATALOG = settings.BASE_DIR / "locale" / "es" / "LC_MESSAGES" / "django.po"


def test_every_plural_entry_has_as_many_forms_as_the_catalog_declares() -> None:
    # A missing form is served as the English msgid_plural: the Spanish site then says
    # "Your account is deleted, with its 5 ratings." (msgfmt --check refuses such a catalog too).
    catalog = polib.pofile(str(SPANISH_CATALOG))
    declared = re.search(r"nplurals=(\d+)", catalog.metadata["Plural-Forms"])
    assert declared is not None
    forms = int(declared.group(1))
    short = [entry.msgid for entry in catalog if entry.msgid_plural and len(entry.msgstr_plural) != forms]
    assert short == []


def test_it_says_in_spanish_that_an_account_with_five_ratings_is_deleted() -> None:
    with translation.override("es"):
        message = translation.ngettext(
            "Your account is deleted, with its %(count)d rating.",
            "Your account is deleted, with its %(count)d ratings.",
            5,
        ) % {"count": 5}
    assert message == "Tu cuenta se ha eliminado, con sus 5 valoraciones."
