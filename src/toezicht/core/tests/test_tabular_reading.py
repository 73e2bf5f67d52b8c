"""Reading CSV and Excel files with core.tabular, as users make them (Dutch Excel, old encodings)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from toezicht.core.tabular import TableReadError, read_table, write_csv, write_xlsx

ROWS = [["Café De Kroon", "1.234,5"], ["Zoë Ünal", "12"]]


def _csv(delimiter: str, encoding: str) -> bytes:
    lines = [delimiter.join(["naam", "bedrag"])]
    lines += [delimiter.join(f'"{v}"' if delimiter in v else v for v in row) for row in ROWS]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (met BOM)"), ("cp1252", "Windows-1252"), ("utf-16", "UTF-16")],
)
@pytest.mark.parametrize(("delimiter", "name"), [(";", "puntkomma"), (",", "komma"), ("\t", "tab")])
def test_csv_encodings_and_delimiters_are_detected(
    encoding: str, shown: str, delimiter: str, name: str
) -> None:
    table = read_table(_csv(delimiter, encoding), "bestand.csv")
    assert table.header == ["naam", "bedrag"]
    assert table.encoding == shown
    assert table.delimiter == delimiter
    assert list(table.rows()) == [(2, ROWS[0]), (3, ROWS[1])]
    assert table.describe() == f"CSV-bestand, tekenset {shown}, scheidingsteken {name}"


def test_bom_does_not_end_up_in_the_first_header() -> None:
    table = read_table("code;naam\nA;B\n".encode("utf-8-sig"), "a.csv")
    assert table.header[0] == "code"


def test_row_numbers_match_excel_with_blank_lines_and_a_lower_header() -> None:
    data = b"\n\ncode;naam\nA;Een\n\nB;Twee\n"
    table = read_table(data, "a.csv")
    assert table.header_row == 3
    numbered = [(n, v) for n, v in table.rows() if any(v)]
    assert numbered == [(4, ["A", "Een"]), (6, ["B", "Twee"])]


def test_xlsx_is_read_with_typed_cells() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["naam", "datum", "aantal"])
    sheet.append(["PI Vught", dt.date(2024, 4, 3), 12])
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "lijst.xlsx")
    assert table.format == "xlsx"
    assert table.header == ["naam", "datum", "aantal"]
    ((number, values),) = list(table.rows())
    assert number == 2
    assert values[0] == "PI Vught"
    assert values[1] in (dt.date(2024, 4, 3), dt.datetime(2024, 4, 3))
    assert values[2] == 12


def test_text_with_an_xlsx_extension_is_read_as_csv_with_a_notice() -> None:
    table = read_table(b"code;naam\nA;B\n", "lijst.xlsx")
    assert table.format == "csv"
    assert "is een tekstbestand; het is gelezen als CSV" in table.notices[0]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "is leeg"),
        (b"   \n\n", "is leeg"),
        (b"%PDF-1.7\n%binary", "(het is een PDF-bestand)"),
        (b"<!DOCTYPE html><html><body>x</body></html>", "(het lijkt een webpagina of XML-bestand)"),
        (b"PK\x03\x04not really a zip", "is geen geldig CSV- of Excelbestand"),
        (b"12;13\n14;15\n", "bevat gegevens in plaats van kolomnamen"),
    ],
)
def test_files_that_are_no_table_get_a_dutch_message(data: bytes, fragment: str) -> None:
    with pytest.raises(TableReadError) as caught:
        read_table(data, "signalen.csv")
    assert fragment in caught.value.message


def test_ragged_rows_are_reported_not_crashed_on() -> None:
    table = read_table(b"code;naam\nA;B;C;D\nE;F\n", "a.csv")
    chunks = list(table.chunks())
    problems = {chunk.first_row + i: m for chunk in chunks for i, m in chunk.problems.items()}
    assert list(problems) == [2]
    assert "De rij heeft 4 velden, maar de kopregel heeft er 2" in problems[2]


def test_csv_export_opens_in_dutch_excel_and_reads_back() -> None:
    data = write_csv(
        [{"naam": "=SOM(A1)", "datum": dt.date(2024, 4, 3), "bedrag": 1234.5, "actief": True}],
        [("naam", "Naam"), ("datum", "Datum"), ("bedrag", "Bedrag"), ("actief", "Actief")],
    )
    assert data is not None
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines() == ["Naam;Datum;Bedrag;Actief", "'=SOM(A1);03-04-2024;1234,5;ja"]
    table = read_table(data, "export.csv")
    assert list(table.rows()) == [(2, ["'=SOM(A1)", "03-04-2024", "1234,5", "ja"])]


def test_xlsx_export_has_date_cells_and_a_frozen_bold_header() -> None:
    data = write_xlsx([[dt.date(2024, 4, 3), "tekst"]], [("d", "Datum"), ("t", "Tekst")])
    assert data is not None
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A1"].value == "Datum"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].value == dt.datetime(2024, 4, 3)
    assert sheet["A2"].number_format == "dd-mm-yyyy"
