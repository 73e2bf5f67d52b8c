"""The fast write path of large imports: many rows per statement, index rebuild, foreign keys checked in
bulk on PostgreSQL, events written in SQL. Small files take the same path with the thresholds lowered."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import IntegrityError, connection, transaction

from toezicht.core import bulk
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    ThemeFactory,
)
from toezicht.register.models import Organisation
from toezicht.signals import importing
from toezicht.signals.importing import bulk_insert, signals_import
from toezicht.signals.models import ImportBatch, Signal, SignalEvent
from toezicht.signals.reference_data import ensure_reference_data
from toezicht.signals.selectors import signal_history
from toezicht.signals.tests.factories import failing_on

pytestmark = pytest.mark.django_db

HEADER = "kenmerk_afzender;onderwerp;bron;ontvangen_op;organisatie;themas;ernst;kwetsbare_groepen"


@pytest.fixture(autouse=True)
def register() -> None:
    area = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    OrganisationFactory(code="pi-zwolle", name="PI Zwolle", areas=[area])
    ThemeFactory(code="personeel", name="Personeel")
    ThemeFactory(code="integriteit", name="Integriteit")


def many_rows(count: int, start: int = 0) -> bytes:
    lines = [HEADER]
    for i in range(start, start + count):
        day = dt.date(2023, 1, 1) + dt.timedelta(days=i % 700)
        organisation = "pi-vught" if i % 3 else "PI Zwolle"
        themes = ["personeel", "personeel|integriteit", ""][i % 3]
        groups = "gedetineerden" if i % 4 == 0 else ""
        lines.append(
            f"M-{i};Melding {i};incident_notification;{day.day}-{day.month}-{day.year};{organisation};"
            f"{themes};hoog;{groups}"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def bulk_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every import takes the large-import path (index rebuild; on PostgreSQL bulk reference checks)."""
    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN_ROWS", 1)
    monkeypatch.setattr(bulk, "BULK_REFERENCE_CHECK_MIN_ROWS", 1)


def _indexes() -> dict[str, list[tuple[str, str]]]:
    tables = [
        Signal._meta.db_table,
        Signal.themes.through._meta.db_table,
        Signal.vulnerable_groups.through._meta.db_table,
        SignalEvent._meta.db_table,
    ]
    return {table: sorted(bulk.droppable_indexes(table)) for table in tables}


def test_a_file_larger_than_one_statement_is_written_completely() -> None:
    # 4,321 rows: two full multi-row statements on SQLite and a remainder
    outcome = signals_import(content=many_rows(4321), filename="groot.csv")
    assert outcome.created == 4321
    assert Signal.objects.count() == 4321
    assert not SignalEvent.objects.exists()  # the batch records their creation (ADR 0063)
    assert Signal.themes.through.objects.count() == sum([1, 2, 0][i % 3] for i in range(4321))
    assert Signal.vulnerable_groups.through.objects.count() == len(range(0, 4321, 4))
    signal = Signal.objects.get(external_id="M-4000")
    assert signal.title == "Melding 4000"
    assert signal.organisation is not None
    assert signal.organisation.code == "pi-vught"
    assert signal.status == "ontvangen"
    assert signal.import_batch == outcome.batch
    assert signal.created_at == signal.updated_at
    (event,) = signal_history(signal)
    assert event.note == "Geïmporteerd uit groot.csv."
    assert event.at == signal.created_at
    assert sorted(t.code for t in signal.themes.all()) == ["integriteit", "personeel"]  # 4000 % 3 == 1
    references = sorted(Signal.objects.values_list("reference", flat=True))
    assert len(set(references)) == 4321


def test_the_large_import_path_keeps_indexes_links_and_idempotency(bulk_paths: None) -> None:
    before = _indexes()
    outcome = signals_import(content=many_rows(60), filename="groot.csv")
    assert outcome.created == 60
    assert _indexes() == before
    assert Signal.themes.through.objects.count() == 60
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"
    again = signals_import(content=many_rows(60), filename="groot.csv")
    assert again.created == 0
    assert again.unchanged == 60
    assert Signal.objects.count() == 60


def test_a_failure_on_the_large_import_path_restores_everything(
    bulk_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    signals_import(content=many_rows(10), filename="eerste.csv")
    before = _indexes()

    # the vulnerable-group links are the last write: the signals and theme links are in by then
    monkeypatch.setattr(importing, "bulk_insert", failing_on(Signal.vulnerable_groups.through._meta.db_table))
    with pytest.raises(RuntimeError, match="schijf vol"):
        signals_import(content=many_rows(30, start=100), filename="tweede.csv")
    assert Signal.objects.count() == 10
    assert ImportBatch.objects.count() == 1
    assert Signal.themes.through.objects.count() == 10
    assert _indexes() == before
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bulk reference checks are PostgreSQL only")
def test_references_checked_in_bulk_refuse_a_missing_row() -> None:
    organisation = OrganisationFactory(code="weg", name="Verdwenen")
    present, missing = organisation.pk, organisation.pk + 1000
    with transaction.atomic():
        bulk.check_references(Signal, {"organisation_id": pl.Series([present, present, None])})
    with pytest.raises(IntegrityError, match="ontbrekende"), transaction.atomic():
        bulk.check_references(Signal, {"organisation_id": pl.Series([present, missing])})


def test_constants_are_written_as_literals_with_quotes_intact() -> None:
    signal = SignalFactory()
    frame = pl.DataFrame({"signal_id": [signal.pk, signal.pk]})
    with transaction.atomic():
        bulk_insert(
            SignalEvent._meta.db_table,
            ["signal_id"],
            frame,
            {
                "kind": "notitie",
                "from_status": "",
                "to_status": "",
                "note": "Van 't Hof'; DROP TABLE x; --",
                "at": str(connection.ops.adapt_datetimefield_value(signal.created_at)),
                "by_id": None,
            },
        )
    notes = list(SignalEvent.objects.filter(signal=signal, kind="notitie").values_list("note", flat=True))
    assert notes == ["Van 't Hof'; DROP TABLE x; --"] * 2


def test_per_value_reference_checks_can_be_switched_off(bulk_paths: None, settings) -> None:
    """An operator whose database role lacks the privilege, or who wants PostgreSQL's own per-row checks,
    turns the shortcut off; the large import path then works the same."""
    settings.IMPORT_FK_CHECKS_PER_VALUE = False
    assert bulk.may_skip_row_triggers() is False
    outcome = signals_import(content=many_rows(60), filename="groot.csv")
    assert outcome.created == 60
    assert Signal.themes.through.objects.count() == 60


@pytest.mark.skipif(connection.vendor != "sqlite", reason="sqlite_stat1 is SQLite's statistics table")
def test_rebuilt_indexes_get_statistics_again(bulk_paths: None) -> None:
    """A dropped index loses its statistics; without new ones SQLite misplans the inbox (ADR 0012)."""
    signals_import(content=many_rows(60), filename="groot.csv")
    table = Signal._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
            [table],
        )
        # a partial index over rows that are all left out (every chain empty here) has nothing to count
        indexes = {name for (name, sql) in cursor.fetchall() if " WHERE " not in sql.upper()}
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = %s", [table])
        analysed = {name for (name,) in cursor.fetchall()}
    assert indexes
    assert indexes <= analysed


def test_columns_with_one_value_in_the_frame_are_written_for_every_row() -> None:
    """bulk_insert writes a column that holds one value (or only NULLs) once into the statement on SQLite."""
    signal = SignalFactory()
    stamp = str(connection.ops.adapt_datetimefield_value(signal.created_at))
    frame = pl.DataFrame(
        {
            "signal_id": [signal.pk] * 3,
            "kind": ["notitie"] * 3,
            "note": ["O'Neill", "O'Neill", "O'Neill"],
            "by_id": pl.Series([None, None, None], dtype=pl.Int64),
            "at": [stamp] * 3,
            "from_status": ["", "", ""],
            "to_status": ["", "ontvangen", ""],
        }
    )
    with transaction.atomic():
        bulk_insert(SignalEvent._meta.db_table, frame.columns, frame)
    rows = list(
        SignalEvent.objects.filter(signal=signal, kind="notitie")
        .order_by("id")
        .values_list("note", "by_id", "to_status")
    )
    assert rows == [("O'Neill", None, ""), ("O'Neill", None, "ontvangen"), ("O'Neill", None, "")]


def test_text_with_tabs_newlines_backslashes_and_quotes_comes_back_as_written() -> None:
    """PostgreSQL gets the rows in COPY's text format: every special character must survive."""
    signal = SignalFactory()
    stamp = str(connection.ops.adapt_datetimefield_value(signal.created_at))
    notes = ["a\tb", "regel 1\nregel 2\r\n", "C:\\pad\\N", '"citaat"; x', "\\N", "", "Van 't Hof"]
    frame = pl.DataFrame(
        {
            "signal_id": [signal.pk] * len(notes),
            "note": notes,
            "by_id": pl.Series([None] * len(notes), dtype=pl.Int64),
            "to_status": ["", "x", "", "", "", "", ""],
        }
    )
    constants = {"kind": "notitie", "from_status": "", "at": stamp}
    with transaction.atomic():
        bulk_insert(SignalEvent._meta.db_table, frame.columns, frame, constants)
    stored = list(
        SignalEvent.objects.filter(signal=signal, kind="notitie").order_by("id").values_list("note", "by_id")
    )
    assert stored == [(note, None) for note in notes]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL text cannot hold NUL at all")
def test_a_single_value_with_nul_is_bound_not_written_as_a_literal() -> None:
    signal = SignalFactory()
    stamp = str(connection.ops.adapt_datetimefield_value(signal.created_at))
    frame = pl.DataFrame({"signal_id": [signal.pk] * 2, "note": ["a\x00b"] * 2, "at": [stamp] * 2})
    constants = {"kind": "notitie", "from_status": "", "to_status": "", "by_id": None}
    with transaction.atomic():
        bulk_insert(SignalEvent._meta.db_table, frame.columns, frame, constants)
    notes = list(SignalEvent.objects.filter(signal=signal, kind="notitie").values_list("note", flat=True))
    assert notes == ["a\x00b", "a\x00b"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's per-row checks are switched off for the import"
)
def test_sqlite_checks_references_itself_when_its_own_checks_are_off(
    bulk_paths: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a transaction a large import turns SQLite's per-row foreign-key checks off for its own
    transaction and checks every distinct reference once: an organisation that disappears between the
    check of the file and the write still stops the import, and the checks are on again afterwards."""
    ensure_reference_data()  # a transactional test starts from an emptied database
    outcome = signals_import(content=many_rows(30), filename="eerste.csv")
    assert outcome.created == 30

    zwolle = Organisation.objects.get(code="pi-zwolle")
    original = importing._lock_signals

    def lock_after_a_delete(rows: int = 0) -> None:
        with connection.cursor() as cursor:  # the checks are off: SQLite itself would not refuse this
            cursor.execute(f"DELETE FROM {Organisation._meta.db_table} WHERE id = %s", [zwolle.pk])
        original(rows)

    monkeypatch.setattr(importing, "_lock_signals", lock_after_a_delete)
    with pytest.raises(IntegrityError, match="ontbrekende"):
        signals_import(content=many_rows(30, start=100), filename="tweede.csv")
    assert Signal.objects.count() == 30
    assert Organisation.objects.filter(pk=zwolle.pk).exists()  # rolled back with the import
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone()[0] == 1
