"""Recompute through the database path, failures, incremental updates, model versions and overrides."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from toezicht.core.factories import SignalFactory, UserFactory
from toezicht.risk import selectors, services
from toezicht.risk.models import ModelStatus, RiskModelVersionEvent, RiskScore, RiskSnapshot, SnapshotStatus
from toezicht.risk.tests.factories import REFERENCE, active_version, hand_example, hand_model_dict
from toezicht.signals.models import SeverityLevel

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    services.clear_cache()


def test_hand_example_through_the_database_is_exact() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)

    assert snapshot.status == SnapshotStatus.COMPLETE
    row = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme)
    assert row.likelihood == pytest.approx(2 / 3, abs=1e-6)
    assert row.impact == pytest.approx(0.9, abs=1e-6)
    assert row.score == pytest.approx(60.0, abs=1e-4)
    assert (row.likelihood_band, row.impact_band, row.cell) == ("hoog", "zeer hoog", "zeer hoog")
    assert row.contributions["signal_load"] == pytest.approx(1 / 6, abs=1e-5)
    assert row.contributions["time_since_investigation"] == pytest.approx(0.5, abs=1e-6)
    assert [s[0] for s in row.evidence["s"]] == [ex.organisation.signals.get().pk]

    second = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2)
    assert second.score == pytest.approx(20.0, abs=1e-4)
    total = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=None)
    assert total.score == pytest.approx(60.0, abs=1e-4)
    assert total.evidence["theme"] == ex.theme.pk
    assert snapshot.n_signals == 1


def test_a_failed_run_leaves_no_visible_half_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    hand_example()
    first = services.recompute_full(reference_date=REFERENCE)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(services, "_finish", broken)
    with pytest.raises(services.RiskError, match="mislukt"):
        services.recompute_full(reference_date=REFERENCE)

    failed = RiskSnapshot.objects.exclude(pk=first.pk).get()
    assert failed.status == SnapshotStatus.FAILED
    assert "schijf vol" in failed.error
    assert not RiskScore.objects.filter(snapshot=failed).exists()
    assert selectors.latest_snapshot() == first


def test_recompute_without_an_active_model_is_refused_in_dutch() -> None:
    with pytest.raises(services.RiskError, match="geen actief risicomodel"):
        services.recompute_full()


def test_a_new_signal_changes_the_score_incrementally() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    before = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2).score

    signal = SignalFactory(
        organisation=ex.organisation,
        severity=SeverityLevel.objects.get(rank=4),
        received_on=REFERENCE,
        themes=[ex.theme2],
    )
    services.apply_incremental(signal_ids=[signal.pk])
    after = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2).score
    assert after > before
    snapshot.refresh_from_db()
    assert snapshot.incremental_updates == 1

    # The same numbers as a full recomputation (also when the cache is cold: fallback from the database).
    full = services.recompute_full(reference_date=REFERENCE)
    assert RiskScore.objects.get(snapshot=full, organisation=ex.organisation, theme=ex.theme2).score == (
        pytest.approx(after, abs=1e-6)
    )


def test_incremental_update_with_a_cold_cache_rebuilds_without_double_counting() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    services.clear_cache()
    signal = SignalFactory(
        organisation=ex.organisation,
        severity=SeverityLevel.objects.get(rank=2),
        received_on=REFERENCE,
        themes=[ex.theme],
    )
    services.apply_incremental(signal_ids=[signal.pk])
    incremental = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme).score
    full = services.recompute_full(reference_date=REFERENCE)
    assert RiskScore.objects.get(snapshot=full, organisation=ex.organisation, theme=ex.theme).score == (
        pytest.approx(incremental, abs=1e-6)
    )


def test_signal_created_event_updates_the_latest_snapshot(django_capture_on_commit_callbacks) -> None:
    from toezicht.core import events

    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    signal = SignalFactory(
        organisation=ex.organisation, severity=SeverityLevel.objects.get(rank=4), received_on=REFERENCE
    )
    events.publish("signal.created", signal_id=signal.pk)
    snapshot.refresh_from_db()
    assert snapshot.incremental_updates == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["criteria"]["signal_load"].update(weight=-1), "mag niet negatief zijn"),
        (lambda d: d["criteria"]["signal_load"].pop("weight"), "ontbreekt"),
        (lambda d: d["scales"].update(likelihood=[]), "bevat geen banden"),
        (lambda d: d["scales"]["impact"][1].update(lower=0.1), "overlappen"),
    ],
)
def test_bad_model_configurations_are_refused_in_dutch(change, message) -> None:
    config = hand_model_dict()
    change(config)
    with pytest.raises(ValidationError) as info:
        services.model_version_create(name="Fout", config=config)
    assert any(message in m for m in info.value.message_dict["config"])


def test_activating_a_version_retires_the_previous_one_with_history() -> None:
    user = UserFactory(role="analist")
    first = active_version()
    second = services.model_version_create(name="Nieuw", config=hand_model_dict(), by=user)
    assert second.number == first.number + 1
    services.model_version_transition(version=second, to=ModelStatus.ACTIVE, by=user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (ModelStatus.RETIRED, ModelStatus.ACTIVE)
    assert list(RiskModelVersionEvent.objects.filter(version=first).values_list("to_status", flat=True)) == [
        "concept",
        "actief",
        "vervallen",
    ]
    with pytest.raises(ValidationError, match="kan niet"):
        services.model_version_transition(version=first, to=ModelStatus.ACTIVE)


def test_an_override_replaces_the_score_but_keeps_the_computed_one_visible() -> None:
    ex = hand_example()
    services.recompute_full(reference_date=REFERENCE)
    user = UserFactory(role="inspecteur", areas=[ex.area])
    services.override_create(
        organisation=ex.organisation,
        theme=ex.theme2,
        score=95,
        reason="Recente inspectie toont ernstige tekorten.",
        until=datetime.date.today() + datetime.timedelta(days=30),
        by=user,
    )
    top = selectors.top_risks(limit=1)[0]
    assert (top.organisation_id, top.theme_id, top.score) == (ex.organisation.pk, ex.theme2.pk, 95.0)
    assert "vastgesteld op 95" in top.explanation
    scores = selectors.organisation_scores(user, selectors.latest_snapshot(), ex.organisation)
    row = next(s for s in scores if s.theme_id == ex.theme2.pk)
    assert (row.score, row.final_score) == (pytest.approx(20.0, abs=1e-4), 95.0)


def test_override_refusals_are_dutch_and_change_nothing() -> None:
    ex = hand_example()
    with pytest.raises(ValidationError) as info:
        services.override_create(
            organisation=ex.organisation,
            theme=ex.theme,
            score=140,
            reason=" ",
            until=datetime.date(2000, 1, 1),
            by=None,
        )
    assert set(info.value.message_dict) == {"score", "reason", "until"}
    assert not ex.organisation.risk_overrides.exists()


def test_top_risks_lists_candidates_highest_first_with_areas_and_goals() -> None:
    from toezicht.core.factories import GoalFactory

    ex = hand_example()
    goal = GoalFactory()
    ex.theme.goals.add(goal)
    services.recompute_full(reference_date=REFERENCE)
    risks = selectors.top_risks(year=goal.period.start_year)
    assert [r.score for r in risks] == sorted((r.score for r in risks), reverse=True)
    first = risks[0]
    assert (first.organisation_name, first.theme_name) == ("PI Voorbeeld", "Veiligheid")
    assert first.area_ids == (ex.area.pk,)
    assert first.goal_ids == (goal.pk,)
    assert "signaallast" in first.explanation
    assert selectors.top_risks(year=1900)[0].goal_ids == ()


def test_an_event_about_a_signal_the_snapshot_already_has_is_not_counted_twice() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    before = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme).score
    included = ex.organisation.signals.get()
    services.apply_incremental(signal_ids=[included.pk])
    new = SignalFactory(
        organisation=ex.organisation, severity=SeverityLevel.objects.get(rank=1), received_on=REFERENCE
    )
    services.apply_incremental(signal_ids=[new.pk])
    once = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme).score
    services.apply_incremental(signal_ids=[new.pk])  # the same event again
    snapshot.refresh_from_db()
    assert (
        RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme).score == once
    )
    assert once > before
    assert snapshot.incremental_updates == 1
    assert snapshot.max_signal_id == new.pk


def test_incremental_rows_equal_those_of_a_full_recompute() -> None:
    ex = hand_example()
    snapshot = services.recompute_full(reference_date=REFERENCE)
    signal = SignalFactory(
        organisation=ex.organisation,
        severity=SeverityLevel.objects.get(rank=2),
        received_on=REFERENCE - datetime.timedelta(days=10),
        themes=[ex.theme, ex.theme2],
    )
    services.apply_incremental(signal_ids=[signal.pk])
    full = services.recompute_full(reference_date=REFERENCE)

    def stored(snap: RiskSnapshot) -> list[tuple]:
        return list(
            RiskScore.objects.filter(snapshot=snap)
            .order_by("organisation_id", "theme_id")
            .values_list("organisation_id", "theme_id", "score", "cell", "contributions", "evidence")
        )

    assert stored(snapshot) == stored(full)


def test_observations_with_a_norm_breach_count_fully_and_incrementally() -> None:
    from toezicht.indicators.models import Indicator, Norm, NormBreach, Observation

    ex = hand_example()
    config = hand_model_dict()
    config["criteria"]["norm_breaches"]["weight"] = 2
    version = services.model_version_create(name="Met normen", config=config)
    services.model_version_transition(version=version, to=ModelStatus.ACTIVE)
    indicator = Indicator.objects.create(
        code="wachttijd", name="Wachttijd", unit="dagen", direction="hoger_slechter", theme=ex.theme2
    )
    norm = Norm.objects.create(
        code="max-wachttijd", name="Maximale wachttijd", legal_basis="Wet", indicator=indicator, threshold=10
    )

    def observe(day: datetime.date, value: float) -> Observation:
        observation = Observation.objects.create(
            indicator=indicator, organisation=ex.organisation, period_start=day, value=value
        )
        if value > 10:
            NormBreach.objects.create(
                norm=norm,
                observation=observation,
                organisation=ex.organisation,
                period_start=day,
                value=value,
            )
        return observation

    observe(datetime.date(2025, 5, 1), 12)
    snapshot = services.recompute_full(reference_date=REFERENCE)
    row = RiskScore.objects.get(snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2)
    # one breach one period before the reference period (June): decay 0.5 ** (1 / 2), value B / (B + 1)
    breach = 0.5**0.5
    assert row.contributions["norm_breaches"] == pytest.approx(2 * breach / (breach + 1) / 4, abs=1e-5)
    assert row.evidence["o"][0][4] == 1.0  # listed as a breach

    new = observe(datetime.date(2025, 6, 1), 15)
    services.apply_incremental(observation_ids=[new.pk])
    incremental = RiskScore.objects.get(
        snapshot=snapshot, organisation=ex.organisation, theme=ex.theme2
    ).score
    assert incremental > row.score
    full = services.recompute_full(reference_date=REFERENCE)
    assert RiskScore.objects.get(snapshot=full, organisation=ex.organisation, theme=ex.theme2).score == (
        pytest.approx(incremental, abs=1e-4)
    )
