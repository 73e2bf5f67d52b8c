from django.urls import path

from toezicht.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("nieuw/", views.indicator_edit, name="indicator_create"),
    path("<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("<int:pk>/wijzigen/", views.indicator_edit, name="indicator_edit"),
    path("normen/nieuw/", views.norm_edit, name="norm_create"),
    path("normen/<int:pk>/", views.norm_detail, name="norm_detail"),
    path("normen/<int:pk>/wijzigen/", views.norm_edit, name="norm_edit"),
    path("metingen/importeren/", views.observation_import, name="observation_import"),
]
