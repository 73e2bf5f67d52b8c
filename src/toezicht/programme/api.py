"""REST API of the work programme: reads for every signed-in user, writes for ``programme.decide`` only.

Organisations on items follow the register's visibility rule (see ``querysets``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from toezicht.accounts.models import Team
from toezicht.core.params import whole_number
from toezicht.programme import selectors, services
from toezicht.programme.models import (
    Adjustment,
    AdjustmentReason,
    Candidate,
    ItemKind,
    ItemTeamHours,
    PlanRun,
    PlanRunStatus,
    ProgrammeItem,
    Scenario,
    ScenarioComparison,
    TeamCapacity,
    WorkProgramme,
)

WRITE = "programme.decide"
PROGRAMME_PARAM = OpenApiParameter("programme", int, description="Id van het werkprogramma")


def _programme_filter(request: Request, qs: QuerySet[Any]) -> QuerySet[Any]:
    value = request.query_params.get("programme", "")
    if value:
        programme_id = whole_number(value)
        if programme_id is None:
            raise serializers.ValidationError(
                {"programme": _("Geef het id van een werkprogramma (een getal).")}
            )
        qs = qs.filter(programme_id=programme_id)
    return qs


class WorkProgrammeSerializer(serializers.ModelSerializer[WorkProgramme]):
    class Meta:
        model = WorkProgramme
        fields = [
            "id",
            "year",
            "version",
            "title",
            "status",
            "reserve_share",
            "max_items_per_org_per_quarter",
            "max_items_per_org_per_year",
            "description",
        ]
        read_only_fields = ["version", "status"]

    def create(self, validated_data: dict[str, Any]) -> WorkProgramme:
        request = self.context["request"]
        return services.programme_create(
            year=validated_data["year"],
            title=validated_data.get("title", ""),
            by=request.user,
            reserve_share=float(validated_data.get("reserve_share", 0.15)),
        )


class ItemTeamHoursSerializer(serializers.ModelSerializer[ItemTeamHours]):
    team: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ItemTeamHours
        fields = ["team", "hours"]


class ProgrammeItemSerializer(serializers.ModelSerializer[ProgrammeItem]):
    team_hours = ItemTeamHoursSerializer(many=True, read_only=True)
    areas: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, many=True)
    organisations: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, many=True)
    goals: Any = serializers.PrimaryKeyRelatedField(read_only=True, many=True)
    depends_on: Any = serializers.PrimaryKeyRelatedField(read_only=True, many=True)

    class Meta:
        model = ProgrammeItem
        fields = [
            "id",
            "programme",
            "title",
            "kind",
            "status",
            "value",
            "allowed_quarters",
            "duration",
            "mandatory_basis",
            "planned_start",
            "planned_quarters",
            "team_hours",
            "areas",
            "organisations",
            "goals",
            "depends_on",
            "rationale",
        ]


class TeamCapacitySerializer(serializers.ModelSerializer[TeamCapacity]):
    team: Any = serializers.SlugRelatedField(slug_field="code", queryset=Team.objects.all())

    class Meta:
        model = TeamCapacity
        fields = ["id", "team", "year", "quarter", "fte", "available_hours"]
        validators: list[Any] = []  # upsert: the service matches on team, year and quarter

    def create(self, validated_data: dict[str, Any]) -> TeamCapacity:
        return services.capacity_set(
            team=validated_data["team"],
            year=validated_data["year"],
            quarter=validated_data["quarter"],
            available_hours=validated_data["available_hours"],
            fte=float(validated_data.get("fte", 0)),
        )


class CandidateSerializer(serializers.ModelSerializer[Candidate]):
    title = serializers.CharField(source="item.title", read_only=True)
    organisation: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Candidate
        fields = ["id", "programme", "item", "title", "source", "value", "why", "organisation", "risk_score"]


class PlanRunSerializer(serializers.ModelSerializer[PlanRun]):
    class Meta:
        model = PlanRun
        fields = [
            "id",
            "programme",
            "at",
            "scenario_name",
            "status",
            "status_label",
            "value",
            "best_bound",
            "gap",
            "solve_seconds",
            "applied",
            "binding",
            "explanation",
        ]


class AdjustmentSerializer(serializers.ModelSerializer[Adjustment]):
    added: Any = serializers.PrimaryKeyRelatedField(read_only=True, many=True)
    deferred: Any = serializers.PrimaryKeyRelatedField(read_only=True, many=True)
    cancelled: Any = serializers.PrimaryKeyRelatedField(read_only=True, many=True)

    class Meta:
        model = Adjustment
        fields = [
            "id",
            "programme",
            "date",
            "reason",
            "note",
            "from_quarter",
            "summary",
            "changes",
            "added",
            "deferred",
            "cancelled",
        ]


class UrgentItemSerializer(serializers.Serializer[Any]):
    programme = serializers.PrimaryKeyRelatedField(queryset=WorkProgramme.objects.all())
    title = serializers.CharField(max_length=250)
    kind = serializers.ChoiceField(choices=ItemKind.choices, default=ItemKind.INCIDENT)
    team = serializers.SlugRelatedField(slug_field="code", queryset=Team.objects.all())
    hours = serializers.IntegerField(min_value=1, max_value=20000)
    value = serializers.FloatField(min_value=0, max_value=1000, default=50.0)
    allowed_quarters = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=4), required=False, default=list
    )
    reason = serializers.ChoiceField(choices=AdjustmentReason.choices)
    note = serializers.CharField()
    from_quarter = serializers.IntegerField(min_value=1, max_value=4, required=False)
    date = serializers.DateField(required=False)


class WorkProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[WorkProgramme],
):
    serializer_class = WorkProgrammeSerializer
    write_capability = WRITE

    def get_queryset(self) -> QuerySet[WorkProgramme]:
        return WorkProgramme.objects.visible_to(self.request.user).order_by("-year", "-version")

    @extend_schema(request=None, responses=PlanRunSerializer)
    @action(detail=True, methods=["post"])
    def plan(self, request: Request, pk: str | None = None) -> Response:
        """Compute the plan (as the page does) and return the plan run: 201 when it is done, 202 while a
        background worker still computes it (poll the run until its status is no longer "bezig")."""
        run = services.plan_request(programme=self.get_object(), by=request.user)
        run.refresh_from_db()
        done = run.status != PlanRunStatus.RUNNING
        return Response(PlanRunSerializer(run).data, status=201 if done else 202)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class ProgrammeItemViewSet(viewsets.ReadOnlyModelViewSet[ProgrammeItem]):
    serializer_class = ProgrammeItemSerializer

    def get_queryset(self) -> QuerySet[ProgrammeItem]:
        user = self.request.user
        qs = (
            ProgrammeItem.objects.visible_to(user)
            .prefetch_related(
                "team_hours__team",
                "areas",
                "goals",
                "depends_on",
                Prefetch("organisations", queryset=selectors.visible_organisations(user)),
            )
            .order_by("programme_id", "pk")
        )
        return _programme_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("year", int)]))
class TeamCapacityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[TeamCapacity],
):
    serializer_class = TeamCapacitySerializer
    write_capability = WRITE

    def get_queryset(self) -> QuerySet[TeamCapacity]:
        qs = TeamCapacity.objects.select_related("team").order_by("year", "team__name", "quarter")
        year = self.request.query_params.get("year", "")
        if year:
            number = whole_number(year, max_digits=4)
            if number is None:
                raise serializers.ValidationError({"year": _("Geef een jaartal.")})
            qs = qs.filter(year=number)
        return qs


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class CandidateViewSet(viewsets.ReadOnlyModelViewSet[Candidate]):
    serializer_class = CandidateSerializer

    def get_queryset(self) -> QuerySet[Candidate]:
        qs = (
            Candidate.objects.visible_to(self.request.user)
            .select_related("item", "organisation")
            .order_by("-value", "pk")
        )
        return _programme_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class PlanRunViewSet(viewsets.ReadOnlyModelViewSet[PlanRun]):
    serializer_class = PlanRunSerializer

    def get_queryset(self) -> QuerySet[PlanRun]:
        qs = PlanRun.objects.filter(
            programme__in=WorkProgramme.objects.visible_to(self.request.user).values("pk")
        ).order_by("-at", "-pk")
        return _programme_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class AdjustmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Adjustment],
):
    write_capability = WRITE

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return UrgentItemSerializer if self.action == "create" else AdjustmentSerializer

    def get_queryset(self) -> QuerySet[Adjustment]:
        qs = (
            Adjustment.objects.filter(
                programme__in=WorkProgramme.objects.visible_to(self.request.user).values("pk")
            )
            .prefetch_related("added", "deferred", "cancelled")
            .order_by("-date", "-pk")
        )
        return _programme_filter(self.request, qs)

    @extend_schema(request=UrgentItemSerializer, responses=AdjustmentSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Add an urgent item and re-plan (bijstelling); 400 with the Dutch explanation when it cannot fit."""
        ser = UrgentItemSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        d = ser.validated_data
        team = d["team"]
        adjustment = services.adjustment_add_urgent(
            programme=d["programme"],
            title=d["title"],
            team_hours={team: d["hours"]},
            kind=d["kind"],
            value=d["value"],
            allowed_quarters=d["allowed_quarters"],
            reason=d["reason"],
            note=d["note"],
            from_quarter=d.get("from_quarter"),
            date=d.get("date"),
            areas=[team.area_id] if team.area_id else [],
            by=request.user,
        )
        return Response(AdjustmentSerializer(adjustment).data, status=201)


class ScenarioChangeSerializer(serializers.Serializer[Any]):
    team = serializers.SlugRelatedField(slug_field="code", queryset=Team.objects.all())
    fte_delta = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=-100, max_value=100)


class ScenarioSerializer(serializers.ModelSerializer[Scenario]):
    changes = ScenarioChangeSerializer(many=True)

    class Meta:
        model = Scenario
        fields = ["id", "programme", "name", "description", "changes"]
        validators: list[Any] = []  # a known name replaces that scenario's changes, as on the page

    def validate_programme(self, value: WorkProgramme) -> WorkProgramme:
        request = self.context.get("request")
        if (
            request is not None
            and not WorkProgramme.objects.visible_to(request.user).filter(pk=value.pk).exists()
        ):
            raise serializers.ValidationError(_("Dit werkprogramma bestaat niet."))
        return value

    def validate_changes(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if not value:
            raise serializers.ValidationError(_("Geef ten minste één team met een verandering in fte."))
        teams = [change["team"].pk for change in value]
        if len(set(teams)) != len(teams):
            raise serializers.ValidationError(_("Noem elk team één keer."))
        return value

    def create(self, validated_data: dict[str, Any]) -> Scenario:
        return services.scenario_save(
            programme=validated_data["programme"],
            name=validated_data["name"],
            description=validated_data.get("description", ""),
            changes={c["team"]: float(c["fte_delta"]) for c in validated_data["changes"]},
        )


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class ScenarioViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Scenario],
):
    """What-if capacity changes per team. Creating one with an existing name replaces its changes."""

    serializer_class = ScenarioSerializer
    write_capability = WRITE

    def get_queryset(self) -> QuerySet[Scenario]:
        qs = (
            Scenario.objects.filter(
                programme__in=WorkProgramme.objects.visible_to(self.request.user).values("pk")
            )
            .prefetch_related("changes__team")
            .order_by("programme_id", "name")
        )
        return _programme_filter(self.request, qs)


class ScenarioComparisonSerializer(serializers.ModelSerializer[ScenarioComparison]):
    class Meta:
        model = ScenarioComparison
        fields = ["id", "programme", "at", "status", "rows"]
        read_only_fields = ["at", "status", "rows"]


@extend_schema_view(list=extend_schema(parameters=[PROGRAMME_PARAM]))
class ScenarioComparisonViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[ScenarioComparison],
):
    serializer_class = ScenarioComparisonSerializer
    write_capability = WRITE

    def get_queryset(self) -> QuerySet[ScenarioComparison]:
        qs = ScenarioComparison.objects.filter(
            programme__in=WorkProgramme.objects.visible_to(self.request.user).values("pk")
        ).order_by("-at", "-pk")
        return _programme_filter(self.request, qs)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Compare the base and every scenario of the programme (each solved as a plan run that is not
        applied): 201 when done, 202 while a background worker still computes (poll until the status is
        no longer "bezig"). Each row names its plan run (`run_id`)."""
        ser = ScenarioComparisonSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        programme = ser.validated_data["programme"]
        if not WorkProgramme.objects.visible_to(request.user).filter(pk=programme.pk).exists():
            raise serializers.ValidationError({"programme": _("Dit werkprogramma bestaat niet.")})
        comparison = services.scenarios_compare_request(programme=programme, by=request.user)
        done = comparison.status != ScenarioComparison.Status.RUNNING
        return Response(ScenarioComparisonSerializer(comparison).data, status=201 if done else 202)


def register_routes(router: DefaultRouter) -> None:
    """Add this app's viewsets to the project router."""
    router.register("werkprogrammas", WorkProgrammeViewSet, basename="programme-programme")
    router.register("werkprogramma-onderdelen", ProgrammeItemViewSet, basename="programme-item")
    router.register("capaciteit", TeamCapacityViewSet, basename="programme-capacity")
    router.register("kandidaten", CandidateViewSet, basename="programme-candidate")
    router.register("planberekeningen", PlanRunViewSet, basename="programme-planrun")
    router.register("bijstellingen", AdjustmentViewSet, basename="programme-adjustment")
    router.register("scenarios", ScenarioViewSet, basename="programme-scenario")
    router.register(
        "scenariovergelijkingen", ScenarioComparisonViewSet, basename="programme-scenario-comparison"
    )
