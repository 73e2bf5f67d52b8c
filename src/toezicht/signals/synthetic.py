"""Synthetic signals at scale for `toezicht generate` (small 20,000; medium 100,000; large 1,000,000).

Ten years of signals up to a fixed end date, spread over the synthetic organisations with a skewed
distribution (a few organisations get far more), each with one or two themes, a severity, a source,
the organisation's supervision area, sometimes a number of people affected, a vulnerable group or a
chain, and a few confidential ones. Older signals are mostly closed. Drawn with numpy from the seed,
and written with the same bulk path as the import (no per-row ORM saves), so a million rows take
minutes, not hours. Deterministic: the same scale and seed give the same signals.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl
from django.db import transaction

from toezicht.demo.generate import GenerationContext, step
from toezicht.register.models import Chain, Organisation
from toezicht.signals.importing import _load_lookups, insert_signal_frame
from toezicht.signals.models import SeverityLevel, Signal, SignalStatus, SourceType, VulnerableGroup
from toezicht.strategy.models import Theme

SIGNALS_PER_SCALE = {"small": 20_000, "medium": 100_000, "large": 1_000_000}
END = dt.date(2026, 10, 30)
YEARS = 10
MARK = "syn-"  # external_id prefix of generated signals (no sender), so a rerun adds nothing

SUBJECTS = [
    "Agressie-incident op de afdeling",
    "Suïcidepoging van een ingeslotene",
    "Ontvluchting tijdens transport",
    "Personeelstekort in de nachtdienst",
    "Klacht over bejegening",
    "Datalek met persoonsgegevens",
    "Brand in een cel",
    "Uitval van het meldkamersysteem",
    "Overschrijding van de wachttijd",
    "Onrechtmatige toepassing van dwang",
    "Medicatiefout",
    "Vermissing van een minderjarige asielzoeker",
    "Integriteitsmelding over een medewerker",
    "Overbezetting van de opvanglocatie",
    "Geweldsaanwending door een agent",
    "Uitval van elektronische enkelband",
    "Te late overdracht van een dossier",
    "Zelfbeschadiging in afzondering",
    "Bericht in de media over misstanden",
    "Kamervragen over de opvang",
    "Onvoldoende toezicht op de luchtplaats",
    "Vertraging in de uitvoering van een maatregel",
    "Cyberincident bij de organisatie",
    "Calamiteit tijdens verlof",
]
DETAILS = [
    "",
    "Melding ontvangen via het meldpunt; nadere informatie opgevraagd.",
    "De organisatie heeft maatregelen aangekondigd.",
    "Betrokkene is overgeplaatst; de directie onderzoekt de oorzaak.",
    "Eerdere meldingen over hetzelfde onderwerp zijn bekend.",
]


def signal_count(scale: str) -> int:
    return SIGNALS_PER_SCALE.get(scale, SIGNALS_PER_SCALE["small"])


def build_frame(
    rng: np.random.Generator,
    count: int,
    *,
    organisations: np.ndarray,
    organisation_area: dict[int, int],
    themes: np.ndarray,
    severities: np.ndarray,
    sources: np.ndarray,
    groups: np.ndarray,
    chains: np.ndarray,
    offset: int = 0,
) -> pl.DataFrame:
    """`count` signals as the frame insert_signal_frame writes, with a `_status` per signal."""
    start = np.datetime64(END, "D") - np.timedelta64(365 * YEARS, "D")
    span = 365 * YEARS
    # more signals in recent years (growth of about 6% a year)
    days = np.floor(span * rng.power(1.25, count)).astype(np.int64)
    received = start + days.astype("timedelta64[D]")
    occurred = received - rng.integers(0, 20, count).astype("timedelta64[D]")
    has_occurred = rng.random(count) < 0.7

    weights = rng.lognormal(0.0, 1.3, organisations.size)
    weights /= weights.sum()
    orgs = rng.choice(organisations, size=count, p=weights)
    areas = np.array([organisation_area.get(int(o), -1) for o in orgs.tolist()], dtype=np.int64)

    severity = rng.choice(severities, size=count, p=_shares(severities.size, [0.42, 0.34, 0.19, 0.05]))
    source = rng.choice(
        sources, size=count, p=_shares(sources.size, [0.3, 0.08, 0.2, 0.1, 0.03, 0.15, 0.1, 0.02])
    )

    first_theme = rng.integers(0, themes.size, count)
    second_theme = rng.integers(0, themes.size, count)
    two = (rng.random(count) < 0.45) & (second_theme != first_theme)
    theme_a = themes[first_theme].astype(str)
    theme_b = themes[second_theme].astype(str)
    theme_text = np.where(two, np.char.add(np.char.add(theme_a, "|"), theme_b), theme_a)

    group_ids = _pick(rng, groups, count, 0.3)
    group_text = np.where(group_ids >= 0, group_ids.astype(str), "")
    chain_ids = _pick(rng, chains, count, 0.05)

    people = rng.geometric(0.35, count)
    has_people = rng.random(count) < 0.45

    confidentiality = rng.choice(
        np.array(["openbaar", "intern", "vertrouwelijk"]), size=count, p=[0.1, 0.87, 0.03]
    )
    subject = rng.integers(0, len(SUBJECTS), count)
    detail = rng.integers(0, len(DETAILS), count)

    age = (np.datetime64(END, "D") - received).astype(np.int64)
    draw = rng.random(count)
    status = np.where(
        age > 120,
        np.where(draw < 0.9, "afgesloten", np.where(draw < 0.97, "gekoppeld", "beoordeeld")),
        np.where(draw < 0.35, "ontvangen", np.where(draw < 0.75, "in_behandeling", "beoordeeld")),
    )

    def nullable(values: np.ndarray, mask: np.ndarray) -> pl.Series:
        return pl.Series(values.astype(np.int64)).set(pl.Series(~mask), None)

    frame = pl.DataFrame(
        {
            "_row": np.arange(offset, offset + count, dtype=np.int64),
            "onderwerp": pl.Series(SUBJECTS)[subject],
            "omschrijving": pl.Series(DETAILS)[detail],
            "bron": source,
            "ontvangen_op": pl.Series(received).cast(pl.Date),
            "datum_voorval": pl.Series(occurred).cast(pl.Date).set(pl.Series(~has_occurred), None),
            "organisatie": orgs,
            "toezichtgebied": nullable(areas, areas >= 0),
            "keten": nullable(chain_ids, chain_ids >= 0),
            "themas": theme_text,
            "ernst": severity,
            "aantal_betrokkenen": nullable(people, has_people),
            "kwetsbare_groepen": group_text,
            "vertrouwelijkheid": confidentiality,
        }
    ).with_columns(
        (pl.lit(MARK) + pl.col("_row").cast(pl.String).str.zfill(7)).alias("kenmerk_afzender"),
        pl.lit("").alias("_fingerprint"),
        pl.Series("_status", status),
    )
    return frame


def _pick(rng: np.random.Generator, ids: np.ndarray, count: int, share: float) -> np.ndarray:
    """For each row an id from `ids` with probability `share`, else -1."""
    index = rng.integers(0, max(ids.size, 1), count)
    chosen = rng.random(count) < share
    if ids.size == 0:
        return np.full(count, -1, dtype=np.int64)
    return np.where(chosen, ids[index], -1).astype(np.int64)


def _shares(size: int, wanted: list[float]) -> np.ndarray:
    values = np.array((wanted + [wanted[-1]] * size)[:size], dtype=float)
    return values / values.sum()


@step
def generate_signals(ctx: GenerationContext) -> None:
    if Signal.objects.filter(external_id__startswith=MARK, sender__isnull=True).exists():
        ctx.counts["signals"] = Signal.objects.count()
        return
    total = signal_count(ctx.scale.name)
    rng = np.random.default_rng(ctx.seed + 7_001)
    lookups = _load_lookups()
    organisations = np.array(
        Organisation.objects.filter(code__startswith="syn-org-").order_by("pk").values_list("pk", flat=True),
        dtype=np.int64,
    )
    if organisations.size == 0:
        organisations = np.array(
            Organisation.objects.order_by("pk").values_list("pk", flat=True), dtype=np.int64
        )
    themes = np.array(Theme.objects.order_by("code").values_list("pk", flat=True), dtype=np.int64)
    if organisations.size == 0 or themes.size == 0:
        return
    severities = np.array(SeverityLevel.objects.order_by("rank").values_list("pk", flat=True), dtype=np.int64)
    sources = np.array(
        SourceType.objects.order_by("order", "pk").values_list("pk", flat=True), dtype=np.int64
    )
    groups = np.array(VulnerableGroup.objects.order_by("code").values_list("pk", flat=True), dtype=np.int64)
    chains = np.array(Chain.objects.order_by("code").values_list("pk", flat=True), dtype=np.int64)
    created_at = dt.datetime.combine(END, dt.time(12), tzinfo=dt.UTC)
    frame = build_frame(
        rng,
        total,
        organisations=organisations,
        organisation_area=lookups.organisation_area,
        themes=themes,
        severities=severities,
        sources=sources,
        groups=groups,
        chains=chains,
    )
    with transaction.atomic():
        insert_signal_frame(
            frame,
            batch_id=None,
            user_id=None,
            lookups=lookups,
            created_at=created_at,
            status=SignalStatus.RECEIVED,
        )
    ctx.counts["signals"] = Signal.objects.count()
