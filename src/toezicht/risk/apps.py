from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "toezicht.risk"
    label = "risk"
    verbose_name = "Risicobeeld"
