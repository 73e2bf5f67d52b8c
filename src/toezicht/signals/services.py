"""Every write to signals: creation, status changes and their history."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from toezicht.signals import workflow
from toezicht.signals.intake.deadlines import DeadlineRule, default_calendar
from toezicht.signals.models import Signal, SignalEvent, SignalStatus, SourceType


def handling_deadline(source: SourceType, received_on: datetime.date) -> datetime.date:
    rule = DeadlineRule(int(source.deadline_amount), source.deadline_unit)  # type: ignore[arg-type]
    return default_calendar().due_date(received_on, rule)


def next_reference(received_on: datetime.date) -> str:
    """``S-<year>-<number>``, numbered per year of receipt. Called inside the creating transaction."""
    prefix = f"S-{received_on.year}-"
    last = Signal.objects.filter(reference__startswith=prefix).aggregate(last=Max("reference"))["last"]
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def signal_create(
    *,
    title: str,
    source: SourceType,
    received_on: datetime.date,
    severity: Any,
    by: Any = None,
    themes: Iterable[Any] = (),
    related_organisations: Iterable[Any] = (),
    vulnerable_groups: Iterable[Any] = (),
    authorised_users: Iterable[Any] = (),
    note: str = "",
    **fields: Any,
) -> Signal:
    """Record a new signal with its handling deadline and a first history entry."""
    signal = Signal(
        title=title,
        source=source,
        received_on=received_on,
        severity=severity,
        created_by=by if getattr(by, "is_authenticated", False) else None,
        reference=next_reference(received_on),
        deadline=handling_deadline(source, received_on),
        **fields,
    )
    signal.full_clean(exclude=["reference"])
    signal.save()
    signal.themes.set(themes)
    signal.related_organisations.set(related_organisations)
    signal.vulnerable_groups.set(vulnerable_groups)
    signal.authorised_users.set(authorised_users)
    SignalEvent.objects.create(
        signal=signal,
        kind=SignalEvent.Kind.CREATED,
        to_status=signal.status,
        note=note or f"Ontvangen via {source.name.lower()}.",
        by=signal.created_by,
    )
    return signal


@transaction.atomic
def signal_transition(*, signal: Signal, to_status: str, by: Any, note: str = "") -> Signal:
    """Move a signal to another status when the transition table allows it; refuse with a Dutch message."""
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if not workflow.is_allowed(locked.status, to_status):
        current = SignalStatus(locked.status).label
        target = SignalStatus(to_status).label if to_status in SignalStatus.values else to_status
        raise ValidationError(f"Een signaal met status '{current}' kan niet naar '{target}'.")
    SignalEvent.objects.create(
        signal=locked,
        kind=SignalEvent.Kind.STATUS,
        from_status=locked.status,
        to_status=to_status,
        note=note,
        by=by if getattr(by, "is_authenticated", False) else None,
    )
    locked.status = to_status
    locked.updated_at = timezone.now()
    locked.save(update_fields=["status", "updated_at"])
    return locked
