"""Writes to the work programme. Every function is transactional; bad input raises ValidationError in Dutch
and changes nothing.

The optimiser itself is pure (``toezicht.programme.planner``); ``problem_from_db`` translates a programme to a
planner ``Problem`` (item id = ProgrammeItem pk as text, team id = Team pk as text) and the functions below
store what came back.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from toezicht.accounts.models import Team
from toezicht.core.tasks import enqueue_after_commit
from toezicht.programme import planner as pl
from toezicht.programme import workflow
from toezicht.programme.models import (
    FIXED_STATUSES,
    PLANNABLE_STATUSES,
    Adjustment,
    AreaShare,
    Candidate,
    CandidateSource,
    GoalShare,
    ItemKind,
    ItemStatus,
    ItemTeamHours,
    MandatoryBasis,
    PlanRun,
    PlanRunStatus,
    ProgrammeEvent,
    ProgrammeItem,
    Scenario,
    ScenarioComparison,
    ScenarioTeamChange,
    TeamCapacity,
    WorkProgramme,
)

# Hours a risk candidate is estimated at when it enters the pool (total over its duration), by kind.
DEFAULT_HOURS: dict[str, int] = {
    ItemKind.REGULAR: 160,
    ItemKind.IN_DEPTH: 400,
    ItemKind.INTENSIVE: 900,
    ItemKind.THEMATIC: 700,
    ItemKind.INCIDENT: 300,
    ItemKind.FOLLOW_UP: 80,
}

logger = logging.getLogger(__name__)

PLAN_STATUS_MAP: dict[pl.PlanStatus, str] = {
    pl.PlanStatus.OPTIMAL: PlanRunStatus.OPTIMAL,
    pl.PlanStatus.TIME_LIMIT: PlanRunStatus.TIME_LIMITED,
    pl.PlanStatus.NO_SOLUTION: PlanRunStatus.NO_SOLUTION,
    pl.PlanStatus.INFEASIBLE: PlanRunStatus.INFEASIBLE,
    pl.PlanStatus.INVALID: PlanRunStatus.INVALID,
    pl.PlanStatus.HEURISTIC: PlanRunStatus.ERROR,
    pl.PlanStatus.ERROR: PlanRunStatus.ERROR,
}


# ---- programme --------------------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *, year: int, title: str = "", by: Any = None, reserve_share: float = 0.15
) -> WorkProgramme:
    if not 2000 <= int(year) <= 2100:
        raise ValidationError({"year": _("Kies een jaar tussen 2000 en 2100.")})
    version = (WorkProgramme.objects.filter(year=year).aggregate(v=Max("version"))["v"] or 0) + 1
    programme = WorkProgramme(
        year=year,
        version=version,
        title=title or f"Werkprogramma {year}",
        reserve_share=Decimal(str(reserve_share)),
    )
    programme.full_clean()
    programme.save()
    ProgrammeEvent.objects.create(programme=programme, kind=ProgrammeEvent.Kind.CREATED, by=by)
    return programme


@transaction.atomic
def programme_transition(
    *, programme: WorkProgramme, to_status: str, by: Any = None, note: str = ""
) -> WorkProgramme:
    programme = WorkProgramme.objects.select_for_update().get(pk=programme.pk)
    if not workflow.is_allowed(programme.status, to_status):
        raise ValidationError(
            {
                "status": _("Van ‘%(current)s’ naar ‘%(target)s’ is geen toegestane stap.")
                % {"current": programme.get_status_display(), "target": to_status}
            }
        )
    from_status = programme.status
    programme.status = to_status
    programme.save(update_fields=["status", "updated_at"])
    ProgrammeEvent.objects.create(
        programme=programme,
        kind=ProgrammeEvent.Kind.STATUS,
        from_status=from_status,
        to_status=to_status,
        note=note,
        by=by,
    )
    return programme


@transaction.atomic
def programme_new_version(*, programme: WorkProgramme, by: Any = None) -> WorkProgramme:
    """A new concept version of the same year: settings, shares, items (with hours, links and dependencies),
    candidates and scenarios are copied; the old version stays as it was."""
    version = (WorkProgramme.objects.filter(year=programme.year).aggregate(v=Max("version"))["v"] or 0) + 1
    new = WorkProgramme.objects.create(
        year=programme.year,
        version=version,
        title=programme.title,
        previous=programme,
        reserve_share=programme.reserve_share,
        max_items_per_org_per_quarter=programme.max_items_per_org_per_quarter,
        max_items_per_org_per_year=programme.max_items_per_org_per_year,
        time_limit_s=programme.time_limit_s,
        description=programme.description,
    )
    GoalShare.objects.bulk_create(
        GoalShare(programme=new, goal_id=s.goal_id, min_share=s.min_share)
        for s in programme.goal_shares.all()
    )
    AreaShare.objects.bulk_create(
        AreaShare(programme=new, area_id=s.area_id, min_share=s.min_share)
        for s in programme.area_shares.all()
    )
    mapping = _copy_items(programme.items.all(), new)
    for cand in programme.candidates.all():
        Candidate.objects.create(
            programme=new,
            item=mapping[cand.item_id],
            source=cand.source,
            value=cand.value,
            why=cand.why,
            organisation_id=cand.organisation_id,
            theme_id=cand.theme_id,
            risk_score=cand.risk_score,
            proposed_by_id=cand.proposed_by_id,
        )
    for sc in programme.scenarios.prefetch_related("changes"):
        copy = Scenario.objects.create(programme=new, name=sc.name, description=sc.description)
        ScenarioTeamChange.objects.bulk_create(
            ScenarioTeamChange(
                scenario=copy, team_id=c.team_id, fte_delta=c.fte_delta, hours_delta=c.hours_delta
            )
            for c in sc.changes.all()
        )
    ProgrammeEvent.objects.create(
        programme=new,
        kind=ProgrammeEvent.Kind.CREATED,
        note=f"Nieuwe versie van versie {programme.version}.",
        by=by,
    )
    return new


def _copy_items(
    items: Iterable[ProgrammeItem], target: WorkProgramme, *, fresh: bool = False
) -> dict[int, ProgrammeItem]:
    """Copy items into ``target``; ``fresh`` resets status and planned quarters (a new year)."""
    mapping: dict[int, ProgrammeItem] = {}
    source = list(
        ProgrammeItem.objects.filter(pk__in=[i.pk for i in items]).prefetch_related(
            "areas", "organisations", "goals", "themes", "team_hours", "depends_on"
        )
    )
    for it in source:
        copy = ProgrammeItem.objects.create(
            programme=target,
            title=it.title,
            kind=it.kind,
            chain_id=it.chain_id,
            value=it.value,
            allowed_quarters=list(it.allowed_quarters),
            duration=it.duration,
            mandatory_basis=""
            if fresh and it.mandatory_basis == MandatoryBasis.URGENT
            else it.mandatory_basis,
            rationale=it.rationale,
            status=ItemStatus.PROPOSED if fresh else it.status,
            planned_start=None if fresh else it.planned_start,
            planned_quarters=[] if fresh else list(it.planned_quarters),
            recurring=it.recurring,
        )
        copy.areas.set(it.areas.all())
        copy.organisations.set(it.organisations.all())
        copy.goals.set(it.goals.all())
        copy.themes.set(it.themes.all())
        ItemTeamHours.objects.bulk_create(
            ItemTeamHours(item=copy, team_id=h.team_id, hours=h.hours) for h in it.team_hours.all()
        )
        mapping[it.pk] = copy
    for it in source:
        deps = [mapping[d.pk] for d in it.depends_on.all() if d.pk in mapping]
        if deps:
            mapping[it.pk].depends_on.set(deps)
    return mapping


def _require_editable(programme: WorkProgramme) -> None:
    if programme.status == "gepubliceerd":
        raise ValidationError(
            _(
                "Dit werkprogramma is gepubliceerd en verandert niet meer. "
                "Maak een nieuwe versie om het bij te stellen."
            )
        )


# ---- items ----------------------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    programme: WorkProgramme,
    title: str,
    team_hours: Mapping[Team, int],
    kind: str = ItemKind.REGULAR,
    value: float = 0.0,
    allowed_quarters: Iterable[int] = (),
    duration: int = 1,
    mandatory_basis: str = "",
    rationale: str = "",
    areas: Iterable[Any] = (),
    organisations: Iterable[Any] = (),
    goals: Iterable[Any] = (),
    themes: Iterable[Any] = (),
    depends_on: Iterable[ProgrammeItem] = (),
    chain: Any = None,
    recurring: bool = False,
    status: str = ItemStatus.PROPOSED,
) -> ProgrammeItem:
    errors: dict[str, str] = {}
    quarters = sorted({int(q) for q in allowed_quarters})
    if any(q not in (1, 2, 3, 4) for q in quarters):
        errors["allowed_quarters"] = _("Kwartalen zijn 1 tot en met 4.")
    if not team_hours or not any(int(h) > 0 for h in team_hours.values()):
        errors["team_hours"] = _("Geef voor minstens één team een aantal uren op.")
    elif any(int(h) < 0 for h in team_hours.values()):
        errors["team_hours"] = _("Uren kunnen niet negatief zijn.")
    if value < 0:
        errors["value"] = _("De waarde kan niet negatief zijn.")
    if quarters and duration > 1 and not _has_run(quarters, duration):
        errors["allowed_quarters"] = _(
            "Een duur van %(n)s kwartalen vraagt zoveel aaneengesloten kwartalen."
        ) % {"n": duration}
    if errors:
        raise ValidationError(errors)
    item = ProgrammeItem(
        programme=programme,
        title=title,
        kind=kind,
        value=float(value),
        allowed_quarters=quarters,
        duration=duration,
        mandatory_basis=mandatory_basis,
        rationale=rationale,
        chain=chain,
        recurring=recurring,
        status=status,
    )
    item.full_clean()
    item.save()
    item.areas.set(list(areas))
    item.organisations.set(list(organisations))
    item.goals.set(list(goals))
    item.themes.set(list(themes))
    deps = list(depends_on)
    if any(d.programme_id != programme.pk for d in deps):
        raise ValidationError(
            {"depends_on": _("Een onderdeel kan alleen afhangen van onderdelen van hetzelfde programma.")}
        )
    item.depends_on.set(deps)
    ItemTeamHours.objects.bulk_create(
        ItemTeamHours(item=item, team=team, hours=int(h)) for team, h in team_hours.items() if int(h) > 0
    )
    return item


def _has_run(quarters: list[int], duration: int) -> bool:
    qs = set(quarters)
    return any(all(q + k in qs for k in range(duration)) for q in quarters)


@transaction.atomic
def item_set_status(*, item: ProgrammeItem, status: str, by: Any = None) -> ProgrammeItem:
    if status not in ItemStatus.values:
        raise ValidationError({"status": _("Onbekende status.")})
    if status in FIXED_STATUSES and item.planned_start is None:
        raise ValidationError({"status": _("Alleen een gepland onderdeel kan starten of afgerond worden.")})
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    return item


# ---- candidates -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    risk: int
    recurring: int
    mandatory: int


def _team_for_areas(area_ids: Iterable[int]) -> Team | None:
    return Team.objects.filter(area_id__in=list(area_ids)).order_by("name").first()


@transaction.atomic
def candidates_refresh(*, programme: WorkProgramme, limit: int = 200) -> RefreshResult:
    """Fill the candidate pool: high risks nothing in the programme covers, recurring items of last year,
    and mandatory items without a candidate record. Idempotent."""
    _require_editable(programme)
    from toezicht.risk.selectors import top_risks  # the risk app provides this

    risks = list(top_risks(year=programme.year, limit=limit))
    active = programme.items.exclude(status=ItemStatus.CANCELLED)
    covered = set(active.values_list("organisations", "themes"))
    known = set(
        programme.candidates.filter(source=CandidateSource.RISK).values_list("organisation_id", "theme_id")
    )
    top = max((r.score for r in risks), default=0.0)
    n_risk = 0
    for r in risks:
        key = (r.organisation_id, r.theme_id)
        if key in covered or key in known:
            continue
        team = _team_for_areas(r.area_ids)
        if team is None:
            continue
        value = round(100.0 * r.score / top, 1) if top > 0 else 0.0
        kind = ItemKind.IN_DEPTH if value >= 80 else ItemKind.REGULAR
        item = item_create(
            programme=programme,
            title=f"{r.theme_name} bij {r.organisation_name}",
            team_hours={team: DEFAULT_HOURS[kind]},
            kind=kind,
            value=value,
            rationale=r.explanation,
            areas=list(r.area_ids),
            organisations=[r.organisation_id],
            goals=list(r.goal_ids),
            themes=[r.theme_id],
        )
        Candidate.objects.create(
            programme=programme,
            item=item,
            source=CandidateSource.RISK,
            value=value,
            why=f"Hoog risico (score {r.score:.1f}; kans {r.likelihood:.2f}, impact {r.impact:.2f}) "
            "en nog niet "
            f"in het programma. {r.explanation}".strip(),
            organisation_id=r.organisation_id,
            theme_id=r.theme_id,
            risk_score=r.score,
        )
        known.add(key)
        n_risk += 1

    n_recurring = 0
    previous = (
        WorkProgramme.objects.filter(year=programme.year - 1).order_by("-version").first()
        if programme.year
        else None
    )
    if previous is not None:
        titles = set(programme.items.values_list("title", flat=True))
        recurring = [i for i in previous.items.filter(recurring=True) if i.title not in titles]
        for old_pk, new in _copy_items(recurring, programme, fresh=True).items():
            Candidate.objects.create(
                programme=programme,
                item=new,
                source=CandidateSource.RECURRING,
                value=new.value,
                why=(
                    f"Terugkerend toezicht: stond ook in het werkprogramma {previous.year} "
                    f"(onderdeel {old_pk})."
                ),
            )
            n_recurring += 1

    n_mandatory = 0
    for item in programme.items.exclude(mandatory_basis="").filter(candidate__isnull=True):
        with translation.override(settings.LANGUAGE_CODE):  # stored text: Dutch, whatever the user's language
            basis = str(item.get_mandatory_basis_display())
        Candidate.objects.create(
            programme=programme,
            item=item,
            source=CandidateSource.MANDATORY,
            value=item.value,
            why=f"Verplicht: {basis}.",
        )
        n_mandatory += 1
    return RefreshResult(n_risk, n_recurring, n_mandatory)


@transaction.atomic
def candidate_propose(
    *,
    programme: WorkProgramme,
    title: str,
    why: str,
    team: Team,
    hours: int,
    value: float,
    kind: str = ItemKind.REGULAR,
    by: Any = None,
) -> Candidate:
    """A staff proposal: enters the pool as a candidate item; the next plan decides whether it fits."""
    _require_editable(programme)
    if not why.strip():
        raise ValidationError({"why": _("Licht toe waarom dit in het programma hoort.")})
    item = item_create(
        programme=programme,
        title=title,
        team_hours={team: hours},
        kind=kind,
        value=value,
        rationale=why,
        areas=[team.area_id] if team.area_id else [],
    )
    return Candidate.objects.create(
        programme=programme, item=item, source=CandidateSource.PROPOSAL, value=value, why=why, proposed_by=by
    )


# ---- planner problem from the database ---------------------------------------------------------------------


def _team_changes(scenario: Scenario | None) -> dict[int, tuple[float, float]]:
    if scenario is None:
        return {}
    return {c.team_id: (float(c.fte_delta), float(c.hours_delta)) for c in scenario.changes.all()}


def _planner_team_name(name: str) -> str:
    """The planner writes "team Migratie"; a team named "Team Migratie" would read "team Team Migratie"."""
    return name[5:] if name.lower().startswith("team ") else name


def problem_from_db(
    programme: WorkProgramme, *, items: Iterable[ProgrammeItem] | None = None, first_open_quarter: int = 1
) -> pl.Problem:
    """The planner problem of a programme: plannable and fixed items, capacity of the year, the rules."""
    if items is None:
        items = programme.items.filter(status__in=[*PLANNABLE_STATUSES, *FIXED_STATUSES])
    pks: Any = items.values("pk") if isinstance(items, QuerySet) else [i.pk for i in items]
    rows = list(
        ProgrammeItem.objects.filter(pk__in=pks)
        .prefetch_related("team_hours", "areas", "goals", "organisations", "depends_on")
        .order_by("pk")
    )
    ids = {r.pk for r in rows}
    caps = TeamCapacity.objects.filter(year=programme.year).select_related("team")
    team_hours: dict[int, list[float]] = {}
    team_fte: dict[int, list[float]] = {}
    names: dict[int, str] = {}
    for c in caps:
        team_hours.setdefault(c.team_id, [0.0] * 4)[c.quarter - 1] = float(c.available_hours)
        team_fte.setdefault(c.team_id, [0.0] * 4)[c.quarter - 1] = float(c.fte)
        names[c.team_id] = _planner_team_name(c.team.name)
    needed = {h.team_id for r in rows for h in r.team_hours.all()} - set(team_hours)
    for t in Team.objects.filter(pk__in=needed):
        team_hours[t.pk] = [0.0] * 4
        names[t.pk] = _planner_team_name(t.name)
    teams = []
    for team_id in sorted(team_hours, key=lambda t: names[t]):
        hours = team_hours[team_id]
        fte = sum(team_fte.get(team_id, [0.0]))
        per_fte = sum(hours) / fte if fte > 0 else 0.0
        teams.append(pl.Team(str(team_id), names[team_id], tuple(hours), hours_per_fte=per_fte))
    items_out = []
    for r in rows:
        fixed = r.planned_start if r.status in FIXED_STATUSES and r.planned_start else None
        items_out.append(
            pl.Item(
                id=str(r.pk),
                title=r.title,
                value=float(r.value),
                hours={str(h.team_id): float(h.hours) for h in r.team_hours.all()},
                kind=pl.ItemKind(r.kind),
                allowed_quarters=tuple(r.allowed_quarters) or None,
                duration=r.duration,
                basis=pl.Basis(r.mandatory_basis) if r.mandatory_basis else None,
                goals=tuple(str(g.pk) for g in r.goals.all()),
                areas=tuple(str(a.pk) for a in r.areas.all()),
                organisations=tuple(str(o.pk) for o in r.organisations.all()),
                depends_on=tuple(str(d.pk) for d in r.depends_on.all() if d.pk in ids),
                fixed_start=fixed,
            )
        )
    from toezicht.register.models import Organisation, SupervisionArea
    from toezicht.strategy.models import Goal

    goal_shares = {str(s.goal_id): float(s.min_share) for s in programme.goal_shares.all()}
    area_shares = {str(s.area_id): float(s.min_share) for s in programme.area_shares.all()}
    goal_ids = {g for it in items_out for g in it.goals} | set(goal_shares)
    area_ids = {a for it in items_out for a in it.areas} | set(area_shares)
    org_ids = {o for it in items_out for o in it.organisations}
    rules = pl.Rules(
        reserve_share=float(programme.reserve_share),
        min_share_per_goal=goal_shares,
        min_share_per_area=area_shares,
        max_items_per_org_per_quarter=programme.max_items_per_org_per_quarter,
        max_items_per_org_per_year=programme.max_items_per_org_per_year,
    )
    return pl.Problem(
        teams=tuple(teams),
        items=tuple(items_out),
        rules=rules,
        quarters=4,
        first_open_quarter=first_open_quarter,
        goal_names={str(g.pk): f"{g.number}. {g.title}" for g in Goal.objects.filter(pk__in=goal_ids)},
        area_names={str(a.pk): a.name for a in SupervisionArea.objects.filter(pk__in=area_ids)},
        organisation_names={str(o.pk): o.name for o in Organisation.objects.filter(pk__in=org_ids)},
    )


def scenario_to_planner(scenario: Scenario) -> pl.Scenario:
    changes = _team_changes(scenario)
    return pl.Scenario(
        name=scenario.name,
        description=scenario.description,
        fte_delta={str(t): f for t, (f, _) in changes.items() if f},
        hours_delta={str(t): h for t, (_, h) in changes.items() if h},
    )


# ---- plan runs --------------------------------------------------------------------------------------------


def _plan_json(plan: pl.Plan) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    binding: list[dict[str, Any]] = []
    explanation: dict[str, Any] = {"messages": list(plan.messages), "violations": list(plan.violations)}
    if plan.explanation is not None:
        ex = plan.explanation
        binding = [
            {"kind": b.kind, "key": list(b.key), "message": b.message, "slack": b.slack, "lp_dual": b.lp_dual}
            for b in ex.binding
        ]
        explanation["dropped"] = [
            {
                "item_id": d.item_id,
                "title": d.title,
                "value": d.value,
                "hours": d.hours,
                "value_per_hour": d.value_per_hour if d.value_per_hour != float("inf") else None,
                "reasons": list(d.reasons),
                "message": d.message,
            }
            for d in ex.dropped
        ]
        explanation["marginal_values"] = [
            {
                "team_id": m.team_id,
                "team_name": m.team_name,
                "quarter": m.quarter,
                "method": m.method,
                "value_per_hour": m.value_per_hour,
                "lower": m.lower_bound_per_hour,
                "upper": m.upper_bound_per_hour,
                "extra_hours": m.extra_hours,
                "message": m.message,
            }
            for m in ex.marginal_values
        ]
        explanation["notes"] = list(ex.notes)
    if plan.infeasibility is not None:
        explanation["infeasibility"] = {
            "summary": plan.infeasibility.summary,
            "parts": [p.label for p in plan.infeasibility.parts],
            "minimal": plan.infeasibility.minimal,
        }
    result = {
        "starts": dict(plan.starts.items()),
        "loads": [
            {
                "team_id": ld.team_id,
                "team_name": ld.team_name,
                "quarter": ld.quarter,
                "available": ld.available,
                "plannable": ld.plannable,
                "planned": ld.planned,
            }
            for ld in plan.loads
        ],
        "coverage": [
            {
                "kind": c.kind,
                "key": c.key,
                "name": c.name,
                "hours": c.planned_hours,
                "share": c.share,
                "min_share": c.min_share,
                "met": c.met,
            }
            for c in plan.coverage
        ],
    }
    return binding, explanation, result


def _store_run(
    programme: WorkProgramme,
    plan: pl.Plan,
    *,
    scenario_name: str,
    by: Any,
    applied: bool,
    into: PlanRun | None = None,
) -> PlanRun:
    """Store the outcome as a new PlanRun, or into the waiting run ``into`` (see ``plan_request``)."""
    binding, explanation, result = _plan_json(plan)
    fields = {
        "programme": programme,
        "scenario_name": scenario_name,
        "status": PLAN_STATUS_MAP[plan.status],
        "status_label": plan.status_label,
        "value": plan.objective if plan.has_plan else 0.0,
        "best_bound": plan.best_bound,
        "gap": plan.gap,
        "solve_seconds": plan.solve_seconds,
        "applied": applied,
        "binding": binding,
        "explanation": explanation,
        "result": result,
        "by": by,
    }
    if into is None:
        return PlanRun.objects.create(**fields)
    for name, value in fields.items():
        setattr(into, name, value)
    into.save()
    return into


def _apply_starts(programme: WorkProgramme, problem: pl.Problem, starts: Mapping[str, int]) -> None:
    """Write planned quarters: chosen items become gepland, other plannable items return to the pool."""
    by_id = {it.id: it for it in problem.items}
    for item in programme.items.filter(status__in=PLANNABLE_STATUSES):
        s = starts.get(str(item.pk))
        if s is None:
            item.status, item.planned_start, item.planned_quarters = ItemStatus.PROPOSED, None, []
        else:
            duration = by_id[str(item.pk)].duration
            item.status, item.planned_start = ItemStatus.PLANNED, s
            item.planned_quarters = list(range(s, s + duration))
        item.save(update_fields=["status", "planned_start", "planned_quarters", "updated_at"])


@transaction.atomic
def plan_compute(
    *,
    programme: WorkProgramme,
    scenario: Scenario | None = None,
    by: Any = None,
    time_limit_s: float | None = None,
    apply: bool = True,
    into: PlanRun | None = None,
) -> PlanRun:
    """Solve the programme (or a scenario of it) and store a PlanRun (or fill the waiting run ``into``).
    Only a plan of the programme itself (no scenario) that satisfies every rule is written to the items;
    an infeasible plan changes nothing."""
    if apply and scenario is None:
        _require_editable(programme)
    problem = problem_from_db(programme)
    if scenario is not None:
        try:
            problem = pl.apply_scenario(problem, scenario_to_planner(scenario))
        except pl.ProblemError as exc:
            plan = pl.Plan(pl.PlanStatus.INVALID, "ongeldige invoer", messages=exc.messages)
            return _store_run(programme, plan, scenario_name=scenario.name, by=by, applied=False)
    limit = float(time_limit_s if time_limit_s is not None else programme.time_limit_s)
    plan = pl.solve(problem, time_limit_s=limit, mip_gap=0.001, explain_time_limit_s=min(limit, 20.0))
    do_apply = apply and scenario is None and plan.has_plan
    if do_apply:
        _apply_starts(programme, problem, plan.starts)
        ProgrammeEvent.objects.create(
            programme=programme, kind=ProgrammeEvent.Kind.PLANNED, note=plan.status_label, by=by
        )
    return _store_run(
        programme, plan, scenario_name=scenario.name if scenario else "", by=by, applied=do_apply, into=into
    )


def plan_request(*, programme: WorkProgramme, by: Any = None) -> PlanRun:
    """Ask for a plan of the programme: a PlanRun "wordt berekend" now, the solve through core.tasks.

    With the inline task backend the solve has finished when this returns; with Celery a worker does it
    and the run page follows it. A solve can take the programme's whole time limit (30 s by default), too
    long to hold a web worker when a broker is there to take it."""
    _require_editable(programme)
    run = PlanRun.objects.create(
        programme=programme, status=PlanRunStatus.RUNNING, status_label="wordt berekend", by=by
    )
    enqueue_after_commit("toezicht.programme.tasks.compute_plan", run_id=run.pk)
    return run


def plan_run_finish(*, run_id: int) -> PlanRun | None:
    """Do the solve of a waiting run (the task). A run that is no longer waiting is left alone, so a task
    delivered twice solves once; an error is stored on the run instead of leaving it waiting forever."""
    with transaction.atomic():
        run = (
            PlanRun.objects.select_for_update(of=("self",))
            .select_related("programme", "by")
            .filter(pk=run_id)
            .first()
        )
        if run is None or run.status != PlanRunStatus.RUNNING:
            return run
        try:  # plan_compute is atomic itself: a failure rolls back to here, and the run records it
            return plan_compute(programme=run.programme, by=run.by, into=run)
        except ValidationError as exc:
            run.status, run.status_label = PlanRunStatus.INVALID, "ongeldige invoer"
            run.explanation = {"messages": list(exc.messages)}
        except Exception:
            logger.exception("Plan computation %s failed", run_id)
            run.status, run.status_label = PlanRunStatus.ERROR, "berekening mislukt"
        run.save()
        return run


@dataclass(frozen=True)
class ScenarioRow:
    name: str
    description: str
    run: PlanRun
    value_delta: float
    added: tuple[str, ...]  # titles
    dropped: tuple[str, ...]
    moved: int
    utilisation: float
    summary: str


@transaction.atomic
def scenarios_compare(
    *,
    programme: WorkProgramme,
    scenarios: Iterable[Scenario] | None = None,
    by: Any = None,
    time_limit_s: float = 20.0,
) -> list[ScenarioRow]:
    """Solve the base and every scenario with the same solver settings and compare them side by side. The
    results are stored as PlanRuns (not applied to the programme)."""
    chosen = list(scenarios if scenarios is not None else programme.scenarios.prefetch_related("changes"))
    problem = problem_from_db(programme)
    comparison = pl.compare_scenarios(
        problem, [scenario_to_planner(s) for s in chosen], time_limit_s=time_limit_s, mip_gap=0.001
    )
    titles = {it.id: it.title for it in problem.items}
    rows = []
    for name, desc, res in [(comparison.base.name, comparison.base.description, comparison.base)] + [
        (s.name, s.description, r) for s, r in zip(chosen, comparison.scenarios, strict=True)
    ]:
        run = _store_run(programme, res.plan, scenario_name=name, by=by, applied=False)
        rows.append(
            ScenarioRow(
                name=name,
                description=desc,
                run=run,
                value_delta=res.value_delta,
                added=tuple(titles.get(i, i) for i in res.added),
                dropped=tuple(titles.get(i, i) for i in res.dropped),
                moved=len(res.moved),
                utilisation=res.total_utilisation,
                summary=res.summary,
            )
        )
    return rows


def scenarios_compare_request(*, programme: WorkProgramme, by: Any = None) -> ScenarioComparison:
    """Ask for a comparison of the base and every scenario, solved through core.tasks like a plan run:
    each solve can take the programme's time limit, too long for a request when a broker can take it.
    With the inline backend the comparison has finished when this returns."""
    comparison = ScenarioComparison.objects.create(
        programme=programme, by=by if getattr(by, "is_authenticated", False) else None
    )
    enqueue_after_commit("toezicht.programme.tasks.compare_scenarios", comparison_id=comparison.pk)
    comparison.refresh_from_db()
    return comparison


def scenarios_compare_finish(*, comparison_id: int) -> ScenarioComparison | None:
    """The task: solve and store a waiting comparison once (a task delivered twice finds it done); an
    error is stored on the comparison instead of leaving it waiting forever."""
    with transaction.atomic():
        comparison = (
            ScenarioComparison.objects.select_for_update(of=("self",))
            .select_related("programme", "by")
            .filter(pk=comparison_id)
            .first()
        )
        if comparison is None or comparison.status != ScenarioComparison.Status.RUNNING:
            return comparison
        try:
            with transaction.atomic():
                rows = scenarios_compare(programme=comparison.programme, by=comparison.by)
            comparison.rows = [
                {
                    "name": r.name,
                    "description": r.description,
                    "run_id": r.run.pk,
                    "value_delta": r.value_delta,
                    "added": list(r.added),
                    "dropped": list(r.dropped),
                    "moved": r.moved,
                    "utilisation": r.utilisation,
                    "summary": r.summary,
                }
                for r in rows
            ]
            comparison.status = ScenarioComparison.Status.DONE
        except Exception:
            logger.exception("Scenario comparison %s failed", comparison_id)
            comparison.status = ScenarioComparison.Status.ERROR
        comparison.save()
        return comparison


@transaction.atomic
def scenario_save(
    *, programme: WorkProgramme, name: str, description: str = "", changes: Mapping[Team, float]
) -> Scenario:
    if not name.strip():
        raise ValidationError({"name": _("Geef het scenario een naam.")})
    scenario, _created = Scenario.objects.update_or_create(
        programme=programme, name=name.strip(), defaults={"description": description}
    )
    scenario.changes.all().delete()
    ScenarioTeamChange.objects.bulk_create(
        ScenarioTeamChange(scenario=scenario, team=team, fte_delta=Decimal(str(fte)))
        for team, fte in changes.items()
    )
    return scenario


# ---- adjustments (bijstelling) ----------------------------------------------------------------------------


def quarter_of(date: datetime.date, year: int) -> int:
    if date.year < year:
        return 1
    if date.year > year:
        return 4
    return (date.month - 1) // 3 + 1


@transaction.atomic
def adjustment_add_urgent(
    *,
    programme: WorkProgramme,
    title: str,
    team_hours: Mapping[Team, int],
    reason: str,
    note: str,
    by: Any = None,
    value: float = 0.0,
    kind: str = ItemKind.INCIDENT,
    allowed_quarters: Iterable[int] = (),
    duration: int = 1,
    from_quarter: int | None = None,
    date: datetime.date | None = None,
    organisations: Iterable[Any] = (),
    areas: Iterable[Any] = (),
    time_limit_s: float = 20.0,
) -> Adjustment:
    """Add an urgent item and re-plan with minimal disturbance: started and finished items keep their
    quarter, value comes first (deferrals and cancellations by least value lost), then the fewest changes.
    When no plan fits, raises ValidationError with the Dutch explanation and changes nothing."""
    _require_editable(programme)
    date = date or datetime.date.today()
    today_q = from_quarter or quarter_of(date, programme.year)
    if not 1 <= today_q <= 4:
        raise ValidationError({"from_quarter": _("Kies een kwartaal van 1 tot en met 4.")})
    if not note.strip():
        raise ValidationError({"note": _("Licht de bijstelling toe.")})
    from toezicht.programme.models import AdjustmentReason

    if reason not in AdjustmentReason.values:
        raise ValidationError({"reason": _("Kies een aanleiding.")})
    existing = programme.items.filter(status__in=[*PLANNABLE_STATUSES, *FIXED_STATUSES])
    problem = problem_from_db(programme, items=existing)
    current = {
        str(i.pk): i.planned_start
        for i in existing
        if i.planned_start is not None and i.status in (ItemStatus.PLANNED, *FIXED_STATUSES)
    }
    started = [str(i.pk) for i in existing if i.status in FIXED_STATUSES and i.planned_start is not None]
    urgent = item_create(
        programme=programme,
        title=title,
        team_hours=team_hours,
        kind=kind,
        value=value,
        allowed_quarters=allowed_quarters,
        duration=duration,
        mandatory_basis=MandatoryBasis.URGENT,
        rationale=note,
        organisations=organisations,
        areas=areas,
    )
    urgent_problem = problem_from_db(programme, items=[urgent])
    urgent_item = urgent_problem.items[0]
    # the urgent item's teams may not be in the base problem yet
    known = {t.id for t in problem.teams}
    extra_teams = tuple(t for t in urgent_problem.teams if t.id not in known)
    problem = replace(
        problem,
        teams=problem.teams + extra_teams,
        organisation_names={**problem.organisation_names, **urgent_problem.organisation_names},
        area_names={**problem.area_names, **urgent_problem.area_names},
    )
    result = pl.replan(problem, current, [urgent_item], started, today_q, time_limit_s=time_limit_s)
    if not result.plan.has_plan:
        raise ValidationError(result.summary)
    new_problem = replace(problem, items=(*problem.items, replace(urgent_item, basis=pl.Basis.SPOED)))
    run = _store_run(programme, result.plan, scenario_name="Bijstelling", by=by, applied=True)
    _apply_starts(programme, new_problem, result.plan.starts)
    added, deferred, cancelled = [], [], []
    for change in result.changes:
        pk = int(change.item_id)
        if change.kind is pl.ChangeKind.ADDED:
            added.append(pk)
        elif change.kind is pl.ChangeKind.DEFERRED:
            deferred.append(pk)
        elif change.kind is pl.ChangeKind.CANCELLED:
            cancelled.append(pk)
    ProgrammeItem.objects.filter(pk__in=cancelled).update(
        status=ItemStatus.CANCELLED, planned_start=None, planned_quarters=[]
    )
    adjustment = Adjustment.objects.create(
        programme=programme,
        date=date,
        reason=reason,
        note=note,
        from_quarter=today_q,
        summary=result.summary,
        changes=[
            {
                "kind": c.kind.value,
                "item_id": int(c.item_id),
                "title": c.title,
                "message": c.message,
                "urgent": c.urgent,
            }
            for c in result.changes
        ],
        plan_run=run,
        by=by,
    )
    adjustment.added.set(added)
    adjustment.deferred.set(deferred)
    adjustment.cancelled.set(cancelled)
    ProgrammeEvent.objects.create(
        programme=programme, kind=ProgrammeEvent.Kind.ADJUSTED, note=result.summary, by=by
    )
    return adjustment


@transaction.atomic
def capacity_set(
    *, team: Team, year: int, quarter: int, available_hours: int, fte: float = 0.0
) -> TeamCapacity:
    if not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("Kies een kwartaal van 1 tot en met 4.")})
    if available_hours < 0 or fte < 0:
        raise ValidationError({"available_hours": _("Uren en fte kunnen niet negatief zijn.")})
    cap, _created = TeamCapacity.objects.update_or_create(
        team=team,
        year=year,
        quarter=quarter,
        defaults={"available_hours": int(available_hours), "fte": Decimal(str(round(fte, 2)))},
    )
    return cap
