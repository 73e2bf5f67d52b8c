"""Incremental updates through the database: what they store, concurrent updates, observation peers,
and the loading and storage paths they rely on."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import polars as pl
import pytest
from django.db import connection

from toezicht.core.factories import SignalFactory
from toezicht.register.models import Organisation
from toezicht.risk import loading, services
from toezicht.risk.models import RiskAggregate, RiskScore, RiskSnapshot
from toezicht.risk.tests.factories import REFERENCE, hand_example
from toezicht.signals.models import SeverityLevel, VulnerableGroup
from toezicht.signals.reference_data import ensure_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    services.clear_cache()


def _stored(snapshot: RiskSnapshot) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    scores = list(
        RiskScore.objects.filter(snapshot=snapshot)
        .order_by("organisation_id", "theme_id")
        .values_list(
            "organisation_id",
            "theme_id",
            "score",
            "likelihood",
            "impact",
            "cell",
            "likelihood_band",
            "impact_band",
            "contributions",
            "evidence",
        )
    )
    aggregates = list(
        RiskAggregate.objects.filter(snapshot=snapshot)
        .order_by("kind", "object_id")
        .values_list(
            "kind",
            "object_id",
            "score_max",
            "score_mean",
            "likelihood_mean",
            "impact_mean",
            "n_rows",
            "n_members",
            "top_organisation_id",
            "top_theme_id",
            "chain_signal_load",
            "chain_signal_count",
        )
    )
    return scores, aggregates


def test_incremental_updates_store_exactly_what_a_full_recompute_stores() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    minors = VulnerableGroup.objects.order_by("pk").first()
    # a signal without a theme (it counts for every theme of the organisation), one about a vulnerable
    # group for the other organisation, and one with two themes
    general = SignalFactory(
        organisation=ex.organisation,
        severity=SeverityLevel.objects.get(rank=4),
        received_on=REFERENCE - datetime.timedelta(days=3),
        people_affected=5000,
    )
    vulnerable = SignalFactory(
        organisation=ex.other,
        severity=SeverityLevel.objects.get(rank=2),
        received_on=REFERENCE - datetime.timedelta(days=30),
        themes=[ex.theme2],
    )
    if minors is not None:
        vulnerable.vulnerable_groups.add(minors)
    both = SignalFactory(
        organisation=ex.other,
        severity=SeverityLevel.objects.get(rank=3),
        received_on=REFERENCE,
        themes=[ex.theme, ex.theme2],
    )
    services.apply_incremental(signal_ids=[general.pk])
    services.apply_incremental(signal_ids=[vulnerable.pk, both.pk])
    snapshot.refresh_from_db()

    full = services.recompute_full(reference_date=REFERENCE)

    assert _stored(snapshot) == _stored(full)
    assert (snapshot.n_scores, snapshot.n_signals) == (full.n_scores, full.n_signals)
    assert snapshot.n_scores == RiskScore.objects.filter(snapshot=snapshot).count()
    assert snapshot.incremental_updates == 2


def test_an_update_by_another_process_in_between_is_not_overwritten(monkeypatch: pytest.MonkeyPatch) -> None:
    """Another worker stores its signal between our read of the snapshot and our write: we start again
    from the database instead of writing rows computed without its signal."""
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)

    def new_signal(days: int) -> Any:
        return SignalFactory(
            organisation=ex.organisation,
            severity=SeverityLevel.objects.get(rank=4),
            received_on=REFERENCE - datetime.timedelta(days=days),
            themes=[ex.theme],
        )

    ours, theirs = new_signal(1), new_signal(2)
    original = services._add_records
    calls = {"n": 0}

    def add_records_while_another_worker_writes(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            # the other worker: its own (here: the same, re-entrant) lock and the then current cache
            services.apply_incremental(signal_ids=[theirs.pk])
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "_LOCK", threading.RLock())
    monkeypatch.setattr(services, "_add_records", add_records_while_another_worker_writes)
    services.apply_incremental(signal_ids=[ours.pk])
    snapshot.refresh_from_db()

    assert snapshot.incremental_updates == 2
    assert snapshot.max_signal_id == max(ours.pk, theirs.pk)
    monkeypatch.undo()
    full = services.recompute_full(reference_date=REFERENCE)
    assert _stored(snapshot)[0] == _stored(full)[0]


def test_a_new_observation_is_ranked_among_the_other_organisations_of_its_period() -> None:
    from toezicht.indicators.models import Indicator, Observation

    ensure_reference_data()  # a transactional test starts from an emptied database
    ex = hand_example()
    indicator = Indicator.objects.create(
        code="bezetting", name="Bezetting", unit="%", direction="hoger_slechter", theme=ex.theme2
    )
    june = datetime.date(2025, 6, 1)
    Observation.objects.create(indicator=indicator, organisation=ex.other, period_start=june, value=99)
    snapshot = services.recompute_full(reference_date=REFERENCE)

    new = Observation.objects.create(
        indicator=indicator, organisation=ex.organisation, period_start=june, value=50
    )
    services.apply_incremental(observation_ids=[new.pk])

    row = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2)
    listed = {o[0]: o for o in row.evidence["o"]}
    # lower of two organisations where higher is worse: (rank 1 - 0.5) / 2
    assert listed[new.pk][5] == pytest.approx(0.25)


def test_loading_keeps_nulls_numbers_and_codes() -> None:
    frame = loading._frame(
        "SELECT 1, CAST(NULL AS BIGINT), 2.5, 'pi-vught' UNION ALL SELECT 2, 7, -0.125, 'x-y_z' ORDER BY 1",
        {"a": pl.Int64, "b": pl.Int64, "c": pl.Float64, "d": pl.String},
    )
    assert frame.to_dicts() == [
        {"a": 1, "b": None, "c": 2.5, "d": "pi-vught"},
        {"a": 2, "b": 7, "c": -0.125, "d": "x-y_z"},
    ]
    empty = loading._frame("SELECT 1 WHERE 1 = 0", {"a": pl.Int64})
    assert empty.height == 0
    assert empty.schema == pl.Schema({"a": pl.Int64})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the binary column transfer is PostgreSQL's")
def test_postgresql_hands_over_floats_exactly() -> None:
    frame = loading._frame(
        "SELECT CAST(1 AS float8) / 3, CAST(1e-300 AS float8)", {"a": pl.Float64, "b": pl.Float64}
    )
    assert frame.row(0) == (1 / 3, 1e-300)


def test_deleting_an_organisation_or_a_snapshot_still_deletes_their_scores() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    assert RiskScore.objects.filter(organisation=ex.other).exists()

    Organisation.objects.filter(pk=ex.other.pk).delete()
    assert not RiskScore.objects.filter(organisation_id=ex.other.pk).exists()

    snapshot.delete()
    assert not RiskScore.objects.filter(snapshot_id=snapshot.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_loading_side_by_side_reads_what_one_connection_reads() -> None:
    """Outside a transaction the observations are read on a second connection at the same time."""
    from django.db import transaction

    from toezicht.indicators.models import Indicator, Observation

    ensure_reference_data()  # a transactional test starts from an emptied database
    ex = hand_example()
    indicator = Indicator.objects.create(
        code="wachtlijst", name="Wachtlijst", unit="personen", direction="hoger_slechter", theme=ex.theme
    )
    Observation.objects.create(
        indicator=indicator, organisation=ex.organisation, period_start=datetime.date(2025, 5, 1), value=7
    )
    model = services.model_of(ex.version)

    def load() -> loading.Loaded:
        return loading.load_input(
            model, ex.version.type_groups, REFERENCE, type_people=ex.version.type_people
        )

    side_by_side = load()
    with transaction.atomic():  # one connection, one after the other
        serial = load()

    for name in ("signals", "observations", "signal_organisations"):
        parallel_frame, serial_frame = (
            getattr(side_by_side.risk_input, name),
            getattr(serial.risk_input, name),
        )
        assert parallel_frame is not None
        assert parallel_frame.equals(serial_frame)
    assert side_by_side.n_observations == 1
    assert (side_by_side.n_signals, side_by_side.max_observation_id) == (
        serial.n_signals,
        serial.max_observation_id,
    )


@pytest.mark.django_db(transaction=True)
def test_a_failure_on_the_second_connection_fails_the_recompute_visibly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ensure_reference_data()  # a transactional test starts from an emptied database
    hand_example()

    def broken(*args: Any, **kwargs: Any) -> pl.DataFrame:
        raise RuntimeError("verbinding verbroken")

    monkeypatch.setattr(loading, "load_observations", broken)
    with pytest.raises(services.RiskError, match="verbinding verbroken"):
        services.recompute_full(reference_date=REFERENCE)
    failed = RiskSnapshot.objects.get()
    assert failed.status == "mislukt"
    assert not RiskScore.objects.filter(snapshot=failed).exists()


def _imported_batch(ex: Any, count: int) -> int:
    from toezicht.signals.models import ImportBatch

    batch = ImportBatch.objects.create(filename="levering.csv", sha256="0" * 64, rows_total=count)
    for days in range(count):
        SignalFactory(
            organisation=ex.organisation,
            severity=SeverityLevel.objects.get(rank=3),
            received_on=REFERENCE - datetime.timedelta(days=days),
            themes=[ex.theme],
            import_batch=batch,
        )
    return batch.pk


def test_an_import_updates_the_latest_snapshot_incrementally() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    batch_id = _imported_batch(ex, 3)

    updated = services.apply_import(batch_id=batch_id)

    assert updated is not None
    assert updated.pk == snapshot.pk
    assert updated.incremental_updates == 1
    assert updated.n_signals == snapshot.n_signals + 3


def test_a_large_import_is_followed_by_a_full_recompute(monkeypatch: pytest.MonkeyPatch) -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    batch_id = _imported_batch(ex, 3)
    monkeypatch.setattr(services, "IMPORT_INCREMENTAL_LIMIT", 2)

    updated = services.apply_import(batch_id=batch_id)

    assert updated is not None
    assert updated.pk != snapshot.pk
    assert updated.trigger == "volledig"
    assert updated.incremental_updates == 0
    assert updated.max_signal_id >= max(
        SignalFactory._meta.model.objects.filter(import_batch_id=batch_id).values_list("pk", flat=True)
    )


def test_an_import_without_a_snapshot_reads_nothing(django_assert_max_num_queries: Any) -> None:
    ex = hand_example()
    batch_id = _imported_batch(ex, 2)
    with django_assert_max_num_queries(1):
        assert services.apply_import(batch_id=batch_id) is None
