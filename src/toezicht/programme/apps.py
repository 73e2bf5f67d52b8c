from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "toezicht.programme"
    label = "programme"
    verbose_name = "Werkprogramma"
