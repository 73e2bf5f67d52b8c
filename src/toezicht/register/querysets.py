"""Querysets of the register, each with ``visible_to(user)``: the area rule enforced in SQL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Exists, OuterRef

from toezicht.accounts.scoping import user_area_ids, user_sees_all_areas

if TYPE_CHECKING:
    from toezicht.accounts.models import User


class OrganisationQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> OrganisationQuerySet:
        if user_sees_all_areas(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        through = self.model.areas.through
        in_user_area = through.objects.filter(
            organisation_id=OuterRef("pk"), supervisionarea_id__in=user_area_ids(user)
        )
        return self.filter(Exists(in_user_area))


class ChainQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> ChainQuerySet:
        if user_sees_all_areas(user):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.none()
        # A chain is visible when it belongs to one of the user's areas, or when one of its members does:
        # an inspector of prisons sees that a prison takes part in the counter-terrorism network.
        from toezicht.register.models import ChainMembership, Organisation

        through = self.model.areas.through
        in_user_area = through.objects.filter(
            chain_id=OuterRef("pk"), supervisionarea_id__in=user_area_ids(user)
        )
        has_visible_member = ChainMembership.objects.filter(
            chain_id=OuterRef("pk"), organisation__in=Organisation.objects.visible_to(user).values("pk")
        )
        return self.filter(Exists(in_user_area) | Exists(has_visible_member))


class RelationshipQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User | Any) -> RelationshipQuerySet:
        from toezicht.register.models import Organisation

        return self.filter(target__in=Organisation.objects.visible_to(user).values("pk"))
