"""Field parsers of core.tabular: Dutch dates and numbers, choices and references with Dutch messages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toezicht.core.tabular import (
    Boolean,
    Choice,
    Date,
    Field,
    Integer,
    Number,
    ParseError,
    Reference,
    Schema,
    Text,
    UnknownReferenceError,
    parse_date,
    parse_decimal,
    parse_integer,
    table_from_rows,
    validate_table,
)
from toezicht.core.tabular._text import format_decimal_nl


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("03-04-2024", dt.date(2024, 4, 3)),
        ("3-4-2024", dt.date(2024, 4, 3)),
        ("3/4/2024", dt.date(2024, 4, 3)),
        ("03.04.2024", dt.date(2024, 4, 3)),
        ("2024-04-03", dt.date(2024, 4, 3)),
        ("3 april 2024", dt.date(2024, 4, 3)),
        ("3 apr. 2024", dt.date(2024, 4, 3)),
        (" 31-12-2023 ", dt.date(2023, 12, 31)),
        ("03-04-2024 00:00", dt.date(2024, 4, 3)),
    ],
)
def test_dutch_and_iso_dates_are_read_day_first(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_excel_date_cells_and_serials_are_dates() -> None:
    assert parse_date(dt.date(2024, 4, 3)) == dt.date(2024, 4, 3)
    assert parse_date(dt.datetime(2024, 4, 3)) == dt.date(2024, 4, 3)
    assert parse_date(45385) == dt.date(2024, 4, 3)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31-02-2024", "is geen geldige datum (verwacht bijvoorbeeld 31-12-2024)"),
        ("gisteren", "is geen geldige datum"),
        ("12-31-2024", "Zijn dag en maand omgedraaid? Schrijf dag-maand-jaar."),
        ("3 brumaire 2024", "Onbekende maand 'brumaire'"),
        ("03-04-2024 14:30", "bevat een tijdstip; verwacht alleen een datum"),
    ],
)
def test_wrong_dates_get_a_dutch_explanation(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date(text)
    assert fragment in caught.value.message


def test_date_bounds_are_explained_in_dutch() -> None:
    parser = Date(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 12, 31))
    with pytest.raises(ParseError, match="ligt vóór de vroegst toegestane datum 01-01-2000"):
        parser.parse("31-12-1999")
    with pytest.raises(ParseError, match="ligt na de laatst toegestane datum 31-12-2030"):
        parser.parse("1-1-2031")


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_every_date_written_the_dutch_ways_reads_back(day: dt.date) -> None:
    assert parse_date(f"{day.day:02d}-{day.month:02d}-{day.year}") == day
    assert parse_date(f"{day.day}-{day.month}-{day.year}") == day
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("1.234,56", Decimal("1234.56")),
        ("1.234.567,8", Decimal("1234567.8")),
        ("12.5", Decimal("12.5")),
        ("-3,25", Decimal("-3.25")),
        ("€ 1.250,00", Decimal("1250.00")),
        ("1 234,5", Decimal("1234.5")),
        ("0,5", Decimal("0.5")),
    ],
)
def test_decimal_commas_and_thousands_dots(text: str, expected: Decimal) -> None:
    assert parse_decimal(text) == expected


def test_a_lone_dot_with_three_digits_is_refused_as_ambiguous() -> None:
    with pytest.raises(ParseError) as caught:
        parse_decimal("1.234")
    assert "is dubbelzinnig: bedoelt u 1234 of 1,234?" in caught.value.message
    assert parse_decimal("1.234", ",") == Decimal("1234")


def test_integers_take_thousands_dots_and_refuse_fractions() -> None:
    assert parse_integer("1.234") == 1234
    assert parse_integer("12") == 12
    with pytest.raises(ParseError, match="is geen geheel getal"):
        parse_integer("12,5")
    with pytest.raises(ParseError, match="is kleiner dan het minimum 0"):
        Integer(min_value=0).parse("-1")


def test_number_limits_and_places() -> None:
    with pytest.raises(ParseError, match="heeft meer dan 2 decimalen"):
        Number(places=2).parse("1,234")
    with pytest.raises(ParseError, match="is groter dan het maximum 100"):
        Number(max_value=100).parse("100,5")
    with pytest.raises(ParseError, match="is geen geldig getal"):
        Number().parse("twaalf")


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=3, allow_nan=False))
def test_dutch_written_numbers_read_back(value: Decimal) -> None:
    assert parse_decimal(format_decimal_nl(value, thousands=True)) == value
    assert parse_decimal(format_decimal_nl(value), ",") == value


def test_text_length_and_pattern_messages() -> None:
    with pytest.raises(ParseError, match="is te lang: 5 tekens, maximaal 3 toegestaan"):
        Text(3).parse("abcde")
    with pytest.raises(ParseError, match=r"heeft niet de juiste vorm \(alleen cijfers\)"):
        Text(pattern=r"\d+", pattern_hint="alleen cijfers").parse("12a")
    assert Text(upper=True).parse("  pi-vught ") == "PI-VUGHT"


def test_booleans_in_dutch() -> None:
    parser = Boolean()
    assert [parser.parse(v) for v in ("ja", "Nee", "x", "0", "waar")] == [True, False, True, False, True]
    with pytest.raises(ParseError, match="is geen geldige ja/nee-waarde"):
        parser.parse("misschien")


def test_choice_accepts_value_or_label_and_suggests_on_a_typo() -> None:
    parser = Choice({"openbaar": "Openbaar", "vertrouwelijk": "Vertrouwelijk"})
    assert parser.parse("VERTROUWELIJK") == "vertrouwelijk"
    with pytest.raises(ParseError) as caught:
        parser.parse("vertrouwlijk")
    assert "is geen geldige keuze. Bedoelt u 'Vertrouwelijk'?" in caught.value.message
    assert "Kies uit: Openbaar, Vertrouwelijk." in caught.value.message


def test_reference_resolves_case_and_space_insensitively() -> None:
    parser = Reference({"PI Vught": 1, "PI Zwolle": 2}, noun="organisatie")
    assert parser.parse("  pi   vught ") == 1


def test_unknown_reference_gets_a_close_match_suggestion() -> None:
    parser = Reference({"PI Vught": 1, "PI Zwolle": 2}, noun="organisatie")
    with pytest.raises(UnknownReferenceError) as caught:
        parser.parse("PI Vugth")
    assert caught.value.message == "Onbekende organisatie 'PI Vugth'. Bedoelt u 'PI Vught'?"


def test_unknown_reference_without_a_close_match_has_no_suggestion() -> None:
    parser = Reference({"PI Vught": 1}, noun="organisatie")
    with pytest.raises(UnknownReferenceError) as caught:
        parser.parse("Raad voor de Kinderbescherming")
    assert "Bedoelt u" not in caught.value.message


def test_het_words_get_their_own_uninflected_adjective() -> None:
    parser = Reference({"pi": 1, "jji": 2}, noun="organisatietype", unknown="onbekend organisatietype")
    with pytest.raises(UnknownReferenceError) as caught:
        parser.parse("pj")
    assert caught.value.message.startswith("Onbekend organisatietype 'pj'.")
    assert "Onbekende" not in caught.value.message


def test_reference_message_can_be_a_whole_sentence() -> None:
    parser = Reference(["politie", "jeugd"], unknown="er is geen toezichtgebied {value}")
    with pytest.raises(UnknownReferenceError) as caught:
        parser.parse("jeugt")
    assert caught.value.message == "Er is geen toezichtgebied 'jeugt'. Bedoelt u 'jeugd'?"


def test_reference_errors_appear_in_the_row_report() -> None:
    schema = Schema(
        [
            Field("name", "naam", Text(50), required=True),
            Field("kind", "type", Reference({"pi": 1}, unknown="onbekend organisatietype"), required=True),
        ]
    )
    result = validate_table(
        table_from_rows(["naam", "type"], [["PI Vught", "pi"], ["PI Zwolle", " PI "]]), schema
    )
    assert result.report.errors == []  # case and surrounding spaces are ignored
    result = validate_table(table_from_rows(["naam", "type"], [["PI Vught", "ip"]]), schema)
    (error,) = result.report.errors
    assert str(error).startswith("Rij 2, kolom 'type': Onbekend organisatietype 'ip'.")


def test_reference_list_splits_on_bars_and_commas_and_drops_repeats() -> None:
    from toezicht.core.tabular import ReferenceList

    parser = ReferenceList(Reference({"personeel": 1, "Integriteit": 2}, unknown="onbekend thema"))
    assert parser.parse("personeel | integriteit") == (1, 2)
    assert parser.parse("Integriteit,personeel,integriteit") == (2, 1)
    assert parser.from_storage(parser.to_storage((2, 1))) == (2, 1)
    with pytest.raises(ParseError) as caught:
        parser.parse("personeel|integritijt")
    assert caught.value.message == "Onbekend thema 'integritijt'. Bedoelt u 'Integriteit'?"


def test_canonical_text_is_equal_for_equal_content_spelled_differently() -> None:
    from toezicht.core.tabular import canonical_text

    schema = Schema([Field("d", "datum", Date()), Field("n", "aantal", Integer())])
    one = validate_table(table_from_rows(["datum", "aantal"], [["03-04-2024", "1.000"]]), schema)
    two = validate_table(table_from_rows(["datum", "aantal"], [["2024-04-03", "1000"]]), schema)
    texts = [r.valid_frame().select(canonical_text(schema)).item() for r in (one, two)]
    assert texts[0] == texts[1]
