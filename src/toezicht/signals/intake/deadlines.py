"""Handling deadlines for signals: calendar days or working days, scalar and vectorised.

Working days are Monday to Friday minus Dutch public holidays. The holiday set comes from the ``holidays``
package (NL calendar) and is adjusted by a :class:`HolidayPolicy`, because two days are a policy choice
rather than a fact:

* **Goede Vrijdag** is in the NL calendar of ``holidays`` and is a day off under the collective agreement
  for central government, but not for every employer. Default: counted as a holiday (``good_friday=True``).
* **Bevrijdingsdag (5 mei)** is a public holiday every year by law, but many collective agreements only
  give the day off once every five years (2025, 2030, …). Default: ``LiberationDay.LUSTRUM`` (every five
  years, as in the ``holidays`` public calendar); ``ANNUAL`` and ``NEVER`` are available.

The other holidays are always included: Nieuwjaarsdag, Eerste/Tweede paasdag, Koningsdag (27 april, or 26
april when the 27th is a Sunday), Hemelvaartsdag, Eerste/Tweede pinksterdag, Eerste/Tweede kerstdag.
Extra closing days (e.g. a bridge day) and forced working days can be added per policy.

Counting convention: the day of receipt never counts. ``n`` working days after a receipt is the n-th
working day strictly after the receipt date, so a signal received on Friday with a rule of 1 working day
is due on Monday, also when it was received on Saturday. A rule of 0 working days is due on the receipt
date itself, or on the next working day when that is not a working day. Calendar-day rules are plain
date addition (no extension when the due date falls in a weekend).

The vectorised functions take numpy ``datetime64[D]`` arrays (or anything ``np.asarray`` turns into
one) and use ``np.busday_offset`` / ``np.busday_count`` with a holiday array, so a million rows take
milliseconds.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final, Literal, TypeAlias

import holidays as holidays_lib
import numpy as np
import numpy.typing as npt

__all__ = [
    "CALENDAR_DAYS",
    "DEFAULT_RULES",
    "SOURCE_TYPE_LABELS",
    "WORKING_DAYS",
    "DeadlineRule",
    "HolidayPolicy",
    "LiberationDay",
    "Unit",
    "WorkingCalendar",
    "days_overdue",
    "days_overdue_many",
    "default_calendar",
    "due_date",
    "due_dates",
    "is_overdue",
    "is_working_day",
    "overdue_mask",
    "rule_for_source",
    "rules_to_arrays",
    "working_days_between",
    "working_days_between_many",
]

Unit: TypeAlias = Literal["kalenderdagen", "werkdagen"]
CALENDAR_DAYS: Final = "kalenderdagen"
WORKING_DAYS: Final = "werkdagen"
_UNITS: Final = (CALENDAR_DAYS, WORKING_DAYS)

DateArray: TypeAlias = npt.NDArray[np.datetime64]
DateLike: TypeAlias = "dt.date | np.datetime64 | str"
ArrayLikeDates: TypeAlias = "DateArray | Sequence[dt.date] | Sequence[np.datetime64] | Sequence[str]"

# Library support range of the NL calendar; outside it only weekends count as days off.
_FIRST_SUPPORTED_YEAR: Final = 1966
_LAST_SUPPORTED_YEAR: Final = 2100


class LiberationDay(StrEnum):
    """How Bevrijdingsdag (5 May) counts as a day off."""

    NEVER = "nooit"
    LUSTRUM = "lustrum"  # every five years: 2025, 2030, ...
    ANNUAL = "jaarlijks"


@dataclass(frozen=True, slots=True)
class HolidayPolicy:
    """Which days besides Saturday and Sunday are not working days. Hashable, so calendars are cached."""

    good_friday: bool = True
    liberation_day: LiberationDay = LiberationDay.LUSTRUM
    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)
    forced_working_days: frozenset[dt.date] = field(default_factory=frozenset)

    def holidays_for_year(self, year: int) -> dict[dt.date, str]:
        """Holidays (date -> Dutch name) of one year under this policy, including those in a weekend."""
        result: dict[dt.date, str] = {}
        good_friday = _easter_sunday(year) - dt.timedelta(days=2)
        liberation = dt.date(year, 5, 5)
        if _FIRST_SUPPORTED_YEAR <= year <= _LAST_SUPPORTED_YEAR:
            calendar = holidays_lib.country_holidays("NL", years=year, language="nl")
            for day, name in calendar.items():
                # The two policy days are decided below, whatever this version of the library does.
                if day in (good_friday, liberation):
                    continue
                result[day] = str(name)
        if self.good_friday:
            result[good_friday] = "Goede Vrijdag"
        if self.liberation_day is LiberationDay.ANNUAL or (
            self.liberation_day is LiberationDay.LUSTRUM and year % 5 == 0
        ):
            result[liberation] = "Bevrijdingsdag"
        for day in self.extra_days_off:
            if day.year == year:
                result.setdefault(day, "Extra vrije dag")
        for day in self.forced_working_days:
            result.pop(day, None)
        return result


def _easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """A handling deadline: ``days`` calendar days or working days after receipt."""

    days: int
    unit: Unit = CALENDAR_DAYS

    def __post_init__(self) -> None:
        if isinstance(self.days, bool) or not isinstance(self.days, int | np.integer):
            raise TypeError("Het aantal dagen van een termijn moet een geheel getal zijn.")
        if self.days < 0:
            raise ValueError("Het aantal dagen van een termijn kan niet negatief zijn.")
        if self.unit not in _UNITS:
            raise ValueError(
                f"Onbekende eenheid voor een termijn: {self.unit!r} (kalenderdagen of werkdagen)."
            )

    @property
    def working_days(self) -> bool:
        return self.unit == WORKING_DAYS

    @property
    def label(self) -> str:
        """Dutch label, e.g. '10 werkdagen', '1 kalenderdag'."""
        singular = {CALENDAR_DAYS: "kalenderdag", WORKING_DAYS: "werkdag"}[self.unit]
        return f"{self.days} {singular if self.days == 1 else self.unit}"

    def __str__(self) -> str:
        return self.label


# Default handling deadlines per source type. These are starting values for the intake desk's own policy,
# meant to be overridden from configuration; keys are stable identifiers, labels are Dutch.
SOURCE_TYPE_LABELS: Final[Mapping[str, str]] = {
    "incident_notification": "Verplichte incidentmelding",
    "calamity_notification": "Calamiteitenmelding",
    "citizen_complaint": "Klacht of melding van een burger",
    "media": "Media-bericht",
    "parliamentary_question": "Kamervragen",
    "own_observation": "Eigen waarneming",
    "third_party_report": "Melding van derden",
    "whistleblower": "Klokkenluidersmelding",
}

DEFAULT_RULES: Final[Mapping[str, DeadlineRule]] = {
    "incident_notification": DeadlineRule(10, WORKING_DAYS),
    "calamity_notification": DeadlineRule(3, WORKING_DAYS),
    "citizen_complaint": DeadlineRule(42, CALENDAR_DAYS),  # six weeks, as for complaints under the Awb
    "media": DeadlineRule(2, WORKING_DAYS),
    "parliamentary_question": DeadlineRule(21, CALENDAR_DAYS),  # three weeks
    "own_observation": DeadlineRule(20, WORKING_DAYS),
    "third_party_report": DeadlineRule(10, WORKING_DAYS),
    "whistleblower": DeadlineRule(7, CALENDAR_DAYS),  # acknowledgement of receipt within seven days
}


def rule_for_source(source: str, rules: Mapping[str, DeadlineRule] | None = None) -> DeadlineRule:
    """The deadline rule for a source type; raises ``ValueError`` (Dutch message) for an unknown type."""
    table = DEFAULT_RULES if rules is None else rules
    try:
        return table[source]
    except KeyError:
        raise ValueError(f"Geen behandeltermijn ingesteld voor brontype {source!r}.") from None


def _to_date(value: DateLike) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    return dt.date.fromisoformat(value)


def _to_day_array(values: ArrayLikeDates | DateLike) -> DateArray:
    if isinstance(values, dt.datetime):
        values = values.date()
    array = np.asarray(values)
    if array.dtype.kind == "O":
        array = np.asarray([_to_date(v) for v in array.ravel()], dtype="datetime64[D]").reshape(array.shape)
    return array.astype("datetime64[D]")


class WorkingCalendar:
    """Working days under a :class:`HolidayPolicy`; holidays are loaded per year on demand."""

    def __init__(self, policy: HolidayPolicy | None = None, years: tuple[int, int] | None = None) -> None:
        """`years`: load these years up front; otherwise every method loads the years it needs (building
        the holidays of 46 years took 0.2 s, a noticeable part of a small import in a fresh process)."""
        self.policy = policy if policy is not None else HolidayPolicy()
        self._lock = threading.Lock()
        self._holidays: dict[dt.date, str] = {}
        self._first_year = self._last_year = 0
        self._busdaycal: np.busdaycalendar = np.busdaycalendar()
        if years is not None:
            self._load_years(*years)

    # -- holiday bookkeeping -------------------------------------------------------------------------
    def _load_years(self, first: int, last: int) -> None:
        first = max(first, dt.MINYEAR)
        last = min(last, dt.MAXYEAR)
        with self._lock:
            if self._first_year and first >= self._first_year and last <= self._last_year:
                return
            if self._first_year:
                first = min(first, self._first_year)
                last = max(last, self._last_year)
            for year in range(first, last + 1):
                if not (self._first_year <= year <= self._last_year):
                    self._holidays.update(self.policy.holidays_for_year(year))
            days = sorted(day for day in self._holidays if day.weekday() < 5)
            self._busdaycal = np.busdaycalendar(
                weekmask="1111100", holidays=np.array(days, dtype="datetime64[D]")
            )
            self._first_year, self._last_year = first, last

    def _cover(self, dates: DateArray, max_days: int = 0) -> None:
        """Make sure holidays are loaded for the years of ``dates`` plus the span of ``max_days``."""
        if dates.size == 0:
            return
        valid = dates[~np.isnat(dates)]
        if valid.size == 0:
            return
        low = int(valid.min().astype("datetime64[Y]").astype(int)) + 1970
        high = int(valid.max().astype("datetime64[Y]").astype(int)) + 1970
        # 250 working days a year at least; one spare year on each side for rolling over New Year.
        low -= 1
        high += 1 + (max_days // 250 + 1 if max_days > 0 else 0)
        if low < self._first_year or high > self._last_year:
            self._load_years(low, high)

    @property
    def holidays(self) -> Mapping[dt.date, str]:
        """Loaded holidays (date -> Dutch name), including those falling in a weekend."""
        return dict(self._holidays)

    def holidays_in(self, year: int) -> list[tuple[dt.date, str]]:
        self._load_years(year, year)
        return sorted((day, name) for day, name in self._holidays.items() if day.year == year)

    # -- scalar API ------------------------------------------------------------------------------------
    def is_working_day(self, day: DateLike) -> bool:
        value = _to_date(day)
        self._cover(_to_day_array(value))
        return bool(np.is_busday(np.datetime64(value, "D"), busdaycal=self._busdaycal))

    def due_date(self, received: DateLike, rule: DeadlineRule) -> dt.date:
        start = _to_date(received)
        if not rule.working_days:
            return start + dt.timedelta(days=rule.days)
        result = self.due_dates(np.array([start], dtype="datetime64[D]"), rule.days, WORKING_DAYS)[0]
        return _to_date(result)

    def working_days_between(self, start: DateLike, end: DateLike) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

        ``working_days_between(received, due_date(received, DeadlineRule(n, 'werkdagen'))) == n`` for n >= 1.
        """
        a, b = _to_date(start), _to_date(end)
        return int(
            self.working_days_between_many(np.array([a], "datetime64[D]"), np.array([b], "datetime64[D]"))[0]
        )

    def days_overdue(
        self,
        due: DateLike,
        today: DateLike,
        closed: dt.date | bool | None = None,
        unit: Unit = CALENDAR_DAYS,
    ) -> int:
        """Days past the due date (0 when not overdue), measured at the closing date if the signal is closed.

        ``closed=True`` (closed, date unknown) gives 0.
        """
        if closed is True:
            return 0
        reference = _to_date(closed) if isinstance(closed, dt.date) else _to_date(today)
        due_day = _to_date(due)
        if reference <= due_day:
            return 0
        if unit == WORKING_DAYS:
            return max(0, self.working_days_between(due_day, reference))
        return (reference - due_day).days

    # -- vectorised API --------------------------------------------------------------------------------
    def due_dates(
        self,
        received: ArrayLikeDates,
        days: int | npt.ArrayLike,
        unit: Unit | npt.ArrayLike = CALENDAR_DAYS,
    ) -> DateArray:
        """Due dates for many signals; ``days`` and ``unit`` are scalars or arrays like ``received``.

        ``unit`` may be an array of unit strings or of booleans (True = working days). NaT stays NaT.
        """
        start = _to_day_array(received)
        offsets = np.broadcast_to(np.asarray(days, dtype=np.int64), start.shape)
        if offsets.size and offsets.min() < 0:
            raise ValueError("Het aantal dagen van een termijn kan niet negatief zijn.")
        working = np.broadcast_to(_unit_mask(unit), start.shape)
        result = start + offsets.astype("timedelta64[D]")
        if working.any():
            self._cover(start, int(offsets.max()) if offsets.size else 0)
            valid = working & ~np.isnat(start)
            s, o = start[valid], offsets[valid]
            forward = np.busday_offset(s, 0, roll="forward", busdaycal=self._busdaycal)
            # Rolling backward first makes the receipt day itself never count, also on a weekend.
            counted = np.busday_offset(s, o, roll="backward", busdaycal=self._busdaycal)
            result = result.copy()
            result[valid] = np.where(o == 0, forward, counted)
        return result

    def working_days_between_many(
        self, start: ArrayLikeDates | DateLike, end: ArrayLikeDates | DateLike
    ) -> npt.NDArray[np.int64]:
        a, b = _to_day_array(start), _to_day_array(end)
        a, b = np.broadcast_arrays(a, b)
        self._cover(np.concatenate([a.ravel(), b.ravel()]))
        one = np.timedelta64(1, "D")
        # numpy counts a reversed interval differently, so count (low, high] and apply the sign.
        low, high = np.minimum(a, b), np.maximum(a, b)
        count = np.busday_count(low + one, high + one, busdaycal=self._busdaycal).astype(np.int64)
        return np.where(b < a, -count, count)

    def days_overdue_many(
        self,
        due: ArrayLikeDates,
        today: DateLike,
        closed_on: ArrayLikeDates | None = None,
        unit: Unit | npt.ArrayLike = CALENDAR_DAYS,
    ) -> npt.NDArray[np.int64]:
        """Days overdue per signal (0 when on time); ``closed_on`` holds NaT for open signals."""
        due_days = _to_day_array(due)
        reference = np.broadcast_to(np.datetime64(_to_date(today), "D"), due_days.shape)
        if closed_on is not None:
            closed_days = np.broadcast_to(_to_day_array(closed_on), due_days.shape)
            reference = np.where(np.isnat(closed_days), reference, closed_days)
        calendar_days = (reference - due_days).astype(np.int64)
        working = np.broadcast_to(_unit_mask(unit), due_days.shape)
        result = calendar_days
        if working.any():
            valid = ~np.isnat(due_days)
            safe_due = np.where(valid, due_days, reference)
            result = np.where(working, self.working_days_between_many(safe_due, reference), calendar_days)
        result = np.where(np.isnat(due_days), 0, result)
        return np.maximum(result, 0).astype(np.int64)


def _unit_mask(unit: Unit | npt.ArrayLike) -> npt.NDArray[np.bool_]:
    array = np.asarray(unit)
    if array.dtype == np.bool_:
        return array
    if array.dtype.kind in "US" or array.dtype.kind == "O":
        unknown = ~np.isin(array, _UNITS)
        if unknown.any():
            raise ValueError("Onbekende eenheid voor een termijn (kalenderdagen of werkdagen).")
        return np.asarray(array == WORKING_DAYS)
    raise TypeError("De eenheid moet 'kalenderdagen', 'werkdagen' of een booleaanse reeks zijn.")


_calendars: dict[HolidayPolicy, WorkingCalendar] = {}
_calendars_lock = threading.Lock()


def default_calendar(policy: HolidayPolicy | None = None) -> WorkingCalendar:
    """A shared calendar per policy (building the holiday table is the only slow part)."""
    key = policy if policy is not None else HolidayPolicy()
    with _calendars_lock:
        calendar = _calendars.get(key)
        if calendar is None:
            calendar = _calendars[key] = WorkingCalendar(key)
        return calendar


# -- module-level conveniences on the default calendar ---------------------------------------------------
def is_working_day(day: DateLike, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or default_calendar()).is_working_day(day)


def due_date(received: DateLike, rule: DeadlineRule, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or default_calendar()).due_date(received, rule)


def working_days_between(start: DateLike, end: DateLike, calendar: WorkingCalendar | None = None) -> int:
    return (calendar or default_calendar()).working_days_between(start, end)


def is_overdue(due: DateLike | None, today: DateLike, closed: dt.date | bool | None = None) -> bool:
    """Open: overdue when today is after the due date. Closed on a date: when closed after the due date.

    ``closed=True`` (closed, date unknown) is never overdue; no due date is never overdue.
    """
    if due is None or closed is True:
        return False
    reference = _to_date(closed) if isinstance(closed, dt.date) else _to_date(today)
    return reference > _to_date(due)


def days_overdue(
    due: DateLike | None,
    today: DateLike,
    closed: dt.date | bool | None = None,
    unit: Unit = CALENDAR_DAYS,
    calendar: WorkingCalendar | None = None,
) -> int:
    if due is None:
        return 0
    return (calendar or default_calendar()).days_overdue(due, today, closed, unit)


def due_dates(
    received: ArrayLikeDates,
    days: int | npt.ArrayLike,
    unit: Unit | npt.ArrayLike = CALENDAR_DAYS,
    calendar: WorkingCalendar | None = None,
) -> DateArray:
    return (calendar or default_calendar()).due_dates(received, days, unit)


def working_days_between_many(
    start: ArrayLikeDates | DateLike, end: ArrayLikeDates | DateLike, calendar: WorkingCalendar | None = None
) -> npt.NDArray[np.int64]:
    return (calendar or default_calendar()).working_days_between_many(start, end)


def overdue_mask(
    due: ArrayLikeDates, today: DateLike, closed_on: ArrayLikeDates | None = None
) -> npt.NDArray[np.bool_]:
    """Vectorised :func:`is_overdue`; ``closed_on`` is NaT for open signals; NaT due dates are never late."""
    due_days = _to_day_array(due)
    reference = np.broadcast_to(np.datetime64(_to_date(today), "D"), due_days.shape)
    if closed_on is not None:
        closed_days = np.broadcast_to(_to_day_array(closed_on), due_days.shape)
        reference = np.where(np.isnat(closed_days), reference, closed_days)
    return np.asarray((reference > due_days) & ~np.isnat(due_days))


def days_overdue_many(
    due: ArrayLikeDates,
    today: DateLike,
    closed_on: ArrayLikeDates | None = None,
    unit: Unit | npt.ArrayLike = CALENDAR_DAYS,
    calendar: WorkingCalendar | None = None,
) -> npt.NDArray[np.int64]:
    return (calendar or default_calendar()).days_overdue_many(due, today, closed_on, unit)


def rules_to_arrays(
    sources: Iterable[str], rules: Mapping[str, DeadlineRule] | None = None
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """(days, working-day mask) arrays for a sequence of source types, ready for :func:`due_dates`."""
    table = DEFAULT_RULES if rules is None else rules
    days: list[int] = []
    working: list[bool] = []
    for source in sources:
        rule = rule_for_source(source, table)
        days.append(rule.days)
        working.append(rule.working_days)
    return np.asarray(days, dtype=np.int64), np.asarray(working, dtype=np.bool_)
