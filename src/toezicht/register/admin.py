from django.contrib import admin

from toezicht.register import models


class ChainMembershipInline(admin.TabularInline):
    model = models.ChainMembership
    autocomplete_fields = ["organisation"]
    extra = 0


@admin.register(models.SupervisionArea)
class SupervisionAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(models.OrganisationType)
class OrganisationTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_governance_body")
    search_fields = ("name", "code")


@admin.register(models.Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "type", "parent", "municipality")
    list_filter = ("type", "areas")
    search_fields = ("name", "code", "municipality")
    autocomplete_fields = ["parent"]
    list_select_related = ("type", "parent")


@admin.register(models.Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name",)
    inlines = [ChainMembershipInline]


@admin.register(models.Relationship)
class RelationshipAdmin(admin.ModelAdmin):
    list_display = ("source", "kind", "target")
    list_filter = ("kind",)
    autocomplete_fields = ["source", "target"]
    list_select_related = ("source", "target")
