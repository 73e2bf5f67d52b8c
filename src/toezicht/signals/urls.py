from django.urls import include, path

app_name = "signals"
urlpatterns: list = [
    # Bulk import pages live in their own module (import_views.py) next to the intake pages.
    path("importeren/", include("toezicht.signals.import_urls")),
]
