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
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl
from django.db import connection

from toezicht.risk.engine import RiskInput, RiskModel, vulnerability_from_groups

SIGNAL_ID_FACTOR = 16


def month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def signal_pk(engine_signal_id: int) -> int:
    return int(engine_signal_id) // SIGNAL_ID_FACTOR


def _frame(sql: str, schema: dict[str, Any], params: Sequence[Any] = ()) -> pl.DataFrame:
    """Run ``sql`` and return its rows as a polars frame with ``schema`` (column order = SELECT order)."""
    if connection.vendor == "postgresql" and not params:
        with connection.cursor() as cursor:
            buffer = io.BytesIO()
            raw = cursor.cursor
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    buffer.write(block)
        buffer.seek(0)
        if buffer.getbuffer().nbytes == 0:
            return pl.DataFrame(schema=schema)
        frame = pl.read_csv(buffer, has_header=False, new_columns=list(schema), schema_overrides=schema)
        return frame.cast(schema)  # type: ignore[arg-type]
    if connection.vendor == "sqlite":
        return _sqlite_frame(sql, schema, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=schema, orient="row")


def _sqlite_frame(sql: str, schema: dict[str, Any], params: Sequence[Any]) -> pl.DataFrame:
    """SQLite builds one CSV text in C (group_concat); polars parses it. Far fewer Python objects than
    ``fetchall`` (the values are integers, numbers and slugs: no commas or newlines)."""
    names = [f"c{i}" for i in range(len(schema))]
    line = " || ',' || ".join(f"IFNULL({name}, '')" for name in names)
    wrapped = f"WITH q({', '.join(names)}) AS ({sql}) SELECT group_concat({line}, char(10)) FROM q"
    with connection.cursor() as cursor:
        cursor.execute(wrapped, params)
        text = cursor.fetchone()[0]
    if not text:
        return pl.DataFrame(schema=schema)
    frame = pl.read_csv(
        io.StringIO(text), has_header=False, new_columns=list(schema), schema_overrides=schema
    )
    return frame.cast(schema)  # type: ignore[arg-type]


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
    base = _frame(
        f"SELECT s.id, s.organisation_id, s.severity_id, {_age_days('s.received_on', reference)}, "
        f"s.people_affected FROM {signal} s "
        f"WHERE {_no_index('s.organisation_id')} IS NOT NULL AND {_no_index('s.merged_into_id')} IS NULL "
        f"AND {_no_index('s.received_on')} <= {_date_literal(reference)}" + _ids_clause("s.id", exclude_ids),
        {
            "pk": pl.Int64,
            "org_id": pl.Int64,
            "severity": pl.Int64,
            "age_days": pl.Float64,
            "people_affected": pl.Float64,
        },
    ).with_columns(
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
    wanted: list[int] = []
    if only_ids is not None:
        wanted = sorted({int(i) for i in only_ids})
        if not wanted:
            wanted = [-1]
        id_list = ",".join(str(i) for i in wanted)
        restrict = (
            f" AND EXISTS (SELECT 1 FROM {observation} n WHERE n.id IN ({id_list}) "
            f"AND n.indicator_id = o.indicator_id AND n.period_start = o.period_start)"
        )
    frame = _frame(
        f"SELECT o.id, o.organisation_id, i.theme_id, o.indicator_id, {_month_expr('o.period_start')}, "
        f"o.value, i.direction FROM {observation} o JOIN {indicator} i ON i.id = o.indicator_id "
        f"WHERE i.theme_id IS NOT NULL AND o.period_start <= {_date_literal(reference)}" + restrict,
        {
            "observation_id": pl.Int64,
            "org_id": pl.Int64,
            "theme_id": pl.Int64,
            "indicator_id": pl.Int64,
            "period": pl.Int64,
            "value": pl.Float64,
            "direction": pl.String,
        },
    )
    breaches = _frame(
        f"SELECT DISTINCT observation_id FROM {_table('indicators.NormBreach')}", {"observation_id": pl.Int64}
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
    signals, signal_organisations, n_signals = load_signals(reference, exclude_signal_ids)
    observations = load_observations(reference, exclude_observation_ids)
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
