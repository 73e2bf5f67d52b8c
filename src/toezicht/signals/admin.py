"""Configuration of the intake desk in the Django admin: sources with their deadlines, the severity scale,
vulnerable groups and the API keys of sending organisations.

Signals themselves are deliberately not in the admin: the admin does not apply ``visible_to`` and would
show confidential signals to anyone with admin access. They are managed through the intake pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from toezicht.signals import models, services


@admin.register(models.SourceType)
class SourceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "deadline_amount", "deadline_unit", "is_mandatory_notification", "order")
    list_editable = ("deadline_amount", "deadline_unit", "order")
    search_fields = ("name", "code")


@admin.register(models.SeverityLevel)
class SeverityLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "rank", "colour")


@admin.register(models.VulnerableGroup)
class VulnerableGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(models.SenderToken)
class SenderTokenAdmin(admin.ModelAdmin):
    """Keys are made on the page "API-sleutels van melders" (the key is shown once there); here they can
    be looked up and revoked."""

    list_display = ("organisation", "label", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("organisation__name", "label", "prefix")
    list_select_related = ("organisation",)
    readonly_fields = ("organisation", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    fields = ("organisation", "label", "prefix", "key_hash", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Geselecteerde sleutels intrekken")
    def revoke(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.sender_token_revoke(token=token)
            count += 1
        self.message_user(request, f"{count} sleutel(s) ingetrokken.", messages.SUCCESS)
