"""The pure cores: periods, breach detection, the sector view and the charts (no database)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from toezicht.core.tabular import ParseError
from toezicht.indicators.breaches import NormSpec, detect, relative_excess, severity_code, severity_codes
from toezicht.indicators.charts import ChartPoint, line_chart
from toezicht.indicators.periods import parse_period, period_label
from toezicht.indicators.sector import sector_view


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-03", datetime.date(2025, 3, 1)),
        ("2025-3", datetime.date(2025, 3, 1)),
        ("03-2025", datetime.date(2025, 3, 1)),
        ("mrt 2025", datetime.date(2025, 3, 1)),
        ("maart 2025", datetime.date(2025, 3, 1)),
        ("Mrt. 2025", datetime.date(2025, 3, 1)),
        ("2025-Q1", datetime.date(2025, 1, 1)),
        ("2025 Q3", datetime.date(2025, 7, 1)),
        ("Q4 2025", datetime.date(2025, 10, 1)),
        ("K2 2025", datetime.date(2025, 4, 1)),
        ("2e kwartaal 2025", datetime.date(2025, 4, 1)),
        ("2025", datetime.date(2025, 1, 1)),
        ("15-3-2025", datetime.date(2025, 3, 1)),
        ("2025-03-31", datetime.date(2025, 3, 1)),
        ("3 maart 2025", datetime.date(2025, 3, 1)),
        (datetime.date(2025, 3, 17), datetime.date(2025, 3, 1)),
    ],
)
def test_period_spellings(text: object, expected: datetime.date) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-13", "Maand 13 bestaat niet"),
        ("2025-Q5", "geen geldige periode"),
        ("smurf 2025", "Onbekende maand 'smurf'"),
        ("gisteren", "geen geldige periode"),
        ("1850-01", "buiten 1900-2200"),
    ],
)
def test_bad_periods_get_a_dutch_message(text: str, message: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_period(text)
    assert message in caught.value.message


def test_period_labels() -> None:
    assert period_label(datetime.date(2025, 3, 1)) == "maart 2025"
    assert period_label(datetime.date(2025, 4, 1), "kwartaal") == "K2 2025"
    assert period_label(datetime.date(2025, 1, 1), "jaar") == "2025"


def test_breach_detection_hand_checked() -> None:
    # indicator 1: at most 100; indicator 2: at least 80; indicator 3 has no norm.
    norms = [NormSpec(10, 1, 100.0, at_most=True), NormSpec(20, 2, 80.0, at_most=False)]
    indicators = [1, 1, 1, 2, 2, 2, 3, 1]
    values = [99.0, 100.0, 112.0, 79.0, 80.0, 40.0, 1e9, float("nan")]
    found = detect(indicators, values, norms)
    pairs = sorted(zip(found.observation.tolist(), found.norm.tolist(), strict=True))
    # On the threshold is not a breach; NaN never is; an indicator without a norm never is.
    assert pairs == [(2, 0), (3, 1), (5, 1)]
    excess = dict(zip(found.observation.tolist(), found.excess.tolist(), strict=True))
    assert excess[2] == pytest.approx(0.12)
    assert excess[3] == pytest.approx(0.0125)
    assert excess[5] == pytest.approx(0.5)
    assert severity_codes(np.array([0.12, 0.0125, 0.5])) == ["midden", "laag", "hoog"]


def test_two_norms_on_one_indicator_give_two_breaches() -> None:
    found = detect([1], [130.0], [NormSpec(1, 1, 100.0, True), NormSpec(2, 1, 120.0, True)])
    assert sorted(found.norm.tolist()) == [0, 1]


@pytest.mark.parametrize(
    ("excess", "code"),
    [
        (0.0001, "laag"),
        (0.10, "laag"),
        (0.1001, "midden"),
        (0.25, "midden"),
        (0.5, "hoog"),
        (0.51, "zeer-hoog"),
    ],
)
def test_severity_by_distance_to_the_threshold(excess: float, code: str) -> None:
    assert severity_code(excess) == code
    assert severity_codes(np.array([excess])) == [code]


def test_relative_excess_with_zero_threshold() -> None:
    assert relative_excess(np.array([2.0]), 0.0, True).tolist() == [2.0]


def _series(shares: list[tuple[int, int]], start: int = 24_300) -> tuple[list[int], list[bool]]:
    """Observations for consecutive months: (breached, measured) per month."""
    periods: list[int] = []
    breached: list[bool] = []
    for offset, (bad, measured) in enumerate(shares):
        periods += [start + offset] * measured
        breached += [True] * bad + [False] * (measured - bad)
    return periods, breached


def test_structural_infeasibility_boundaries_of_share_and_periods() -> None:
    # Exactly half of 4 organisations in 3 consecutive months: at the boundary of X=0.5, N=3.
    periods, breached = _series([(2, 4), (2, 4), (2, 4), (0, 4)])
    assert sector_view(periods, breached, share=0.5, periods=3).structural
    assert not sector_view(periods, breached, share=0.51, periods=3).structural
    assert not sector_view(periods, breached, share=0.5, periods=4).structural
    view = sector_view(periods, breached, share=0.5, periods=3)
    assert (view.longest_run, view.run_start, view.run_end) == (3, 24_300, 24_302)
    assert [p.share for p in view.points] == [0.5, 0.5, 0.5, 0.0]


def test_a_gap_in_the_calendar_breaks_the_run() -> None:
    periods = [1, 2, 4]
    assert sector_view(periods, [True, True, True], share=0.5, periods=3).longest_run == 2
    # Quarterly indicators: consecutive means 3 months apart.
    assert sector_view([0, 3, 6], [True, True, True], share=0.5, periods=3, step=3).structural


def test_a_dip_breaks_the_run() -> None:
    periods, breached = _series([(3, 4), (3, 4), (1, 4), (3, 4), (3, 4)])
    view = sector_view(periods, breached, share=0.5, periods=3)
    assert view.longest_run == 2
    assert not view.structural


def test_empty_sector() -> None:
    view = sector_view([], [], share=0.5, periods=3)
    assert view.points == []
    assert not view.structural


@given(
    data=st.lists(st.tuples(st.integers(0, 8), st.integers(1, 8)), min_size=1, max_size=12),
    low=st.floats(0.01, 1.0),
    high=st.floats(0.01, 1.0),
    periods=st.integers(1, 5),
)
def test_raising_the_share_threshold_never_flags_more(
    data: list[tuple[int, int]], low: float, high: float, periods: int
) -> None:
    shares = [(min(bad, measured), measured) for bad, measured in data]
    observed, breached = _series(shares)
    low, high = min(low, high), max(low, high)
    strict = sector_view(observed, breached, share=high, periods=periods)
    lenient = sector_view(observed, breached, share=low, periods=periods)
    assert strict.longest_run <= lenient.longest_run
    assert not (strict.structural and not lenient.structural)
    assert set(strict.flagged_periods) <= set(lenient.flagged_periods)


def test_chart_is_accessible_svg_with_threshold_and_marks() -> None:
    svg = line_chart(
        [ChartPoint("jan 25", 90.0), ChartPoint("feb 25", 105.0, marked=True)],
        title="Bezetting <PI>",
        desc="Twee metingen",
        threshold=100.0,
        chart_id="c1",
    )
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="c1-t c1-d"' in svg
    assert '<title id="c1-t">Bezetting &lt;PI&gt;</title>' in svg
    assert 'stroke-dasharray="6 4"' in svg  # the threshold line
    assert svg.count("<rect") == 2  # the plot area and one breach mark
