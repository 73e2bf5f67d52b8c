from django.urls import path

from toezicht.programme import views

app_name = "programme"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nieuw/", views.programme_create, name="create"),
    path("<int:pk>/", views.board, name="board"),
    path("<int:pk>/status/", views.status_change, name="status"),
    path("<int:pk>/nieuwe-versie/", views.new_version, name="new_version"),
    path("<int:pk>/onderdelen/", views.items, name="items"),
    path("<int:pk>/kandidaten/", views.candidates, name="candidates"),
    path("<int:pk>/kandidaten/vernieuwen/", views.candidates_refresh, name="candidates_refresh"),
    path("<int:pk>/berekenen/", views.plan, name="plan"),
    path("<int:pk>/berekeningen/<int:run_pk>/", views.run_detail, name="run"),
    path("<int:pk>/scenarios/", views.scenarios, name="scenarios"),
    path("<int:pk>/bijstellingen/", views.adjustments, name="adjustments"),
    path("<int:pk>/bijstellingen/spoed/", views.adjustment_add, name="adjustment_add"),
    path("<int:pk>/export.xlsx", views.export, name="export"),
]
