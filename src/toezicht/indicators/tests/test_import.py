from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
import pytest

from toezicht.accounts.roles import Role
from toezicht.core.factories import OrganisationFactory, SupervisionAreaFactory, UserFactory
from toezicht.indicators.importing import observations_import
from toezicht.indicators.models import Frequency, NormBreach, Observation, ObservationImportBatch
from toezicht.indicators.tests.factories import IndicatorFactory, NormFactory, ObservationFactory
from toezicht.signals.models import Signal

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    area = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    indicator = IndicatorFactory(code="bezetting", name="Bezettingsgraad", unit="%")
    norm = NormFactory(indicator=indicator, name="Bezetting ten hoogste 100%", threshold=100.0)
    vught = OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    zwolle = OrganisationFactory(code="pi-zwolle", name="PI Zwolle", areas=[area])
    analyst = UserFactory(role=Role.ANALYST, areas=[area])
    return {
        "area": area,
        "indicator": indicator,
        "norm": norm,
        "vught": vught,
        "zwolle": zwolle,
        "by": analyst,
    }


def csv(*rows: str) -> bytes:
    return ("indicator;organisatie;periode;waarde\n" + "\n".join(rows) + "\n").encode("utf-8")


def test_all_spellings_of_period_and_decimal_comma_are_read(setting) -> None:
    content = csv(
        "bezetting;pi-vught;2025-03;98,5",
        "bezetting;PI Vught;mrt 2024;101,2",
        "Bezettingsgraad;pi-zwolle;2025-Q1;97",
        "bezetting;pi-zwolle;1-2-2025;99,0",
    )
    outcome = observations_import(content=content, filename="metingen.csv", by=setting["by"])
    assert outcome.created == 4, outcome.summary
    stored = {
        (o.organisation.code, o.period_start): o.value
        for o in Observation.objects.select_related("organisation")
    }
    assert stored == {
        ("pi-vught", datetime.date(2025, 3, 1)): 98.5,
        ("pi-vught", datetime.date(2024, 3, 1)): 101.2,
        ("pi-zwolle", datetime.date(2025, 1, 1)): 97.0,
        ("pi-zwolle", datetime.date(2025, 2, 1)): 99.0,
    }
    # One breach (101,2 > 100) with one signal of source "norm_breach".
    breach = NormBreach.objects.get()
    assert breach.organisation == setting["vught"]
    signal = breach.signal
    assert signal is not None
    assert signal.source.code == "norm_breach"
    assert signal.title == "Normoverschrijding: Bezetting ten hoogste 100% bij PI Vught (maart 2024)"
    assert signal.area == setting["area"]
    assert signal.severity.code == "laag"
    assert "2 normoverschrijding" not in outcome.summary
    assert "1 normoverschrijding" in outcome.summary


def test_one_bad_row_blocks_the_whole_file_with_a_dutch_report(setting) -> None:
    content = csv(
        "bezetting;pi-vught;2025-03;98,5",
        "bezetting;PI Vugt;2025-04;99",
        "bezetting;pi-vught;2025-13;99",
        "bezetting;pi-vught;2025-05;veel",
    )
    outcome = observations_import(content=content, filename="metingen.csv", by=setting["by"])
    assert outcome.created == 0
    assert Observation.objects.count() == 0
    assert ObservationImportBatch.objects.count() == 0
    assert outcome.summary.startswith("Er wordt niets geïmporteerd: 3 van de 4 rijen bevatten fouten")
    messages = [str(e) for e in outcome.errors]
    assert any("Onbekende organisatie 'PI Vugt'. Bedoelt u 'PI Vught'?" in m for m in messages), messages
    assert any("Rij 4" in m and "Maand 13 bestaat niet" in m for m in messages), messages
    assert any("Rij 5" in m and "'veel'" in m for m in messages), messages


def test_skip_invalid_imports_the_good_rows_and_quarantines_the_rest(setting) -> None:
    content = csv("bezetting;pi-vught;2025-03;98,5", "bezetting;onbekend;2025-04;99")
    outcome = observations_import(content=content, filename="m.csv", by=setting["by"], skip_invalid=True)
    assert outcome.created == 1
    batch = ObservationImportBatch.objects.get()
    assert (batch.rows_total, batch.rows_created, batch.rows_rejected) == (2, 1, 1)
    assert batch.quarantine[0]["row"] == 3
    assert "Onbekende organisatie 'onbekend'" in batch.quarantine[0]["message"]
    assert batch.imported_by == setting["by"]


def test_the_same_file_twice_adds_nothing(setting) -> None:
    content = csv("bezetting;pi-vught;2025-03;120", "bezetting;pi-zwolle;2025-03;90")
    first = observations_import(content=content, filename="m.csv", by=setting["by"])
    assert (first.created, first.breaches, first.signals) == (2, 1, 1)
    second = observations_import(content=content, filename="m.csv", by=setting["by"])
    assert (second.created, second.unchanged) == (0, 2)
    assert "Er was niets nieuws" in second.summary
    assert Observation.objects.count() == 2
    assert Signal.objects.count() == 1
    assert ObservationImportBatch.objects.count() == 1


def test_duplicates_in_the_file_and_conflicts_with_the_database_are_reported(setting) -> None:
    ObservationFactory(
        indicator=setting["indicator"], organisation=setting["zwolle"], period_start=datetime.date(2025, 1, 1)
    )
    content = csv(
        "bezetting;pi-vught;2025-03;98",
        "bezetting;pi-vught;maart 2025;97",
        "bezetting;pi-zwolle;jan 2025;61",
    )
    outcome = observations_import(content=content, filename="m.csv", by=setting["by"])
    assert outcome.created == 0
    messages = [str(e) for e in outcome.errors]
    assert any(m.startswith("Rij 3") and "komt ook voor in rij 2" in m for m in messages), messages
    assert any(
        m.startswith("Rij 4")
        and "Er is al een meting van ‘Bezettingsgraad’ voor PI Zwolle in januari 2025" in m
        for m in messages
    ), messages


def test_dry_run_checks_without_saving(setting) -> None:
    outcome = observations_import(
        content=csv("bezetting;pi-vught;2025-03;130"), filename="m.csv", by=setting["by"], dry_run=True
    )
    assert outcome.importable == 1
    assert "Dit was een controle" in outcome.summary
    assert Observation.objects.count() == 0
    assert Signal.objects.count() == 0


def test_quarterly_indicator_refuses_a_month_in_mid_quarter(setting) -> None:
    IndicatorFactory(code="verzuim", name="Ziekteverzuim", frequency=Frequency.QUARTER)
    outcome = observations_import(
        content=csv("verzuim;pi-vught;2025-Q2;5,1", "verzuim;pi-vught;2025-05;5,3"),
        filename="m.csv",
        by=setting["by"],
    )
    assert outcome.created == 0
    assert "per kwartaal" in outcome.errors[0].message


def test_xlsx_with_excel_dates(setting) -> None:
    book = openpyxl.Workbook()
    sheet: Any = book.active
    sheet.append(["Indicator", "Organisatie", "Periode", "Waarde"])
    sheet.append(["bezetting", "pi-vught", datetime.datetime(2025, 6, 1), 160.0])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = observations_import(content=buffer.getvalue(), filename="m.xlsx", by=setting["by"])
    assert outcome.created == 1
    signal = NormBreach.objects.get().signal
    assert signal is not None
    assert signal.severity.code == "zeer-hoog"


def test_organisations_of_another_area_are_unknown_to_the_importer(setting) -> None:
    other = SupervisionAreaFactory(code="politie", name="Politie")
    OrganisationFactory(code="politie-utrecht", name="Politie-eenheid Midden-Nederland", areas=[other])
    outcome = observations_import(
        content=csv("bezetting;politie-utrecht;2025-03;90"), filename="m.csv", by=setting["by"]
    )
    assert outcome.created == 0
    assert "Onbekende organisatie 'politie-utrecht'" in outcome.errors[0].message


def test_a_reader_may_not_import(setting) -> None:
    from django.core.exceptions import PermissionDenied

    reader = UserFactory(role=Role.READER, areas=[setting["area"]])
    with pytest.raises(PermissionDenied):
        observations_import(content=csv("bezetting;pi-vught;2025-03;90"), filename="m.csv", by=reader)


def test_a_file_without_the_required_columns_or_garbage_changes_nothing(setting) -> None:
    missing = observations_import(
        content=b"indicator;organisatie;waarde\nbezetting;pi-vught;98\n", filename="m.csv", by=setting["by"]
    )
    assert "Verplichte kolom 'periode' ontbreekt" in missing.summary
    garbage = observations_import(content=b"\x00\x01\x02PK\x03", filename="m.xlsx", by=setting["by"])
    assert garbage.summary.startswith("Het bestand kan niet worden geïmporteerd")
    empty = observations_import(
        content=b"indicator;organisatie;periode;waarde\n", filename="m.csv", by=setting["by"]
    )
    assert empty.summary == "Het bestand bevat geen gegevensrijen."
    assert Observation.objects.count() == 0


def test_a_large_observation_import_rebuilds_indexes_and_checks_references_per_value(setting, monkeypatch):
    """The large-import path of core.bulk (index rebuild, foreign keys checked per distinct value) writes
    the same observations and leaves the indexes as they were."""
    from django.db import connection

    from toezicht.core import bulk

    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN_ROWS", 1)
    monkeypatch.setattr(bulk, "BULK_REFERENCE_CHECK_MIN_ROWS", 1)
    table = Observation._meta.db_table
    before = sorted(bulk.droppable_indexes(table))
    rows = [
        f"bezetting;{org};{year}-{month:02d};{90 + month}"
        for org in ("pi-vught", "pi-zwolle")
        for year in (2023, 2024)
        for month in range(1, 13)
    ]
    outcome = observations_import(content=csv(*rows), filename="metingen.csv", by=setting["by"])
    assert outcome.created == 48, outcome.summary
    assert sorted(bulk.droppable_indexes(table)) == before
    assert (
        Observation.objects.filter(organisation=setting["zwolle"], period_start=datetime.date(2024, 12, 1))
        .get()
        .value
        == 102.0
    )
    assert NormBreach.objects.count() == 8  # November (101) and December (102), two organisations, two years
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


@pytest.mark.django_db(transaction=True)
def test_an_organisation_removed_during_a_large_import_stops_it(setting, monkeypatch):
    """With the database's per-row foreign-key checks off for a large import (SQLite: its own transaction,
    PostgreSQL: its row triggers), each distinct reference is checked once: an organisation that vanished
    after the file was checked stops the import, and nothing is written."""
    from django.db import IntegrityError, connection

    from toezicht.core import bulk
    from toezicht.indicators import importing

    monkeypatch.setattr(bulk, "BULK_REFERENCE_CHECK_MIN_ROWS", 1)
    original = importing._insert
    zwolle = setting["zwolle"]

    def insert_after_a_delete(new, batch_id):
        with connection.cursor() as cursor:  # raw: SQLite's own checks are off, PostgreSQL's deferred
            cursor.execute(f"DELETE FROM {zwolle._meta.db_table} WHERE id = %s", [zwolle.pk])
        return original(new, batch_id)

    monkeypatch.setattr(importing, "_insert", insert_after_a_delete)
    with pytest.raises(IntegrityError, match="ontbrekende"):
        observations_import(
            content=csv("bezetting;pi-vught;2025-03;98,5", "bezetting;pi-zwolle;2025-03;97"),
            filename="metingen.csv",
            by=setting["by"],
        )
    assert not Observation.objects.exists()
    assert not ObservationImportBatch.objects.exists()
    assert type(zwolle).objects.filter(pk=zwolle.pk).exists()  # rolled back with the import
