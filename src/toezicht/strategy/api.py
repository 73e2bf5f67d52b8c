from __future__ import annotations

from rest_framework import serializers, viewsets

from toezicht.strategy.models import Goal, StrategicPeriod, Theme


class GoalSerializer(serializers.ModelSerializer[Goal]):
    class Meta:
        model = Goal
        fields = ["id", "period", "number", "title", "description"]


class StrategicPeriodSerializer(serializers.ModelSerializer[StrategicPeriod]):
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = StrategicPeriod
        fields = ["id", "name", "start_year", "end_year", "description", "goals"]


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    class Meta:
        model = Theme
        fields = ["id", "code", "name", "description", "goals"]


class StrategicPeriodViewSet(viewsets.ModelViewSet[StrategicPeriod]):
    serializer_class = StrategicPeriodSerializer
    queryset = StrategicPeriod.objects.prefetch_related("goals").order_by("-start_year")
    write_capability = "strategy.change"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class GoalViewSet(viewsets.ModelViewSet[Goal]):
    serializer_class = GoalSerializer
    queryset = Goal.objects.order_by("period", "number")
    write_capability = "strategy.change"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ThemeViewSet(viewsets.ModelViewSet[Theme]):
    serializer_class = ThemeSerializer
    queryset = Theme.objects.prefetch_related("goals").order_by("name")
    write_capability = "strategy.change"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
