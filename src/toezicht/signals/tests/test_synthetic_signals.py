"""The synthetic signals step of `toezicht generate`: deterministic, realistic spread, bulk written."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from toezicht.demo.generate import SCALES, GenerationContext, generate_register
from toezicht.signals import synthetic
from toezicht.signals.models import Signal, SignalEvent


def _frame(seed: int):
    rng = np.random.default_rng(seed)
    return synthetic.build_frame(
        rng,
        5_000,
        organisations=np.arange(1, 201, dtype=np.int64),
        organisation_area={i: 1 + i % 7 for i in range(1, 201)},
        themes=np.arange(1, 21, dtype=np.int64),
        severities=np.arange(1, 5, dtype=np.int64),
        sources=np.arange(1, 10, dtype=np.int64),
        groups=np.arange(1, 7, dtype=np.int64),
        chains=np.arange(1, 9, dtype=np.int64),
    )


def test_the_same_seed_gives_the_same_signals() -> None:
    assert _frame(3).equals(_frame(3))
    assert not _frame(3).equals(_frame(4))


def test_spread_over_ten_years_skewed_over_organisations_with_one_or_two_themes() -> None:
    frame = _frame(1)
    received = frame.get_column("ontvangen_op")
    assert (received.max() - received.min()).days > 9 * 365
    per_org = frame.get_column("organisatie").value_counts().get_column("count").sort(descending=True)
    assert per_org[0] > 5 * per_org.median()  # some organisations get far more
    theme_counts = frame.get_column("themas").str.split("|").list.len()
    assert set(theme_counts.unique().to_list()) == {1, 2}
    shares = frame.get_column("vertrouwelijkheid").value_counts(normalize=True)
    confidential = shares.filter(shares["vertrouwelijkheid"] == "vertrouwelijk")["proportion"][0]
    assert 0.005 < confidential < 0.1
    old_open = frame.filter(
        (received < received.max() - dt.timedelta(days=365))
        & frame.get_column("_status").is_in(["ontvangen", "in_behandeling"])
    )
    assert old_open.height == 0  # old signals are handled


@pytest.mark.django_db
def test_the_step_writes_signals_with_history_and_a_rerun_adds_nothing(monkeypatch) -> None:
    monkeypatch.setitem(synthetic.SIGNALS_PER_SCALE, "small", 600)
    ctx = GenerationContext(scale=SCALES["small"], seed=5, rng=random.Random(5))
    generate_register(ctx)
    synthetic.generate_signals(ctx)
    assert ctx.counts["signals"] == 600
    assert SignalEvent.objects.count() == 600
    signal = Signal.objects.filter(organisation__isnull=False).first()
    assert signal is not None
    assert signal.area_id is not None
    assert signal.themes.count() in (1, 2)
    assert signal.deadline is not None
    assert signal.deadline >= signal.received_on
    references = list(Signal.objects.values_list("reference", flat=True))
    assert len(set(references)) == 600
    synthetic.generate_signals(ctx)
    assert Signal.objects.count() == 600
