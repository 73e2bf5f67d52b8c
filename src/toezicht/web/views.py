from __future__ import annotations

from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from toezicht.core.pagination import paginate, query_without_page
from toezicht.register.models import SupervisionArea
from toezicht.register.selectors import chain_list, organisations_visible
from toezicht.strategy.selectors import current_period
from toezicht.web.panels import panels_for


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    organisations = organisations_visible(user)
    areas = SupervisionArea.objects.annotate(
        organisation_count=Count("organisations", distinct=True)
    ).order_by("name")
    if not user.sees_all_areas:
        areas = areas.filter(users=user)
    period = current_period()
    context = {
        "organisation_count": organisations.count(),
        "chain_count": chain_list(user).count(),
        "areas": areas,
        "period": period,
        "goals": list(period.goals.all()) if period else [],
        # what the apps want the user to see first (signals waiting, the current programme, top risks)
        "panels": panels_for("dashboard", request, None),
    }
    return render(request, "web/dashboard.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.can("audit.view"):  # type: ignore[union-attr]
        raise PermissionDenied(_("U heeft geen recht om het wijzigingslog te bekijken."))
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp")
    page = paginate(request, entries)
    return render(
        request, "web/audit_log.html", {"page_obj": page, "base_query": query_without_page(request)}
    )
