"""Periods of observations: parsing the spellings people use and showing them in Dutch. No Django.

A period is stored as its first day: March 2025 is 2025-03-01, the first quarter of 2025 is 2025-01-01.
Accepted: ``2025-03``, ``03-2025``, ``2025/3``, ``mrt 2025``, ``maart 2025``, ``2025-Q1``, ``Q1 2025``,
``K1 2025``, ``1e kwartaal 2025``, ``2025`` and full dates (``1-3-2025``, ``2025-03-01``, ``1 maart 2025``),
which stand for the month they fall in.

Messages are Dutch. They are marked with this module's own ``gettext_noop`` (makemessages extracts calls by
that name) so that a page or the API can translate them without this module importing Django:
:class:`PeriodError` keeps each message's template and parameters, :func:`frequency_hint` returns a marked
text as it is. The accepted spellings themselves (``mrt``, ``K1``, ``kwartaal``) are input, never translated.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import polars as pl

from toezicht.core.tabular import ParseError, Parser
from toezicht.core.tabular.parsers import MONTH_NAMES_NL, MONTHS, Date

_MONTH_SHORT_NL = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")

_YEAR_MONTH = re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})")
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})")
_NAMED = re.compile(r"([^\W\d_]+)\.?\s*[-/]?\s*(\d{4})")
_QUARTER_AFTER = re.compile(r"(\d{4})\s*[-/ ]?\s*[qk]\s*([1-4])")
_QUARTER_BEFORE = re.compile(r"(?:[qk]\s*([1-4])|([1-4])\s*e?\s*kwartaal)\s*[-/ ]?\s*(\d{4})")
_YEAR = re.compile(r"(\d{4})")


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the translation catalogue; the caller translates it where it is shown."""
    return message


Message = tuple[str, dict[str, object]]  # a marked template and its parameters (ints are counts)


class PeriodError(ParseError):
    """A ParseError whose Dutch ``message`` is also kept as ``parts`` (template, parameters), in order, so
    that a caller can show it in the user's language."""

    def __init__(self, *parts: Message) -> None:
        super().__init__(" ".join(template % params for template, params in parts))
        self.parts = parts


def _error(value: object, hint: Message | None = None) -> PeriodError:
    invalid = gettext_noop(
        "'%(value)s' is geen geldige periode (verwacht bijvoorbeeld 2025-03, mrt 2025, 2025-Q1 of 2025)."
    )
    first: Message = (invalid, {"value": str(value)})
    return PeriodError(first, hint) if hint else PeriodError(first)


def _year(text: str, value: object) -> int:
    year = int(text)
    if not 1900 <= year <= 2200:
        raise _error(value, (gettext_noop("Het jaartal ligt buiten 1900-2200."), {}))
    return year


def _month_date(year: int, month: int, value: object) -> dt.date:
    if not 1 <= month <= 12:
        raise _error(value, (gettext_noop("Maand %(month)s bestaat niet."), {"month": month}))
    return dt.date(year, month, 1)


def parse_period(value: object) -> dt.date:
    """First day of the period a cell describes; raises ParseError with a Dutch message."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, bool) or value is None:
        raise _error(value)
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value).strip()
    if not text:
        raise PeriodError((gettext_noop("Er is geen waarde ingevuld."), {}))
    low = text.casefold()
    if m := _YEAR_MONTH.fullmatch(low):
        return _month_date(_year(m[1], value), int(m[2]), value)
    if m := _MONTH_YEAR.fullmatch(low):
        return _month_date(_year(m[2], value), int(m[1]), value)
    if m := _QUARTER_AFTER.fullmatch(low):
        return dt.date(_year(m[1], value), 3 * int(m[2]) - 2, 1)
    if m := _QUARTER_BEFORE.fullmatch(low):
        return dt.date(_year(m[3], value), 3 * int(m[1] or m[2]) - 2, 1)
    if m := _NAMED.fullmatch(low):
        if m[1] not in MONTHS:
            raise _error(value, (gettext_noop("Onbekende maand '%(month)s'."), {"month": m[1]}))
        return dt.date(_year(m[2], value), MONTHS[m[1]], 1)
    if m := _YEAR.fullmatch(low):
        return dt.date(_year(m[1], value), 1, 1)
    try:
        return Date().parse(text).replace(day=1)
    except ParseError:
        raise _error(value) from None


class Period(Parser[dt.date]):
    """core.tabular parser for a period column (see module docstring)."""

    dtype = pl.Date

    def parse(self, value: object) -> dt.date:
        return parse_period(value)

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        # The common clean spelling '2025-03': everything else goes through parse().
        return (
            pl.when(col.str.contains(r"^(?:19|20|21)\d{2}-(?:0[1-9]|1[0-2])$"))
            .then((col + "-01").str.strptime(pl.Date, "%Y-%m-%d", strict=False))
            .otherwise(None)
        )


def period_label(start: dt.date, frequency: str = "maand") -> str:
    """Dutch label: 'maart 2025', 'K1 2025', '2025'."""
    if frequency == "kwartaal":
        return f"K{(start.month - 1) // 3 + 1} {start.year}"
    if frequency == "jaar":
        return str(start.year)
    return f"{MONTH_NAMES_NL[start.month - 1]} {start.year}"


def period_short(start: dt.date, frequency: str = "maand") -> str:
    """Short label for chart axes: 'mrt 25', 'K1 25', '2025'."""
    if frequency == "kwartaal":
        return f"K{(start.month - 1) // 3 + 1} {start.year % 100:02d}"
    if frequency == "jaar":
        return str(start.year)
    return f"{_MONTH_SHORT_NL[start.month - 1]} {start.year % 100:02d}"


def aligned(start: dt.date, frequency: str) -> bool:
    """Whether a period start fits the indicator's frequency (a quarter starts in jan/apr/jul/okt)."""
    if frequency == "kwartaal":
        return start.month in (1, 4, 7, 10)
    if frequency == "jaar":
        return start.month == 1
    return True


def frequency_hint(frequency: str) -> str:
    """A marked Dutch hint for a period that does not fit the frequency ("" for monthly indicators)."""
    if frequency == "kwartaal":
        return gettext_noop("deze indicator wordt per kwartaal gemeten: gebruik bijvoorbeeld 2025-Q1")
    if frequency == "jaar":
        return gettext_noop("deze indicator wordt per jaar gemeten: gebruik bijvoorbeeld 2025")
    return ""


def add_months(start: dt.date, months: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_index(day: dt.date | Any) -> int:
    return int(day.year) * 12 + int(day.month) - 1
