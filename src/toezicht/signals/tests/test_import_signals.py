"""Bulk import of signals as the intake desk uses it: validation, atomicity, idempotency, quarantine."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from toezicht.accounts.roles import Role
from toezicht.core import bulk, events
from toezicht.core.factories import (
    OrganisationFactory,
    SignalFactory,
    SupervisionAreaFactory,
    ThemeFactory,
    UserFactory,
)
from toezicht.core.tabular import ColumnMapping
from toezicht.signals.importing import mapping_save, signals_import
from toezicht.signals.models import ImportBatch, Signal, SignalEvent
from toezicht.signals.selectors import signal_history
from toezicht.signals.services import signal_transition
from toezicht.signals.tests.factories import failing_on

pytestmark = pytest.mark.django_db

HEADER = (
    "kenmerk_afzender;onderwerp;bron;ontvangen_op;datum_voorval;organisatie;themas;ernst;"
    "aantal_betrokkenen;kwetsbare_groepen;vertrouwelijkheid"
)
GOOD = [
    "M-1;Brand in cel;incident_notification;03-04-2024;02-04-2024;pi-vught;personeel|integriteit;hoog;3;"
    "gedetineerden;intern",
    "M-2;Ontvlucht tijdens transport;Calamiteitenmelding;4-4-2024;;PI Vught;personeel;Zeer hoog;1;;",
    "M-3;Klacht over bejegening;citizen_complaint;2024-04-05;;pi-vught;;laag;;;vertrouwelijk",
]


@pytest.fixture(autouse=True)
def register() -> dict[str, object]:
    area = SupervisionAreaFactory(code="sanctietoepassing", name="Sanctietoepassing")
    other = SupervisionAreaFactory(code="politie", name="Politie")
    vught = OrganisationFactory(code="pi-vught", name="PI Vught", areas=[area])
    unit = OrganisationFactory(code="politie-oost", name="Politie-eenheid Oost-Nederland", areas=[other])
    ThemeFactory(code="personeel", name="Personeel")
    ThemeFactory(code="integriteit", name="Integriteit")
    return {"area": area, "other": other, "vught": vught, "unit": unit}


def csv(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode(encoding)


def run(content: bytes, **options: object):
    options.setdefault("filename", "meldingen.csv")
    return signals_import(content=content, **options)


def test_a_valid_file_creates_signals_with_links_deadlines_and_history(register) -> None:
    outcome = run(csv(*GOOD))
    assert outcome.created == 3
    assert outcome.summary == "3 van de 3 rijen zijn toegevoegd als signaal."
    fire = Signal.objects.get(title="Brand in cel")
    assert fire.reference == "S-2024-000001"
    assert fire.organisation == register["vught"]
    assert fire.area == register["area"]  # from the organisation
    assert fire.received_on == dt.date(2024, 4, 3)
    assert fire.occurred_on == dt.date(2024, 4, 2)
    assert fire.deadline == dt.date(2024, 4, 17)  # 10 working days
    assert sorted(t.code for t in fire.themes.all()) == ["integriteit", "personeel"]
    assert [g.code for g in fire.vulnerable_groups.all()] == ["gedetineerden"]
    assert fire.severity.code == "hoog"
    assert fire.people_affected == 3
    assert fire.status == "ontvangen"
    assert fire.import_batch == outcome.batch
    assert len(fire.fingerprint) == 32
    # the batch records the creation: no event row per signal, yet the history starts with it
    assert not SignalEvent.objects.filter(signal=fire).exists()
    (event,) = signal_history(fire)
    assert (event.kind, event.to_status) == ("aangemaakt", "ontvangen")
    assert event.note == "Geïmporteerd uit meldingen.csv."
    assert event.at == fire.created_at
    complaint = Signal.objects.get(title="Klacht over bejegening")
    assert complaint.confidentiality == "vertrouwelijk"
    assert complaint.deadline == dt.date(2024, 5, 17)  # 42 calendar days
    assert Signal.objects.get(title="Ontvlucht tijdens transport").confidentiality == "intern"
    batch = outcome.batch
    assert batch is not None
    assert (batch.rows_total, batch.rows_created, batch.rows_unchanged, batch.rows_rejected) == (3, 3, 0, 0)
    assert batch.quarantine == []


def test_references_continue_after_the_highest_number_of_each_year() -> None:
    SignalFactory(reference="S-2024-000041", received_on=dt.date(2024, 1, 2))
    SignalFactory(reference="S-2023-000007", received_on=dt.date(2023, 1, 2))
    outcome = run(csv(*GOOD, "M-4;Oud signaal;media;30-12-2023;;pi-vught;;laag;;;"))
    assert outcome.created == 4
    assert Signal.objects.get(title="Brand in cel").reference == "S-2024-000042"
    assert Signal.objects.get(title="Klacht over bejegening").reference == "S-2024-000044"
    assert Signal.objects.get(title="Oud signaal").reference == "S-2023-000008"


def test_one_bad_row_means_nothing_is_imported() -> None:
    bad = "M-9;Onbekende plek;media;31-02-2024;;PI Vugth;;hoog;;;"
    outcome = run(csv(*GOOD, bad))
    assert outcome.created == 0
    assert Signal.objects.count() == 0
    assert SignalEvent.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    messages = [str(e) for e in outcome.errors]
    assert messages == [
        "Rij 5, kolom 'ontvangen_op': '31-02-2024' is geen geldige datum (verwacht bijvoorbeeld 31-12-2024).",
        "Rij 5, kolom 'organisatie': Onbekende organisatie 'PI Vugth'. Bedoelt u 'PI Vught'?",
    ]
    assert outcome.summary.startswith("Er is niets geïmporteerd uit 4 rijen; 1 afgekeurd.")


def test_skip_invalid_imports_the_good_rows_and_quarantines_the_bad_ones() -> None:
    bad = "M-9;Onbekend thema;media;01-04-2024;;pi-vught;personel;hoog;;;"
    outcome = run(csv(GOOD[0], bad), skip_invalid=True)
    assert outcome.created == 1
    batch = outcome.batch
    assert batch is not None
    assert batch.rows_rejected == 1
    (record,) = batch.quarantine
    assert record["rij"] == 3
    assert dict(record["waarden"])["onderwerp"] == "Onbekend thema"
    assert record["fouten"] == ["themas: Onbekend thema 'personel'. Bedoelt u 'personeel'?"]
    assert "1 afgekeurd en in quarantaine gezet" in outcome.summary


def test_importing_the_same_file_twice_adds_nothing_the_second_time() -> None:
    first = run(csv(*GOOD))
    assert first.created == 3
    second = run(csv(*GOOD))
    assert second.created == 0
    assert second.unchanged == 3
    assert Signal.objects.count() == 3
    assert str(second.notes[0]) == "Rij 2: Al aanwezig als S-2024-000001; niet opnieuw toegevoegd."


def test_rows_without_a_sender_kenmerk_are_recognised_by_their_content() -> None:
    header = "onderwerp;bron;ontvangen_op;ernst"
    run(csv("Signaal A;media;1-4-2024;laag", header=header))
    again = run(csv("Signaal A;media;01-04-2024;Laag", "Signaal B;media;1-4-2024;laag", header=header))
    assert again.created == 1
    assert again.unchanged == 1
    assert Signal.objects.count() == 2


def test_sender_and_kenmerk_make_a_resent_row_idempotent_even_when_edited(register) -> None:
    sender = register["vught"]
    run(csv(GOOD[0]), sender=sender)
    edited = GOOD[0].replace("Brand in cel", "Brand in cel (aangevuld)")
    again = run(csv(edited), sender=sender)
    assert again.created == 0
    assert again.unchanged == 1
    assert Signal.objects.get().sender == sender


def test_duplicates_inside_the_file(register) -> None:
    conflict = GOOD[1].replace("Ontvlucht tijdens transport", "Iets anders").replace("M-2", "M-1")
    outcome = run(csv(GOOD[0], GOOD[0], conflict), sender=register["vught"])
    assert outcome.created == 0  # the conflicting kenmerk blocks the file
    assert [str(e) for e in outcome.errors] == [
        "Rij 4, kolom 'kenmerk_afzender': "
        "Dit kenmerk van de afzender komt ook voor in rij 2, met andere gegevens."
    ]
    outcome = run(csv(GOOD[0], GOOD[0]), sender=register["vught"])
    assert outcome.created == 1
    assert outcome.unchanged == 1
    assert str(outcome.notes[0]) == "Rij 3: Gelijk aan rij 2; overgeslagen."


def test_dry_run_saves_nothing_but_reports_what_would_happen() -> None:
    outcome = run(csv(*GOOD), dry_run=True)
    assert outcome.created == 3
    assert outcome.summary == "Controle van 3 rijen; er is niets opgeslagen. 3 zouden worden toegevoegd."
    assert Signal.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_failure_while_writing_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    from toezicht.signals import importing

    original = importing.bulk_insert
    calls = {"n": 0}

    def failing_at_the_third_write(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("schijf vol")
        return original(*args, **kwargs)

    # the vulnerable-group links are the last write: the signals and theme links are in the table by then
    monkeypatch.setattr(importing, "bulk_insert", failing_at_the_third_write)
    with pytest.raises(RuntimeError, match="schijf vol"):
        run(csv(*GOOD))
    assert calls["n"] == 3
    assert Signal.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_signals_imported_event_is_published_after_commit(django_capture_on_commit_callbacks) -> None:
    seen: list[int] = []
    events.subscribe("signals.imported", lambda batch_id: seen.append(batch_id))
    with django_capture_on_commit_callbacks(execute=True):
        outcome = run(csv(*GOOD))
    assert outcome.batch is not None
    assert seen == [outcome.batch.pk]


def test_missing_required_columns_are_named_in_dutch() -> None:
    outcome = run(b"titel;datum\nIets;1-1-2024\n")
    assert outcome.created == 0
    assert "Verplichte kolom 'bron' ontbreekt" in outcome.summary or any(
        "Verplichte kolom 'bron' ontbreekt" in m for m in outcome.report.file_errors
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings(encoding: str) -> None:
    outcome = run(csv("X-1;Bejegening café;media;1-4-2024;;;;laag;;;", encoding=encoding))
    assert outcome.created == 1
    assert Signal.objects.get().title == "Bejegening café"


def test_xlsx_with_date_cells() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Onderwerp", "Bron", "Ontvangen op", "Ernst", "Thema's"])
    sheet.append(["Uit Excel", "media", dt.date(2024, 6, 3), "midden", "Personeel, Integriteit"])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = run(buffer.getvalue(), filename="meldingen.xlsx")
    assert outcome.created == 1
    signal = Signal.objects.get()
    assert signal.received_on == dt.date(2024, 6, 3)
    assert signal.themes.count() == 2


def test_a_saved_mapping_is_reused_with_its_sender(register) -> None:
    mapping = mapping_save(
        name="Meldingen DJI",
        columns={
            "Nummer": "kenmerk_afzender",
            "Wat": "onderwerp",
            "Soort": "bron",
            "Datum": "ontvangen_op",
            "Zwaarte": "ernst",
            "Onzin": "geen_veld",
        },
        sender=register["vught"],
    )
    assert "Onzin" not in mapping.columns
    content = csv("A1;Valpartij;media;1-5-2024;midden", header="Nummer;Wat;Soort;Datum;Zwaarte")
    outcome = run(content, mapping=mapping)
    assert outcome.created == 1
    signal = Signal.objects.get()
    assert signal.sender == register["vught"]
    assert signal.external_id == "A1"
    assert outcome.batch is not None
    assert outcome.batch.mapping == mapping
    assert run(content, mapping=mapping).unchanged == 1


def test_column_mapping_object_is_accepted() -> None:
    content = csv("Valpartij;media;1-5-2024;midden", header="Wat;Soort;Datum;Zwaarte")
    mapping = ColumnMapping(
        columns={"onderwerp": "Wat", "bron": "Soort", "ontvangen_op": "Datum", "ernst": "Zwaarte"}
    )
    assert run(content, mapping=mapping).created == 1


def test_a_user_can_only_name_organisations_in_their_own_areas(register) -> None:
    inspector = UserFactory(role=Role.INSPECTOR, areas=[register["area"]])
    content = csv("X-1;Iets;media;1-4-2024;;politie-oost;;laag;;;")
    outcome = run(content, by=inspector)
    assert outcome.created == 0
    assert "Onbekende organisatie 'politie-oost'" in outcome.errors[0].message
    ok = run(csv(GOOD[0]), by=inspector)
    assert ok.created == 1
    assert Signal.objects.get().created_by == inspector


def test_an_imported_signals_history_starts_with_its_import_and_goes_on(register) -> None:
    inspector = UserFactory(role=Role.INSPECTOR, areas=[register["area"]])
    run(csv(GOOD[0]), by=inspector)
    signal = Signal.objects.get()
    signal_transition(signal=signal, to_status="in_behandeling", by=inspector, note="Opgepakt.")

    history = signal_history(signal)

    assert [(e.kind, e.by) for e in history] == [("aangemaakt", inspector), ("status", inspector)]
    assert history[0].note == "Geïmporteerd uit meldingen.csv."
    assert history[0].at <= history[1].at


def test_query_count_does_not_grow_with_the_rows() -> None:
    rows = [f"K-{i};Signaal {i};media;{1 + i % 28}-3-2024;;pi-vught;personeel;laag;;;" for i in range(300)]
    with CaptureQueriesContext(connection) as small:
        run(csv(*rows[:10]))
    Signal.objects.all().delete()
    with CaptureQueriesContext(connection) as large:
        run(csv(*rows))
    assert Signal.objects.count() == 300
    assert len(large.captured_queries) <= len(small.captured_queries) + 2


def _signal_indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = %s ORDER BY name",
            [Signal._meta.db_table],
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="index rebuild is SQLite only")
def test_large_imports_on_sqlite_rebuild_the_indexes_and_a_failure_restores_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from toezicht.signals import importing

    before = _signal_indexes()
    assert "signal_unique_sender_external_id" in before
    monkeypatch.setattr(bulk, "INDEX_REBUILD_MIN_ROWS", 1)
    assert run(csv(*GOOD)).created == 3
    assert _signal_indexes() == before

    monkeypatch.setattr(importing, "bulk_insert", failing_on(Signal.vulnerable_groups.through._meta.db_table))
    with pytest.raises(RuntimeError, match="schijf vol"):
        run(csv(GOOD[0].replace("M-1", "M-7").replace("Brand in cel", "Nieuwe brand")))
    assert _signal_indexes() == before
    assert Signal.objects.count() == 3


def test_a_file_imported_with_full_length_fingerprints_is_still_present_after_the_migration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Migration 0006 shortens the stored fingerprints to the 32 characters new imports compute."""
    from importlib import import_module

    from toezicht.signals import importing

    migration = import_module("toezicht.signals.migrations.0006_lean_import_indexes")
    monkeypatch.setattr(importing, "FINGERPRINT_LENGTH", 64)  # as imports wrote them before
    content = csv(*GOOD)
    assert run(content).created == 3
    assert {len(f) for f in Signal.objects.values_list("fingerprint", flat=True)} == {64}
    with connection.cursor() as cursor:
        cursor.execute(migration.SHORTEN_FINGERPRINTS)
    monkeypatch.setattr(importing, "FINGERPRINT_LENGTH", 32)

    again = run(content)

    assert (again.created, again.unchanged) == (0, 3)
