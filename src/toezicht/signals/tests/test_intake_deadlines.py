"""Handling deadlines: holiday calendar, working-day arithmetic, overdue checks, vectorised == scalar."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toezicht.signals.intake.deadlines import (
    DEFAULT_RULES,
    SOURCE_TYPE_LABELS,
    WORKING_DAYS,
    DeadlineRule,
    HolidayPolicy,
    LiberationDay,
    WorkingCalendar,
    days_overdue,
    days_overdue_many,
    default_calendar,
    due_date,
    due_dates,
    is_overdue,
    is_working_day,
    overdue_mask,
    rule_for_source,
    rules_to_arrays,
    working_days_between,
    working_days_between_many,
)

D = dt.date
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))
day_counts = st.integers(min_value=0, max_value=120)
units = st.sampled_from(["kalenderdagen", "werkdagen"])


def test_holidays_2025_default_policy() -> None:
    holidays = dict(default_calendar().holidays_in(2025))
    assert holidays[D(2025, 1, 1)] == "Nieuwjaarsdag"
    assert holidays[D(2025, 4, 18)] == "Goede Vrijdag"
    assert D(2025, 4, 21) in holidays  # Tweede paasdag
    assert D(2025, 4, 26) in holidays  # Koningsdag moves to Saturday when the 27th is a Sunday
    assert holidays[D(2025, 5, 5)] == "Bevrijdingsdag"  # lustrum year
    assert D(2025, 5, 29) in holidays  # Hemelvaartsdag
    assert D(2025, 6, 9) in holidays  # Tweede pinksterdag
    assert {D(2025, 12, 25), D(2025, 12, 26)} <= holidays.keys()
    assert D(2026, 5, 5) not in dict(default_calendar().holidays_in(2026))


def test_holiday_policy_is_configurable() -> None:
    no_good_friday = WorkingCalendar(HolidayPolicy(good_friday=False))
    assert no_good_friday.is_working_day(D(2025, 4, 18))
    assert not is_working_day(D(2025, 4, 18))

    annual = WorkingCalendar(HolidayPolicy(liberation_day=LiberationDay.ANNUAL))
    assert not annual.is_working_day(D(2026, 5, 5))
    assert is_working_day(D(2026, 5, 5))
    never = WorkingCalendar(HolidayPolicy(liberation_day=LiberationDay.NEVER))
    assert never.is_working_day(D(2025, 5, 5))

    bridge = D(2025, 5, 30)  # Friday after Ascension Day
    custom = WorkingCalendar(
        HolidayPolicy(extra_days_off=frozenset({bridge}), forced_working_days=frozenset({D(2025, 12, 26)}))
    )
    assert not custom.is_working_day(bridge)
    assert custom.is_working_day(D(2025, 12, 26))
    assert custom.due_date(D(2025, 5, 28), DeadlineRule(1, "werkdagen")) == D(2025, 6, 2)


@pytest.mark.parametrize(
    ("received", "rule", "expected"),
    [
        (D(2025, 4, 17), DeadlineRule(1, "werkdagen"), D(2025, 4, 22)),  # over Goede Vrijdag and Pasen
        (D(2025, 4, 19), DeadlineRule(1, "werkdagen"), D(2025, 4, 22)),  # received on a Saturday
        (D(2025, 4, 19), DeadlineRule(0, "werkdagen"), D(2025, 4, 22)),
        (D(2025, 4, 16), DeadlineRule(0, "werkdagen"), D(2025, 4, 16)),
        (D(2025, 12, 24), DeadlineRule(2, "werkdagen"), D(2025, 12, 30)),
        (D(2024, 12, 20), DeadlineRule(10, "werkdagen"), D(2025, 1, 8)),
        (D(2025, 4, 17), DeadlineRule(5), D(2025, 4, 22)),
        (D(2025, 2, 27), DeadlineRule(2, "kalenderdagen"), D(2025, 3, 1)),  # lands on a Saturday: no shift
    ],
)
def test_due_date_examples(received: dt.date, rule: DeadlineRule, expected: dt.date) -> None:
    assert due_date(received, rule) == expected


def test_rule_validation_and_label() -> None:
    with pytest.raises(ValueError, match="negatief"):
        DeadlineRule(-1)
    with pytest.raises(ValueError, match="Onbekende eenheid"):
        DeadlineRule(3, "weken")
    with pytest.raises(TypeError):
        DeadlineRule(1.5)
    assert DeadlineRule(1, "werkdagen").label == "1 werkdag"
    assert str(DeadlineRule(10, "werkdagen")) == "10 werkdagen"
    assert DeadlineRule(1).label == "1 kalenderdag"


def test_rules_per_source_type() -> None:
    assert set(DEFAULT_RULES) == set(SOURCE_TYPE_LABELS)
    assert rule_for_source("parliamentary_question") == DeadlineRule(21, "kalenderdagen")
    with pytest.raises(ValueError, match="Geen behandeltermijn"):
        rule_for_source("postduif")
    days, working = rules_to_arrays(["media", "citizen_complaint"])
    assert days.tolist() == [2, 42]
    assert working.tolist() == [True, False]


def test_overdue_scalar() -> None:
    due = D(2025, 3, 14)  # Friday
    assert not is_overdue(due, D(2025, 3, 14))
    assert is_overdue(due, D(2025, 3, 15))
    assert not is_overdue(due, D(2025, 4, 1), closed=D(2025, 3, 14))
    assert is_overdue(due, D(2025, 3, 1), closed=D(2025, 3, 17))
    assert not is_overdue(due, D(2025, 4, 1), closed=True)
    assert not is_overdue(None, D(2025, 4, 1))
    assert days_overdue(due, D(2025, 3, 17)) == 3
    assert days_overdue(due, D(2025, 3, 17), unit="werkdagen") == 1
    assert days_overdue(due, D(2025, 3, 10)) == 0
    assert days_overdue(due, D(2025, 5, 1), closed=D(2025, 3, 18), unit="werkdagen") == 2
    assert days_overdue(due, D(2025, 5, 1), closed=True) == 0


def test_vectorised_overdue_with_open_and_closed() -> None:
    due = np.array(["2025-03-14", "2025-03-14", "NaT", "2025-03-20"], dtype="datetime64[D]")
    closed = np.array(["NaT", "2025-03-18", "NaT", "2025-03-19"], dtype="datetime64[D]")
    today = D(2025, 3, 21)
    assert overdue_mask(due, today, closed).tolist() == [True, True, False, False]
    assert days_overdue_many(due, today, closed).tolist() == [7, 4, 0, 0]
    assert days_overdue_many(due, today, closed, unit="werkdagen").tolist() == [5, 2, 0, 0]


def test_working_days_between_examples() -> None:
    assert working_days_between(D(2025, 4, 17), D(2025, 4, 22)) == 1
    assert working_days_between(D(2025, 4, 22), D(2025, 4, 17)) == -1
    assert working_days_between(D(2025, 3, 10), D(2025, 3, 10)) == 0


def test_due_dates_bulk_mixed_units_and_nat() -> None:
    received = np.array(["2025-04-17", "2025-04-17", "NaT"], dtype="datetime64[D]")
    result = due_dates(received, [1, 1, 5], np.array([True, False, True]))
    assert result[:2].tolist() == [D(2025, 4, 22), D(2025, 4, 18)]
    assert np.isnat(result[2])
    with pytest.raises(ValueError, match="Onbekende eenheid"):
        due_dates(received, 1, np.array(["werkdagen", "uren", "werkdagen"]))


def test_calendar_extends_beyond_initial_years() -> None:
    calendar = WorkingCalendar(years=(2024, 2024))
    assert not calendar.is_working_day(D(2090, 12, 25))
    assert calendar.due_date(D(2089, 12, 22), DeadlineRule(3, "werkdagen")) == D(2089, 12, 28)


@given(received=dates, days=day_counts)
def test_working_day_due_date_is_never_weekend_or_holiday(received: dt.date, days: int) -> None:
    due = due_date(received, DeadlineRule(days, "werkdagen"))
    assert due.weekday() < 5
    assert due not in default_calendar().holidays
    assert due >= received
    if days >= 1:
        assert due > received
        assert working_days_between(received, due) == days


@given(a=dates, b=dates)
def test_working_days_between_is_antisymmetric(a: dt.date, b: dt.date) -> None:
    forward = working_days_between(a, b)
    assert forward == -working_days_between(b, a)
    assert abs(forward) <= abs((b - a).days)


@given(received=dates, days=day_counts, unit=units)
def test_due_date_is_monotone_in_days(received: dt.date, days: int, unit: str) -> None:
    first = due_date(received, DeadlineRule(days, unit))
    later = due_date(received, DeadlineRule(days + 1, unit))
    assert first <= later
    if days >= 1:
        assert first < later


@given(received=dates, days=st.integers(min_value=0, max_value=5000))
def test_calendar_rule_is_plain_addition(received: dt.date, days: int) -> None:
    assert due_date(received, DeadlineRule(days)) == received + dt.timedelta(days=days)


@settings(max_examples=60)
@given(rows=st.lists(st.tuples(dates, day_counts, units), min_size=1, max_size=40), today=dates)
def test_vectorised_equals_scalar(rows: list[tuple[dt.date, int, str]], today: dt.date) -> None:
    received = np.array([r[0] for r in rows], dtype="datetime64[D]")
    days = np.array([r[1] for r in rows])
    unit = np.array([r[2] for r in rows])
    bulk = due_dates(received, days, unit)
    scalar = [due_date(r, DeadlineRule(n, u)) for r, n, u in rows]
    assert bulk.tolist() == scalar

    between = working_days_between_many(received, np.datetime64(today, "D"))
    assert between.tolist() == [working_days_between(r[0], today) for r in rows]

    for u in ("kalenderdagen", "werkdagen"):
        late = days_overdue_many(bulk, today, unit=u)
        assert late.tolist() == [days_overdue(d, today, unit=u) for d in scalar]
    assert overdue_mask(bulk, today).tolist() == [is_overdue(d, today) for d in scalar]


def test_bulk_million_rows_is_fast() -> None:
    import time

    rng = np.random.default_rng(7)
    received = np.datetime64("2015-01-01") + rng.integers(0, 3650, 1_000_000).astype("timedelta64[D]")
    days = rng.integers(0, 60, received.size)
    working = rng.random(received.size) < 0.5
    default_calendar().due_dates(received[:10], 60, "werkdagen")  # warm up the holiday table
    started = time.perf_counter()
    result = due_dates(received, days, working)
    elapsed = time.perf_counter() - started
    assert result.shape == received.shape
    assert elapsed < 5.0  # typically ~0.2 s; generous for a loaded CI machine


def test_a_calendar_loads_only_the_years_it_is_asked_about_with_the_same_answers() -> None:
    lazy = WorkingCalendar()
    eager = WorkingCalendar(years=(2000, 2045))
    received = np.array(["2024-12-20", "2025-04-17", "2030-12-24", "1999-12-30"], dtype="datetime64[D]")

    assert list(lazy.due_dates(received, 10, WORKING_DAYS)) == list(
        eager.due_dates(received, 10, WORKING_DAYS)
    )
    assert lazy.is_working_day(D(2025, 4, 21)) is False  # Tweede paasdag
    assert min(lazy.holidays).year >= 1998
    assert max(lazy.holidays).year <= 2032
