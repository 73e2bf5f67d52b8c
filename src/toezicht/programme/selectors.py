"""Reads of the work programme: every query starts from ``visible_to(user)``; a constant number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from toezicht.accounts.models import Team
from toezicht.programme.models import (
    Adjustment,
    Candidate,
    ItemStatus,
    PlanRun,
    PlanRunStatus,
    ProgrammeItem,
    ScenarioComparison,
    TeamCapacity,
    WorkProgramme,
)

ON_BOARD = (ItemStatus.PLANNED, ItemStatus.STARTED, ItemStatus.DONE)


def visible_organisations(user: Any) -> QuerySet[Any]:
    from toezicht.register.models import Organisation

    return Organisation.objects.visible_to(user).only("pk", "name").order_by("name")


def programme_list(user: Any) -> QuerySet[Any]:
    return (
        WorkProgramme.objects.visible_to(user)
        .annotate(item_count=Count("items", filter=Q(items__status__in=ON_BOARD), distinct=True))
        .order_by("-year", "-version")
    )


def programme_get(user: Any, pk: int) -> WorkProgramme:
    return WorkProgramme.objects.visible_to(user).get(pk=pk)


def item_list(user: Any, programme: WorkProgramme, *, status: str = "") -> QuerySet[Any]:
    qs = ProgrammeItem.objects.visible_to(user).filter(programme=programme)
    if status:
        qs = qs.filter(status=status)
    return (
        qs.select_related("chain")
        .prefetch_related(
            "team_hours__team",
            "areas",
            "goals",
            Prefetch("organisations", queryset=visible_organisations(user)),
        )
        .order_by("planned_start", "title", "pk")
    )


def candidate_list(user: Any, programme: WorkProgramme, *, source: str = "") -> QuerySet[Any]:
    qs = Candidate.objects.visible_to(user).filter(programme=programme)
    if source:
        qs = qs.filter(source=source)
    return qs.select_related("item", "organisation", "theme", "proposed_by").order_by("-value", "pk")


def plan_runs(programme: WorkProgramme) -> QuerySet[Any]:
    return PlanRun.objects.filter(programme=programme).select_related("by").order_by("-at", "-pk")


def latest_scenario_comparison(programme: WorkProgramme, *, solves: int = 1) -> dict[str, Any] | None:
    """The programme's last scenario comparison, with its rows' plan runs (one query for all of them), and
    whether it has been computing for much longer than `solves` solves at the time limit can take."""
    comparison = programme.scenario_comparisons.order_by("-at", "-id").first()
    if comparison is None:
        return None
    runs = PlanRun.objects.in_bulk([row["run_id"] for row in comparison.rows])
    with_plan = {PlanRunStatus.OPTIMAL, PlanRunStatus.TIME_LIMITED}
    rows = [
        {**row, "run": runs[row["run_id"]], "has_plan": runs[row["run_id"]].status in with_plan}
        for row in comparison.rows
        if row["run_id"] in runs
    ]
    stalled = comparison.status == ScenarioComparison.Status.RUNNING and computation_stalled(
        programme, comparison.at, solves=solves
    )
    return {"comparison": comparison, "rows": rows, "stalled": stalled}


def computation_stalled(programme: WorkProgramme, started: datetime.datetime, *, solves: int = 1) -> bool:
    """Whether a plan run or comparison started at `started` is still waiting long after `solves` solves at
    the programme's time limit should have ended (a worker that is not running, or one that died)."""
    return timezone.now() - started > datetime.timedelta(seconds=programme.time_limit_s * 3 * solves + 60)


def current_programmes(user: Any, today: datetime.date | None = None, limit: int = 3) -> list[WorkProgramme]:
    """The programmes of this year and later, only the newest version of each (an older one has a next
    version), for the dashboard: with the number of items on the board, of adjustments, and the outcome of
    the last plan applied. One query."""
    year = (today or timezone.localdate()).year
    last_applied = PlanRun.objects.filter(programme=OuterRef("pk"), applied=True).order_by("-at", "-id")
    return list(
        programme_list(user)
        .filter(year__gte=year)
        .exclude(Exists(WorkProgramme.objects.filter(previous=OuterRef("pk"))))
        .annotate(
            adjustment_count=Count("adjustments", distinct=True),
            plan_label=Subquery(last_applied.values("status_label")[:1]),
            plan_at=Subquery(last_applied.values("at")[:1]),
        )
        .order_by("year", "-version")[:limit]
    )


def adjustment_list(programme: WorkProgramme) -> QuerySet[Any]:
    return (
        Adjustment.objects.filter(programme=programme)
        .select_related("by")
        .prefetch_related("added", "deferred", "cancelled")
        .order_by("-date", "-pk")
    )


@dataclass
class Bar:
    item: ProgrammeItem
    hours: int
    start: int
    end: int  # last quarter

    @property
    def span(self) -> int:
        return self.end - self.start + 1


@dataclass
class TeamRow:
    team: Team
    bars: list[Bar] = field(default_factory=list)
    available: list[float] = field(default_factory=lambda: [0.0] * 4)
    plannable: list[float] = field(default_factory=lambda: [0.0] * 4)
    planned: list[float] = field(default_factory=lambda: [0.0] * 4)

    @property
    def cells(self) -> list[dict[str, Any]]:
        out = []
        for q in range(4):
            cap = self.plannable[q]
            used = self.planned[q]
            pct = round(100 * used / cap) if cap > 0 else (100 if used > 0 else 0)
            out.append(
                {
                    "quarter": q + 1,
                    "available": round(self.available[q]),
                    "plannable": round(cap),
                    "planned": round(used),
                    "free": round(cap - used),
                    "pct": pct,
                    "bar": min(pct, 100),
                    "over": used > cap + 0.5,
                }
            )
        return out


@dataclass
class CoverageRow:
    kind: str
    name: str
    hours: float
    share: float
    min_share: float

    @property
    def met(self) -> bool:
        return self.share + 1e-9 >= self.min_share

    @property
    def pct(self) -> int:
        return round(100 * self.share)

    @property
    def min_pct(self) -> int:
        return round(100 * self.min_share)


@dataclass
class Board:
    rows: list[TeamRow]
    coverage: list[CoverageRow]
    total_hours: float
    total_value: float
    item_count: int


def board(user: Any, programme: WorkProgramme) -> Board:
    """Items on the plan as bars per team and quarter, planned against available hours, and coverage."""
    items = list(
        item_list(user, programme)
        .filter(status__in=ON_BOARD, planned_start__isnull=False)
        .prefetch_related("goals", "areas")
    )
    reserve = float(programme.reserve_share)
    rows: dict[int, TeamRow] = {}
    for cap in TeamCapacity.objects.filter(year=programme.year).select_related("team"):
        row = rows.setdefault(cap.team_id, TeamRow(cap.team))
        row.available[cap.quarter - 1] = float(cap.available_hours)
        row.plannable[cap.quarter - 1] = float(cap.available_hours) * (1 - reserve)
    goal_hours: dict[Any, float] = {}
    area_hours: dict[Any, float] = {}
    total = 0.0
    value = 0.0
    for it in items:
        start = int(it.planned_start)
        end = min(4, start + it.duration - 1)
        item_total = 0
        for th in it.team_hours.all():
            row = rows.setdefault(th.team_id, TeamRow(th.team))
            row.bars.append(Bar(it, th.hours, start, end))
            for q in range(start, end + 1):
                row.planned[q - 1] += th.hours / it.duration
            item_total += th.hours
        total += item_total
        value += it.value
        for g in it.goals.all():
            goal_hours[g] = goal_hours.get(g, 0.0) + item_total
        for a in it.areas.all():
            area_hours[a] = area_hours.get(a, 0.0) + item_total
    goal_min = {s.goal_id: float(s.min_share) for s in programme.goal_shares.select_related("goal")}
    area_min = {s.area_id: float(s.min_share) for s in programme.area_shares.select_related("area")}
    coverage: list[CoverageRow] = []
    for g in programme.goal_shares.select_related("goal"):
        goal_hours.setdefault(g.goal, 0.0)
    for a in programme.area_shares.select_related("area"):
        area_hours.setdefault(a.area, 0.0)
    for g, h in sorted(goal_hours.items(), key=lambda kv: (kv[0].number, kv[0].pk)):
        coverage.append(
            CoverageRow(
                "doel", f"{g.number}. {g.title}", h, h / total if total else 0.0, goal_min.get(g.pk, 0.0)
            )
        )
    for a, h in sorted(area_hours.items(), key=lambda kv: kv[0].name):
        coverage.append(
            CoverageRow("toezichtgebied", a.name, h, h / total if total else 0.0, area_min.get(a.pk, 0.0))
        )
    for row in rows.values():
        row.bars.sort(key=lambda b: (b.start, b.item.title))
    ordered = sorted(rows.values(), key=lambda r: r.team.name)
    return Board(ordered, coverage, total, value, len(items))
