"""The vectorised validation of a large file accepts and rejects exactly what the per-value parsers do,
row by row and with the same Dutch messages, on generated messy files."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, ThemeFactory
from toezicht.core.tabular import ImportMode, ParseError, Schema, validate_file
from toezicht.signals.importing import _load_lookups, signal_schema

pytestmark = pytest.mark.django_db

REQUIRED = "Deze kolom is verplicht, maar is leeg."

# per column: values as senders write them, right and wrong
CELLS: dict[str, list[str]] = {
    "onderwerp": ["Brand in cel", " Klacht ", "", "x" * 251, "Ontvlucht"],
    "bron": ["incident_notification", "Calamiteitenmelding", "calamiteitenmelding ", "brand", ""],
    "ontvangen_op": [
        "3-4-2024",
        "03-04-2024",
        "2024-04-03",
        "3 april 2024",
        "31-02-2024",
        "1-13-2024",
        "nooit",
        "",
        " 4-4-2024 ",
        "45000",
        "3/4/2024",
    ],
    "datum_voorval": ["2-4-2024", "", "gisteren", "29-2-2023", "1 mei 2024"],
    "organisatie": ["pi-vught", "PI Vught", "pi vught", "PI Vugt", "Onbekend", ""],
    "ernst": ["hoog", "Zeer hoog", "HOOG", "kritiek", ""],
    "aantal_betrokkenen": ["3", "1.234", "-1", "drie", "", "2,5", "0"],
    "vertrouwelijkheid": ["intern", "vertrouwelijk", "Openbaar", "geheim", ""],
    "themas": ["personeel", "personeel|integriteit", "personeel, onbekend", "", "Integriteit"],
}
COLUMNS = list(CELLS)

rows_strategy = st.lists(
    st.tuples(*[st.sampled_from(values) for values in CELLS.values()]), min_size=1, max_size=25
)


@pytest.fixture(autouse=True)
def register() -> None:
    area = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    ThemeFactory(code="personeel", name="Personeel")
    ThemeFactory(code="integriteit", name="Integriteit")


def per_value(schema: Schema, row: tuple[str, ...]) -> set[tuple[str, str]]:
    """The slow reference: every cell through its field's scalar parser."""
    problems: set[tuple[str, str]] = set()
    for name, raw in zip(COLUMNS, row, strict=True):
        spec = schema.get(name)
        text = raw.strip()
        if not text:
            if spec.required:
                problems.add((name, REQUIRED))
            continue
        try:
            spec.parser.to_storage(spec.parser.parse(text))
        except ParseError as exc:
            problems.add((name, exc.message))
    return problems


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=rows_strategy)
def test_vectorised_validation_matches_the_per_value_parsers(rows: list[tuple[str, ...]]) -> None:
    schema = signal_schema(_load_lookups())
    # repeated past 1,000 rows, so the column-at-once paths (and their caches) are the ones used
    repeat = 1100 // len(rows) + 1
    lines = [";".join(COLUMNS)] + [";".join(row) for row in rows] * repeat
    result = validate_file(
        ("\n".join(lines) + "\n").encode(), schema, "meldingen.csv", mode=ImportMode.SKIP_INVALID
    )
    assert not result.report.file_errors
    found: dict[int, set[tuple[str, str]]] = {}
    for error in result.report.errors:
        found.setdefault(error.row, set()).add((error.field, error.message))
    expected = [per_value(schema, row) for row in rows]
    invalid = set(result.invalid_row_numbers())
    for index in range(len(rows) * repeat):
        number = index + 2  # row 1 is the header
        want = expected[index % len(rows)]
        assert found.get(number, set()) == want, (number, rows[index % len(rows)])
        assert (number in invalid) == bool(want)
