"""Reads of the register. Every function takes the user and returns only what that user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from toezicht.register.models import (
    Chain,
    ChainMembership,
    Organisation,
    OrganisationType,
    Relationship,
    RelationshipKind,
    SupervisionArea,
)

MAX_HIERARCHY_DEPTH = 12

ORGANISATION_SORTS = {
    "naam": ("name", "code"),
    "-naam": ("-name", "-code"),
    "code": ("code",),
    "-code": ("-code",),
    "type": ("type__name", "name"),
    "-type": ("-type__name", "name"),
    "gemeente": ("municipality", "name"),
    "-gemeente": ("-municipality", "name"),
}


@dataclass(frozen=True)
class OrganisationFilter:
    query: str = ""
    type_id: int | None = None
    area_id: int | None = None
    municipality: str = ""
    status: str = ""  # "actief", "inactief" or "" for both
    parent_id: int | None = None
    sort: str = "naam"


def organisations_visible(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.visible_to(user)


def organisation_list(
    user: Any, filters: OrganisationFilter, today: datetime.date | None = None
) -> QuerySet[Organisation]:
    today = today or datetime.date.today()
    queryset = organisations_visible(user).select_related("type", "parent")
    if filters.query:
        words = filters.query.split()
        for word in words[:6]:
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(code__icontains=word)
                | Q(short_name__icontains=word)
                | Q(municipality__icontains=word)
            )
    if filters.type_id:
        queryset = queryset.filter(type_id=filters.type_id)
    if filters.area_id:
        queryset = queryset.filter(areas__id=filters.area_id)
    if filters.municipality:
        queryset = queryset.filter(municipality__iexact=filters.municipality)
    if filters.parent_id:
        queryset = queryset.filter(parent_id=filters.parent_id)
    active = (Q(active_from__isnull=True) | Q(active_from__lte=today)) & (
        Q(active_until__isnull=True) | Q(active_until__gte=today)
    )
    if filters.status == "actief":
        queryset = queryset.filter(active)
    elif filters.status == "inactief":
        queryset = queryset.exclude(active)
    order = ORGANISATION_SORTS.get(filters.sort, ORGANISATION_SORTS["naam"])
    return queryset.order_by(*order).prefetch_related(
        Prefetch("areas", queryset=SupervisionArea.objects.only("pk", "name", "code"))
    )


def organisation_get(user: Any, pk: int) -> Organisation:
    """The organisation if this user may see it; 404 otherwise (never revealing that it exists)."""
    return get_object_or_404(
        organisations_visible(user).select_related("type", "parent").prefetch_related("areas"), pk=pk
    )


def organisation_ancestors(organisation: Organisation) -> list[Organisation]:
    """From the top of the hierarchy down to the direct parent (bounded, so a bad cycle cannot hang)."""
    chain: list[Organisation] = []
    current = organisation.parent
    seen = {organisation.pk}
    while current is not None and current.pk not in seen and len(chain) < MAX_HIERARCHY_DEPTH:
        chain.append(current)
        seen.add(current.pk)
        current = Organisation.objects.select_related("parent").get(pk=current.pk).parent
    return list(reversed(chain))


def organisation_children(user: Any, organisation: Organisation) -> QuerySet[Organisation]:
    return (
        organisations_visible(user)
        .filter(parent=organisation)
        .select_related("type")
        .annotate(child_count=Count("children"))
        .order_by("name")
    )


def organisation_chains(user: Any, organisation: Organisation) -> QuerySet[ChainMembership]:
    return (
        ChainMembership.objects.filter(
            organisation=organisation, chain__in=Chain.objects.visible_to(user).values("pk")
        )
        .select_related("chain")
        .order_by("chain__name")
    )


def organisation_governance(
    user: Any, organisation: Organisation, ancestors: list[Organisation] | None = None
) -> dict[str, Any]:
    """Principals, owners and other links, in both directions, as visible to the user.

    A prison has no principal of its own: it works under the principal and owner of DJI. When the
    organisation itself has none, the nearest ancestor's are shown, with ``principals_via``/``owners_via``
    naming that ancestor.
    """
    lineage = [organisation, *reversed(ancestors or [])]  # the organisation, then nearest ancestor first
    related = list(
        Relationship.objects.filter(target__in=[o.pk for o in lineage])
        .select_related("source", "source__type")
        .order_by("kind")
    )
    incoming = [r for r in related if r.target_id == organisation.pk]

    def nearest(kind: str) -> tuple[list[Relationship], Organisation | None]:
        for level, holder in enumerate(lineage):
            found = [r for r in related if r.kind == kind and r.target_id == holder.pk]
            if found:
                return found, holder if level else None
        return [], None

    principals, principals_via = nearest(RelationshipKind.PRINCIPAL)
    owners, owners_via = nearest(RelationshipKind.OWNER)
    outgoing = list(
        Relationship.objects.visible_to(user)
        .filter(source=organisation)
        .select_related("target", "target__type")
        .order_by("kind", "target__name")
    )
    return {
        "principals": principals,
        "principals_via": principals_via,
        "owners": owners,
        "owners_via": owners_via,
        "other_incoming": [
            r for r in incoming if r.kind not in (RelationshipKind.PRINCIPAL, RelationshipKind.OWNER)
        ],
        "outgoing": outgoing,
    }


def chain_list(user: Any) -> QuerySet[Chain]:
    return Chain.objects.visible_to(user).annotate(member_count=Count("memberships")).order_by("name")


def chain_get(user: Any, pk: int) -> Chain:
    return get_object_or_404(
        Chain.objects.visible_to(user).prefetch_related(
            "areas",
            Prefetch(
                "memberships",
                queryset=ChainMembership.objects.select_related("organisation", "organisation__type"),
            ),
        ),
        pk=pk,
    )


def filter_options(user: Any) -> dict[str, Any]:
    """Choices for the organisation filters: only the areas and types the user can actually find."""
    if getattr(user, "sees_all_areas", False):
        areas = SupervisionArea.objects.all()
    else:
        areas = SupervisionArea.objects.filter(users=user)
    return {
        "areas": list(areas.order_by("name").values_list("pk", "name")),
        "types": list(OrganisationType.objects.order_by("name").values_list("pk", "name")),
    }
