"""Month and weekday names in Spanish and English, read the way people type them.

Pure helpers (no Django): `septiembre`, `Septiembre`, `September`, `sep`,
`miércoles`, `miercoles`, `mié`, `Wednesday` and `wed` all resolve. Numbers are accepted
too (months 1-12; weekdays follow ISO 8601, 1 = Monday ... 7 = Sunday).
"""

from __future__ import annotations

from catalog.text import normalize_title

MONTHS_EN = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
# ISO order: Monday first.
WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAYS_ES = ("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo")


def _name_index(names: tuple[str, ...]) -> dict[str, int]:
    return {name: number for number, name in enumerate(names, start=1)}


_MONTHS: dict[str, int] = {
    **_name_index(MONTHS_EN),
    **_name_index(MONTHS_ES),
    # Three-letter abbreviations and the older Spanish spelling.
    **{name[:3]: number for number, name in enumerate(MONTHS_EN, start=1)},
    **{name[:3]: number for number, name in enumerate(MONTHS_ES, start=1)},
    "sept": 9,
    "setiembre": 9,
}
# Months and weekdays are looked up apart, so "mar" is March as a month and Tuesday (martes) as a day.
_WEEKDAYS: dict[str, int] = {
    **_name_index(WEEKDAYS_EN),
    **_name_index(WEEKDAYS_ES),
    # Three-letter abbreviations: mon ... sun, lun mar mié jue vie sáb dom (accents optional).
    **{name[:3]: number for number, name in enumerate(WEEKDAYS_EN, start=1)},
    **{name[:3]: number for number, name in enumerate(WEEKDAYS_ES, start=1)},
}


class UnknownNameError(ValueError):
    """The text is not a month or weekday name this module knows."""


def _lookup(value: object, names: dict[str, int], highest: int, what: str) -> int:
    key = normalize_title(value).rstrip(".")
    # isdecimal and ASCII: isdigit() accepts digits such as "፩" that int() refuses.
    if key.isascii() and key.isdecimal() and 1 <= int(key) <= highest:
        return int(key)
    if key in names:
        return names[key]
    raise UnknownNameError(f"{value!r} is not a {what} name in Spanish or English.")


def month_number(value: object) -> int:
    """1-12 for a month name or number, in Spanish or English, any case, with or without accents."""
    return _lookup(value, _MONTHS, 12, "month")


def weekday_number(value: object) -> int:
    """ISO weekday (1 = Monday ... 7 = Sunday) for a day name or number in Spanish or English."""
    return _lookup(value, _WEEKDAYS, 7, "weekday")
