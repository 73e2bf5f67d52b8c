"""The audit trail: every create, update and delete of a registered model, with who, when and which fields.

Backed by django-auditlog (see docs/adr/0003-audit-trail.md). Apps register their models here so the
choice of library stays in one place.
"""

from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet


def register_for_audit(model: type[models.Model], *, exclude: list[str] | None = None) -> None:
    if not auditlog.contains(model):
        auditlog.register(model, exclude_fields=exclude or [], serialize_data=False)


def history_for(instance: models.Model) -> QuerySet[LogEntry]:
    content_type = ContentType.objects.get_for_model(type(instance))
    return (
        LogEntry.objects.filter(content_type=content_type, object_pk=str(instance.pk))
        .select_related("actor")
        .order_by("-timestamp")
    )


def describe_changes(entry: LogEntry) -> list[dict[str, Any]]:
    """The changed fields of one entry as rows (field, old, new) for display."""
    changes = entry.changes_dict or {}
    return [{"field": field, "old": values[0], "new": values[1]} for field, values in changes.items()]
