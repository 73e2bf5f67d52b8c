"""Small text helpers shared by the tabular modules: normalisation and Dutch display formatting."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

_HEADER_STRIP = re.compile(r"[\s_\-.:*/()\[\]]+")
_SPACES = re.compile(r"\s+")


def normalize_header(text: object) -> str:
    """Key used to compare column headers: case, accents, whitespace and punctuation are ignored."""
    s = unicodedata.normalize("NFKD", str(text))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return _HEADER_STRIP.sub("", s.casefold())


def normalize_key(text: str) -> str:
    """Key used to compare values (choices, references, translations): case and spacing are ignored."""
    return _SPACES.sub(" ", text.strip()).casefold()


def format_int_nl(n: int) -> str:
    """12345 -> '12.345'."""
    return f"{n:,}".replace(",", ".")


def format_decimal_nl(value: Decimal | float | int, *, thousands: bool = False) -> str:
    """Decimal('1234.5') -> '1234,5' (or '1.234,5' with thousands=True)."""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(d, "f")
    sign = ""
    if text.startswith("-"):
        sign, text = "-", text[1:]
    whole, _, frac = text.partition(".")
    if thousands:
        whole = format_int_nl(int(whole))
    return sign + whole + ("," + frac if frac else "")


def display_value(value: Any) -> str:
    """How a value is shown to a Dutch user in messages and exports."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime):
        if value.second or value.microsecond:
            return value.strftime("%d-%m-%Y %H:%M:%S")
        return value.strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format_decimal_nl(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return format_decimal_nl(value)
    return str(value)


def quote(value: Any, limit: int = 60) -> str:
    """Value in single quotes for a message, shortened when long."""
    text = display_value(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"


def join_nl(items: Iterable[str], limit: int = 12) -> str:
    """'a, b, c' shortened with an ellipsis after `limit` items."""
    seq = list(items)
    shown = ", ".join(seq[:limit])
    return shown + (", …" if len(seq) > limit else "")


def join_or_nl(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b of c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " of " + items[-1]


def plural(n: int, one: str, many: str) -> str:
    return f"{format_int_nl(n)} {one if n == 1 else many}"
