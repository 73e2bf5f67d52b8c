"""Exports: CSV for Dutch Excel (semicolon, decimal comma, UTF-8 with BOM) and XLSX (write-only
openpyxl: bold header, frozen header row, column widths, dd-mm-jjjj date cells)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any, cast
from zoneinfo import ZoneInfo

from ._text import display_value, format_decimal_nl

__all__ = ["ExportColumn", "write_csv", "write_xlsx"]

DATE_FORMAT = "dd-mm-yyyy"
DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
_FORMULA_START = ("=", "+", "@", "\t", "\r")
_LOCAL = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class ExportColumn:
    """key: dict key (for mapping rows; sequence rows are read by position); header: column title;
    width: Excel column width (default: from the header and the first rows); number_format: Excel
    format for numbers, e.g. '#,##0.00' (shown as 1.234,56 in Dutch Excel)."""

    key: str
    header: str
    width: float | None = None
    number_format: str | None = None


ColumnSpec = ExportColumn | str | tuple[str, str]
Row = Mapping[str, Any] | Sequence[Any]


def _specs(columns: Sequence[ColumnSpec]) -> list[ExportColumn]:
    specs: list[ExportColumn] = []
    for column in columns:
        if isinstance(column, ExportColumn):
            specs.append(column)
        elif isinstance(column, tuple):
            specs.append(ExportColumn(column[0], column[1]))
        else:
            specs.append(ExportColumn(column, column))
    return specs


def _cells(row: Row, specs: list[ExportColumn]) -> list[Any]:
    if isinstance(row, Mapping):
        return [row.get(spec.key) for spec in specs]
    values = list(row)
    return values[: len(specs)] + [None] * (len(specs) - len(values))


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        return value
    return value.astimezone(_LOCAL).replace(tzinfo=None)


def _escape(text: str) -> str:
    """Keep spreadsheet programs from running cell text as a formula."""
    if text.startswith(_FORMULA_START) or (text.startswith("-") and not _is_number(text)):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        Decimal(text.replace(",", "."))
    except ArithmeticError:
        return False
    return True


def _csv_text(value: Any, escape: bool) -> str:
    if isinstance(value, str):
        return _escape(value) if escape else value
    if isinstance(value, dt.datetime):
        return display_value(_local(value))
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return format_decimal_nl(value)
    return display_value(value)


def write_csv(
    rows: Iterable[Row],
    columns: Sequence[ColumnSpec],
    out: IO[bytes] | None = None,
    *,
    delimiter: str = ";",
    bom: bool = True,
    escape_formulas: bool = True,
) -> bytes | None:
    """Write rows (dicts keyed by column key, or sequences by position). Dates as dd-mm-jjjj,
    decimals with a comma, booleans as ja/nee. Returns the bytes when `out` is None."""
    specs = _specs(columns)
    target: IO[bytes] = out if out is not None else io.BytesIO()
    text = io.TextIOWrapper(target, encoding="utf-8-sig" if bom else "utf-8", newline="", write_through=False)
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([spec.header for spec in specs])
    for row in rows:
        writer.writerow([_csv_text(v, escape_formulas) for v in _cells(row, specs)])
    text.flush()
    text.detach()
    if out is None:
        assert isinstance(target, io.BytesIO)
        return target.getvalue()
    return None


def _width(value: Any) -> int:
    return min(60, max((len(line) for line in display_value(value).splitlines()), default=0))


def write_xlsx(
    rows: Iterable[Row],
    columns: Sequence[ColumnSpec],
    out: IO[bytes] | None = None,
    *,
    sheet_title: str = "Gegevens",
    freeze_header: bool = True,
    escape_formulas: bool = True,
) -> bytes | None:
    """Write an .xlsx in openpyxl's write-only mode (streams; memory stays flat). Dates and
    date-times become real date cells in Dutch notation. Returns the bytes when `out` is None."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    specs = _specs(columns)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Gegevens")
    iterator: Iterator[Row] = iter(rows)
    sample = list(islice(iterator, 200))
    for i, spec in enumerate(specs):
        if spec.width is not None:
            width = spec.width
        else:
            longest = max((_width(_cells(r, specs)[i]) for r in sample), default=0)
            width = max(8, min(60, max(len(spec.header) + 2, longest + 2)))
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    if freeze_header:
        sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for spec in specs:
        cell = WriteOnlyCell(sheet, value=spec.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)

    def convert(value: Any, spec: ExportColumn) -> Any:
        if value is None or isinstance(value, bool | int):
            return value
        cell: Any
        if isinstance(value, dt.datetime):
            cell = WriteOnlyCell(sheet, value=_local(value))
            cell.number_format = DATETIME_FORMAT
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=cast(Any, value))
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, float | Decimal):
            if spec.number_format:
                cell = WriteOnlyCell(sheet, value=cast(Any, value))
                cell.number_format = spec.number_format
                return cell
            return value
        text = value if isinstance(value, str) else display_value(value)
        if escape_formulas and text.startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text

    for row in chain(sample, iterator):
        sheet.append([convert(v, spec) for v, spec in zip(_cells(row, specs), specs, strict=True)])
    target: IO[bytes] = out if out is not None else io.BytesIO()
    workbook.save(target)
    if out is None:
        assert isinstance(target, io.BytesIO)
        return target.getvalue()
    return None
