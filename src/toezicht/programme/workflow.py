"""The programme workflow: every allowed status change, in one table. Services consult it; nothing else
changes a programme's status."""

from __future__ import annotations

from toezicht.programme.models import ProgrammeStatus as S

# (from, to) -> what the change means, shown in the history and on the button.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.CONCEPT, S.ADOPTED): "Vaststellen",
    (S.ADOPTED, S.PUBLISHED): "Publiceren",
    (S.ADOPTED, S.CONCEPT): "Terug naar concept",
}


def allowed_targets(status: str) -> list[tuple[str, str]]:
    """(target status, label) pairs reachable from ``status``."""
    return [(to, label) for (frm, to), label in TRANSITIONS.items() if frm == status]


def is_allowed(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in TRANSITIONS
