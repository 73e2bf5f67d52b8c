"""Database → engine frames, fast: raw SQL rows straight into polars, never model instances.

Mapping of the sources onto the engine's column contracts (see ``engine/data.py``):

* organisations: every organisation in the register; ``vulnerability`` from the model version's
  ``type_groups`` (organisation type → shares of vulnerable groups); people served and the date of the last
  investigation are not in the register yet (0 and "never").
* signals: signals with an organisation, not merged into another signal, received on or before the
  reference date; severity = ``SeverityLevel.rank``; ``vulnerable`` = at least one vulnerable group. A
  signal with several themes counts for each of them (engine id ``pk * SIGNAL_ID_FACTOR + k``); a signal
  without a theme concerns the whole organisation. Related organisations feed the chain signal load.
* observations: observations of indicators with a theme, period = month number (year * 12 + month - 1);
  ``pressure`` = the observation's position among all organisations for that indicator and period
  ((rank - 0.5) / n, "hoger is slechter" or the reverse), ``breach`` = a NormBreach exists.
* judgements: none yet (a later capability); an empty frame.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import polars as pl
from django.db import connection, connections

from toezicht.risk.engine import RiskInput, RiskModel, vulnerability_from_groups

SIGNAL_ID_FACTOR = 16


def month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def signal_pk(engine_signal_id: int) -> int:
    return int(engine_signal_id) // SIGNAL_ID_FACTOR


def _frame(sql: str, schema: dict[str, Any], params: Sequence[Any] = ()) -> pl.DataFrame:
    """Run ``sql`` and return its rows as a polars frame with ``schema`` (column order = SELECT order)."""
    if connection.vendor == "postgresql":
        return _postgres_frame(sql, schema, params)
    if connection.vendor == "sqlite":
        return _sqlite_frame(sql, schema, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


_NULL_INT = -(2**63)  # stands for NULL in an integer column (no id or count is this small)
_STRING_SEPARATOR = chr(31)  # ASCII unit separator: not in slugs and codes


def _postgres_frame(sql: str, schema: dict[str, Any], params: Sequence[Any]) -> pl.DataFrame:
    """PostgreSQL hands over each column as one value: the binary form of every number concatenated
    (``string_agg(int8send(...))``), read by numpy without a Python object per row. ``COPY ... TO STDOUT``
    would be handed over by psycopg one row (one Python call) at a time; a text result would be printed
    and parsed again. All aggregates of one query see the rows in the same order. Float NULLs become NaN
    and then null (the database holds no NaN in these columns)."""
    names = [f"c{i}" for i in range(len(schema))]
    parts = []
    for name, dtype in zip(names, schema.values(), strict=True):
        if dtype == pl.Float64:
            parts.append(f"string_agg(float8send(coalesce({name}::float8, 'NaN')), '')")
        elif dtype == pl.String:
            parts.append(f"string_agg(coalesce({name}::text, ''), chr(31))")
        elif dtype == pl.Boolean:
            parts.append(f"string_agg(int8send(coalesce({name}::int, 0)::int8), '')")
        else:
            parts.append(f"string_agg(int8send(coalesce({name}::int8, {_NULL_INT})), '')")
    wrapped = f"SELECT {', '.join(parts)} FROM ({sql}) AS q({', '.join(names)})"
    import psycopg  # only on PostgreSQL

    connection.ensure_connection()
    # Django's client-side cursors cannot ask for binary results; a plain psycopg cursor on the same
    # connection (so the same transaction) can.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(wrapped, list(params) or None, binary=True)
        values = cursor.fetchone()
    if values is None or values[0] is None:
        return pl.DataFrame(schema=schema)
    columns = []
    for (name, dtype), value in zip(schema.items(), values, strict=True):
        if dtype == pl.String:
            columns.append(pl.Series(name, str(value).split(_STRING_SEPARATOR), dtype=pl.String))
        elif dtype == pl.Float64:
            array = np.frombuffer(value, dtype=">f8").astype(np.float64)
            columns.append(pl.Series(name, array, nan_to_null=True))
        else:
            array = np.frombuffer(value, dtype=">i8").astype(np.int64)
            series = pl.Series(name, array)
            nulls = np.flatnonzero(array == _NULL_INT)
            if len(nulls):
                series = series.scatter(nulls, None)
            columns.append(series.cast(dtype))
    return pl.DataFrame(columns)


def _sqlite_frame(sql: str, schema: dict[str, Any], params: Sequence[Any]) -> pl.DataFrame:
    """SQLite joins each column into one text in C (``group_concat``, one pass over the rows) and polars
    splits and parses it: no Python object per row, and about half the work of building one CSV line
    per row. NULL becomes an empty item and then null."""
    names = [f"c{i}" for i in range(len(schema))]
    parts = ", ".join(f"group_concat(IFNULL({name}, ''), char(31))" for name in names)
    wrapped = f"WITH q({', '.join(names)}) AS ({sql}) SELECT {parts} FROM q"
    with connection.cursor() as cursor:
        cursor.execute(wrapped, list(params) or None)
        values = cursor.fetchone()
    if values is None or values[0] is None:
        return pl.DataFrame(schema=schema)
    columns = []
    for (name, dtype), value in zip(schema.items(), values, strict=True):
        items = pl.Series(name, [str(value)]).str.split(_STRING_SEPARATOR).explode()
        items = pl.select(pl.when(items != "").then(items)).to_series().alias(name)
        if dtype == pl.String:
            columns.append(items)
        elif dtype == pl.Float64:
            columns.append(items.cast(pl.Float64))
        else:
            columns.append(items.cast(pl.Int64).cast(dtype))
    return pl.DataFrame(columns)


def _table(app_model: str) -> str:
    from django.apps import apps

    app_label, model_name = app_model.split(".")
    return str(apps.get_model(app_label, model_name)._meta.db_table)


def _m2m(app_model: str, field: str) -> str:
    from django.apps import apps

    app_label, model_name = app_model.split(".")
    model = apps.get_model(app_label, model_name)
    return str(model._meta.get_field(field).remote_field.through._meta.db_table)


def _date_literal(day: datetime.date) -> str:
    return f"'{day.isoformat()}'"  # a date object: no user text reaches the SQL


def _age_days(column: str, reference: datetime.date) -> str:
    if connection.vendor == "postgresql":
        return f"(DATE {_date_literal(reference)} - {column})::float8"
    return f"(julianday({_date_literal(reference)}) - julianday({column}))"


def _month_expr(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"(EXTRACT(YEAR FROM {column})::int * 12 + EXTRACT(MONTH FROM {column})::int - 1)"
    return f"(CAST(strftime('%Y', {column}) AS INTEGER) * 12 + CAST(strftime('%m', {column}) AS INTEGER) - 1)"


def _as_date(value: Any) -> datetime.date:
    """A DATE column's value (SQLite returns its ISO text through a raw cursor)."""
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _ids_clause(column: str, ids: Iterable[int]) -> str:
    cleaned = sorted({int(i) for i in ids})
    if not cleaned:
        return ""
    return f" AND {column} NOT IN ({','.join(str(i) for i in cleaned)})"


@dataclass(frozen=True)
class Loaded:
    risk_input: RiskInput
    n_signals: int  # database signals (not engine rows)
    n_observations: int
    max_signal_id: int
    max_observation_id: int


def load_organisations(
    model: RiskModel, type_groups: dict[str, Any], type_people: dict[str, Any] | None = None
) -> pl.DataFrame:
    frame = _frame(
        f"SELECT o.id, t.code FROM {_table('register.Organisation')} o "
        f"JOIN {_table('register.OrganisationType')} t ON t.id = o.type_id",
        {"org_id": pl.Int64, "type_code": pl.String},
    )
    known = set((model.impact.group_weights or {}).keys())
    vulnerability = {
        str(code): vulnerability_from_groups(
            model, {g: float(s) for g, s in dict(shares).items() if g in known}
        )
        for code, shares in (type_groups or {}).items()
        if isinstance(shares, dict)
    }
    people = {
        str(code): float(value)
        for code, value in (type_people or {}).items()
        if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0
    }
    return frame.with_columns(
        pl.col("type_code")
        .replace_strict(vulnerability, default=0.0, return_dtype=pl.Float64)
        .alias("vulnerability"),
        pl.col("type_code")
        .replace_strict(people, default=0.0, return_dtype=pl.Float64)
        .alias("people_served"),
        pl.lit(None, dtype=pl.Float64).alias("years_since_investigation"),
    ).drop("type_code")


def _no_index(column: str) -> str:
    """On SQLite a unary plus keeps the planner from walking an index and then the table row by row:
    for (almost) every row a plain table scan is much faster."""
    return f"+{column}" if connection.vendor == "sqlite" else column


def load_signals(
    reference: datetime.date, exclude_ids: Iterable[int] = ()
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """(signals, signal_organisations, number of database signals) in the engine's layout."""
    signal = _table("signals.Signal")
    severity_rank = dict(
        _frame(
            f"SELECT id, rank FROM {_table('signals.SeverityLevel')}", {"id": pl.Int64, "rank": pl.Int64}
        ).iter_rows()
    )
    # SQLite hands over the date as its ISO text and polars computes the age: julianday() twice per row
    # was a fifth of SQLite's work for this query (same whole days).
    as_text = connection.vendor == "sqlite"
    base = _frame(
        f"SELECT s.id, s.organisation_id, s.severity_id, "
        f"{'s.received_on' if as_text else _age_days('s.received_on', reference)}, "
        f"s.people_affected FROM {signal} s "
        f"WHERE {_no_index('s.organisation_id')} IS NOT NULL AND {_no_index('s.merged_into_id')} IS NULL "
        f"AND {_no_index('s.received_on')} <= {_date_literal(reference)}" + _ids_clause("s.id", exclude_ids),
        {
            "pk": pl.Int64,
            "org_id": pl.Int64,
            "severity": pl.Int64,
            "age_days": pl.String if as_text else pl.Float64,
            "people_affected": pl.Float64,
        },
    )
    if as_text:
        base = base.with_columns(
            (pl.lit(reference) - pl.col("age_days").str.to_date("%Y-%m-%d"))
            .dt.total_days()
            .cast(pl.Float64)
            .alias("age_days")
        )
    base = base.with_columns(
        pl.col("severity").replace_strict(severity_rank, return_dtype=pl.Int64),
        pl.col("people_affected").fill_null(0.0),
    )
    themes = _frame(
        f"SELECT signal_id, theme_id FROM {_m2m('signals.Signal', 'themes')}",
        {"pk": pl.Int64, "theme_id": pl.Int64},
    )
    vulnerable = _frame(
        f"SELECT DISTINCT signal_id FROM {_m2m('signals.Signal', 'vulnerable_groups')}",
        {"pk": pl.Int64},
    )
    related = _frame(
        f"SELECT signal_id, organisation_id FROM {_m2m('signals.Signal', 'related_organisations')}",
        {"pk": pl.Int64, "org_id": pl.Int64},
    )
    base = base.sort("pk")
    base_pk = base["pk"].to_numpy()
    themes = themes.sort(["pk", "theme_id"])
    t_pk = themes["pk"].to_numpy()
    t_theme = themes["theme_id"].to_numpy()
    # k = position of the theme within its signal (numpy on sorted keys: no window functions)
    index = np.arange(len(t_pk), dtype=np.int64)
    first = np.ones(len(t_pk), dtype=bool)
    first[1:] = t_pk[1:] != t_pk[:-1]
    k = index - np.maximum.accumulate(np.where(first, index, 0)) if len(t_pk) else index
    pos = np.minimum(np.searchsorted(base_pk, t_pk), max(len(base_pk) - 1, 0))
    keep = (base_pk[pos] == t_pk) & (k < SIGNAL_ID_FACTOR) if len(base_pk) else np.zeros(len(t_pk), bool)
    has_theme = np.zeros(len(base_pk), dtype=bool)
    has_theme[pos[keep]] = True
    vulnerable_flag = np.isin(base_pk, vulnerable["pk"].to_numpy())
    with_theme = base[pos[keep]].with_columns(
        pl.Series("theme_id", t_theme[keep], dtype=pl.Int64),
        pl.Series("k", k[keep], dtype=pl.Int64),
        pl.Series("vulnerable", vulnerable_flag[pos[keep]], dtype=pl.Boolean),
    )
    without = base.filter(pl.Series(~has_theme)).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("theme_id"),
        pl.lit(0, dtype=pl.Int64).alias("k"),
        pl.Series("vulnerable", vulnerable_flag[~has_theme], dtype=pl.Boolean),
    )
    signals = (
        pl.concat([with_theme, without])
        .with_columns((pl.col("pk") * SIGNAL_ID_FACTOR + pl.col("k")).alias("signal_id"))
        .sort("signal_id")
        .select("signal_id", "org_id", "theme_id", "severity", "age_days", "people_affected", "vulnerable")
    )
    signal_organisations = related.join(base.select("pk"), on="pk", how="semi").select(
        (pl.col("pk") * SIGNAL_ID_FACTOR).alias("signal_id"), "org_id"
    )
    return signals, signal_organisations, base.height


def add_pressure(frame: pl.DataFrame) -> pl.DataFrame:
    """Pressure 0..1 = position among all organisations for the same indicator and period."""
    worse_high = pl.col("direction") == "hoger_slechter"
    ranked = pl.when(worse_high).then(pl.col("value")).otherwise(-pl.col("value"))
    return frame.with_columns(
        (
            (ranked.rank("average").over("indicator_id", "period") - 0.5)
            / pl.len().over("indicator_id", "period")
        )
        .clip(0.0, 1.0)
        .alias("pressure")
    )


def load_observations(
    reference: datetime.date, exclude_ids: Iterable[int] = (), only_ids: Iterable[int] | None = None
) -> pl.DataFrame:
    """Observations in the engine layout; with ``only_ids`` just those (their pressure still relative to
    every organisation's observation of the same indicator and period)."""
    observation = _table("indicators.Observation")
    indicator = _table("indicators.Indicator")
    restrict = ""
    breach_restrict = ""
    wanted: list[int] = []
    if only_ids is not None:
        wanted = sorted({int(i) for i in only_ids})
        if not wanted:
            wanted = [-1]
        id_list = ",".join(str(i) for i in wanted)
        # First the (indicator, period) pairs of these observations, then only their peers (through the
        # index that starts with the indicator): not a correlated subquery over every observation.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT indicator_id, period_start FROM {observation} WHERE id IN ({id_list})"
            )
            pairs = cursor.fetchall()
        peers = " OR ".join(
            f"(o.indicator_id = {int(indicator_id)} AND o.period_start = "
            f"{_date_literal(_as_date(period_start))})"
            for indicator_id, period_start in pairs
        )
        restrict = f" AND ({peers or '1 = 0'})"
        breach_restrict = f" WHERE observation_id IN ({id_list})"
    as_text = connection.vendor == "sqlite"  # the month number from the ISO text in polars (see signals)
    frame = _frame(
        f"SELECT o.id, o.organisation_id, i.theme_id, o.indicator_id, "
        f"{'o.period_start' if as_text else _month_expr('o.period_start')}, "
        f"o.value, i.direction FROM {observation} o JOIN {indicator} i ON i.id = o.indicator_id "
        f"WHERE i.theme_id IS NOT NULL AND o.period_start <= {_date_literal(reference)}" + restrict,
        {
            "observation_id": pl.Int64,
            "org_id": pl.Int64,
            "theme_id": pl.Int64,
            "indicator_id": pl.Int64,
            "period": pl.String if as_text else pl.Int64,
            "value": pl.Float64,
            "direction": pl.String,
        },
    )
    if as_text:
        day = pl.col("period").str.to_date("%Y-%m-%d")
        frame = frame.with_columns(
            (day.dt.year().cast(pl.Int64) * 12 + day.dt.month().cast(pl.Int64) - 1).alias("period")
        )
    breaches = _frame(
        f"SELECT DISTINCT observation_id FROM {_table('indicators.NormBreach')}{breach_restrict}",
        {"observation_id": pl.Int64},
    )
    frame = add_pressure(frame).with_columns(
        pl.col("observation_id").is_in(breaches["observation_id"].implode()).alias("breach")
    )
    if only_ids is not None:
        frame = frame.filter(pl.col("observation_id").is_in(wanted))
    excluded = sorted({int(i) for i in exclude_ids})
    if excluded:
        frame = frame.filter(~pl.col("observation_id").is_in(excluded))
    return frame.sort("observation_id").drop("value", "direction")


A = TypeVar("A")
B = TypeVar("B")


def _side_by_side(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """``first()`` here and ``second()`` in a thread with its own database connection: the database
    works on the signals while this process parses the observations (or the other way round), using a
    second core. Inside a transaction the other connection would not see its data: one after the other."""
    if connection.in_atomic_block or connection.vendor not in ("sqlite", "postgresql"):
        return first(), second()
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = second()
        except BaseException as exc:  # handed to the caller below
            outcome["error"] = exc
        finally:
            connections.close_all()  # this thread's connection only

    worker = threading.Thread(target=run, name="risk-load", daemon=True)
    worker.start()
    try:
        value = first()
    finally:
        worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return value, outcome["value"]


def load_input(
    model: RiskModel,
    type_groups: dict[str, Any],
    reference: datetime.date,
    *,
    type_people: dict[str, Any] | None = None,
    exclude_signal_ids: Iterable[int] = (),
    exclude_observation_ids: Iterable[int] = (),
) -> Loaded:
    organisations = load_organisations(model, type_groups, type_people)
    theme_ids = _frame(f"SELECT id FROM {_table('strategy.Theme')}", {"id": pl.Int64})["id"].to_numpy()
    (signals, signal_organisations, n_signals), observations = _side_by_side(
        lambda: load_signals(reference, exclude_signal_ids),
        lambda: load_observations(reference, exclude_observation_ids),
    )
    org_chains = _frame(
        f"SELECT organisation_id, chain_id FROM {_table('register.ChainMembership')}",
        {"org_id": pl.Int64, "chain_id": pl.Int64},
    )
    org_areas = _frame(
        f"SELECT organisation_id, supervisionarea_id FROM {_m2m('register.Organisation', 'areas')}",
        {"org_id": pl.Int64, "area_id": pl.Int64},
    )
    theme_goals = _frame(
        f"SELECT theme_id, goal_id FROM {_m2m('strategy.Theme', 'goals')}",
        {"theme_id": pl.Int64, "goal_id": pl.Int64},
    )
    risk_input = RiskInput(
        organisations=organisations,
        theme_ids=theme_ids,
        signals=signals,
        observations=observations,
        judgements=None,
        signal_organisations=signal_organisations,
        org_chains=org_chains,
        org_areas=org_areas,
        theme_goals=theme_goals,
        reference_date=reference,
        reference_period=month_number(reference),
    )
    max_signal = signals["signal_id"].max() if signals.height else None
    max_observation = observations["observation_id"].max() if observations.height else None
    return Loaded(
        risk_input,
        n_signals=n_signals,
        n_observations=observations.height,
        max_signal_id=signal_pk(int(max_signal)) if max_signal is not None else 0,  # type: ignore[arg-type]
        max_observation_id=int(max_observation) if max_observation is not None else 0,  # type: ignore[arg-type]
    )
