from django.urls import include, path

from toezicht.signals import views

app_name = "signals"
urlpatterns: list = [
    path("", views.inbox, name="inbox"),
    path("export/", views.inbox_export, name="export"),
    path("toewijzen/", views.bulk_assign, name="bulk_assign"),
    path("nieuw/", views.signal_create, name="create"),
    path("<int:pk>/", views.signal_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.signal_edit, name="edit"),
    path("<int:pk>/status/", views.signal_transition, name="transition"),
    path("<int:pk>/toewijzen/", views.signal_assign, name="assign"),
    path("<int:pk>/bijlagen/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/bijlagen/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/dubbel/<int:candidate_pk>/", views.duplicate_decide, name="duplicate_decide"),
    path("<int:pk>/suggestie/", views.apply_suggestion, name="apply_suggestion"),
    path("api-sleutels/", views.sender_tokens, name="sender_tokens"),
    # Bulk import pages live in their own module (import_views.py) next to the intake pages.
    path("importeren/", include("toezicht.signals.import_urls")),
]
