"""The demo work programmes: the running year published and then adjusted in a second version, and next
year's concept; loading twice gives the same programmes."""

from __future__ import annotations

import pytest

from toezicht.demo.loader import load_demo
from toezicht.programme.demo_data import RUNNING_YEAR, YEAR
from toezicht.programme.models import Adjustment, ItemStatus, WorkProgramme

pytestmark = pytest.mark.django_db


def test_demo_programmes_show_a_running_year_and_next_years_concept(monkeypatch) -> None:
    import toezicht.demo.loader as loader

    monkeypatch.setattr(loader, "DEMO_MODULES", ["toezicht.programme.demo_data"])
    load_demo()
    first, second = WorkProgramme.objects.filter(year=RUNNING_YEAR).order_by("version")
    assert (first.status, second.status) == ("gepubliceerd", "vastgesteld")
    assert second.previous == first
    # the adjustments of the year are on the second version, one per quarter after the first, in date order
    adjustments = list(Adjustment.objects.filter(programme=second).order_by("date"))
    assert [a.from_quarter for a in adjustments] == [2, 3, 4]
    assert all(a.added.count() == 1 for a in adjustments)
    assert not Adjustment.objects.filter(programme=first).exists()
    # in the fourth quarter: what ended before it is finished, what runs in it has started
    items = list(second.items.filter(planned_start__isnull=False))
    for item in items:
        end = item.planned_start + item.duration - 1
        assert item.status == (ItemStatus.DONE if end < 4 else ItemStatus.STARTED), item.title
    assert WorkProgramme.objects.get(year=YEAR).status == "concept"

    load_demo()
    assert WorkProgramme.objects.filter(year=RUNNING_YEAR).count() == 2
    assert Adjustment.objects.filter(programme__year=RUNNING_YEAR).count() == 3
