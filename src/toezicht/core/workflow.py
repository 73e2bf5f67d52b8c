"""A transition table: every allowed status change of one kind of object, with what the change means.

Each app that has a status workflow declares one table in its ``workflow.py``; its services consult it
before changing a status and append to their history table, and pages show the allowed changes as buttons.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class TransitionTable:
    def __init__(self, transitions: Mapping[tuple[str, str], StrOrPromise]) -> None:
        # (from, to) -> what the change means, shown in the history and on the button. A lazy label is
        # translated when the page renders it.
        self.transitions = dict(transitions)

    def allowed_targets(self, status: str) -> list[tuple[str, StrOrPromise]]:
        """(target status, label) pairs reachable from ``status``."""
        return [(to, label) for (frm, to), label in self.transitions.items() if frm == status]

    def is_allowed(self, from_status: str, to_status: str) -> bool:
        return (from_status, to_status) in self.transitions
