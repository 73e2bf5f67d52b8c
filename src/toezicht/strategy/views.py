from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from toezicht.strategy.selectors import periods_with_goals, themes_with_goals


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "strategy/overview.html",
        {"periods": periods_with_goals(), "themes": themes_with_goals()},
    )
