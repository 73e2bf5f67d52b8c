from django.contrib import admin

from toezicht.risk import models


@admin.register(models.RiskModelVersion)
class RiskModelVersionAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "status", "created_at", "activated_at")
    readonly_fields = ("status", "activated_at")


@admin.register(models.RiskSnapshot)
class RiskSnapshotAdmin(admin.ModelAdmin):
    list_display = ("pk", "computed_at", "status", "trigger", "model_version", "n_scores", "duration_s")
    list_filter = ("status", "trigger")
    readonly_fields = [f.name for f in models.RiskSnapshot._meta.fields]


@admin.register(models.RiskOverride)
class RiskOverrideAdmin(admin.ModelAdmin):
    list_display = ("organisation", "theme", "score", "computed_score", "until", "created_at", "revoked_at")
    list_select_related = ("organisation", "theme")
    raw_id_fields = ("organisation",)
