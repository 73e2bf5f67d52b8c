from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "toezicht.signals"
    label = "signals"
    verbose_name = "Signalen"
