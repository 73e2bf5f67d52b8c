from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "toezicht.strategy"
    label = "strategy"
    verbose_name = _("Strategie")

    def ready(self) -> None:
        from toezicht.core.audit import register_for_audit
        from toezicht.strategy import models

        for model in (models.StrategicPeriod, models.Goal, models.Theme):
            register_for_audit(model)
