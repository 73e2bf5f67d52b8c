"""The signal workflow: every allowed status change, in one table. Services consult it; nothing else
changes a signal's status."""

from __future__ import annotations

from toezicht.core.workflow import TransitionTable
from toezicht.signals.models import SignalStatus as S

TABLE = TransitionTable(
    {
        (S.RECEIVED, S.IN_PROGRESS): "In behandeling nemen",
        (S.RECEIVED, S.CLOSED): "Afsluiten zonder behandeling",
        (S.IN_PROGRESS, S.ASSESSED): "Beoordeling vastleggen",
        (S.IN_PROGRESS, S.RECEIVED): "Terugzetten naar ontvangen",
        (S.ASSESSED, S.LINKED): "Koppelen aan toezicht",
        (S.ASSESSED, S.CLOSED): "Afsluiten",
        (S.ASSESSED, S.IN_PROGRESS): "Opnieuw in behandeling",
        (S.LINKED, S.CLOSED): "Afsluiten",
        (S.CLOSED, S.IN_PROGRESS): "Heropenen",
    }
)
allowed_targets = TABLE.allowed_targets
is_allowed = TABLE.is_allowed
