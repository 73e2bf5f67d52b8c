"""Writes of the risk app: model versions, snapshots (full and incremental), overrides.

A snapshot is first recorded as ``bezig``; its rows are written in one transaction that flips the status
to ``gereed`` last, so readers (who only look at complete snapshots) never see half a snapshot. A failed
run leaves the snapshot as ``mislukt`` without rows.
"""

from __future__ import annotations

import datetime
import io
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from toezicht.core.database import refresh_statistics
from toezicht.core.workflow import TransitionTable
from toezicht.risk import loading
from toezicht.risk.engine import (
    CRITERIA,
    NewObservation,
    NewSignal,
    RiskInputError,
    RiskModel,
    RiskModelError,
    RiskResult,
    add_observation,
    add_signal,
    compute,
    validate_model_dict,
)
from toezicht.risk.engine.retention import StoredSnapshot, snapshots_to_prune
from toezicht.risk.models import (
    AggregateKind,
    ModelStatus,
    RiskAggregate,
    RiskModelVersion,
    RiskModelVersionEvent,
    RiskOverride,
    RiskScore,
    RiskSnapshot,
    SnapshotStatus,
    SnapshotTrigger,
)

logger = logging.getLogger(__name__)


class RiskError(Exception):
    """A user-facing failure with a Dutch message."""


# -- model versions ----------------------------------------------------------------------------------
TRANSITIONS = TransitionTable(
    {
        # Marked only: the page translates the label (like signals/workflow.py).
        (ModelStatus.CONCEPT, ModelStatus.ACTIVE): gettext_noop("Activeren"),
        (ModelStatus.CONCEPT, ModelStatus.RETIRED): gettext_noop("Buiten gebruik stellen"),
        (ModelStatus.ACTIVE, ModelStatus.RETIRED): gettext_noop("Buiten gebruik stellen"),
    }
)


def model_version_create(
    *,
    name: str,
    config: dict[str, Any],
    by: Any = None,
    description: str = "",
    type_groups: dict[str, Any] | None = None,
    type_people: dict[str, Any] | None = None,
) -> RiskModelVersion:
    """A new concept version; the configuration is validated by the engine (Dutch messages)."""
    if not isinstance(config, dict):
        raise ValidationError({"config": [_("De instellingen van het model moeten een object zijn.")]})
    with transaction.atomic():
        last = RiskModelVersion.objects.select_for_update().order_by("-number").first()
        number = (last.number if last else 0) + 1
        config = {**config, "version": number, "name": name}
        messages = validate_model_dict(config)
        if messages:
            raise ValidationError({"config": messages})
        if type_groups is None:
            type_groups = dict(last.type_groups) if last else {}
        if type_people is None:
            type_people = dict(last.type_people) if last else {}
        version = RiskModelVersion.objects.create(
            number=number,
            name=name,
            description=description,
            config=config,
            type_groups=type_groups,
            type_people=type_people,
            created_by=by if getattr(by, "pk", None) else None,
        )
        RiskModelVersionEvent.objects.create(
            version=version, to_status=ModelStatus.CONCEPT, by=version.created_by, note="aangemaakt"
        )
    return version


def model_version_transition(*, version: RiskModelVersion, to: str, by: Any = None, note: str = "") -> None:
    """Change the status through :data:`TRANSITIONS`; activating retires the previously active version."""
    with transaction.atomic():
        version = RiskModelVersion.objects.select_for_update().get(pk=version.pk)
        if not TRANSITIONS.is_allowed(version.status, to):
            raise ValidationError(
                _("Een modelversie met status '%(current)s' kan niet naar '%(target)s'.")
                % {"current": version.get_status_display(), "target": ModelStatus(to).label}
            )
        user = by if getattr(by, "pk", None) else None
        if to == ModelStatus.ACTIVE:
            for other in RiskModelVersion.objects.select_for_update().filter(status=ModelStatus.ACTIVE):
                other.status = ModelStatus.RETIRED
                other.save(update_fields=["status"])
                RiskModelVersionEvent.objects.create(
                    version=other,
                    from_status=ModelStatus.ACTIVE,
                    to_status=ModelStatus.RETIRED,
                    by=user,
                    note=f"vervangen door versie {version.number}",
                )
            version.activated_at = timezone.now()
        RiskModelVersionEvent.objects.create(
            version=version, from_status=version.status, to_status=to, by=user, note=note
        )
        version.status = to
        version.save(update_fields=["status", "activated_at"])


def active_version() -> RiskModelVersion:
    version = RiskModelVersion.objects.filter(status=ModelStatus.ACTIVE).first()
    if version is None:
        raise RiskError(_("Er is geen actief risicomodel. Activeer eerst een modelversie."))
    return version


# -- result cache (per process) ----------------------------------------------------------------------
@dataclass
class _Cached:
    snapshot_id: int
    updates: int
    result: RiskResult


_CACHE: dict[str, _Cached] = {}
_LOCK = threading.Lock()


def _remember(snapshot: RiskSnapshot, result: RiskResult) -> None:
    _CACHE["latest"] = _Cached(snapshot.pk, snapshot.incremental_updates, result)


def clear_cache() -> None:
    _CACHE.clear()


# -- storing rows ------------------------------------------------------------------------------------
SCORE_FIELDS = (
    "snapshot_id",
    "organisation_id",
    "theme_id",
    "score",
    "likelihood",
    "impact",
    "cell",
    "colour",
    "likelihood_band",
    "impact_band",
    "contributions",
    "evidence",
)


def score_rows(result: RiskResult, snapshot_id: int, keys: pl.DataFrame | None = None) -> pl.DataFrame:
    """Frame with the RiskScore columns: non-zero (org, theme) scores plus one total per organisation.

    ``keys`` (org_id) limits the rows to those organisations (for incremental updates).
    """
    scores = result.scores
    if keys is not None:
        # the scores hold one row per (organisation position, theme position): take the few directly
        n_themes = len(result.state.themes)
        positions = result.state.orgs.lookup(keys["org_id"].unique().sort().to_numpy(), "organisaties")
        rows = (positions[:, None] * n_themes + np.arange(n_themes, dtype=np.int64)[None, :]).ravel()
        scores = scores[rows]
    contribution = pl.struct(
        *(pl.col(f"contribution_{c}").round(5).alias(c) for c in CRITERIA),
        *(pl.col(f"value_{c}").round(4).alias(f"value_{c}") for c in CRITERIA),
    ).struct.json_encode()
    total = (
        scores.sort(["org_id", "score", "theme_id"], descending=[False, True, False])
        .group_by("org_id", maintain_order=True)
        .first()
    )
    specific = scores.filter(pl.col("score") > 0)
    if keys is None:
        sig, obs = result.signal_evidence, result.observation_evidence
    else:
        sig, obs = _evidence_for_orgs(result, keys["org_id"].unique().to_numpy())
    wanted = pl.concat([specific.select("org_id", "theme_id"), total.select("org_id", "theme_id")]).unique()
    sig = sig.join(wanted, on=["org_id", "theme_id"], how="semi")
    obs = obs.join(wanted, on=["org_id", "theme_id"], how="semi")
    sig_lists = (
        sig.sort(["org_id", "theme_id", "rank"])
        .group_by("org_id", "theme_id", maintain_order=True)
        .agg(
            pl.concat_list(
                (pl.col("signal_id") // loading.SIGNAL_ID_FACTOR).cast(pl.Float64),
                pl.col("weight").round(6),
                pl.col("severity").cast(pl.Float64),
                pl.col("age_days").round(1),
            ).alias("s")
        )
    )
    obs_lists = (
        obs.sort(["org_id", "theme_id", "rank"])
        .group_by("org_id", "theme_id", maintain_order=True)
        .agg(
            pl.concat_list(
                pl.col("observation_id").cast(pl.Float64),
                pl.col("weight").round(6),
                pl.col("indicator_id").cast(pl.Float64),
                pl.col("period").cast(pl.Float64),
                pl.col("breach").cast(pl.Float64),
                pl.col("pressure").round(4),
            ).alias("o")
        )
    )

    def build(frame: pl.DataFrame, total_rows: bool) -> pl.DataFrame:
        frame = frame.join(sig_lists, on=["org_id", "theme_id"], how="left").join(
            obs_lists, on=["org_id", "theme_id"], how="left"
        )
        evidence_fields = [
            pl.col("s").fill_null(pl.lit([], dtype=pl.List(pl.List(pl.Float64)))),
            pl.col("o").fill_null(pl.lit([], dtype=pl.List(pl.List(pl.Float64)))),
        ]
        if total_rows:
            evidence_fields.append(pl.col("theme_id").alias("theme"))
        return frame.select(
            pl.lit(snapshot_id, dtype=pl.Int64).alias("snapshot_id"),
            pl.col("org_id").alias("organisation_id"),
            (pl.lit(None, dtype=pl.Int64) if total_rows else pl.col("theme_id")).alias("theme_id"),
            pl.col("score").round(6),
            pl.col("likelihood").round(6),
            pl.col("impact").round(6),
            pl.col("class_label").alias("cell"),
            pl.col("class_colour").alias("colour"),
            pl.col("likelihood_band"),
            pl.col("impact_band"),
            contribution.alias("contributions"),
            pl.struct(*evidence_fields).struct.json_encode().alias("evidence"),
        )

    return pl.concat([build(specific, False), build(total, True)])


def _evidence_for_orgs(result: RiskResult, org_ids: Any) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The evidence frames (as ``RiskResult.signal_evidence``/``observation_evidence``) for a few
    organisations only, read straight from the engine state (an incremental update stays cheap)."""
    state = result.state
    n_themes = len(state.themes)
    positions = state.orgs.lookup(np.asarray(org_ids, dtype=np.int64), "organisaties")
    rows = (positions[:, None] * n_themes + np.arange(n_themes, dtype=np.int64)[None, :]).ravel()

    def frame(weight: Any, columns: dict[str, Any]) -> pl.DataFrame:
        w = weight[rows]
        flat = (w > -np.inf).ravel()
        top_n = w.shape[1]
        slot = np.flatnonzero(flat)
        row = rows[slot // top_n]
        data = {
            "org_id": state.orgs.ids[row // n_themes],
            "theme_id": state.themes.ids[row % n_themes],
            "rank": slot % top_n + 1,
            "weight": w.ravel()[flat],
        }
        data |= {name: matrix[rows].ravel()[flat] for name, matrix in columns.items()}
        return pl.DataFrame(data)

    sig = frame(
        state.ev_signal_weight,
        {
            "signal_id": state.ev_signal_id,
            "severity": state.ev_signal_severity,
            "age_days": state.ev_signal_age,
        },
    )
    obs = frame(
        state.ev_obs_weight,
        {
            "observation_id": state.ev_obs_id,
            "indicator_id": state.ev_obs_indicator,
            "period": state.ev_obs_period,
            "breach": state.ev_obs_breach,
            "pressure": state.ev_obs_pressure,
        },
    )
    return sig, obs


def _insert_scores(rows: pl.DataFrame) -> None:
    table = RiskScore._meta.db_table
    columns = ", ".join(SCORE_FIELDS)
    if rows.height == 0:
        return
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        rows.write_csv(buffer, include_header=False)
        buffer.seek(0)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)") as copy,
        ):
            while block := buffer.read(1 << 20):
                copy.write(block)
        return
    placeholders = ", ".join(["%s"] * len(SCORE_FIELDS))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows.rows())


def _aggregates(result: RiskResult, snapshot: RiskSnapshot) -> list[RiskAggregate]:
    out: list[RiskAggregate] = []
    for kind, frame, id_col, members in (
        (AggregateKind.CHAIN, result.chains, "chain_id", "n_organisations"),
        (AggregateKind.AREA, result.areas, "area_id", "n_organisations"),
        (AggregateKind.GOAL, result.goals, "goal_id", "n_themes"),
    ):
        for row in frame.iter_rows(named=True):
            out.append(
                RiskAggregate(
                    snapshot=snapshot,
                    kind=kind,
                    object_id=int(row[id_col]),
                    score_max=row["score_max"],
                    score_mean=float(row["score_mean"]),
                    likelihood_mean=float(row["likelihood_mean"]),
                    impact_mean=float(row["impact_mean"]),
                    n_rows=int(row["n_rows"]),
                    n_members=int(row[members]),
                    top_organisation_id=int(row["top_org_id"]) if row["n_rows"] else None,
                    top_theme_id=int(row["top_theme_id"]) if row["n_rows"] else None,
                    chain_signal_load=row.get("chain_signal_load"),
                    chain_signal_count=row.get("chain_signal_count"),
                )
            )
    return out


# -- full recompute ----------------------------------------------------------------------------------
def model_of(version: RiskModelVersion) -> RiskModel:
    return RiskModel.from_dict({**version.config, "version": version.number})


def recompute_full(
    *, trigger: str = SnapshotTrigger.FULL, by: Any = None, reference_date: datetime.date | None = None
) -> RiskSnapshot:
    """Load everything, compute and store a complete snapshot. Raises :class:`RiskError` on failure
    (the snapshot is then recorded as ``mislukt`` and has no rows)."""
    version = active_version()
    reference = reference_date or timezone.localdate()
    started = time.perf_counter()
    snapshot = RiskSnapshot.objects.create(
        model_version=version,
        reference_date=reference,
        reference_period=loading.month_number(reference),
        trigger=trigger,
        status=SnapshotStatus.BUILDING,
        by=by if getattr(by, "pk", None) else None,
    )
    try:
        model = model_of(version)
        loaded = loading.load_input(model, version.type_groups, reference, type_people=version.type_people)
        result = compute(loaded.risk_input, model)
        rows = score_rows(result, snapshot.pk)
        with transaction.atomic():
            _insert_scores(rows)
            RiskAggregate.objects.bulk_create(_aggregates(result, snapshot), batch_size=2000)
            _finish(snapshot, loaded, result, rows.height, started)
    except (RiskInputError, RiskModelError) as exc:
        _fail(snapshot, "; ".join(exc.messages))
        # The engine's messages are Dutch (pure module, ADR 0007); the sentence around them is translated.
        raise RiskError(
            _("De herberekening is mislukt: %(reason)s") % {"reason": "; ".join(exc.messages)}
        ) from exc
    except Exception as exc:
        logger.exception("Risk recompute failed")
        _fail(snapshot, str(exc))
        raise RiskError(_("De herberekening is mislukt: %(reason)s") % {"reason": exc}) from exc
    _refresh_statistics()
    _remember(snapshot, result)
    return snapshot


def _refresh_statistics() -> None:
    """Let PostgreSQL's planner know the new snapshot's ~105,000 rows: until its statistics include the
    new snapshot id it estimates one row for it, and the pages' counts then sort all rows on disk
    (2-3 times slower). Only the snapshot column: a sample, ~0.1-0.3 s, whatever the table's size.
    SQLite plans these pages well without (and a full ANALYZE of the table would take seconds)."""
    if connection.vendor == "postgresql":
        refresh_statistics([RiskScore._meta.db_table], columns=["snapshot_id"])


def _finish(
    snapshot: RiskSnapshot, loaded: loading.Loaded, result: RiskResult, n_rows: int, started: float
) -> None:
    snapshot.n_organisations = len(result.state.orgs)
    snapshot.n_themes = len(result.state.themes)
    snapshot.n_signals = loaded.n_signals
    snapshot.n_observations = loaded.n_observations
    snapshot.n_scores = n_rows
    snapshot.max_signal_id = loaded.max_signal_id
    snapshot.max_observation_id = loaded.max_observation_id
    snapshot.duration_s = round(time.perf_counter() - started, 3)
    snapshot.status = SnapshotStatus.COMPLETE
    snapshot.save()


def _fail(snapshot: RiskSnapshot, message: str) -> None:
    RiskScore.objects.filter(snapshot=snapshot).delete()
    RiskAggregate.objects.filter(snapshot=snapshot).delete()
    RiskSnapshot.objects.filter(pk=snapshot.pk).update(status=SnapshotStatus.FAILED, error=message[:2000])
    snapshot.status = SnapshotStatus.FAILED


# -- incremental updates -----------------------------------------------------------------------------
def _latest() -> RiskSnapshot | None:
    return (
        RiskSnapshot.objects.complete()
        .select_related("model_version")
        .order_by("-computed_at", "-id")
        .first()
    )


def _result_for(
    snapshot: RiskSnapshot, *, exclude_signal_ids: list[int], exclude_observation_ids: list[int]
) -> RiskResult:
    cached = _CACHE.get("latest")
    if cached and cached.snapshot_id == snapshot.pk and cached.updates == snapshot.incremental_updates:
        return cached.result
    # Fall back: rebuild the snapshot's state from the database as it was before these records.
    version = snapshot.model_version
    model = model_of(version)
    loaded = loading.load_input(
        model,
        version.type_groups,
        snapshot.reference_date,
        type_people=version.type_people,
        exclude_signal_ids=exclude_signal_ids,
        exclude_observation_ids=exclude_observation_ids,
    )
    return compute(loaded.risk_input, model)


def _new_signals(signal_ids: list[int], reference: datetime.date) -> list[NewSignal]:
    """The engine records of these signals (values only: no model instances, four small queries)."""
    from toezicht.signals.models import Signal

    found = list(
        Signal.objects.filter(pk__in=signal_ids, organisation__isnull=False, merged_into__isnull=True)
        .order_by("pk")
        .values_list("pk", "organisation_id", "severity__rank", "received_on", "people_affected")
    )
    pks = [row[0] for row in found]
    themes: dict[int, list[int]] = {}
    for pk, theme_id in Signal.themes.through.objects.filter(signal_id__in=pks).values_list(
        "signal_id", "theme_id"
    ):
        themes.setdefault(pk, []).append(theme_id)
    vulnerable = set(
        Signal.vulnerable_groups.through.objects.filter(signal_id__in=pks).values_list("signal_id", flat=True)
    )
    related: dict[int, list[int]] = {}
    for pk, org_id in Signal.related_organisations.through.objects.filter(signal_id__in=pks).values_list(
        "signal_id", "organisation_id"
    ):
        related.setdefault(pk, []).append(org_id)
    out: list[NewSignal] = []
    for pk, organisation_id, rank, received_on, people_affected in found:
        theme_ids: list[int | None] = [*sorted(themes.get(pk, []))[: loading.SIGNAL_ID_FACTOR]] or [None]
        involved = tuple(related.get(pk, ()))
        for k, theme in enumerate(theme_ids):
            out.append(
                NewSignal(
                    signal_id=pk * loading.SIGNAL_ID_FACTOR + k,
                    org_id=int(organisation_id),
                    theme_id=theme,
                    severity=rank,
                    age_days=float((reference - received_on).days),
                    people_affected=float(people_affected or 0),
                    vulnerable=pk in vulnerable,
                    involved_org_ids=involved if k == 0 else (),
                )
            )
    return out


def _new_observations(observation_ids: list[int], reference: datetime.date) -> list[NewObservation]:
    frame = loading.load_observations(reference, only_ids=observation_ids)
    return [
        NewObservation(
            observation_id=row["observation_id"],
            org_id=row["org_id"],
            theme_id=row["theme_id"],
            indicator_id=row["indicator_id"],
            period=row["period"],
            pressure=float(row["pressure"]),
            breach=bool(row["breach"]),
        )
        for row in frame.iter_rows(named=True)
    ]


def apply_incremental(
    *, signal_ids: Sequence[int] = (), observation_ids: Sequence[int] = ()
) -> RiskSnapshot | None:
    """Add new signals/observations to the latest complete snapshot (its changed rows are rewritten)."""
    with _LOCK:
        snapshot = _latest()
        if snapshot is None:
            return None
        # Records the snapshot already includes (or an event repeated) are not counted twice.
        new_signal_ids = sorted({int(i) for i in signal_ids if int(i) > snapshot.max_signal_id})
        new_observation_ids = sorted(
            {int(i) for i in observation_ids if int(i) > snapshot.max_observation_id}
        )
        for attempt in range(2):
            if not (new_signal_ids or new_observation_ids):
                return snapshot
            base = _result_for(
                snapshot, exclude_signal_ids=new_signal_ids, exclude_observation_ids=new_observation_ids
            )
            try:
                result, changed = _add_records(
                    base, snapshot.reference_date, new_signal_ids, new_observation_ids
                )
            except RiskInputError as exc:
                # e.g. a new organisation or theme the snapshot does not know yet: wait for the next full run.
                logger.warning("Incremental risk update skipped: %s", "; ".join(exc.messages))
                return snapshot
            stored = _store_incremental(snapshot, base, result, changed, new_signal_ids, new_observation_ids)
            if stored is not None:
                _remember(stored, result)
                return stored
            if attempt == 0:
                # Another process updated the snapshot meanwhile: our cached state lacks its records.
                # Rebuild from the database (which has them) without ours, then add ours again.
                clear_cache()
                latest = _latest()
                if latest is None:
                    return None
                if latest.pk != snapshot.pk:  # a full recompute meanwhile: it may include ours
                    new_signal_ids = [i for i in new_signal_ids if i > latest.max_signal_id]
                    new_observation_ids = [i for i in new_observation_ids if i > latest.max_observation_id]
                snapshot = latest
        logger.warning(
            "Incremental risk update skipped: the snapshot kept changing; the next full run has it."
        )
        return snapshot


#: An import of more new signals than this is followed by a full recompute: adding them one at a time
#: would take longer, and a full run also picks up organisations and themes the snapshot does not know.
IMPORT_INCREMENTAL_LIMIT = 10_000


def apply_import(*, batch_id: int | None = None, signal_ids: Sequence[int] = ()) -> RiskSnapshot | None:
    """Bring the risk picture up to date after an import: incrementally, or for a large one fully.
    Nothing happens before a first complete snapshot exists."""
    from toezicht.signals.models import Signal

    snapshot = _latest()
    if snapshot is None:
        return None
    ids = [int(i) for i in signal_ids if int(i) > snapshot.max_signal_id]
    if batch_id is not None:
        new = (
            Signal.objects.filter(import_batch_id=batch_id, pk__gt=snapshot.max_signal_id)
            .order_by()  # no sort of the batch by date: only the ids are needed
            .values_list("pk", flat=True)
        )
        ids += list(new[: IMPORT_INCREMENTAL_LIMIT + 1])
    if len(ids) > IMPORT_INCREMENTAL_LIMIT:
        try:
            return recompute_full(trigger=SnapshotTrigger.FULL)
        except RiskError:  # recorded on the failed snapshot; the import itself stands
            return None
    return apply_incremental(signal_ids=ids)


def _add_records(
    result: RiskResult, reference: datetime.date, signal_ids: list[int], observation_ids: list[int]
) -> tuple[RiskResult, list[pl.DataFrame]]:
    changed: list[pl.DataFrame] = []
    for new_signal in _new_signals(signal_ids, reference) if signal_ids else []:
        result = add_signal(result, new_signal)
        if result.changed is not None:
            changed.append(result.changed)
    for new_observation in _new_observations(observation_ids, reference) if observation_ids else []:
        result = add_observation(result, new_observation)
        if result.changed is not None:
            changed.append(result.changed)
    return result, changed


def _store_incremental(
    snapshot: RiskSnapshot,
    base: RiskResult,
    result: RiskResult,
    changed: list[pl.DataFrame],
    signal_ids: list[int],
    observation_ids: list[int],
) -> RiskSnapshot | None:
    """Rewrite the changed organisations' rows and the changed aggregates in one transaction; None when
    another process updated the snapshot since ``snapshot`` was read (the caller starts again)."""
    with transaction.atomic():
        locked = RiskSnapshot.objects.select_for_update().get(pk=snapshot.pk)
        if (locked.incremental_updates, locked.max_signal_id, locked.max_observation_id) != (
            snapshot.incremental_updates,
            snapshot.max_signal_id,
            snapshot.max_observation_id,
        ):
            return None
        n_scores = locked.n_scores
        if changed:
            orgs = pl.concat(changed).select("org_id").unique().sort("org_id")
            deleted, _ = RiskScore.objects.filter(
                snapshot=locked, organisation_id__in=orgs["org_id"].to_list()
            ).delete()
            rows = score_rows(result, locked.pk, orgs)
            _insert_scores(rows)
            n_scores += rows.height - deleted
            _replace_changed_aggregates(locked, base, result)
        locked.incremental_updates += 1
        locked.n_signals += len(signal_ids)
        locked.n_observations += len(observation_ids)
        locked.n_scores = n_scores
        locked.max_signal_id = max([locked.max_signal_id, *signal_ids])
        locked.max_observation_id = max([locked.max_observation_id, *observation_ids])
        locked.save(
            update_fields=[
                "incremental_updates",
                "n_signals",
                "n_observations",
                "n_scores",
                "max_signal_id",
                "max_observation_id",
            ]
        )
    return locked


def _changed_rows(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Rows of ``after`` that differ from the same row of ``before`` (same groups in the same order)."""
    if before.columns != after.columns or before.height != after.height:
        return after
    differs = pl.any_horizontal(*(after[c].ne_missing(before[c]) for c in after.columns))
    return after.filter(differs)


def _replace_changed_aggregates(snapshot: RiskSnapshot, base: RiskResult, result: RiskResult) -> None:
    """Only the chain, area and goal aggregates that changed are rewritten (usually a handful)."""
    changed = replace(
        result,
        chains=_changed_rows(base.chains, result.chains),
        areas=_changed_rows(base.areas, result.areas),
        goals=_changed_rows(base.goals, result.goals),
    )
    for kind, frame, id_col in (
        (AggregateKind.CHAIN, changed.chains, "chain_id"),
        (AggregateKind.AREA, changed.areas, "area_id"),
        (AggregateKind.GOAL, changed.goals, "goal_id"),
    ):
        if frame.height:
            RiskAggregate.objects.filter(
                snapshot=snapshot, kind=kind, object_id__in=frame[id_col].to_list()
            ).delete()
    RiskAggregate.objects.bulk_create(_aggregates(changed, snapshot))


def cached_result(snapshot: RiskSnapshot) -> RiskResult | None:
    cached = _CACHE.get("latest")
    if cached and cached.snapshot_id == snapshot.pk and cached.updates == snapshot.incremental_updates:
        return cached.result
    return None


# -- overrides ---------------------------------------------------------------------------------------
def override_create(
    *,
    organisation: Any,
    theme: Any,
    score: float,
    reason: str,
    until: datetime.date | None,
    by: Any,
    cell: str = "",
    computed_score: float | None = None,
) -> RiskOverride:
    errors: dict[str, list[str]] = {}
    if not 0 <= float(score) <= 100 or np.isnan(float(score)):
        errors["score"] = [_("De vastgestelde score moet tussen 0 en 100 liggen.")]
    if not reason or not reason.strip():
        errors["reason"] = [_("Geef een onderbouwing voor de vastgestelde score.")]
    if until is not None and until < timezone.localdate():
        errors["until"] = [_("De einddatum mag niet in het verleden liggen.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        now = timezone.now()
        RiskOverride.objects.filter(organisation=organisation, theme=theme, revoked_at__isnull=True).update(
            revoked_at=now
        )
        return RiskOverride.objects.create(
            organisation=organisation,
            theme=theme,
            score=float(score),
            cell=cell,
            reason=reason.strip(),
            until=until,
            created_by=by if getattr(by, "pk", None) else None,
            computed_score=computed_score,
        )


def override_revoke(*, override: RiskOverride, by: Any = None) -> None:
    RiskOverride.objects.filter(pk=override.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


# --------------------------------------------------------------------------- retention


@dataclass(frozen=True)
class PruneOutcome:
    snapshots: int  # deleted (or, in a dry run, to be deleted)
    scores: int
    kept: int


_PRUNE_CHUNK = 200


def prune_snapshots(
    *, keep_days: int | None = None, dry_run: bool = False, now: datetime.datetime | None = None
) -> PruneOutcome:
    """Delete the snapshots the retention policy lets go (engine.retention: older than `keep_days`,
    except the newest complete one and the newest complete one of each month) with their scores and
    aggregates, in one transaction. A dry run counts without deleting."""
    keep_days = settings.RISK_SNAPSHOT_KEEP_DAYS if keep_days is None else keep_days
    moment = timezone.localtime(now or timezone.now())
    rows = list(RiskSnapshot.objects.values_list("pk", "computed_at", "status", "n_scores"))
    stored = [
        StoredSnapshot(pk, timezone.localtime(at), status == SnapshotStatus.COMPLETE)
        for pk, at, status, _n in rows
    ]
    doomed = snapshots_to_prune(stored, now=moment, keep_days=keep_days)
    kept = len(rows) - len(doomed)
    if dry_run or not doomed:
        scores = {pk: n for pk, _at, _status, n in rows}
        return PruneOutcome(len(doomed), sum(scores[pk] for pk in doomed), kept)
    deleted_scores = 0
    with transaction.atomic():
        for start in range(0, len(doomed), _PRUNE_CHUNK):
            chunk = doomed[start : start + _PRUNE_CHUNK]
            # the scores first: nothing refers to a score, so Django deletes them in one statement (by the
            # snapshot's index) instead of collecting 100,000 objects; a test keeps it that way
            deleted_scores += RiskScore.objects.filter(snapshot_id__in=chunk).delete()[0]
            RiskAggregate.objects.filter(snapshot_id__in=chunk).delete()
            RiskSnapshot.objects.filter(pk__in=chunk).delete()
    logger.info("Pruned %s risk snapshots (%s scores); %s kept", len(doomed), deleted_scores, kept)
    return PruneOutcome(len(doomed), deleted_scores, kept)
