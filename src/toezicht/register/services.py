"""Writes to the register. Every function is transactional; the audit trail records each change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from toezicht.register.models import Organisation, SupervisionArea

EDITABLE_FIELDS = (
    "code",
    "name",
    "short_name",
    "type",
    "parent",
    "municipality",
    "website",
    "description",
    "active_from",
    "active_until",
)


def _check_parent(organisation: Organisation, parent: Organisation | None) -> None:
    """Refuse a parent that is the organisation itself or one of its descendants.

    The walk up reads parent ids from the database, so objects held in memory cannot hide a cycle.
    """
    parent_id = parent.pk if parent is not None else None
    seen: set[int] = set()
    while parent_id is not None and parent_id not in seen:
        if organisation.pk is not None and parent_id == organisation.pk:
            raise ValidationError(
                {"parent": _("Een organisatie kan niet onder zichzelf of onder een eigen onderdeel vallen.")}
            )
        seen.add(parent_id)
        parent_id = Organisation.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()


@transaction.atomic
def organisation_save(
    *,
    organisation: Organisation | None = None,
    data: dict[str, Any],
    areas: Iterable[SupervisionArea] | None = None,
) -> Organisation:
    """Create (``organisation`` is None) or update an organisation with validated form data."""
    target = organisation or Organisation()
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(target, field, data[field])
    _check_parent(target, target.parent)
    target.full_clean(exclude=["areas"])
    target.save()
    if areas is not None:
        target.areas.set(list(areas))
    return target
