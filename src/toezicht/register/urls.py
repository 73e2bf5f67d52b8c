from django.urls import path

from toezicht.register import views

app_name = "register"
urlpatterns = [
    path("organisaties/", views.organisation_list, name="organisation_list"),
    path("organisaties/nieuw/", views.organisation_edit, name="organisation_create"),
    path("organisaties/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisaties/<int:pk>/wijzigen/", views.organisation_edit, name="organisation_edit"),
    path("organisaties/export/", views.organisation_export, name="organisation_export"),
    path("organisaties/importeren/", views.organisation_import, name="organisation_import"),
    path("ketens/", views.chain_list, name="chain_list"),
    path("ketens/<int:pk>/", views.chain_detail, name="chain_detail"),
]
