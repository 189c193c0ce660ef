"""Pure parsers for the values found in the public dataset files (no Django).

Each parser returns the clean value or raises `BadValue` with a reason a
curator can read; the importers turn that into a reject line.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
import re
from collections.abc import Sequence

from catalog.text import clean_text


class BadValue(ValueError):
    """A field that cannot be used; the message is the reject reason."""


def refuse_undecodable(names: Sequence[str], fields: Sequence[str]) -> None:
    """BadValue("name: ...") for the first field holding U+FFFD, which the reader puts for bytes that are not UTF-8."""
    for name, value in zip(names, fields, strict=True):
        if "\ufffd" in value:
            raise BadValue(f"{name}: not valid UTF-8 (the file may be in another encoding)")


# The 19 genres of MovieLens 100K, in u.item's flag order. Two contain
# characters other lists split on ("Children's", "Film-Noir").
ML100K_GENRES = (
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
)

# Articles MovieLens moves to the end of a title ("Misérables, Les").
_TRAILING_ARTICLE = re.compile(
    r"^(?P<body>.+), (?P<article>The|A|An|La|Le|Les|L'|Il|Lo|Gli|Das|Der|Die|Det|Den|El|Los|Las|O|Un|Une)$"
)
_PARENTHESISED = re.compile(r"^(?P<main>.+?) \((?P<alt>[^()]+)\)$")


def _article_first(part: str) -> str:
    match = _TRAILING_ARTICLE.match(part)
    if not match:
        return part
    article = match["article"]
    separator = "" if article.endswith("'") else " "
    return f"{article}{separator}{match['body']}"


def display_title(title: str) -> str:
    """Move MovieLens' trailing article to the front, in the title and its alternative.

    >>> display_title("Horseman on the Roof, The (Hussard sur le toit, Le)")
    'The Horseman on the Roof (Le Hussard sur le toit)'
    """
    title = clean_text(title)
    match = _PARENTHESISED.match(title)
    if match and not match["alt"].isdigit():
        return f"{_article_first(match['main'])} ({_article_first(match['alt'])})"
    return _article_first(title)


def split_ml100k_genres(value: str) -> list[str]:
    """Match the fixed ML-100K genre names greedily in a space-separated list."""
    text = clean_text(value)
    found: list[str] = []
    by_length = sorted(ML100K_GENRES, key=len, reverse=True)
    position = 0
    while position < len(text):
        if text[position] == " ":
            position += 1
            continue
        for genre in by_length:
            end = position + len(genre)
            if text.startswith(genre, position) and (end == len(text) or text[end] == " "):
                found.append(genre)
                position = end
                break
        else:
            raise BadValue(f"unknown genre at {text[position:]!r}")
    return found


_LITERAL_TOKEN = re.compile(r"""'([^'\\]*)'|"([^"\\]*)"|\b(None|True|False)\b""")
_JSON_WORDS = {"None": "null", "True": "true", "False": "false"}
# Words JSON reads and Python does not: text holding them goes to ast.literal_eval.
_JSON_ONLY_WORDS = ("null", "true", "false", "NaN", "Infinity")


def _literal_as_json(match: re.Match[str]) -> str:
    word = match.group(3)
    if word is not None:
        return _JSON_WORDS[word]
    content = match.group(1) if match.group(1) is not None else match.group(2)
    return json.dumps(content, ensure_ascii=False)


def _not_a_python_constant(name: str) -> object:
    raise ValueError(f"{name} is not a Python literal")


def python_literal(text: str) -> object:
    """`ast.literal_eval` of a literal, several times faster on the common case.

    Literals without backslashes are rewritten as JSON (strings re-quoted,
    None/True/False spelled the JSON way) and read with json.loads; anything
    that is not plain JSON afterwards (escapes, tuples, sets, trailing commas,
    words only JSON knows) goes to ast.literal_eval. Neither evaluates code.
    """
    if "\\" not in text and '"' not in text:
        # The usual case: every string is single-quoted and holds neither quote,
        # so the pieces between quotes alternate code, string, code...
        pieces = text.split("'")
        code = pieces[::2]
        if any(word in piece for piece in code for word in _JSON_ONLY_WORDS):
            return ast.literal_eval(text)
        for index in range(0, len(pieces), 2):
            pieces[index] = pieces[index].replace("None", "null").replace("True", "true").replace("False", "false")
        try:
            return json.loads('"'.join(pieces), strict=False, parse_constant=_not_a_python_constant)
        except ValueError:
            return ast.literal_eval(text)
    if "\\" not in text and not any(word in text for word in _JSON_ONLY_WORDS):
        try:
            return json.loads(_LITERAL_TOKEN.sub(_literal_as_json, text), parse_constant=_not_a_python_constant)
        except ValueError:
            pass
    return ast.literal_eval(text)


def parse_literal_list(value: object) -> list[dict[str, object]]:
    """A Python-literal list of dicts (`[{'id': 18, 'name': 'Drama'}]`), parsed without eval."""
    text = clean_text(value)
    if text in ("", "[]", "nan", "None"):
        return []
    try:
        parsed = python_literal(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise BadValue(f"not a Python literal list ({type(error).__name__})") from None
    if not isinstance(parsed, list) or not all(isinstance(item, dict) for item in parsed):
        raise BadValue("expected a list of records")
    return parsed


def parse_literal_dict(value: object) -> dict[str, object] | None:
    text = clean_text(value)
    if text in ("", "nan", "None", "{}"):
        return None
    try:
        parsed = python_literal(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as error:
        raise BadValue(f"not a Python literal record ({type(error).__name__})") from None
    if not isinstance(parsed, dict):
        raise BadValue("expected a record")
    return parsed


def parse_int(value: object, *, minimum: int = 0, maximum: int = 2**31 - 1, allow_empty: bool = True) -> int | None:
    """An integer field; "12.0" is accepted (pandas-written files), "12.5" is not."""
    text = clean_text(value)
    if text in ("", "nan", "NaN", "None"):
        if allow_empty:
            return None
        raise BadValue("missing")
    try:
        number = int(text)
    except ValueError:
        try:
            as_float = float(text)
        except ValueError:
            raise BadValue("not a number") from None
        if not math.isfinite(as_float) or not as_float.is_integer():
            raise BadValue("not a whole number") from None
        number = int(as_float)
    if not minimum <= number <= maximum:
        raise BadValue(f"out of range {minimum}..{maximum}")
    return number


def parse_float(value: object, *, minimum: float = 0.0, maximum: float = 1e12) -> float | None:
    text = clean_text(value)
    if text in ("", "nan", "NaN", "None"):
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadValue("not a number") from None
    if not math.isfinite(number) or not minimum <= number <= maximum:
        raise BadValue(f"out of range {minimum:g}..{maximum:g}")
    return number


_ISO_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
# The years a film can come out in: the first films date from the 1870s, and
# the datasets list films announced a few years ahead. A year outside (0001,
# 9999) is a placeholder or a typo, and would stretch every chart by year.
EARLIEST_RELEASE_YEAR, LATEST_RELEASE_YEAR = 1850, 2100


def check_release_year(year: int | None) -> int | None:
    """The year, or BadValue when no film can have come out in it."""
    if year is not None and not EARLIEST_RELEASE_YEAR <= year <= LATEST_RELEASE_YEAR:
        raise BadValue(f"year {year} outside {EARLIEST_RELEASE_YEAR}..{LATEST_RELEASE_YEAR}")
    return year


def parse_iso_date(value: object) -> dt.date | None:
    """YYYY-MM-DD only: `date.fromisoformat` also takes week dates and `20210105`, which no dataset writes."""
    text = clean_text(value)
    if not text:
        return None
    if not _ISO_DATE.match(text):
        raise BadValue("not a YYYY-MM-DD date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadValue("not a YYYY-MM-DD date") from None


def parse_long_date(value: object) -> dt.date | None:
    """Streaming `date_added`: "September 25, 2021" (often with a leading space) or empty."""
    text = clean_text(value)
    if not text:
        return None
    for layout in ("%B %d, %Y", "%b %d, %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, layout).date()  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
    raise BadValue("not a date like 'September 25, 2021'")


_DURATION = re.compile(r"^(\d+)\s*(min|mins|minutes?|seasons?)$", re.IGNORECASE)
# Minutes or seasons; the longest films run about 50,000 minutes. Same bound as a film's runtime.
MAX_DURATION = 100_000


def parse_duration(value: object) -> tuple[int, str] | None:
    """`90 min` → (90, "min"); `2 Seasons` → (2, "season"); empty → None."""
    text = clean_text(value)
    if not text:
        return None
    match = _DURATION.match(text)
    if not match:
        raise BadValue("not a duration like '90 min' or '2 Seasons'")
    amount = int(match[1])
    if amount > MAX_DURATION:
        raise BadValue(f"out of range 0..{MAX_DURATION}")
    unit = "season" if match[2].lower().startswith("season") else "min"
    return amount, unit


def looks_like_duration(value: object) -> bool:
    return bool(_DURATION.match(clean_text(value)))


def imdb_text(value: object) -> str:
    """IMDb ids as tt-prefixed zero-padded text: `114709` or `0114709` → `tt0114709`."""
    text = clean_text(value)
    if not text or text in ("nan", "0"):
        return ""
    digits = text[2:] if text.startswith("tt") else text
    if digits.endswith(".0"):
        digits = digits[:-2]
    if not digits.isdigit() or len(digits) > 10:
        raise BadValue("not an IMDb id")
    return f"tt{digits.zfill(7)}"
