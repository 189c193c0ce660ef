"""Pure text helpers shared by importers, search and analytics (no Django)."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and byte-order characters that real exports leave in text, and
# NUL, which PostgreSQL text columns refuse.
_INVISIBLE = dict.fromkeys(map(ord, "\x00\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Trim a text field: strip invisible characters, NUL and surrounding white space."""
    if value is None:
        return ""
    text = str(value).translate(_INVISIBLE)
    return text.strip()


# A spreadsheet runs a cell starting with one of these as a formula ("CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def spreadsheet_safe(value: object) -> object:
    """A CSV cell that a spreadsheet shows rather than runs: text starting like a formula gets a leading '.

    Plain numbers (`-1`, `+3.5`) are left as they are.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def spreadsheet_unescape(text: str) -> str:
    """The text `spreadsheet_safe` protected, as it was."""
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_STARTS) else text


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_title(value: object) -> str:
    """The search key of a title or name: accent-free, case-folded, single-spaced.

    >>> normalize_title("  Amélie ")
    'amelie'
    """
    text = strip_accents(clean_text(value)).casefold()
    return _SPACES.sub(" ", text).strip()


# Apostrophes (straight, curly U+2018/U+2019, U+02BC, backtick, acute) join the letters
# around them: "America's" and "Americas" share a key. U+02BC is a letter to Unicode and
# U+00B4 turns into a space under NFKD, so they go before `normalize_title` runs.
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2018\u2019\u02bc\u0060\u00b4"), None)
# Unicode categories read as a word break: punctuation (hyphens, dashes, colons, quotes,
# brackets), symbols (+, *, ¢), separators and control characters. Letters, digits and marks
# of every script stay.
_BREAK_CATEGORIES = ("P", "S", "Z", "C")


class _WordBreaks(dict[int, int]):
    """A `str.translate` table: each character to a space if it breaks words, else to itself.

    Filled on first sight of each character, so a title costs one C-level lookup
    per character rather than a `unicodedata.category` call.
    """

    def __missing__(self, code: int) -> int:
        self[code] = ord(" ") if unicodedata.category(chr(code))[0] in _BREAK_CATEGORIES else code
        return self[code]


_WORD_BREAKS = _WordBreaks()


def title_key(value: object) -> str:
    """The key titles are stored, searched and matched by: `normalize_title`, punctuation aside.

    Spellings of one title across datasets differ in typography only, so
    punctuation and symbols read as a space, apostrophes are dropped and
    "&" reads as "and".

    >>> title_key("Spider-Man: Far From Home") == title_key("Spider Man - Far from Home")
    True
    >>> title_key("Marvel Studios' Iron Man & Hulk")
    'marvel studios iron man and hulk'
    """
    text = normalize_title(clean_text(value).translate(_APOSTROPHES).replace("&", " and "))
    return " ".join(text.translate(_WORD_BREAKS).split())
