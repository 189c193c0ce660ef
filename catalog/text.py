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


# Platform decorations: notes the streaming catalogs add to a film's title, which no film
# database carries. Matching alone reads past them (`title_key_undecorated`); the stored title
# and its search key keep them. Each entry is matched against the `title_key` of a bracketed note.
_LANGUAGES = (
    "english|spanish|french|german|italian|portuguese|japanese|korean|mandarin|cantonese|chinese|"
    "hindi|tamil|telugu|malayalam|kannada|marathi|bengali|punjabi|gujarati|arabic|turkish|russian"
)
_DECORATION_NOTE = re.compile(
    "|".join(
        (
            # Picture format: Prime Video sells "Thappad (4K UHD)" beside or instead of "Thappad".
            r"(?:4k )?(?:ultra )?(?:uhd|hd)|4k",
            # Audio and subtitles: Prime Video's "[English Subtitled]", "(Subtitled)", "(Dubbed)";
            # Hulu's "(Dub) Mass Effect: Paragon Lost".
            rf"(?:(?:{_LANGUAGES}) )?(?:subtitled|subbed|subtitles|sub|dubbed|dub)",
            # Language of the version: Prime Video's "Master (Malayalam)", Netflix's "Seven (Telugu)".
            rf"(?:in )?(?:{_LANGUAGES})(?: version| audio)?",
            # Edition: "(Extended Edition)", "(Director's Cut)", "(Theatrical Version)", Hulu's "(Unrated)".
            r"(?:extended|theatrical|unrated|uncut|remastered)(?: edition| cut| version)?",
            r"(?:directors|special|collectors) (?:edition|cut)",
            r"(?:\d+(?:st|nd|rd|th) )?anniversary(?: edition)?",
        )
    )
)
_TRAILING_NOTE = re.compile(r"^(?P<rest>.*\S)\s*[(\[](?P<note>[^()\[\]]*)[)\]]$")
# The same notes after a spaced dash ("Kingdom of Heaven - Director's Cut"). Only a listed decoration
# goes: most such endings are the title's own ("Eight Days a Week - The Touring Years", "Free Willy 2 -
# The Adventure Home"), and "- Part 1 of 4" is a part, not the film.
_TRAILING_DASH_NOTE = re.compile(r"^(?P<rest>.*\S)\s+[-\u2013\u2014]\s+(?P<note>[^-\u2013\u2014]*\S)$")
_LEADING_NOTE = re.compile(r"^[(\[](?P<note>[^()\[\]]*)[)\]]\s*(?P<rest>\S.*)$")
_YEAR_NOTE = re.compile(r"(?:18|19|20)\d\d")
# A studio's or author's name set before the title ("Marvel's Iron Man & Hulk: Heroes United",
# "Marvel Studios' Captain America: The Winter Soldier" on Disney+, "Dr. Seuss' The Lorax").
# Only these names: a possessive in general is part of titles ("Pan's Labyrinth", "Teacher's
# Pet", "Donald's Dog Laundry"). The rest must start like a title (a capital or a digit), not go
# on with a sentence; the match then needs it to be a film's whole title, not the start of one.
_APOSTROPHE = "['\u2018\u2019\u02bc`\u00b4]"  # the apostrophes `title_key` drops
_STUDIO_POSSESSIVE = re.compile(
    r"^(?:Marvel Studios|Marvel|Walt Disney|Disney\W{1,3}Pixar|Disney|Pixar|DreamWorks|Dr\.? Seuss"
    r"|Tyler Perry|Jim Henson)" + f"(?:{_APOSTROPHE}s|s?{_APOSTROPHE})" + r"\s+(?P<rest>[A-Z0-9].*)$"
)


def _is_decoration(note: str, year: int | None = None) -> bool:
    """A bracketed note a platform added: a known decoration or, given `year`, the film's year
    (Prime Video's "Amazing Grace (1974)", Hulu's "Kindred Spirits (2019)") within one of it."""
    key = title_key(note)
    if _YEAR_NOTE.fullmatch(key):
        return year is not None and abs(int(key) - year) <= 1
    return bool(_DECORATION_NOTE.fullmatch(key))


def title_key_undecorated(value: object, year: int | None = None) -> str:
    """The `title_key` of a streaming title without its platform decorations; "" when it has none.

    For matching only, after the title as given found no film: trailing bracketed
    or dash-separated notes that are decorations (format, language, edition, the
    year), a leading one
    (Hulu's "(Dub)") and a studio's possessive ("Marvel's ") go. A bracketed part
    that is not in the list stays, so "(500) Days of Summer" and "Pinkfong! Super
    Wheels (Cars, Trucks, Buses and More)" keep their titles.

    >>> title_key_undecorated("The World is Not Enough (4K UHD)")
    'the world is not enough'
    >>> title_key_undecorated("Marvel's Iron Man & Hulk: Heroes United")
    'iron man and hulk heroes united'
    >>> title_key_undecorated("(500) Days of Summer")
    ''
    """
    original = clean_text(value)
    text = original
    while (trailing := _TRAILING_NOTE.match(text) or _TRAILING_DASH_NOTE.match(text)) and _is_decoration(
        trailing["note"], year
    ):
        text = trailing["rest"]
    if (leading := _LEADING_NOTE.match(text)) and _is_decoration(leading["note"]):
        text = leading["rest"]
    if possessive := _STUDIO_POSSESSIVE.match(text):
        text = possessive["rest"]
    return title_key(text) if text != original else ""


_INITIALS = re.compile(r"\b(?:\w )+\w\b")
# Latin letters that NFKD leaves whole, and which lists of names also write without the mark
# ("Joachim Rønning" and "Joachim Ronning").
_UNDECOMPOSED_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "\u0131": "i"}
)
# A generation after a name, which some lists set apart by a comma ("Sammy Davis, Jr.").
_GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def person_name_key(value: object) -> str:
    """The key names are compared by across datasets: `title_key`, with a run of initials written as one word.

    Initials are spelt "B.J.", "B. J." or "BJ" in different lists, and a middle
    initial with or without its full stop; "ø", "æ", "ß" and the like read as
    plain letters, and "Jr." or "III" after a first name is left out (alone, as
    a comma-separated list splits "Sammy Davis, Jr.", it is no name: "").

    >>> person_name_key("Bert I. Gordon") == person_name_key("Bert I Gordon")
    True
    >>> person_name_key("B. J. Rogers") == person_name_key("BJ Rogers")
    True
    >>> person_name_key("Pedro Almodóvar")
    'pedro almodovar'
    >>> person_name_key("Robert Downey Jr."), person_name_key("Jr")
    ('robert downey', '')
    """
    key = _INITIALS.sub(lambda run: run[0].replace(" ", ""), title_key(value).translate(_UNDECOMPOSED_LETTERS))
    first, *rest = key.split() or [""]
    if not rest and first in _GENERATIONS:
        return ""
    return " ".join([first, *(word for word in rest if word not in _GENERATIONS)])
