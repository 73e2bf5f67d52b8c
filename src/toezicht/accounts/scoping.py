"""Area scoping helpers used by every ``visible_to`` queryset method.

The user's areas are passed to the database as a subquery, never as a Python list of ids, so the rule
is applied by the database for pages, API and exports alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def user_sees_all_areas(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.sees_all_areas)


def user_area_ids(user: Any) -> QuerySet[Any]:
    from toezicht.register.models import SupervisionArea

    return SupervisionArea.objects.filter(users=user).values("pk")
