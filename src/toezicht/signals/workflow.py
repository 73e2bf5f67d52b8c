"""The signal workflow: every allowed status change, in one table. Services consult it; nothing else
changes a signal's status."""

from __future__ import annotations

from toezicht.signals.models import SignalStatus as S

# (from, to) -> what the change means, shown in the history and on the button.
TRANSITIONS: dict[tuple[str, str], str] = {
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


def allowed_targets(status: str) -> list[tuple[str, str]]:
    """(target status, label) pairs reachable from ``status``."""
    return [(to, label) for (frm, to), label in TRANSITIONS.items() if frm == status]


def is_allowed(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in TRANSITIONS
