from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "toezicht.web"
    label = "web"
    verbose_name = "Webinterface"
