from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _organisation_panel(request: Any, organisation: Any) -> dict[str, Any]:
    from toezicht.signals.selectors import organisation_signal_timeline

    return {"organisation_id": organisation.pk, **organisation_signal_timeline(request.user, organisation)}


def _dashboard_panel(request: Any, _obj: Any) -> dict[str, Any]:
    from toezicht.signals.selectors import signals_needing_attention

    return {"attention": signals_needing_attention(request.user)}


class SignalsConfig(AppConfig):
    name = "toezicht.signals"
    label = "signals"
    verbose_name = _("Signalen")

    def ready(self) -> None:
        from toezicht.web.panels import Panel, register_panel

        register_panel(
            Panel(
                page="organisation",
                key="signalen",
                title=_("Signalen"),
                template="signals/_organisation_panel.html",
                context=_organisation_panel,
                order=20,
            )
        )
        register_panel(
            Panel(
                page="dashboard",
                key="signalen",
                title=_("Signalen die op u wachten"),
                template="signals/_dashboard_panel.html",
                context=_dashboard_panel,
                order=10,
            )
        )
