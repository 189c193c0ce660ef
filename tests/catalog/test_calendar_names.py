from __future__ import annotations

import pytest

from catalog.calendar_names import UnknownNameError, month_number, weekday_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("septiembre", 9),
        ("Septiembre", 9),
        ("SEPTEMBER", 9),
        ("setiembre", 9),
        ("sep", 9),
        (" enero ", 1),
        ("December", 12),
        ("diciembre", 12),
        ("5", 5),
    ],
)
def test_it_reads_a_month_in_spanish_or_english(text: str, expected: int) -> None:
    assert month_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("miércoles", 3),
        ("miercoles", 3),
        ("MIÉRCOLES", 3),
        ("Wednesday", 3),
        ("lunes", 1),
        ("sábado", 6),
        ("sabado", 6),
        ("Sunday", 7),
        ("domingo", 7),
        ("7", 7),
        ("lun", 1),
        ("mar", 2),
        ("mié", 3),
        ("mie", 3),
        ("jue", 4),
        ("vie", 5),
        ("Sáb.", 6),
        ("sab", 6),
        ("dom", 7),
        ("wed", 3),
    ],
)
def test_it_reads_a_weekday_in_spanish_or_english_as_iso_number(text: str, expected: int) -> None:
    assert weekday_number(text) == expected


@pytest.mark.parametrize("text", ["", "brumaire", "13", "0", "miercoles", "lunes", "\u1369", "\u0663"])
def test_it_rejects_what_is_not_a_month(text: str) -> None:
    with pytest.raises(UnknownNameError):
        month_number(text)


@pytest.mark.parametrize("text", ["", "funday", "8", "0", "enero", "\u1369"])
def test_it_rejects_what_is_not_a_weekday(text: str) -> None:
    with pytest.raises(UnknownNameError):
        weekday_number(text)


def test_mar_is_march_as_a_month_and_tuesday_as_a_day() -> None:
    assert (month_number("mar"), weekday_number("mar")) == (3, 2)
