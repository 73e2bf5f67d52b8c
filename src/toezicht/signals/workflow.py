"""The signal workflow: every allowed status change, in one table. Services consult it; nothing else
changes a signal's status."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from toezicht.core.workflow import TransitionTable
from toezicht.signals.models import SignalStatus as S

# Button labels stay Dutch here; the pages translate them when rendered.
TABLE = TransitionTable(
    {
        (S.RECEIVED, S.IN_PROGRESS): gettext_noop("In behandeling nemen"),
        (S.RECEIVED, S.CLOSED): gettext_noop("Afsluiten zonder behandeling"),
        (S.IN_PROGRESS, S.ASSESSED): gettext_noop("Beoordeling vastleggen"),
        (S.IN_PROGRESS, S.RECEIVED): gettext_noop("Terugzetten naar ontvangen"),
        (S.ASSESSED, S.LINKED): gettext_noop("Koppelen aan toezicht"),
        (S.ASSESSED, S.CLOSED): gettext_noop("Afsluiten"),
        (S.ASSESSED, S.IN_PROGRESS): gettext_noop("Opnieuw in behandeling"),
        (S.LINKED, S.CLOSED): gettext_noop("Afsluiten"),
        (S.CLOSED, S.IN_PROGRESS): gettext_noop("Heropenen"),
    }
)
allowed_targets = TABLE.allowed_targets
is_allowed = TABLE.is_allowed
