"""The visibility rule for signals, applied in SQL for pages, API, search and exports alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from toezicht.accounts.scoping import user_area_ids, user_sees_all_areas

if TYPE_CHECKING:
    from toezicht.accounts.models import User


class SignalQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> SignalQuerySet:
        """Open and internal signals follow the area rule of the register. A confidential signal is seen
        only by the members of its area's team, the users named on it and whoever entered it: also the
        roles that otherwise see every area do not see it unless they belong to that area."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        from toezicht.register.models import Organisation

        in_own_area = Q(area__in=user_area_ids(user))
        named = Exists(
            self.model.authorised_users.through.objects.filter(signal_id=OuterRef("pk"), user_id=user.pk)
        )
        confidential_rule = in_own_area | named | Q(created_by=user)
        if user_sees_all_areas(user):
            open_rule = Q()
        else:
            open_rule = in_own_area | Q(organisation__in=Organisation.objects.visible_to(user).values("pk"))
        return self.filter(
            (~Q(confidentiality="vertrouwelijk") & open_rule)
            | (Q(confidentiality="vertrouwelijk") & confidential_rule)
        )

    def open(self) -> SignalQuerySet:
        return self.filter(status__in=["ontvangen", "in_behandeling", "beoordeeld"], merged_into__isnull=True)
