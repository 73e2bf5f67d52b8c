from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "toezicht.core"
    label = "core"
    verbose_name = "Kern"
