"""Bulk import of signals; included from signals/urls.py (app_name "signals") at /signalen/importeren/."""

from django.urls import path

from toezicht.signals import import_views

urlpatterns: list = [
    path("", import_views.import_signals, name="import"),
    path("rapport/<str:token>/", import_views.import_report, name="import_report"),
    path("kolomindelingen/", import_views.import_mappings, name="import_mappings"),
    path(
        "kolomindelingen/<int:pk>/verwijderen/",
        import_views.import_mapping_delete,
        name="import_mapping_delete",
    ),
    path("<int:pk>/", import_views.import_batch, name="import_batch"),
    path("op-de-achtergrond/<int:pk>/", import_views.import_job, name="import_job"),
    path("op-de-achtergrond/<int:pk>/rapport.csv", import_views.import_job_report, name="import_job_report"),
    path("<int:pk>/quarantaine.csv", import_views.import_quarantine, name="import_quarantine"),
]
