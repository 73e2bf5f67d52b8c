"""Services of the work programme against the database: plan, infeasibility, adjustments, versions."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from toezicht.core.factories import OrganisationFactory, ThemeFactory, UserFactory
from toezicht.programme import services
from toezicht.programme.models import (
    Adjustment,
    Candidate,
    ItemStatus,
    MandatoryBasis,
    PlanRun,
    ProgrammeEvent,
    ProgrammeItem,
    WorkProgramme,
)

from .factories import small_programme

pytestmark = pytest.mark.django_db


def statuses(programme: WorkProgramme) -> dict[str, tuple[str, int | None]]:
    return {i.title: (i.status, i.planned_start) for i in programme.items.all()}


def test_plan_compute_writes_quarters_and_stores_the_run() -> None:
    data = small_programme()
    run = services.plan_compute(programme=data["programme"])
    assert run.status == "optimaal"
    assert run.applied
    # 400 hours per quarter, 300 per item: one item per quarter, the four most valuable
    assert run.value == pytest.approx(90 + 60 + 50 + 40)
    got = statuses(data["programme"])
    assert got["Grensbewaking"] == (ItemStatus.PROPOSED, None)
    assert got["Onderzoek opvang Ter Apel"][1] in (1, 2)
    planned_quarters = sorted(s or 0 for st, s in got.values() if st == ItemStatus.PLANNED)
    assert planned_quarters == [1, 2, 3, 4]
    dropped = run.explanation["dropped"]
    assert [d["title"] for d in dropped] == ["Grensbewaking"]
    assert "team Migratie is in" in dropped[0]["message"]
    assert "Team Team" not in dropped[0]["message"]
    assert run.binding
    assert ProgrammeEvent.objects.filter(programme=data["programme"], kind="plan").exists()


def test_infeasible_plan_explains_in_dutch_and_changes_nothing() -> None:
    data = small_programme(hours_per_quarter=200)
    run = services.plan_compute(programme=data["programme"])
    assert run.status == "onhaalbaar"
    assert not run.applied
    summary = run.explanation["infeasibility"]["summary"]
    assert "Er bestaat geen werkprogramma dat aan alle eisen voldoet." in summary
    assert "‘Onderzoek opvang Ter Apel’" in summary
    assert "verzoek Tweede Kamer" in " ".join(run.explanation["infeasibility"]["parts"])
    assert all(st == ItemStatus.PROPOSED for st, _ in statuses(data["programme"]).values())


def test_adjustment_keeps_started_items_and_defers_least_value() -> None:
    data = small_programme()
    programme = data["programme"]
    services.plan_compute(programme=programme)
    items = {i.title: i for i in programme.items.all()}
    started = items["Onderzoek opvang Ter Apel"]
    started_q = started.planned_start
    services.item_set_status(item=started, status=ItemStatus.STARTED)
    leader = UserFactory(role="teamleider")
    adjustment = services.adjustment_add_urgent(
        programme=programme,
        title="Spoedonderzoek overlijden in bewaring",
        team_hours={data["team"]: 300},
        reason="incident",
        note="Overlijden van een vreemdeling in bewaring.",
        value=5,
        allowed_quarters=[started_q % 4 + 1],
        from_quarter=1,
        date=datetime.date(2027, 1, 10),
        by=leader,
    )
    after = {i.title: i for i in programme.items.all()}
    assert after["Onderzoek opvang Ter Apel"].status == ItemStatus.STARTED
    assert after["Onderzoek opvang Ter Apel"].planned_start == started_q
    urgent = after["Spoedonderzoek overlijden in bewaring"]
    assert urgent.status == ItemStatus.PLANNED
    assert urgent.mandatory_basis == MandatoryBasis.URGENT
    # one quarter is lost to the urgent item: the least valuable planned item (Opvang minderjarigen, 40) goes
    assert [i.title for i in adjustment.cancelled.all()] == ["Opvang minderjarigen"]
    assert after["Opvang minderjarigen"].status == ItemStatus.CANCELLED
    assert [i.title for i in adjustment.added.all()] == ["Spoedonderzoek overlijden in bewaring"]
    assert adjustment.by == leader
    assert adjustment.summary.startswith("Bijstelling vanaf Q1")
    assert adjustment.plan_run is not None
    assert adjustment.plan_run.applied


def test_adjustment_that_cannot_fit_changes_nothing() -> None:
    data = small_programme()
    programme = data["programme"]
    services.plan_compute(programme=programme)
    for item in programme.items.filter(status=ItemStatus.PLANNED):
        services.item_set_status(item=item, status=ItemStatus.STARTED)
    before = statuses(programme)
    with pytest.raises(ValidationError) as err:
        services.adjustment_add_urgent(
            programme=programme,
            title="Te groot spoedonderzoek",
            team_hours={data["team"]: 390},
            reason="incident",
            note="Groot incident.",
            from_quarter=1,
        )
    assert "Er bestaat geen werkprogramma" in " ".join(err.value.messages)
    assert statuses(programme) == before
    assert not Adjustment.objects.exists()
    assert not ProgrammeItem.objects.filter(title="Te groot spoedonderzoek").exists()


def test_status_transitions_follow_the_table_with_history() -> None:
    data = small_programme()
    programme = data["programme"]
    with pytest.raises(ValidationError):
        services.programme_transition(programme=programme, to_status="gepubliceerd")
    services.programme_transition(programme=programme, to_status="vastgesteld", note="MT-besluit")
    services.programme_transition(programme=programme, to_status="gepubliceerd")
    events = list(programme.events.filter(kind="status").values_list("from_status", "to_status"))
    assert events == [("concept", "vastgesteld"), ("vastgesteld", "gepubliceerd")]
    with pytest.raises(ValidationError, match="gepubliceerd"):
        services.plan_compute(programme=WorkProgramme.objects.get(pk=programme.pk))


def test_new_version_copies_items_hours_and_dependencies() -> None:
    data = small_programme()
    programme = data["programme"]
    a, b = data["items"]["bewaring"], data["items"]["terugkeer"]
    b.depends_on.add(a)
    services.plan_compute(programme=programme)
    new = services.programme_new_version(programme=programme)
    assert new.version == 2
    assert new.status == "concept"
    assert new.previous == programme
    assert new.items.count() == programme.items.count()
    copied_b = new.items.get(title="Terugkeer en vertrek")
    assert [d.title for d in copied_b.depends_on.all()] == ["Vreemdelingenbewaring"]
    assert copied_b.depends_on.get().programme == new
    assert copied_b.team_hours.get().hours == 300
    assert list(new.items.get(title="Onderzoek opvang Ter Apel").organisations.all()) == [data["org"]]
    assert programme.items.count() == 5  # the old version is untouched


def test_scenario_losing_fte_is_compared_and_not_applied() -> None:
    data = small_programme()
    programme = data["programme"]
    services.plan_compute(programme=programme)
    before = statuses(programme)
    # 2 fte give 400 hours per quarter (200 per fte)
    services.scenario_save(programme=programme, name="Migratie −0,5 fte", changes={data["team"]: -0.5})
    rows = services.scenarios_compare(programme=programme)
    assert [r.name for r in rows] == ["Basis", "Migratie −0,5 fte"]
    base, cut = rows
    assert base.run.value == pytest.approx(240)
    # 300 hours left per quarter: still one item per quarter
    assert cut.run.value == pytest.approx(240)
    services.scenario_save(programme=programme, name="Migratie −1 fte", changes={data["team"]: -1})
    rows = services.scenarios_compare(programme=programme)
    worst = next(r for r in rows if r.name == "Migratie −1 fte")
    assert worst.run.status == "onhaalbaar"  # 200 hours cannot hold the mandatory 300-hour item
    assert statuses(programme) == before
    assert PlanRun.objects.filter(programme=programme, applied=False).count() >= 4


@dataclass(frozen=True)
class FakeRisk:
    organisation_id: int
    organisation_name: str
    theme_id: int
    theme_name: str
    area_ids: tuple[int, ...]
    goal_ids: tuple[int, ...]
    score: float
    likelihood: float
    impact: float
    explanation: str


def test_candidates_refresh_adds_uncovered_risks_once(monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_programme()
    programme = data["programme"]
    theme = ThemeFactory(name="Leefklimaat")
    covered_org = data["org"]
    programme.items.get(title="Onderzoek opvang Ter Apel").themes.add(theme)
    other = OrganisationFactory(name="COA-locatie Budel", areas=[data["area"]])
    risks = [
        FakeRisk(
            covered_org.pk, covered_org.name, theme.pk, theme.name, (data["area"].pk,), (), 9.0, 0.9, 0.8, "x"
        ),
        FakeRisk(
            other.pk,
            other.name,
            theme.pk,
            theme.name,
            (data["area"].pk,),
            (),
            6.0,
            0.6,
            0.7,
            "Veel meldingen.",
        ),
    ]
    import toezicht.risk.selectors as risk_selectors

    monkeypatch.setattr(risk_selectors, "top_risks", lambda *, year=None, limit=200: risks)
    result = services.candidates_refresh(programme=programme)
    assert result.risk == 1
    assert result.mandatory == 1  # the Tweede Kamer request
    cand = Candidate.objects.get(programme=programme, source="risico")
    assert cand.item.title == "Leefklimaat bij COA-locatie Budel"
    assert "Veel meldingen." in cand.why
    assert cand.value == pytest.approx(100 * 6.0 / 9.0, abs=0.1)
    again = services.candidates_refresh(programme=programme)
    assert again.risk == 0
    assert again.mandatory == 0


def test_recurring_items_come_back_next_year(monkeypatch: pytest.MonkeyPatch) -> None:
    data = small_programme(year=2026)
    ProgrammeItem.objects.filter(title="Vreemdelingenbewaring").update(recurring=True)
    import toezicht.risk.selectors as risk_selectors

    monkeypatch.setattr(risk_selectors, "top_risks", lambda *, year=None, limit=200: [])
    nxt = services.programme_create(year=2027)
    result = services.candidates_refresh(programme=nxt)
    assert result.recurring == 1
    item = nxt.items.get()
    assert item.title == "Vreemdelingenbewaring"
    assert item.status == ItemStatus.PROPOSED
    assert item.team_hours.get().team == data["team"]


def test_bad_item_input_is_refused_in_dutch() -> None:
    data = small_programme()
    with pytest.raises(ValidationError) as err:
        services.item_create(
            programme=data["programme"], title="Fout", team_hours={data["team"]: 0}, allowed_quarters=[5]
        )
    assert "Kwartalen zijn 1 tot en met 4." in str(err.value)
    assert "Geef voor minstens één team een aantal uren op." in str(err.value)
