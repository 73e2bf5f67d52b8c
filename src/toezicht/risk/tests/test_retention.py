"""Pruning stored risk snapshots: the service, the command and the scheduled recompute."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from toezicht.risk import services, tasks
from toezicht.risk.models import RiskAggregate, RiskScore, RiskSnapshot, SnapshotStatus, SnapshotTrigger
from toezicht.risk.tests.factories import REFERENCE, hand_example

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2026, 12, 4, 12, 0))


def computed(days_ago: int, status: str = SnapshotStatus.COMPLETE) -> RiskSnapshot:
    snapshot = services.recompute_full(reference_date=REFERENCE)
    RiskSnapshot.objects.filter(pk=snapshot.pk).update(
        computed_at=NOW - datetime.timedelta(days=days_ago), status=status
    )
    return snapshot


def test_old_snapshots_go_with_their_scores_and_the_month_ends_stay() -> None:
    hand_example()
    gone = computed(200)  # a complete snapshot, but not the last of its month
    month_end = computed(199)
    failed = computed(150, SnapshotStatus.FAILED)
    recent = computed(3)
    assert RiskScore.objects.filter(snapshot=gone).exists()

    dry = services.prune_snapshots(keep_days=90, dry_run=True, now=NOW)
    assert (dry.snapshots, dry.kept) == (2, 2)
    assert RiskSnapshot.objects.count() == 4

    outcome = services.prune_snapshots(keep_days=90, now=NOW)
    assert outcome == dry
    assert set(RiskSnapshot.objects.values_list("pk", flat=True)) == {month_end.pk, recent.pk}
    assert not RiskScore.objects.filter(snapshot_id__in=[gone.pk, failed.pk]).exists()
    assert not RiskAggregate.objects.filter(snapshot_id__in=[gone.pk, failed.pk]).exists()
    assert RiskScore.objects.filter(snapshot=month_end).exists()
    assert outcome.scores == dry.scores > 0


def test_the_scores_are_deleted_without_being_read(django_assert_max_num_queries: Any) -> None:
    """A snapshot has some 105,000 scores: Django must delete them by statement, not collect them first."""
    hand_example()
    for days in (300, 299, 298, 297):
        computed(days)
    computed(1)
    with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(10):
        outcome = services.prune_snapshots(keep_days=90, now=NOW)
    assert outcome.snapshots == 3
    table = RiskScore._meta.db_table
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]
    assert reads == []


def test_the_command_reports_in_dutch_and_refuses_a_window_of_zero_days() -> None:
    hand_example()
    computed(400)
    computed(399)
    out = StringIO()
    call_command("prune_risk_snapshots", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Te verwijderen: 1 risicobeeld(en) met ")
    assert RiskSnapshot.objects.count() == 2
    call_command("prune_risk_snapshots", stdout=out)
    assert "Verwijderd: 1 risicobeeld(en)" in out.getvalue()
    assert RiskSnapshot.objects.count() == 1
    with pytest.raises(CommandError, match="ten minste 1"):
        call_command("prune_risk_snapshots", "--keep-days", "0")


def test_a_scheduled_recompute_prunes_afterwards(settings: Any) -> None:
    settings.RISK_SNAPSHOT_KEEP_DAYS = 30
    hand_example()
    old = computed(400)
    computed(399)
    tasks.recompute(trigger=SnapshotTrigger.SCHEDULED)
    assert not RiskSnapshot.objects.filter(pk=old.pk).exists()
    assert RiskSnapshot.objects.count() == 2  # the last of that old month and the new one
    tasks.recompute(trigger=SnapshotTrigger.FULL)
    assert RiskSnapshot.objects.count() == 3  # an ad-hoc recompute prunes nothing
