from django.contrib import admin

from toezicht.strategy import models


class GoalInline(admin.StackedInline):
    model = models.Goal
    extra = 0


@admin.register(models.StrategicPeriod)
class StrategicPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "start_year", "end_year")
    inlines = [GoalInline]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    filter_horizontal = ("goals",)
