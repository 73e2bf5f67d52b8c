from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "toezicht.demo"
    label = "demo"
    verbose_name = "Demo en synthetische data"
