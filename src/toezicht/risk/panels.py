"""The risk panels on the organisation and chain pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from toezicht.web.panels import Panel, register_panel


def _organisation(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    from toezicht.risk.views import organisation_context

    return {"risk": organisation_context(request, organisation)}


def _chain(request: HttpRequest, chain: Any) -> dict[str, Any]:
    from toezicht.risk.views import chain_context

    return {"risk": {"chain": chain, **chain_context(request, chain)}}


def _dashboard(request: HttpRequest, _obj: Any) -> dict[str, Any]:
    from toezicht.risk import selectors

    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        return {"snapshot": None, "top": []}
    top = selectors.scores(request.user, snapshot, selectors.ScoreFilter(totals=True))[:5]
    return {"snapshot": snapshot, "top": list(top)}


def register() -> None:
    register_panel(
        Panel(
            page="dashboard",
            key="risico",
            title=_("Hoogste risico's"),
            template="risk/_dashboard_panel.html",
            context=_dashboard,
            order=30,
        )
    )
    register_panel(
        Panel(
            page="organisation",
            key="risico",
            title=_("Risico"),
            template="risk/_organisation_panel.html",
            context=_organisation,
            order=10,
        )
    )
    register_panel(
        Panel(
            page="chain",
            key="risico",
            title=_("Risico van de keten"),
            template="risk/_chain_panel.html",
            context=_chain,
            order=10,
        )
    )
