"""Field parsers: turn one raw cell (text from CSV, or a typed cell from Excel) into a Python value.

Every parser has a scalar `parse(value)` that is the authority on what is accepted; it raises
`ParseError` with a Dutch message. Parsers may also offer `fast_expr`, a polars expression that
handles the common, clean spellings of a whole column at once; it returns null for anything it is
not sure about, and those cells go through `parse`. So the fast path only speeds things up, it
never changes what is accepted.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, Literal, TypeVar

import polars as pl
from rapidfuzz import fuzz, process

from ._text import display_value, format_decimal_nl, format_int_nl, join_nl, normalize_key, quote
from .errors import ParseError, UnknownReferenceError

T = TypeVar("T")
DecimalSeparator = Literal[",", "."]

__all__ = [
    "Boolean",
    "Choice",
    "Date",
    "DateTime",
    "Integer",
    "Number",
    "Parser",
    "Percentage",
    "Reference",
    "ReferenceList",
    "Text",
    "parse_boolean",
    "parse_date",
    "parse_datetime",
    "parse_decimal",
    "parse_integer",
    "parse_percentage",
]


def _text(value: object) -> str:
    """Stripped text of a value; raises on empty."""
    text = value.strip() if isinstance(value, str) else display_value(value).strip()
    if not text:
        raise ParseError("Er is geen waarde ingevuld.")
    return text


class Parser(ABC, Generic[T]):
    """Base class of field parsers."""

    #: polars dtype used to hold parsed values of a whole column
    dtype: Any = pl.Object
    #: True when values are held in another form than they are returned (see to_storage)
    converts: bool = False

    @abstractmethod
    def parse(self, value: object) -> T:
        """Parse one non-empty raw value or raise ParseError (Dutch message)."""

    def __call__(self, value: object) -> T:
        return self.parse(value)

    def fast_expr(self, col: pl.Expr) -> pl.Expr | None:
        """Vectorised parse of stripped, non-empty text; null where unsure. None: no fast path."""
        return None

    def to_storage(self, value: T) -> Any:
        return value

    def from_storage(self, value: Any) -> T:
        return value

    def specialise(self, sample: pl.Series) -> tuple[Parser[T], str | None]:
        """Adapt to one file, given a sample of its stripped text values. Returns (parser, note)."""
        return self, None


# --------------------------------------------------------------------------- text


class Text(Parser[str]):
    """Trimmed text with an optional maximum length, upper-casing and pattern."""

    dtype = pl.String

    def __init__(
        self,
        max_length: int | None = None,
        *,
        upper: bool = False,
        pattern: str | None = None,
        pattern_hint: str = "",
    ) -> None:
        self.max_length = max_length
        self.upper = upper
        self.pattern = pattern
        self.pattern_hint = pattern_hint
        self._regex = re.compile(pattern) if pattern else None

    def parse(self, value: object) -> str:
        text = _text(value)
        if self.upper:
            text = text.upper()
        if self.max_length is not None and len(text) > self.max_length:
            raise ParseError(
                f"{quote(text)} is te lang: {format_int_nl(len(text))} tekens, "
                f"maximaal {format_int_nl(self.max_length)} toegestaan."
            )
        if self._regex is not None and not self._regex.fullmatch(text):
            hint = f" ({self.pattern_hint})" if self.pattern_hint else ""
            raise ParseError(f"{quote(text)} heeft niet de juiste vorm{hint}.")
        return text

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        out = col.str.strip_chars()
        out = out.str.to_uppercase() if self.upper else out
        ok = out != ""
        if self.max_length is not None:
            ok = ok & (out.str.len_chars() <= self.max_length)
        if self.pattern is not None:
            ok = ok & out.str.contains(f"^(?:{self.pattern})$")
        return pl.when(ok).then(out)


# --------------------------------------------------------------------------- numbers

_GROUPED = {
    ".": re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+"),
    ",": re.compile(r"[1-9]\d{0,2}(?:,\d{3})+"),
}
_SPACE_GROUPED = re.compile(r"[1-9]\d{0,2}(?:[\s\u00a0\u202f]\d{3})+(?:[.,]\d+)?")
_BODY = re.compile(r"\d[\d.,]*|[.,]\d+")
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}\.\d{3}")


def _number_error(text: str) -> ParseError:
    return ParseError(f"{quote(text)} is geen geldig getal (verwacht bijvoorbeeld 1234,56).")


def _split_thousands(int_part: str, sep: str, text: str) -> str:
    if not _GROUPED[sep].fullmatch(int_part):
        raise _number_error(text)
    return int_part.replace(sep, "")


def parse_number_text(
    text: str, decimal_separator: DecimalSeparator | None = None, *, integer: bool = False
) -> Decimal:
    """Dutch-first number reading: '1.234,5' -> 1234.5, '12,5' -> 12.5, '12.5' -> 12.5.

    With decimal_separator None, a single dot followed by exactly three digits ('1.234') is
    ambiguous and refused, unless `integer` is set (then it is a thousands separator).
    """
    original = text
    t = text.strip().replace("\u2212", "-")
    sign = ""
    if t[:1] in "+-" and t:
        sign, t = ("-" if t[0] == "-" else ""), t[1:].lstrip()
    for symbol in ("€", "EUR"):
        if t.startswith(symbol):
            t = t[len(symbol) :].lstrip()
        if t.endswith(symbol):
            t = t[: -len(symbol)].rstrip()
    if t[:1] == "-" and not sign:
        sign, t = "-", t[1:].lstrip()
    if any(ch.isspace() for ch in t):
        if not _SPACE_GROUPED.fullmatch(t):
            raise _number_error(original)
        t = "".join(ch for ch in t if not ch.isspace())
    if not _BODY.fullmatch(t):
        raise _number_error(original)
    has_dot, has_comma = "." in t, "," in t
    if has_dot and has_comma:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        thousands = "." if dec == "," else ","
        if decimal_separator is not None and dec != decimal_separator:
            raise _number_error(original)
        int_part, _, frac = t.rpartition(dec)
        if not frac or dec in int_part:
            raise _number_error(original)
        normal = _split_thousands(int_part, thousands, original) + "." + frac
    elif has_dot or has_comma:
        sep = "." if has_dot else ","
        other: str = "," if sep == "." else "."
        count = t.count(sep)
        if count > 1:
            # only valid as a thousands separator
            if decimal_separator == sep:
                raise _number_error(original)
            normal = _split_thousands(t, sep, original)
        elif decimal_separator == other:
            normal = _split_thousands(t, sep, original)
        elif sep == "," or decimal_separator == ".":
            normal = t.replace(",", ".")
        elif _AMBIGUOUS.fullmatch(t):
            if integer:
                normal = t.replace(".", "")
            else:
                whole, _, frac = t.partition(".")
                raise ParseError(
                    f"{quote(original)} is dubbelzinnig: bedoelt u {whole}{frac} of {whole},{frac}? "
                    "Gebruik een komma voor decimalen en laat de punt bij duizendtallen weg."
                )
        else:
            normal = t
        if normal.startswith("."):
            normal = "0" + normal
        if normal.endswith("."):
            raise _number_error(original)
    else:
        normal = t
    try:
        return Decimal(sign + normal)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regexes above
        raise _number_error(original) from exc


def _to_decimal(value: Decimal | float | int | str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


class Number(Parser[Decimal]):
    """Decimal number, Dutch notation first ('1.234,5'); returns decimal.Decimal.

    Values are held as normalised text ('1234.5') inside polars so that nothing is lost.
    """

    dtype = pl.String
    converts = True
    kind = "getal"

    def __init__(
        self,
        *,
        places: int | None = None,
        min_value: Decimal | float | int | str | None = None,
        max_value: Decimal | float | int | str | None = None,
        decimal_separator: DecimalSeparator | None = None,
    ) -> None:
        self.places = places
        self.min_value = None if min_value is None else _to_decimal(min_value)
        self.max_value = None if max_value is None else _to_decimal(max_value)
        self.decimal_separator = decimal_separator

    # -- scalar
    def _read(self, value: object) -> Decimal:
        if isinstance(value, bool):
            raise ParseError(f"{quote(value)} is geen getal.")
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ParseError("Ongeldig getal (oneindig of geen getal).")
            number = Decimal(repr(value))
            if self.places is not None:
                rounded = number.quantize(Decimal(1).scaleb(-self.places))
                if abs(number - rounded) < Decimal("1e-9"):
                    number = rounded
            return number
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ParseError("Ongeldig getal (oneindig of geen getal).")
            return value
        if not isinstance(value, str):
            raise ParseError(f"{quote(value)} is geen getal.")
        return parse_number_text(_text(value), self.decimal_separator)

    def _check(self, number: Decimal, value: object) -> Decimal:
        if self.places is not None:
            step = Decimal(1).scaleb(-self.places)
            if number != number.quantize(step):
                raise ParseError(f"{quote(value)} heeft meer dan {self.places} decimalen.")
        if self.min_value is not None and number < self.min_value:
            raise ParseError(
                f"{quote(value)} is kleiner dan het minimum {format_decimal_nl(self.min_value)}."
            )
        if self.max_value is not None and number > self.max_value:
            raise ParseError(f"{quote(value)} is groter dan het maximum {format_decimal_nl(self.max_value)}.")
        return number

    def parse(self, value: object) -> Decimal:
        return self._check(self._read(value), value)

    def to_storage(self, value: Decimal) -> str:
        return format(value, "f")

    def from_storage(self, value: Any) -> Decimal:
        return Decimal(value)

    # -- vectorised
    def _normalised_expr(self, col: pl.Expr) -> pl.Expr:
        sep = self.decimal_separator
        frac = "[0-9]+" if self.places is None else f"[0-9]{{1,{self.places}}}"
        whole = "(?:0|[1-9][0-9]*)"  # no leading zeros, so the text form stays canonical
        if sep == ",":
            ok = col.str.contains(rf"^-?(?:[1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+|{whole})(?:,{frac})?$")
            out = col.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        elif sep == ".":
            ok = col.str.contains(rf"^-?(?:[1-9][0-9]{{0,2}}(?:,[0-9]{{3}})+|{whole})(?:\.{frac})?$")
            out = col.str.replace_all(",", "", literal=True)
        else:
            ok = col.str.contains(
                rf"^-?(?:{whole}|{whole},{frac}|[1-9][0-9]{{0,2}}(?:\.[0-9]{{3}})+,{frac}|{whole}\.{frac})$"
            ) & ~col.str.contains(r"^-?[1-9][0-9]{0,2}\.[0-9]{3}$")
            out = (
                pl.when(col.str.contains(",", literal=True))
                .then(col.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True))
                .otherwise(col)
            )
        return pl.when(ok).then(out)

    def fast_expr(self, col: pl.Expr) -> pl.Expr | None:
        out = self._normalised_expr(col)
        if self.min_value is None and self.max_value is None:
            return out
        ok = pl.lit(True)
        if self.min_value is not None or self.max_value is not None:
            number = out.cast(pl.Float64, strict=False)
            # near a bound the float is not precise enough: leave those to the scalar parser
            if self.min_value is not None:
                low = float(self.min_value)
                ok = ok & (number > low + 1e-9 * (1 + abs(low)))
            if self.max_value is not None:
                high = float(self.max_value)
                ok = ok & (number < high - 1e-9 * (1 + abs(high)))
        return pl.when(ok).then(out)

    def specialise(self, sample: pl.Series) -> tuple[Parser[Decimal], str | None]:
        if self.decimal_separator is not None or sample.len() == 0:
            return self, None
        text = sample.str.replace(r"\s*%$", "")
        comma = bool(text.str.contains(r"(?:,\d{1,2}|,\d{4,}|\.\d{3},\d+)$").any())
        dot = bool(text.str.contains(r"(?:\.\d{1,2}|\.\d{4,}|,\d{3}\.\d+)$").any())
        if comma == dot:
            return self, None
        sep: DecimalSeparator = "," if comma else "."
        clone = self._clone(sep)
        ambiguous = bool(text.str.contains(r"^-?\d{1,3}[.,]\d{3}$").any())
        if not ambiguous:
            return clone, None
        if sep == ",":
            return clone, "de komma is gelezen als decimaalteken en de punt als duizendtalscheiding."
        return clone, "de punt is gelezen als decimaalteken en de komma als duizendtalscheiding."

    def with_separator(self, sep: DecimalSeparator) -> Number:
        """The same parser with a fixed decimal separator."""
        return self._clone(sep)

    def _clone(self, sep: DecimalSeparator) -> Number:
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        clone.decimal_separator = sep
        return clone


class Percentage(Number):
    """Percentage like '85%' or '12,5 %'. By default returns the number of percent (85);
    with fraction=True it returns the fraction (0.85). Numeric Excel cells are taken as they are."""

    def __init__(
        self,
        *,
        fraction: bool = False,
        places: int | None = None,
        min_value: Decimal | float | int | str | None = None,
        max_value: Decimal | float | int | str | None = None,
        decimal_separator: DecimalSeparator | None = None,
    ) -> None:
        super().__init__(
            places=places, min_value=min_value, max_value=max_value, decimal_separator=decimal_separator
        )
        self.fraction = fraction

    def _read(self, value: object) -> Decimal:
        if isinstance(value, str):
            text = _text(value)
            stripped = re.sub(r"\s*%$", "", text)
            if not stripped:
                raise ParseError(f"{quote(value)} is geen geldig percentage (verwacht bijvoorbeeld 85%).")
            try:
                number = parse_number_text(stripped, self.decimal_separator)
            except ParseError as exc:
                if "dubbelzinnig" in exc.message:
                    raise
                raise ParseError(
                    f"{quote(value)} is geen geldig percentage (verwacht bijvoorbeeld 85%)."
                ) from exc
            return number.scaleb(-2) if self.fraction else number
        return super()._read(value)

    def fast_expr(self, col: pl.Expr) -> pl.Expr | None:
        if self.fraction:
            return None
        return super().fast_expr(col.str.strip_suffix("%").str.strip_chars_end(" "))


def _integer_error(value: object) -> ParseError:
    return ParseError(f"{quote(value)} is geen geheel getal (verwacht bijvoorbeeld 1234).")


class Integer(Parser[int]):
    """Whole number; '1.234' is read as 1234 (Dutch thousands separator)."""

    dtype = pl.Int64

    def __init__(self, *, min_value: int | None = None, max_value: int | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, value: object) -> int:
        if isinstance(value, bool):
            raise _integer_error(value)
        if isinstance(value, int):
            number = value
        elif isinstance(value, float | Decimal):
            finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
            if not finite or value != int(value):
                raise _integer_error(value)
            number = int(value)
        elif isinstance(value, str):
            text = _text(value)
            try:
                dec = parse_number_text(text, ",", integer=True)
            except ParseError as exc:
                raise _integer_error(text) from exc
            if dec != dec.to_integral_value():
                raise _integer_error(text)
            number = int(dec)
        else:
            raise _integer_error(value)
        if not -(2**63) <= number < 2**63:
            raise ParseError(f"{quote(value)} is te groot.")
        if self.min_value is not None and number < self.min_value:
            raise ParseError(f"{quote(value)} is kleiner dan het minimum {format_int_nl(self.min_value)}.")
        if self.max_value is not None and number > self.max_value:
            raise ParseError(f"{quote(value)} is groter dan het maximum {format_int_nl(self.max_value)}.")
        return number

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        ok = col.str.contains(r"^-?(?:\d{1,18}|[1-9]\d{0,2}(?:\.\d{3}){1,5})$")
        number = col.str.replace_all(".", "", literal=True).cast(pl.Int64, strict=False)
        if self.min_value is not None:
            ok = ok & (number >= self.min_value)
        if self.max_value is not None:
            ok = ok & (number <= self.max_value)
        return pl.when(ok).then(number)


# --------------------------------------------------------------------------- booleans

TRUE_WORDS = ("ja", "j", "waar", "true", "yes", "y", "1", "x", "aan", "✓", "✔")
FALSE_WORDS = ("nee", "n", "onwaar", "false", "no", "0", "uit", "niet")
_BOOLEAN_WORDS: dict[str, bool] = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}


class Boolean(Parser[bool]):
    """ja/nee, j/n, waar/onwaar, true/false, 1/0, x (= ja)."""

    dtype = pl.Boolean

    def parse(self, value: object) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float | Decimal) and value in (0, 1):
            return bool(value)
        text = _text(value)
        result = _BOOLEAN_WORDS.get(text.casefold())
        if result is None:
            raise ParseError(f"{quote(text)} is geen geldige ja/nee-waarde (gebruik ja of nee).")
        return result

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        return col.str.to_lowercase().replace_strict(
            list(_BOOLEAN_WORDS), list(_BOOLEAN_WORDS.values()), default=None, return_dtype=pl.Boolean
        )


# --------------------------------------------------------------------------- dates

MONTHS: dict[str, int] = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "febr": 2, "february": 2,
    "maart": 3, "mrt": 3, "mar": 3, "march": 3, "mei": 5, "may": 5,
    "april": 4, "apr": 4,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "augustus": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_DAYS = "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag"
WEEKDAYS = frozenset(_DAYS.split() + [day[:2] for day in _DAYS.split()])
MONTH_NAMES_NL: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip

_NUMERIC_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})([-/])(\d{1,2})\2(\d{1,2})")
_NAMED_DATE = re.compile(r"(?:([^\W\d_]+)\.?,?\s+)?(\d{1,2})\.?\s*([^\W\d_]+)\.?\s*(\d{4})")
_TIME_SPLIT = re.compile(
    r"(?P<date>.+?)(?:\s*T\s*|\s*,\s*|\s+om\s+|\s+)"
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?)?(?:\s*(?:uur|u))?",
    re.IGNORECASE,
)
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_EXAMPLE = "31-12-2024"
_DATETIME_EXAMPLE = "31-12-2024 14:30"


def _date_error(
    value: object, what: str = "datum", example: str = _DATE_EXAMPLE, hint: str = ""
) -> ParseError:
    extra = f" {hint}" if hint else ""
    return ParseError(f"{quote(value)} is geen geldige {what} (verwacht bijvoorbeeld {example}).{extra}")


def _parse_date_part(text: str, original: object, what: str, example: str) -> dt.date:
    day = month = year = 0
    if m := _NUMERIC_DATE.fullmatch(text):
        day, month, year = int(m[1]), int(m[3]), int(m[4])
    elif m := _ISO_DATE.fullmatch(text):
        year, month, day = int(m[1]), int(m[3]), int(m[4])
    elif m := _NAMED_DATE.fullmatch(text.casefold()):
        weekday, month_name = m[1], m[3]
        if weekday is not None and weekday not in WEEKDAYS:
            raise _date_error(original, what, example)
        if month_name not in MONTHS:
            raise _date_error(original, what, example, f"Onbekende maand '{month_name}'.")
        day, month, year = int(m[2]), MONTHS[month_name], int(m[4])
    else:
        raise _date_error(original, what, example)
    if year < 1000:
        raise _date_error(original, what, example)
    try:
        return dt.date(year, month, day)
    except ValueError:
        hint = ""
        if month > 12 and day <= 12:
            hint = "Zijn dag en maand omgedraaid? Schrijf dag-maand-jaar."
        raise _date_error(original, what, example, hint) from None


def _parse_text_datetime(
    text: str, original: object, what: str, example: str
) -> tuple[dt.date, dt.time | None]:
    if m := _TIME_SPLIT.fullmatch(text):
        date = _parse_date_part(m["date"].strip(), original, what, example)
        try:
            micro = int((m["f"] or "0").ljust(6, "0"))
            time = dt.time(int(m["h"]), int(m["m"]), int(m["s"] or 0), micro)
        except ValueError:
            raise _date_error(original, what, example, "De tijd bestaat niet.") from None
        return date, time
    return _parse_date_part(text, original, what, example), None


def _from_excel_serial(value: float, original: object, what: str, example: str) -> dt.datetime:
    if not 0 < value < 2958466 or value == 60:
        raise _date_error(original, what, example)
    epoch = _EXCEL_EPOCH if value > 60 else _EXCEL_EPOCH + dt.timedelta(days=1)
    seconds = round(value * 86400)
    return epoch + dt.timedelta(seconds=seconds)


def _bounds_check(value: Any, low: Any, high: Any, original: object) -> None:
    if low is not None and value < low:
        raise ParseError(f"{quote(original)} ligt vóór de vroegst toegestane datum {display_value(low)}.")
    if high is not None and value > high:
        raise ParseError(f"{quote(original)} ligt na de laatst toegestane datum {display_value(high)}.")


_NL_DATE_RE = r"(?:\d{1,2}-\d{1,2}-[1-9]\d{3}|\d{1,2}/\d{1,2}/[1-9]\d{3}|\d{1,2}\.\d{1,2}\.[1-9]\d{3})"
_ISO_DATE_RE = r"[1-9]\d{3}-\d{1,2}-\d{1,2}"


def _nl_to_dashes(col: pl.Expr) -> pl.Expr:
    return col.str.replace(r"^(\d{1,2})[/.](\d{1,2})[/.]", "${1}-${2}-")


class Date(Parser[dt.date]):
    """Dutch dates: 3-4-2024, 03-04-2024, 3/4/2024, 03.04.2024, 2024-04-03, 3 april 2024,
    3 apr. 2024; Excel date cells and Excel serial numbers. A time of 00:00 is allowed."""

    dtype = pl.Date

    def __init__(self, *, min_value: dt.date | None = None, max_value: dt.date | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, value: object) -> dt.date:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = None
            result = value
        elif isinstance(value, bool):
            raise _date_error(value)
        elif isinstance(value, int | float | Decimal):
            moment = _from_excel_serial(float(value), value, "datum", _DATE_EXAMPLE)
        elif isinstance(value, str):
            date, time = _parse_text_datetime(_text(value), value, "datum", _DATE_EXAMPLE)
            moment = None if time is None else dt.datetime.combine(date, time)
            result = date
        else:
            raise _date_error(value)
        if moment is not None:
            if moment.time() != dt.time(0):
                raise ParseError(
                    f"{quote(value)} bevat een tijdstip; verwacht alleen een datum "
                    f"(bijvoorbeeld {_DATE_EXAMPLE})."
                )
            result = moment.date()
        _bounds_check(result, self.min_value, self.max_value, value)
        return result

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        nl = _nl_to_dashes(col).str.strptime(pl.Date, "%d-%m-%Y", strict=False)
        iso = col.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        out = (
            pl.when(col.str.contains(f"^{_NL_DATE_RE}$"))
            .then(nl)
            .when(col.str.contains(f"^{_ISO_DATE_RE}$"))
            .then(iso)
        )
        return _bounded(out, self.min_value, self.max_value)


def _bounded(out: pl.Expr, low: Any, high: Any) -> pl.Expr:
    ok = pl.lit(True)
    if low is not None:
        ok = ok & (out >= pl.lit(low))
    if high is not None:
        ok = ok & (out <= pl.lit(high))
    return out if low is None and high is None else pl.when(ok).then(out)


class DateTime(Parser[dt.datetime]):
    """Date with optional time: '03-04-2024 14:30', '3-4-2024 14:30:15', '2024-04-03T14:30',
    '3 april 2024 om 14.30 uur', Excel date-time cells and serials. Returns a naive datetime."""

    dtype = pl.Datetime("us")

    def __init__(self, *, min_value: dt.datetime | None = None, max_value: dt.datetime | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def parse(self, value: object) -> dt.datetime:
        what, example = "datum met tijd", _DATETIME_EXAMPLE
        if isinstance(value, dt.datetime):
            result = value
        elif isinstance(value, dt.date):
            result = dt.datetime.combine(value, dt.time(0))
        elif isinstance(value, bool):
            raise _date_error(value, what, example)
        elif isinstance(value, int | float | Decimal):
            result = _from_excel_serial(float(value), value, what, example)
        elif isinstance(value, str):
            date, time = _parse_text_datetime(_text(value), value, what, example)
            result = dt.datetime.combine(date, time or dt.time(0))
        else:
            raise _date_error(value, what, example)
        if result.tzinfo is not None:
            raise ParseError(f"{quote(value)} bevat een tijdzone; geef de tijd zonder tijdzone op.")
        _bounds_check(result, self.min_value, self.max_value, value)
        return result

    def fast_expr(self, col: pl.Expr) -> pl.Expr:
        dtype = pl.Datetime("us")
        time_re = r"(?: \d{1,2}:\d{2}(?::\d{2})?)?"
        nl = _nl_to_dashes(col)
        iso = col.str.replace("T", " ", literal=True)
        nl_parsed = pl.coalesce(
            nl.str.strptime(dtype, "%d-%m-%Y %H:%M:%S", strict=False),
            nl.str.strptime(dtype, "%d-%m-%Y %H:%M", strict=False),
            nl.str.strptime(pl.Date, "%d-%m-%Y", strict=False).cast(dtype),
        )
        iso_parsed = pl.coalesce(
            iso.str.strptime(dtype, "%Y-%m-%d %H:%M:%S", strict=False),
            iso.str.strptime(dtype, "%Y-%m-%d %H:%M", strict=False),
            iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False).cast(dtype),
        )
        out = (
            pl.when(col.str.contains(f"^{_NL_DATE_RE}{time_re}$"))
            .then(nl_parsed)
            .when(col.str.contains(rf"^{_ISO_DATE_RE}(?:[ T]\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?$"))
            .then(iso_parsed)
        )
        return _bounded(out, self.min_value, self.max_value)


# --------------------------------------------------------------------------- choices and references


def _dtype_for(values: Iterable[Any]) -> Any:
    kinds = {type(v) for v in values}
    if kinds <= {str}:
        return pl.String
    if kinds <= {int}:
        return pl.Int64
    if kinds <= {bool}:
        return pl.Boolean
    return pl.Object


def _suggest(key: str, names: list[str], keys: list[str]) -> str | None:
    """Closest known spelling: plain edit similarity first (typos), then a token/partial match."""
    if not keys:
        return None
    match = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=75)
    if match is None:
        match = process.extractOne(key, keys, scorer=fuzz.WRatio, score_cutoff=86)
    return None if match is None else names[match[2]]


class Choice(Parser[Any]):
    """One of a fixed set. `choices`: {value: Dutch label}, [(value, label)] or [label]. Both the
    stored value and the label are accepted, case- and spacing-insensitive."""

    def __init__(
        self,
        choices: Mapping[Any, str] | Iterable[tuple[Any, str]] | Iterable[str],
    ) -> None:
        items: list[tuple[Any, str]] = []
        source = choices.items() if isinstance(choices, Mapping) else choices
        for item in source:
            if isinstance(item, tuple):
                items.append((item[0], str(item[1])))
            else:
                items.append((item, str(item)))
        self.labels = [label for _, label in items]
        self._index: dict[str, Any] = {}
        for value, label in items:
            self._index.setdefault(normalize_key(label), value)
        for value, _label in items:
            self._index.setdefault(normalize_key(display_value(value)), value)
        self._label_keys = [normalize_key(label) for label in self.labels]
        self.dtype = _dtype_for(value for value, _ in items)

    def parse(self, value: object) -> Any:
        text = _text(value)
        key = normalize_key(text)
        if key in self._index:
            return self._index[key]
        suggestion = _suggest(key, self.labels, self._label_keys)
        hint = f" Bedoelt u '{suggestion}'?" if suggestion else ""
        raise ParseError(f"{quote(text)} is geen geldige keuze.{hint} Kies uit: {join_nl(self.labels)}.")


class Reference(Parser[Any]):
    """A value that must exist in the caller's lookup (e.g. {organisation code: pk}).

    `lookup` is a mapping (the mapped value is returned) or an iterable of keys (the key, as spelled
    in the lookup, is returned). Matching ignores case and spacing; unknown values get a
    suggestion ("Onbekende organisatie 'PI Vugth'. Bedoelt u 'PI Vught'?").

    `unknown`: the Dutch words for an unknown value, because the adjective depends on the noun:
    "onbekende organisatie" (de-woord) but "onbekend organisatietype" (het-woord). It may also be a
    whole sentence with `{value}` in it ("Er is geen toezichtgebied {value}."). Without it the
    message is built from `noun` as "onbekende <noun>", which is only right for de-woorden.

    `in_file_field`: the value may also be a value of that field in the same file (e.g. a parent
    organisation created by the same import); such rows get the text as it is in that column.
    This requires the lookup values to be text (use an iterable of codes).
    """

    def __init__(
        self,
        lookup: Mapping[str, Any] | Iterable[str],
        *,
        noun: str = "waarde",
        unknown: str | None = None,
        in_file_field: str | None = None,
        max_suggestions: int = 500,
    ) -> None:
        pairs = list(lookup.items()) if isinstance(lookup, Mapping) else [(k, k) for k in lookup]
        self.noun = noun
        self.unknown = unknown if unknown is not None else f"onbekende {noun}"
        self.in_file_field = in_file_field
        self.max_suggestions = max_suggestions
        self._index: dict[str, Any] = {}
        for key, value in pairs:
            self._index.setdefault(normalize_key(str(key)), value)
        self._names = [str(k) for k, _ in pairs]
        self._keys = [normalize_key(name) for name in self._names]
        self._suggestions: dict[str, str | None] = {}
        self.dtype = _dtype_for(self._index.values())
        if in_file_field is not None and self.dtype != pl.String:
            raise TypeError("Reference with in_file_field needs text lookup values")

    def parse(self, value: object) -> Any:
        found, result = self.resolve(value)
        if found:
            return result
        text = _text(value)
        raise UnknownReferenceError(self.unknown_message(text, result), result, text)

    def resolve(self, value: object) -> tuple[bool, Any]:
        """(True, mapped value) when known, else (False, normalised key); no suggestion work."""
        key = normalize_key(_text(value))
        if key in self._index:
            return True, self._index[key]
        return False, key

    def unknown_message(self, text: str, key: str) -> str:
        suggestion = self.suggestion(key)
        hint = f" Bedoelt u '{suggestion}'?" if suggestion else ""
        if "{value}" in self.unknown:
            sentence = self.unknown.replace("{value}", quote(text))
            sentence = sentence[:1].upper() + sentence[1:]
            return sentence + (hint if sentence.endswith((".", "?", "!")) else "." + hint)
        return f"{self.unknown[:1].upper()}{self.unknown[1:]} {quote(text)}.{hint}"

    def suggestion(self, key: str) -> str | None:
        if key in self._suggestions:
            return self._suggestions[key]
        if len(self._suggestions) >= self.max_suggestions:
            return None
        found = _suggest(key, self._names, self._keys)
        self._suggestions[key] = found
        return found


class ReferenceList(Parser[tuple[Any, ...]]):
    """Several references in one cell, e.g. themes 'personeel | integriteit' or 'personeel, integriteit'.

    Each part goes through `reference` (with its Dutch message and suggestion). The parsed value is a
    tuple of the mapped values without repeats, in the order written; inside polars it is held as
    text joined by '|', so whole columns stay vectorised and fingerprints stay stable.
    """

    dtype = pl.String
    converts = True

    def __init__(self, reference: Reference, *, separators: str = "|,;") -> None:
        self.reference = reference
        self.separators = separators
        self._split = re.compile("[" + re.escape(separators) + "]")
        self._numeric = reference.dtype == pl.Int64

    def parse(self, value: object) -> tuple[Any, ...]:
        text = _text(value)
        parts = [part.strip() for part in self._split.split(text) if part.strip()]
        if not parts:
            raise ParseError("Er is geen waarde ingevuld.")
        found: list[Any] = []
        for part in parts:
            item = self.reference.parse(part)
            if item not in found:
                found.append(item)
        return tuple(found)

    def to_storage(self, value: tuple[Any, ...]) -> str:
        return "|".join(str(item) for item in value)

    def from_storage(self, value: Any) -> tuple[Any, ...]:
        if value is None or value == "":
            return ()
        parts = str(value).split("|")
        return tuple(int(p) for p in parts) if self._numeric else tuple(parts)


# --------------------------------------------------------------------------- shortcuts


def parse_date(value: object) -> dt.date:
    return Date().parse(value)


def parse_datetime(value: object) -> dt.datetime:
    return DateTime().parse(value)


def parse_decimal(value: object, decimal_separator: DecimalSeparator | None = None) -> Decimal:
    return Number(decimal_separator=decimal_separator).parse(value)


def parse_percentage(value: object, *, fraction: bool = False) -> Decimal:
    return Percentage(fraction=fraction).parse(value)


def parse_integer(value: object) -> int:
    return Integer().parse(value)


def parse_boolean(value: object) -> bool:
    return Boolean().parse(value)


def month_name(month: int) -> str:
    """Dutch month name, 1 -> 'januari'."""
    return MONTH_NAMES_NL[month - 1]
