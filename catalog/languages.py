"""Language names as shown to people, from the ISO 639-1 codes the catalog stores.

The code stays the stored value and the filter value; the label is Django's
name of the language in the active language ("fr" -> "Francés"), plus a few
codes TMDB uses that Django does not know. An unknown code is shown as is.
"""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

EXTRA_LANGUAGES: dict[str, Promise] = {
    "ab": _("Abkhazian"),
    "cn": _("Cantonese"),  # TMDB's code for Cantonese (not ISO 639-1)
    "la": _("Latin"),
    "sh": _("Serbo-Croatian"),
    "tl": _("Tagalog"),
    "xx": _("No language"),
    "yo": _("Yoruba"),
    "zh": _("Chinese"),
    "zu": _("Zulu"),
}


def language_label(code: str) -> str:
    """The language's name in the active language, or the code when it is unknown."""
    extra = EXTRA_LANGUAGES.get(code)
    if extra is not None:
        return str(extra)
    info = LANG_INFO.get(code)
    if info is None or "name" not in info:
        return code
    return gettext(info["name"])


def language_own_name(code: str) -> str:
    """The language's name in itself ("English", "Español"), for a menu of site languages."""
    info = LANG_INFO.get(code, {})
    return str(info.get("name_local", code))


# TMDB codes that are not the BCP 47 tag of their language.
_LANGUAGE_TAGS = {"cn": "yue", "xx": "zxx"}  # Cantonese; "No Language" is BCP 47's "no linguistic content"


def language_tag(code: str) -> str:
    """The BCP 47 tag for a stored language code, for a `lang` attribute; "" when there is none to give."""
    code = (code or "").strip().lower()
    tag = _LANGUAGE_TAGS.get(code, code)
    return tag if tag.isascii() and tag.isalpha() and 2 <= len(tag) <= 3 else ""
