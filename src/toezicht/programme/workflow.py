"""The programme workflow: every allowed status change, in one table. Services consult it; nothing else
changes a programme's status."""

from __future__ import annotations

from toezicht.core.workflow import TransitionTable
from toezicht.programme.models import ProgrammeStatus as S

TABLE = TransitionTable(
    {
        (S.CONCEPT, S.ADOPTED): "Vaststellen",
        (S.ADOPTED, S.PUBLISHED): "Publiceren",
        (S.ADOPTED, S.CONCEPT): "Terug naar concept",
    }
)
allowed_targets = TABLE.allowed_targets
is_allowed = TABLE.is_allowed
