"""Visibility of the work programme, enforced in SQL for pages, API and exports alike.

The rule (docs/programme.md): a work programme is a year-level document that is public inside the
inspectorate, so every signed-in active user sees every programme and its items. Which *organisations* an
item names follows the register's rule: pages, API and exports show only the organisations of
``Organisation.objects.visible_to(user)`` (see ``selectors.visible_organisations``). Candidates that come
from the risk picture of one organisation are risk information: a candidate is visible when it names no
organisation or an organisation the user may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from toezicht.accounts.models import User


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class WorkProgrammeQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> WorkProgrammeQuerySet:
        return self if _signed_in(user) else self.none()


class ProgrammeItemQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> ProgrammeItemQuerySet:
        return self if _signed_in(user) else self.none()


class CandidateQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> CandidateQuerySet:
        if not _signed_in(user):
            return self.none()
        from toezicht.register.models import Organisation

        return self.filter(
            Q(organisation__isnull=True)
            | Q(organisation__in=Organisation.objects.visible_to(user).values("pk"))
        )
