from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _dashboard_panel(request: Any, _obj: Any) -> dict[str, Any]:
    from toezicht.programme.selectors import current_programmes

    return {"programmes": current_programmes(request.user)}


class ProgrammeConfig(AppConfig):
    name = "toezicht.programme"
    label = "programme"
    verbose_name = _("Werkprogramma")

    def ready(self) -> None:
        from toezicht.web.panels import Panel, register_panel

        register_panel(
            Panel(
                page="dashboard",
                key="werkprogramma",
                title=_("Werkprogramma"),
                template="programme/_dashboard_panel.html",
                context=_dashboard_panel,
                order=20,
            )
        )
