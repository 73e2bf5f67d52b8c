from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "toezicht.indicators"
    label = "indicators"
    verbose_name = _("Indicatoren en normen")

    def ready(self) -> None:
        from toezicht.core.audit import register_for_audit
        from toezicht.indicators import models
        from toezicht.web.panels import Panel, register_panel

        for model in (models.Indicator, models.Norm):
            register_for_audit(model)
        register_panel(
            Panel(
                page="organisation",
                key="indicatoren",
                title=_("Indicatoren"),
                template="indicators/_organisation_panel.html",
                context=_organisation_panel,
                order=30,
            )
        )


def _organisation_panel(request: Any, organisation: Any) -> dict[str, Any]:
    from toezicht.indicators.selectors import organisation_indicator_charts

    return {"charts": organisation_indicator_charts(request.user, organisation)}
