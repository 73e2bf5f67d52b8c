"""Pure risk engine (no Django): model as data, full and incremental computation, explanation, comparison.

Entry points: :class:`RiskModel` (``from_dict`` / ``to_dict``), :func:`compute`, :func:`add_signal`,
:func:`add_observation`, :func:`add_judgement`, :func:`explain`, :func:`compare_results`,
:func:`apply_overrides`.
"""

from .compare import ResultDiff, compare_results
from .compute import SCORE_COLUMNS, compute, decay, saturate
from .data import NewJudgement, NewObservation, NewSignal, RiskInput
from .errors import RiskInputError, RiskModelError
from .explain import CriterionExplanation, EvidenceItem, Explanation, explain
from .incremental import add_judgement, add_observation, add_signal
from .model import (
    CRITERIA,
    CRITERION_LABELS,
    Band,
    RiskClass,
    RiskModel,
    default_model,
    default_model_dict,
    validate_model_dict,
    vulnerability_from_groups,
)
from .overrides import Override, apply_overrides
from .result import EngineState, RiskResult

__all__ = [
    "CRITERIA",
    "CRITERION_LABELS",
    "SCORE_COLUMNS",
    "Band",
    "CriterionExplanation",
    "EngineState",
    "EvidenceItem",
    "Explanation",
    "NewJudgement",
    "NewObservation",
    "NewSignal",
    "Override",
    "ResultDiff",
    "RiskClass",
    "RiskInput",
    "RiskInputError",
    "RiskModel",
    "RiskModelError",
    "RiskResult",
    "add_judgement",
    "add_observation",
    "add_signal",
    "apply_overrides",
    "compare_results",
    "compute",
    "decay",
    "default_model",
    "default_model_dict",
    "explain",
    "saturate",
    "validate_model_dict",
    "vulnerability_from_groups",
]
