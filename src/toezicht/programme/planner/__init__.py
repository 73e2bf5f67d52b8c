"""Work-programme planner (werkprogramma): exact optimisation with HiGHS, explanations in Dutch.

Pure Python (no Django). Public API re-exported here; see the module docstrings for the modelling choices.
"""

from .greedy import greedy
from .plan import (
    BindingConstraint,
    ConflictPart,
    Coverage,
    DroppedItem,
    Explanation,
    Infeasibility,
    MarginalValue,
    Plan,
    PlannedItem,
    PlanStatus,
    TeamLoad,
)
from .problem import Basis, Item, ItemKind, OrgLimit, Problem, ProblemError, Rules, Team, check, validate
from .replan import Change, ChangeKind, Replan, replan
from .scenarios import Scenario, ScenarioComparison, ScenarioResult, apply_scenario, compare_scenarios
from .solve import solve
from .verify import check_plan

__all__ = [
    "Basis",
    "BindingConstraint",
    "Change",
    "ChangeKind",
    "ConflictPart",
    "Coverage",
    "DroppedItem",
    "Explanation",
    "Infeasibility",
    "Item",
    "ItemKind",
    "MarginalValue",
    "OrgLimit",
    "Plan",
    "PlanStatus",
    "PlannedItem",
    "Problem",
    "ProblemError",
    "Replan",
    "Rules",
    "Scenario",
    "ScenarioComparison",
    "ScenarioResult",
    "Team",
    "TeamLoad",
    "apply_scenario",
    "check",
    "check_plan",
    "compare_scenarios",
    "greedy",
    "replan",
    "solve",
    "validate",
]
