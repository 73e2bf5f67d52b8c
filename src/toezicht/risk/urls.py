from django.urls import path

from toezicht.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ranglijst/", views.ranking, name="ranking"),
    path("organisaties/<int:pk>/", views.organisation, name="organisation"),
    path("organisaties/<int:pk>/vaststellen/", views.override_create, name="override_create"),
    path("vastgesteld/<int:pk>/intrekken/", views.override_revoke, name="override_revoke"),
    path("ketens/<int:pk>/", views.chain, name="chain"),
    path("berekeningen/", views.snapshot_list, name="snapshots"),
    path("berekeningen/herberekenen/", views.recompute, name="recompute"),
    path("berekeningen/vergelijken/", views.compare, name="compare"),
    path("model/", views.model_page, name="model"),
    path("model/<int:pk>/activeren/", views.model_activate, name="model_activate"),
    path("verantwoording/", views.accountability_page, name="accountability"),
]
