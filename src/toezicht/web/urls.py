from django.urls import path

from toezicht.web import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wijzigingslog/", views.audit_log, name="audit_log"),
]
