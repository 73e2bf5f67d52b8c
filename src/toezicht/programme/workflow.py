"""The programme workflow: every allowed status change, in one table. Services consult it; nothing else
changes a programme's status."""

from __future__ import annotations

from django.utils.translation import pgettext_lazy

from toezicht.core.workflow import TransitionTable
from toezicht.programme.models import ProgrammeStatus as S

# Lazy, with a context: 'Vaststellen' of a programme is 'adopt', not the 'set' of a risk score.
TABLE = TransitionTable(
    {
        (S.CONCEPT, S.ADOPTED): pgettext_lazy("werkprogramma", "Vaststellen"),
        (S.ADOPTED, S.PUBLISHED): pgettext_lazy("werkprogramma", "Publiceren"),
        (S.ADOPTED, S.CONCEPT): pgettext_lazy("werkprogramma", "Terug naar concept"),
    }
)
allowed_targets = TABLE.allowed_targets
is_allowed = TABLE.is_allowed
