from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from toezicht.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "is_active")
    list_filter = ("role", "areas", "is_active")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Toezicht", {"fields": ("role", "areas", "job_title")}),
    )
    filter_horizontal = ("areas", "groups", "user_permissions")
