from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "toezicht.indicators"
    label = "indicators"
    verbose_name = "Indicatoren en normen"
