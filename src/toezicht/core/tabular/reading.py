"""Reading CSV and Excel files into a `Table`: a header plus the data rows, served in column chunks.

CSV: the encoding is detected (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252) and so
is the delimiter (; , tab |). Large files are parsed by polars; files polars cannot read the way
Excel would (ragged rows, old Mac line ends) go through Python's csv module.
Excel (xlsx, xlsm, xls, ods): read with python-calamine; date cells arrive as date objects.

Row numbers are the ones the user sees in Excel: the header is row 1 (or the row it is on, when a
sheet starts lower), blank lines keep their number.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Protocol

import polars as pl

from ._text import display_value, join_nl
from .errors import TableReadError

__all__ = ["RawChunk", "Table", "read_table", "table_from_rows"]

DEFAULT_CHUNK_ROWS = 20_000
POLARS_CHUNK_ROWS = 250_000
_SNIFF_CHARS = 64 * 1024
_DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "puntkomma", ",": "komma", "\t": "tab", "|": "verticale streep"}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOT_A_TABLE = "Het bestand {name} is geen geldig CSV- of Excelbestand"
_LOOKS_LIKE_DATA = re.compile(r"[\d\s.,:/%€+\-]+")
_SPACES = re.compile(r"\s+")

Source = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]


@dataclass
class RawChunk:
    """A block of consecutive data rows. Exactly one of `frame` (polars, one String column per
    header column) and `columns` (Python values per header column) is set."""

    first_row: int
    height: int
    frame: pl.DataFrame | None = None
    columns: list[list[Any]] | None = None
    problems: dict[int, str] = field(default_factory=dict)  # local row index -> Dutch message

    def column_values(self, index: int) -> list[Any]:
        if self.frame is not None:
            return self.frame.to_series(index).to_list()
        assert self.columns is not None
        return self.columns[index]


class _Rows(Protocol):
    def chunks(self, size: int | None) -> Iterator[RawChunk]: ...


@dataclass
class Table:
    """A read table. `header` holds the column names as written (trimmed, trailing empty cells
    removed); data rows are served by `chunks()` or `rows()` and may be read more than once."""

    header: list[str]
    filename: str
    format: str  # "csv", "xlsx", "xls", "ods" or "rows"
    header_row: int
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    notices: list[str] = field(default_factory=list)
    row_count: int | None = None  # data rows incl. blank ones, when known up front
    _source: _Rows | None = field(default=None, repr=False)

    def chunks(self, size: int | None = None) -> Iterator[RawChunk]:
        assert self._source is not None
        return self._source.chunks(size)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) for every data row, blank rows included."""
        for chunk in self.chunks():
            columns = [chunk.column_values(i) for i in range(len(self.header))]
            for offset, values in enumerate(zip(*columns, strict=True)):
                yield chunk.first_row + offset, list(values)

    def describe(self) -> str:
        """Dutch one-liner on how the file was read, for the report."""
        if self.format == "csv":
            delimiter = _DELIMITER_NAMES.get(self.delimiter or "", repr(self.delimiter))
            return f"CSV-bestand, tekenset {self.encoding}, scheidingsteken {delimiter}"
        if self.format == "rows":
            return "gegevens"
        return f"Excelbestand, tabblad '{self.sheet}'"


# --------------------------------------------------------------------------- entry points


def read_table(
    source: Source,
    filename: str | None = None,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Table:
    """Read a CSV or Excel file (bytes, path or binary file object). Raises TableReadError (Dutch)."""
    data, name = _load(source, filename)
    shown = f"'{name}'" if name else ""
    if not data.strip():
        raise TableReadError(f"Het bestand {shown} is leeg.".replace("  ", " "))
    suffix = Path(name).suffix.lower()
    if data.startswith((_ZIP, _OLE)):
        return _read_workbook(data, name, sheet)
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        notice = f"Het bestand heeft de extensie {suffix}, maar is een tekstbestand; het is gelezen als CSV."
        table = _read_csv(data, name, encoding, delimiter)
        table.notices.insert(0, notice)
        return table
    return _read_csv(data, name, encoding, delimiter)


def table_from_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], filename: str = "") -> Table:
    """A Table over Python data (e.g. rows posted to an API, or tests). Row numbers start at 2."""
    names = _clean_header(header)
    width = len(names)
    materialised = [list(r) for r in rows]
    return Table(
        header=names,
        filename=filename,
        format="rows",
        header_row=1,
        row_count=len(materialised),
        _source=_ListRows(materialised, width, first_row=2),
    )


# --------------------------------------------------------------------------- helpers


def _load(source: Source, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source), filename or ""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            return path.read_bytes(), filename or path.name
        except OSError as exc:
            raise TableReadError(f"Het bestand '{path.name}' kan niet worden geopend.") from exc
    if hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return bytes(data), filename or os.path.basename(str(getattr(source, "name", "")))
    raise TypeError(f"cannot read a table from {type(source).__name__}")


def _clean_header(cells: Sequence[Any]) -> list[str]:
    names = [_SPACES.sub(" ", display_value(c)).strip() for c in cells]
    while names and not names[-1]:
        names.pop()
    return names


def _is_blank(values: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _check_header(names: list[str], raw: Sequence[Any], name: str) -> None:
    cells = [c for c in raw if not (c is None or (isinstance(c, str) and not c.strip()))]
    if cells and all(not isinstance(c, str) or _LOOKS_LIKE_DATA.fullmatch(c.strip()) for c in cells):
        raise TableReadError(
            f"De eerste rij van {_quoted(name)}bevat gegevens in plaats van kolomnamen "
            f"({join_nl(names, 6)}). Voeg bovenaan een kopregel met de kolomnamen toe."
        )


def _quoted(name: str) -> str:
    return f"'{name}' " if name else "het bestand "


class _ListRows:
    def __init__(self, rows: list[list[Any]], width: int, first_row: int) -> None:
        self._rows = rows
        self._width = width
        self._first = first_row

    def chunks(self, size: int | None) -> Iterator[RawChunk]:
        size = size or DEFAULT_CHUNK_ROWS
        for start in range(0, len(self._rows), size):
            block = self._rows[start : start + size]
            yield _chunk_from_rows(block, self._width, self._first + start)


def _chunk_from_rows(block: list[list[Any]], width: int, first_row: int) -> RawChunk:
    problems: dict[int, str] = {}
    if all(len(row) == width for row in block):
        columns = [list(c) for c in zip(*block, strict=True)] if block else [[] for _ in range(width)]
        return RawChunk(first_row=first_row, height=len(block), columns=columns)
    fixed: list[Sequence[Any]] = []
    for i, row in enumerate(block):
        if len(row) == width:
            fixed.append(row)
            continue
        if len(row) > width:
            extra = row[width:]
            if not _is_blank(extra):
                problems[i] = (
                    f"De rij heeft {len(row)} velden, maar de kopregel heeft er {width}. "
                    "Controleer het scheidingsteken en de aanhalingstekens."
                )
            fixed.append(row[:width])
        else:
            fixed.append(list(row) + [None] * (width - len(row)))
    columns = [list(c) for c in zip(*fixed, strict=True)] if fixed else [[] for _ in range(width)]
    return RawChunk(first_row=first_row, height=len(block), columns=columns, problems=problems)


# --------------------------------------------------------------------------- CSV


def _decode_check_utf8(data: bytes) -> bool:
    if data.isascii():
        return True
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    step = 1 << 24
    try:
        for start in range(0, len(data), step):
            decoder.decode(view[start : start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _to_utf8(data: bytes, encoding: str | None, name: str) -> tuple[bytes, str]:
    """The data as UTF-8 without BOM, plus the name of the detected encoding."""
    if encoding:
        try:
            return data.decode(encoding).lstrip("\ufeff").encode("utf-8"), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise TableReadError(f"Het bestand {_quoted(name)}is niet in tekenset {encoding}.") from exc
    if data.startswith(codecs.BOM_UTF8):
        body = data[len(codecs.BOM_UTF8) :]
        if _decode_check_utf8(body):
            return body, "UTF-8 (met BOM)"
        return body.decode("utf-8", errors="replace").encode("utf-8"), "UTF-8 (met BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise TableReadError(_NOT_A_TABLE.format(name=_quoted(name)).replace("  ", " ") + ".") from exc
    if _decode_check_utf8(data):
        return data, "UTF-8"
    try:
        return data.decode("cp1252").encode("utf-8"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1").encode("utf-8"), "ISO-8859-1"


def _check_text(sample: str, name: str) -> None:
    base = _NOT_A_TABLE.format(name=_quoted(name)).replace("  ", " ")
    head = sample[:2048].lstrip().lower()
    if head.startswith(("<!doctype", "<html", "<?xml")) or "<html" in head[:200]:
        raise TableReadError(base + " (het lijkt een webpagina of XML-bestand).")
    if head.startswith("%pdf"):
        raise TableReadError(base + " (het is een PDF-bestand).")
    control = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n")
    if "\x00" in sample or control > max(8, len(sample) // 100):
        raise TableReadError(base + ".")


def _sniff_delimiter(sample: str) -> str:
    cut = sample.rfind("\n")
    text = sample[:cut] if cut > 0 else sample
    best, best_score = ",", (-1, -1.0)
    for candidate in _DELIMITERS:
        try:
            rows = list(islice(csv.reader(io.StringIO(text), delimiter=candidate), 200))
        except csv.Error:
            continue
        rows = [r for r in rows if not _is_blank(r)]
        if not rows:
            continue
        head = len(rows[0])
        if head < 2:
            continue
        same = sum(1 for r in rows if len(r) == head) / len(rows)
        score = (1 if same >= 0.9 else 0, head * same)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(data: bytes, name: str, encoding: str | None, delimiter: str | None) -> Table:
    utf8, detected = _to_utf8(data, encoding, name)
    sample = utf8[:_SNIFF_CHARS].decode("utf-8", errors="ignore")
    _check_text(sample, name)
    if not sample.strip():
        raise TableReadError(f"Het bestand {_quoted(name)}is leeg.")
    delim = delimiter or _sniff_delimiter(sample)
    old_mac = "\r" in sample and "\n" not in sample
    table: Table | None = None
    if not old_mac:
        table = _read_csv_polars(utf8, name, delim, detected)
    if table is None:
        table = _read_csv_python(utf8, name, delim, detected)
    return table


def _read_csv_polars(utf8: bytes, name: str, delim: str, detected: str) -> Table | None:
    try:
        frame = pl.read_csv(
            utf8,
            has_header=False,
            separator=delim,
            quote_char='"',
            infer_schema=False,
            raise_if_empty=False,
            empty_string_is_null=True,
            truncate_ragged_lines=False,
        )
    except pl.exceptions.PolarsError:
        return None
    if frame.width == 0 or frame.height == 0:
        return None
    found = _first_filled_row(frame, reverse=False)
    if found is None:
        raise TableReadError(f"Het bestand {_quoted(name)}bevat geen gegevens.")
    header_index = found
    last = _first_filled_row(frame, reverse=True) or header_index
    raw_header = frame.row(header_index)
    names = _clean_header(raw_header)
    _check_header(names, raw_header, name)
    width = len(names)
    body = frame.slice(header_index + 1, max(0, last - header_index))
    notices: list[str] = []
    if frame.width > width:
        extra = body.select(frame.columns[width:])
        if extra.select(pl.any_horizontal(pl.all().str.strip_chars().str.len_bytes() > 0).any()).item():
            notices.append("Er staan gegevens in kolommen zonder kolomnaam; die worden genegeerd.")
        body = body.select(frame.columns[:width])
    body = body.rename({c: f"c{i}" for i, c in enumerate(body.columns)})
    return Table(
        header=names,
        filename=name,
        format="csv",
        header_row=header_index + 1,
        encoding=detected,
        delimiter=delim,
        notices=notices,
        row_count=body.height,
        _source=_FrameRows(body, first_row=header_index + 2),
    )


def _first_filled_row(frame: pl.DataFrame, *, reverse: bool) -> int | None:
    """Index of the first (or last) row with any non-blank cell, scanning in small blocks."""
    filled = pl.any_horizontal(pl.col(c).str.strip_chars().str.len_bytes() > 0 for c in frame.columns)
    block = 1024
    starts = range(0, frame.height, block)
    for start in reversed(starts) if reverse else starts:
        mask = frame.slice(start, block).select(filled.fill_null(False)).to_series()
        positions = mask.arg_true()
        if positions.len():
            return start + int(positions[-1] if reverse else positions[0])
    return None


class _FrameRows:
    def __init__(self, frame: pl.DataFrame, first_row: int) -> None:
        self._frame = frame
        self._first = first_row

    def chunks(self, size: int | None) -> Iterator[RawChunk]:
        size = size or POLARS_CHUNK_ROWS
        for start in range(0, self._frame.height, size):
            part = self._frame.slice(start, size)
            yield RawChunk(first_row=self._first + start, height=part.height, frame=part)


class _CsvRows:
    """Streams rows with Python's csv module (used for files polars does not read like Excel)."""

    def __init__(self, utf8: bytes, delim: str, skip: int, width: int, first_row: int) -> None:
        self._utf8 = utf8
        self._delim = delim
        self._skip = skip
        self._width = width
        self._first = first_row

    def _reader(self) -> Iterator[list[str]]:
        stream = io.TextIOWrapper(io.BytesIO(self._utf8), encoding="utf-8", newline="")
        return csv.reader(stream, delimiter=self._delim)

    def chunks(self, size: int | None) -> Iterator[RawChunk]:
        size = size or DEFAULT_CHUNK_ROWS
        reader = self._reader()
        for _ in range(self._skip):
            next(reader, None)
        row_number = self._first
        pending_blank: list[list[Any]] = []
        while True:
            try:
                block: list[list[Any]] = [list(r) for r in islice(reader, size)]
            except csv.Error as exc:
                raise TableReadError(f"Het CSV-bestand kan niet worden gelezen: {exc}.") from exc
            if not block:
                return
            # keep trailing blank lines out of the table
            block = pending_blank + block
            end = len(block)
            while end and _is_blank(block[end - 1]):
                end -= 1
            pending_blank = block[end:]
            block = block[:end]
            if block:
                yield _chunk_from_rows(block, self._width, row_number)
                row_number += len(block)


def _read_csv_python(utf8: bytes, name: str, delim: str, detected: str) -> Table:
    stream = io.TextIOWrapper(io.BytesIO(utf8), encoding="utf-8", newline="")
    reader = csv.reader(stream, delimiter=delim)
    skip = 0
    raw_header: list[str] | None = None
    try:
        for row in reader:
            skip += 1
            if not _is_blank(row):
                raw_header = row
                break
    except csv.Error as exc:
        raise TableReadError(f"Het CSV-bestand {_quoted(name)}kan niet worden gelezen: {exc}.") from exc
    if raw_header is None:
        raise TableReadError(f"Het bestand {_quoted(name)}bevat geen gegevens.")
    names = _clean_header(raw_header)
    _check_header(names, raw_header, name)
    return Table(
        header=names,
        filename=name,
        format="csv",
        header_row=skip,
        encoding=detected,
        delimiter=delim,
        _source=_CsvRows(utf8, delim, skip, len(names), first_row=skip + 1),
    )


# --------------------------------------------------------------------------- Excel


def _read_workbook(data: bytes, name: str, sheet: str | int | None) -> Table:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_object(io.BytesIO(data))
    except Exception as exc:  # calamine raises several unrelated types
        if data.startswith(_OLE):
            message = (
                f"Het Excelbestand {_quoted(name)}kan niet worden gelezen; mogelijk is het beveiligd "
                "met een wachtwoord. Verwijder het wachtwoord en probeer het opnieuw."
            )
        else:
            message = _NOT_A_TABLE.format(name=_quoted(name)).replace("  ", " ") + "."
        raise TableReadError(message) from exc
    sheet_names = list(book.sheet_names)
    chosen = _choose_sheet(book, sheet_names, sheet, name)
    try:
        worksheet = book.get_sheet_by_name(chosen)
    except Exception as exc:
        raise TableReadError(f"Het tabblad '{chosen}' van {_quoted(name)}kan niet worden gelezen.") from exc
    rows = worksheet.iter_rows()
    header_index = -1
    raw_header: list[Any] | None = None
    for index, row in enumerate(rows):
        if not _is_blank(row):
            header_index, raw_header = index, row
            break
    if raw_header is None:
        raise TableReadError(f"Het tabblad '{chosen}' van {_quoted(name)}is leeg.")
    names = _clean_header(raw_header)
    _check_header(names, raw_header, name)
    suffix = Path(name).suffix.lower().lstrip(".")
    kind = (
        suffix if suffix in {"xlsx", "xlsm", "xls", "ods"} else ("xls" if data.startswith(_OLE) else "xlsx")
    )
    notices = []
    if len(sheet_names) > 1 and sheet is None:
        notices.append(f"Het bestand heeft {len(sheet_names)} tabbladen; alleen '{chosen}' is gelezen.")
    return Table(
        header=names,
        filename=name,
        format=kind,
        header_row=header_index + 1,
        sheet=chosen,
        notices=notices,
        _source=_SheetRows(worksheet, header_index, len(names)),
    )


def _choose_sheet(book: Any, names: list[str], sheet: str | int | None, filename: str) -> str:
    if not names:
        raise TableReadError(f"Het Excelbestand {_quoted(filename)}bevat geen tabbladen.")
    if sheet is None:
        for meta in book.sheets_metadata:
            if "WorkSheet" in str(meta.typ) and "Hidden" not in str(meta.visible):
                return str(meta.name)
        return names[0]
    if isinstance(sheet, int):
        if 0 <= sheet < len(names):
            return names[sheet]
    else:
        wanted = sheet.strip().casefold()
        for candidate in names:
            if candidate.strip().casefold() == wanted:
                return candidate
    raise TableReadError(f"Tabblad '{sheet}' niet gevonden. Beschikbare tabbladen: {join_nl(names)}.")


class _SheetRows:
    def __init__(self, worksheet: Any, header_index: int, width: int) -> None:
        self._worksheet = worksheet
        self._header_index = header_index
        self._width = width

    def chunks(self, size: int | None) -> Iterator[RawChunk]:
        size = size or DEFAULT_CHUNK_ROWS
        width = self._width
        rows = self._worksheet.iter_rows()
        for _ in range(self._header_index + 1):
            next(rows, None)
        row_number = self._header_index + 2
        pending_blank: list[list[Any]] = []
        while True:
            block: list[list[Any]] = list(islice(rows, size))
            if not block:
                return
            if len(block[0]) > width:  # cells right of the header are not part of the table
                block = [r[:width] for r in block]
            block = pending_blank + block
            end = len(block)
            while end and _is_blank(block[end - 1]):
                end -= 1
            pending_blank = block[end:]
            block = block[:end]
            if block:
                yield _chunk_from_rows(block, self._width, row_number)
                row_number += len(block)
