"""validate_file: every row checked, a Dutch report, import modes, mappings, fingerprints, quarantine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from toezicht.core.tabular import (
    ColumnMapping,
    Date,
    Field,
    ImportMode,
    Integer,
    Number,
    Reference,
    Schema,
    Text,
    validate_file,
)

SCHEMA = Schema(
    [
        Field("code", "code", Text(10), required=True, unique=True),
        Field("date", "datum", Date(), required=True, synonyms=("peildatum",)),
        Field("amount", "bedrag", Number()),
        Field("count", "aantal", Integer(min_value=0), default=0),
        Field("org", "organisatie", Reference({"PI Vught": 1, "PI Zwolle": 2}, noun="organisatie")),
    ]
)


def check(text: str, **options: object):
    return validate_file(text.encode("utf-8"), SCHEMA, "test.csv", **options)


def test_a_clean_file_is_parsed_into_typed_values() -> None:
    result = check(
        "code;datum;bedrag;aantal;organisatie\nA;3-4-2024;1.234,50;1.000;pi vught\nB;2024-04-04;;;\n"
    )
    assert result.report.ok
    assert result.report.summary() == "Alle 2 rijen zijn goedgekeurd en kunnen worden geïmporteerd."
    rows = list(result.rows())
    assert [r.row for r in rows] == [2, 3]
    assert rows[0].values == {
        "code": "A",
        "date": dt.date(2024, 4, 3),
        "amount": Decimal("1234.50"),
        "count": 1000,
        "org": 1,
    }
    assert rows[1].values["count"] == 0  # the default of an empty optional cell


def test_all_or_nothing_imports_nothing_and_explains_each_row() -> None:
    result = check("code;datum;bedrag;organisatie\nA;31-02-2024;12,5;PI Vugth\nB;1-1-2024;x;\n;1-1-2024;;\n")
    report = result.report
    assert report.mode is ImportMode.ALL_OR_NOTHING
    assert not report.can_import
    assert list(result.rows()) == []
    assert report.summary() == (
        "Er wordt niets geïmporteerd: 3 van de 3 rijen bevatten fouten. "
        "Herstel de fouten en lever het bestand opnieuw aan."
    )
    texts = [str(e) for e in report.errors]
    assert texts == [
        "Rij 2, kolom 'datum': '31-02-2024' is geen geldige datum (verwacht bijvoorbeeld 31-12-2024).",
        "Rij 2, kolom 'organisatie': Onbekende organisatie 'PI Vugth'. Bedoelt u 'PI Vught'?",
        "Rij 3, kolom 'bedrag': 'x' is geen geldig getal (verwacht bijvoorbeeld 1234,56).",
        "Rij 4, kolom 'code': Deze kolom is verplicht, maar is leeg.",
    ]


def test_skip_invalid_lets_the_good_rows_through_and_quarantines_the_rest() -> None:
    result = check("code;datum\nA;1-1-2024\nB;morgen\nC;2-1-2024\n", mode=ImportMode.SKIP_INVALID)
    report = result.report
    assert report.importable == 2
    assert report.summary() == (
        "2 van de 3 rijen kunnen worden geïmporteerd; 1 rij met fouten wordt overgeslagen."
    )
    assert [r.values["code"] for r in result.rows()] == ["A", "C"]
    quarantine = result.quarantine()
    assert quarantine is not None
    lines = quarantine.decode("utf-8-sig").splitlines()
    assert lines[0] == "code;datum;fout"
    assert lines[1].startswith("B;morgen;")
    assert "'morgen' is geen geldige datum" in lines[1]


def test_duplicates_in_the_file_point_to_the_first_row() -> None:
    result = check("code;datum\nA;1-1-2024\nB;1-1-2024\nA;2-1-2024\n")
    assert result.report.duplicates == 1
    (error,) = result.report.errors
    assert (
        str(error)
        == "Rij 4, kolom 'code': 'A' komt ook voor in rij 2; 'code' moet uniek zijn in het bestand."
    )


def test_missing_required_column_blocks_the_file_with_the_columns_found() -> None:
    result = check("code;bedrag\nA;1\n")
    assert result.report.file_errors == [
        "Verplichte kolom 'datum' ontbreekt (ook herkend als: date, peildatum). "
        "Gevonden kolommen: code, bedrag."
    ]
    assert result.report.summary().startswith("Het bestand kan niet worden geïmporteerd. Verplichte kolom")


def test_synonyms_and_header_spelling_are_recognised() -> None:
    result = check("CODE;Peil-datum\nA;1-1-2024\n")
    assert result.report.ok
    assert next(result.rows()).values["date"] == dt.date(2024, 1, 1)


def test_a_saved_mapping_with_constants_and_translations() -> None:
    mapping = ColumnMapping.from_dict(
        ColumnMapping(
            columns={"code": "Nummer", "date": "Ontvangen"},
            constants={"org": "PI Zwolle"},
            translations={"count": {"geen": 0, "veel": 100}},
        ).to_dict()
    )
    result = check("Nummer;Ontvangen;aantal;extra\nA;1-1-2024;veel;x\n", mapping=mapping)
    assert result.report.ok
    assert next(result.rows()).values == {
        "code": "A",
        "date": dt.date(2024, 1, 1),
        "amount": None,
        "count": 100,
        "org": 2,
    }
    assert "Niet gebruikte kolommen (worden genegeerd): extra." in result.report.notices


def test_a_mapping_naming_an_absent_column_is_a_file_error() -> None:
    result = check("code;datum\nA;1-1-2024\n", mapping=ColumnMapping(columns={"amount": "Bedrag (EUR)"}))
    assert result.report.file_errors == [
        "Kolom 'Bedrag (EUR)' (gekoppeld aan 'bedrag') staat niet in het bestand. "
        "Gevonden kolommen: code, datum."
    ]


def test_malformed_saved_mapping_is_refused() -> None:
    with pytest.raises(ValueError, match="must be text"):
        ColumnMapping.from_dict({"columns": {"code": 3}})


def test_fingerprint_ignores_spelling_of_equal_values() -> None:
    one = next(check("code;datum;bedrag\nA;03-04-2024;12,50\n").rows())
    two = next(check("code;datum;bedrag\nA;3-4-2024;12,5\n").rows())
    three = next(check("code;datum;bedrag\nA;3-4-2024;12,6\n").rows())
    assert one.fingerprint == two.fingerprint != three.fingerprint


def test_blank_rows_are_counted_but_not_errors() -> None:
    result = check("code;datum\nA;1-1-2024\n;\n\nB;1-1-2024\n")
    assert result.report.ok
    assert result.report.total == 2
    assert result.report.blank >= 1
    assert "lege rij" in result.report.summary()


def test_an_unreadable_file_is_a_report_not_an_exception() -> None:
    result = validate_file(b"%PDF-1.4\n", SCHEMA, "rapport.pdf")
    assert not result.report.can_import
    assert "is geen geldig CSV- of Excelbestand" in result.report.summary()


def test_fast_path_and_python_path_agree_on_large_columns() -> None:
    lines = ["code;datum;bedrag;aantal"]
    for i in range(3000):
        day = dt.date(2020, 1, 1) + dt.timedelta(days=i % 900)
        lines.append(f"C{i};{day.day}-{day.month}-{day.year};{i},5;{i}")
    lines.append("X;31-02-2024;1.2.3;-4")
    result = check("\n".join(lines) + "\n", mode=ImportMode.SKIP_INVALID)
    assert result.report.importable == 3000
    assert len(result.report.errors) == 3
    rows = list(result.rows())
    assert rows[1234].values["date"] == dt.date(2020, 1, 1) + dt.timedelta(days=1234 % 900)
    assert rows[1234].values["amount"] == Decimal("1234.5")


def test_as_text_and_as_list_report_in_dutch() -> None:
    result = check("code;datum\nA;nooit\n")
    text = result.report.as_text()
    assert "Bestand: test.csv (CSV-bestand, tekenset UTF-8, scheidingsteken puntkomma)" in text
    assert "Rijen: 1 totaal, 0 goed, 1 fout, 0 te importeren" in text
    assert "Fouten:\n  - Rij 2, kolom 'datum': 'nooit' is geen geldige datum" in text
    (item,) = result.report.as_list()
    assert item["level"] == "fout"
    assert item["row"] == 2
