"""Input of the work-programme planner: teams, candidate items and rules, plus validation.

Conventions (decided here, relied upon everywhere in the planner):

* Quarters are numbered 1..``Problem.quarters`` (normally 4).
* ``Item.hours`` holds the *total* hours an item needs from each team. An item with a duration of d
  quarters runs in d consecutive quarters and its hours are spread evenly: hours / d per quarter.
* ``Item.allowed_quarters`` are the quarters in which work on the item may take place (``None`` = all).
  A start quarter s is possible when every quarter s..s+d-1 is allowed and inside the horizon.
* An item is mandatory when it has a ``basis`` (wettelijk, verzoek minister, verzoek Tweede Kamer,
  or spoed for urgent items added during re-planning).
* ``Item.fixed_start`` pins an item that has already started: it is planned, at exactly that start.
* Dependencies are strict: if B depends on A, B is planned only if A is, and A's last quarter lies
  strictly before B's first quarter.
* Minimum shares per strategic goal and per supervision area are shares of *planned hours* (all teams,
  all quarters). An item counts with all its hours for every goal/area it lists.
* Capacity per team per quarter is ``Team.hours[q-1] * (1 - reserve)``; the reserve is kept free for
  unplanned incident investigations.
* Organisation load: an item touches its organisations in every quarter in which it runs (per-quarter
  cap) and once in the year (per-year cap).
* ``Problem.first_open_quarter``: quarters before it lie in the past. Items that are not fixed may not
  start before it, and capacity/organisation caps of past quarters are no longer enforced.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from . import _nl


class ItemKind(StrEnum):
    REGULIER = "regulier"
    VERDIEPEND = "verdiepend"
    INTENSIEF = "intensief"
    THEMATISCH = "thematisch"
    INCIDENTONDERZOEK = "incidentonderzoek"
    OPVOLGING = "opvolging"


class Basis(StrEnum):
    """Why an item is mandatory."""

    WETTELIJK = "wettelijk"
    VERZOEK_MINISTER = "verzoek_minister"
    VERZOEK_TWEEDE_KAMER = "verzoek_tweede_kamer"
    SPOED = "spoed"


BASIS_LABELS: dict[Basis, str] = {
    Basis.WETTELIJK: "wettelijke taak",
    Basis.VERZOEK_MINISTER: "verzoek minister",
    Basis.VERZOEK_TWEEDE_KAMER: "verzoek Tweede Kamer",
    Basis.SPOED: "spoedonderzoek",
}


@dataclass(frozen=True)
class Team:
    id: str
    name: str
    hours: tuple[float, ...]  # inspector hours available per quarter, after leave and overhead
    hours_per_fte: float = 0.0  # hours one fte yields per quarter (used by scenarios)
    reserve_share: float | None = None  # overrides Rules.reserve_share for this team


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    value: float  # expected value from the risk picture
    hours: Mapping[str, float]  # team id -> total hours over the whole duration
    kind: ItemKind = ItemKind.REGULIER
    allowed_quarters: tuple[int, ...] | None = None  # None = every quarter
    duration: int = 1  # consecutive quarters
    basis: Basis | None = None  # set = mandatory
    goals: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()  # ids of items that must be finished before this one starts
    fixed_start: int | None = None  # already started: keeps this start quarter

    @property
    def mandatory(self) -> bool:
        return self.basis is not None

    @property
    def total_hours(self) -> float:
        return float(sum(self.hours.values()))


@dataclass(frozen=True)
class OrgLimit:
    per_quarter: int | None = None
    per_year: int | None = None


@dataclass(frozen=True)
class Rules:
    reserve_share: float = 0.15
    min_share_per_goal: Mapping[str, float] = field(default_factory=dict)  # goal -> share of planned hours
    min_share_per_area: Mapping[str, float] = field(default_factory=dict)  # area -> share of planned hours
    max_items_per_org_per_quarter: int | None = None
    max_items_per_org_per_year: int | None = None
    org_limits: Mapping[str, OrgLimit] = field(default_factory=dict)  # per-organisation override

    def org_limit(self, org: str) -> OrgLimit:
        override = self.org_limits.get(org)
        per_q = self.max_items_per_org_per_quarter
        per_y = self.max_items_per_org_per_year
        if override is not None:
            per_q = override.per_quarter if override.per_quarter is not None else per_q
            per_y = override.per_year if override.per_year is not None else per_y
        return OrgLimit(per_q, per_y)


@dataclass(frozen=True)
class Problem:
    teams: tuple[Team, ...]
    items: tuple[Item, ...]
    rules: Rules = field(default_factory=Rules)
    quarters: int = 4
    first_open_quarter: int = 1
    goal_names: Mapping[str, str] = field(default_factory=dict)
    area_names: Mapping[str, str] = field(default_factory=dict)
    organisation_names: Mapping[str, str] = field(default_factory=dict)

    # ---- lookups -----------------------------------------------------------------------------------
    def _index(self) -> tuple[dict[str, Team], dict[str, Item]]:
        cached: tuple[dict[str, Team], dict[str, Item]] | None = self.__dict__.get("_lookup")
        if cached is None:
            cached = ({t.id: t for t in self.teams}, {i.id: i for i in self.items})
            object.__setattr__(self, "_lookup", cached)  # frozen dataclass: cache lookups once
        return cached

    def team(self, team_id: str) -> Team:
        return self._index()[0][team_id]

    def item(self, item_id: str) -> Item:
        return self._index()[1][item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._index()[1]

    def team_name(self, team_id: str) -> str:
        team = self._index()[0].get(team_id)
        return team.name if team is not None else team_id

    def goal_name(self, goal: str) -> str:
        return self.goal_names.get(goal, goal)

    def area_name(self, area: str) -> str:
        return self.area_names.get(area, area)

    def org_name(self, org: str) -> str:
        return self.organisation_names.get(org, org)

    def reserve(self, team: Team) -> float:
        return self.rules.reserve_share if team.reserve_share is None else team.reserve_share

    def plannable(self, team: Team, q: int) -> float:
        """Hours of ``team`` in quarter ``q`` that may be planned (available minus reserve)."""
        return team.hours[q - 1] * (1.0 - self.reserve(team))

    def starts(self, item: Item) -> tuple[int, ...]:
        """Possible start quarters of ``item`` (respecting allowed quarters, horizon and the past)."""
        if item.fixed_start is not None:
            if 1 <= item.fixed_start <= self.quarters - item.duration + 1:
                return (item.fixed_start,)
            return ()
        allowed = (
            set(range(1, self.quarters + 1)) if item.allowed_quarters is None else set(item.allowed_quarters)
        )
        first = max(1, self.first_open_quarter)
        return tuple(
            s
            for s in range(first, self.quarters - item.duration + 2)
            if all(q in allowed for q in range(s, s + item.duration))
        )

    def describe_item(self, item: Item) -> str:
        return _nl.quoted(item.title)


class ProblemError(ValueError):
    """Raised by :func:`check` when the input is invalid; ``messages`` are in Dutch."""

    def __init__(self, messages: tuple[str, ...]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def _finite(x: float) -> bool:
    return isinstance(x, int | float) and math.isfinite(x)


def validate(problem: Problem) -> tuple[str, ...]:
    """Return every problem with the input as a Dutch sentence (empty tuple = valid)."""
    msgs: list[str] = []
    nq = problem.quarters
    if nq < 1:
        msgs.append("Het aantal kwartalen moet minstens 1 zijn.")
        return tuple(msgs)
    if not 1 <= problem.first_open_quarter <= nq + 1:
        msgs.append(f"Het eerste open kwartaal ({problem.first_open_quarter}) ligt buiten het jaar.")

    team_ids: set[str] = set()
    for team in problem.teams:
        if team.id in team_ids:
            msgs.append(f"Team {team.name} komt meer dan eens voor (code {team.id}).")
        team_ids.add(team.id)
        if len(team.hours) != nq:
            msgs.append(f"Team {team.name} heeft uren voor {len(team.hours)} kwartalen; verwacht: {nq}.")
        for q, h in enumerate(team.hours, start=1):
            if not _finite(h):
                msgs.append(f"Team {team.name} heeft geen geldig aantal uren in {_nl.quarter(q)}.")
            elif h < 0:
                msgs.append(
                    f"Team {team.name} heeft een negatief aantal uren in {_nl.quarter(q)} ({_nl.number(h)})."
                )
        if team.hours_per_fte < 0:
            msgs.append(f"Team {team.name} heeft een negatief aantal uren per fte.")
        if team.reserve_share is not None and not 0.0 <= team.reserve_share < 1.0:
            msgs.append(f"De reserve van team {team.name} moet tussen 0 % en 100 % liggen.")

    rules = problem.rules
    if not 0.0 <= rules.reserve_share < 1.0:
        msgs.append(
            f"De reserve voor onvoorziene incidentonderzoeken ({_nl.percent(rules.reserve_share)}) moet "
            "tussen 0 % en 100 % liggen."
        )
    for label, shares, namer in (
        ("doel", rules.min_share_per_goal, problem.goal_name),
        ("toezichtgebied", rules.min_share_per_area, problem.area_name),
    ):
        for key, share in shares.items():
            if not _finite(share) or not 0.0 <= share <= 1.0:
                msgs.append(f"Het minimumaandeel voor {label} {namer(key)} moet tussen 0 % en 100 % liggen.")
    for name, cap in (
        ("per kwartaal", rules.max_items_per_org_per_quarter),
        ("per jaar", rules.max_items_per_org_per_year),
    ):
        if cap is not None and cap < 0:
            msgs.append(f"Het maximum aantal onderzoeken per organisatie {name} mag niet negatief zijn.")
    for org, lim in rules.org_limits.items():
        if (lim.per_quarter is not None and lim.per_quarter < 0) or (
            lim.per_year is not None and lim.per_year < 0
        ):
            msgs.append(f"Het maximum aantal onderzoeken bij {problem.org_name(org)} mag niet negatief zijn.")

    item_ids: dict[str, Item] = {}
    for item in problem.items:
        name = _nl.quoted(item.title)
        if item.id in item_ids:
            msgs.append(f"Onderzoek {name} komt meer dan eens voor (code {item.id}).")
        item_ids[item.id] = item
        if not _finite(item.value):
            msgs.append(f"Onderzoek {name} heeft geen geldige waarde.")
        if not item.hours:
            msgs.append(f"Onderzoek {name} heeft geen urenraming voor enig team.")
        for team_id, h in item.hours.items():
            if team_id not in team_ids:
                msgs.append(f"Onderzoek {name} vraagt uren van onbekend team ‘{team_id}’.")
            if not _finite(h):
                msgs.append(
                    f"Onderzoek {name} heeft geen geldige urenraming voor team {problem.team_name(team_id)}."
                )
            elif h < 0:
                msgs.append(
                    f"Onderzoek {name} heeft een negatieve urenraming voor team {problem.team_name(team_id)} "
                    f"({_nl.number(h)})."
                )
        if not 1 <= item.duration <= nq:
            msgs.append(f"Onderzoek {name} heeft een ongeldige duur ({item.duration} kwartalen; 1 tot {nq}).")
            continue
        if item.fixed_start is not None:
            if not 1 <= item.fixed_start <= nq - item.duration + 1:
                msgs.append(
                    f"Onderzoek {name} is gestart in kwartaal {item.fixed_start}, maar past met een duur van "
                    f"{item.duration} kwartalen niet binnen het jaar."
                )
            continue
        if item.allowed_quarters is not None:
            bad = [q for q in item.allowed_quarters if not 1 <= q <= nq]
            if bad:
                msgs.append(f"Onderzoek {name} noemt kwartalen buiten het jaar: {', '.join(map(str, bad))}.")
            if not item.allowed_quarters:
                msgs.append(f"Onderzoek {name} heeft geen enkel toegestaan kwartaal.")
                continue
        base = Problem(teams=(), items=(), quarters=nq)
        if not base.starts(item):
            msgs.append(
                f"Onderzoek {name} duurt {item.duration} kwartalen, maar heeft geen {item.duration} "
                "aaneengesloten "
                "toegestane kwartalen."
            )

    for item in problem.items:
        for dep in item.depends_on:
            if dep == item.id:
                msgs.append(f"Onderzoek {_nl.quoted(item.title)} hangt van zichzelf af.")
            elif dep not in item_ids:
                msgs.append(f"Onderzoek {_nl.quoted(item.title)} hangt af van onbekend onderzoek ‘{dep}’.")
    for cycle in _cycles(problem.items, item_ids):
        names = [_nl.quoted(item_ids[i].title) for i in [*cycle, cycle[0]]]
        msgs.append(
            "De afhankelijkheden vormen een kring, zodat geen van deze onderzoeken kan beginnen: "
            + " hangt af van ".join(names)
            + "."
        )
    return tuple(msgs)


def _cycles(items: tuple[Item, ...], by_id: Mapping[str, Item]) -> list[list[str]]:
    """One representative cycle per strongly connected component with a cycle (item -> its prerequisite)."""
    graph = {i.id: [d for d in i.depends_on if d in by_id and d != i.id] for i in items}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        # iterative Tarjan
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, pos = work.pop()
            if pos == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            succ = graph[node]
            if pos < len(succ):
                work.append((node, pos + 1))
                nxt = succ[pos]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                comp: list[str] = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    components.append(comp)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    cycles: list[list[str]] = []
    for comp in components:
        members = set(comp)
        start = min(comp)
        # walk inside the component until a node repeats
        path = [start]
        seen = {start: 0}
        node = start
        while True:
            node = next(d for d in graph[node] if d in members)
            if node in seen:
                cycles.append(path[seen[node] :])
                break
            seen[node] = len(path)
            path.append(node)
    return cycles


def check(problem: Problem) -> None:
    """Raise :class:`ProblemError` with Dutch messages when the problem is invalid."""
    msgs = validate(problem)
    if msgs:
        raise ProblemError(msgs)
