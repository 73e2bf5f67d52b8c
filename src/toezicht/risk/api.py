"""REST API of the risk app: scores of the latest snapshot, explanations, snapshots, model versions,
overrides. The same area rules as the pages (``visible_to``): another area's organisation is a 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from toezicht.core.params import whole_number
from toezicht.register.models import Organisation
from toezicht.risk import selectors, services
from toezicht.risk.models import RiskModelVersion, RiskOverride, RiskScore, RiskSnapshot
from toezicht.strategy.models import Theme


class RiskScoreSerializer(serializers.ModelSerializer[RiskScore]):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    theme_name = serializers.CharField(source="theme.name", read_only=True, default=None)
    final_score = serializers.FloatField(read_only=True)
    override_score = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = RiskScore
        fields = [
            "organisation",
            "organisation_name",
            "theme",
            "theme_name",
            "score",
            "final_score",
            "override_score",
            "likelihood",
            "impact",
            "likelihood_band",
            "impact_band",
            "cell",
            "colour",
            "contributions",
        ]


class ExplanationSerializer(serializers.Serializer[Any]):
    organisation = serializers.IntegerField()
    theme = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField()
    final_score = serializers.FloatField()
    explanation = serializers.CharField()
    criteria = serializers.ListField(child=serializers.DictField())
    signals = serializers.ListField(child=serializers.DictField())
    observations = serializers.ListField(child=serializers.DictField())


class RiskSnapshotSerializer(serializers.ModelSerializer[RiskSnapshot]):
    model_version = serializers.IntegerField(source="model_version.number", read_only=True)

    class Meta:
        model = RiskSnapshot
        fields = [
            "id",
            "computed_at",
            "reference_date",
            "model_version",
            "trigger",
            "n_organisations",
            "n_themes",
            "n_signals",
            "n_observations",
            "n_scores",
            "incremental_updates",
            "duration_s",
        ]


class RiskModelVersionSerializer(serializers.ModelSerializer[RiskModelVersion]):
    class Meta:
        model = RiskModelVersion
        fields = ["id", "number", "name", "description", "status", "config", "created_at", "activated_at"]
        read_only_fields = ["id", "number", "status", "created_at", "activated_at"]

    def validate_config(self, value: Any) -> Any:
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("De instellingen van het model moeten een object zijn."))
        return value

    def create(self, validated_data: dict[str, Any]) -> RiskModelVersion:
        try:
            return services.model_version_create(
                name=validated_data["name"],
                description=validated_data.get("description", ""),
                config=validated_data["config"],
                by=self.context["request"].user,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


class RiskOverrideSerializer(serializers.ModelSerializer[RiskOverride]):
    organisation: Any = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    theme: Any = serializers.PrimaryKeyRelatedField(queryset=Theme.objects.all())

    class Meta:
        model = RiskOverride
        fields = ["id", "organisation", "theme", "score", "reason", "until", "computed_score", "created_at"]
        read_only_fields = ["id", "computed_score", "created_at"]
        extra_kwargs = {
            "score": {
                "min_value": 0,
                "max_value": 100,
                "error_messages": {
                    "min_value": gettext_lazy("De score moet tussen 0 en 100 liggen."),
                    "max_value": gettext_lazy("De score moet tussen 0 en 100 liggen."),
                },
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            field: Any = self.fields["organisation"]
            field.queryset = Organisation.objects.visible_to(request.user)
        self.fields["organisation"].error_messages["does_not_exist"] = _("Onbekende organisatie.")
        self.fields["theme"].error_messages["does_not_exist"] = _("Onbekend thema.")

    def create(self, validated_data: dict[str, Any]) -> RiskOverride:
        snapshot = selectors.latest_snapshot()
        computed = None
        if snapshot is not None:
            row = snapshot.scores.filter(
                organisation=validated_data["organisation"], theme=validated_data["theme"]
            ).first()
            computed = row.score if row else 0.0
        try:
            return services.override_create(
                organisation=validated_data["organisation"],
                theme=validated_data["theme"],
                score=validated_data["score"],
                reason=validated_data.get("reason", ""),
                until=validated_data.get("until"),
                by=self.context["request"].user,
                computed_score=computed,
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("organisatie", int, description=gettext_lazy("Id van de organisatie")),
            OpenApiParameter("thema", int, description=gettext_lazy("Id van het thema")),
            OpenApiParameter("gebied", int, description=gettext_lazy("Id van het toezichtgebied")),
            OpenApiParameter("totaal", bool, description=gettext_lazy("Alleen de totalen per organisatie")),
            OpenApiParameter("min_score", float),
        ]
    )
)
class RiskScoreViewSet(mixins.ListModelMixin, viewsets.GenericViewSet[RiskScore]):
    """Scores of the latest complete snapshot, highest final score first (overrides applied)."""

    serializer_class = RiskScoreSerializer

    def get_queryset(self) -> QuerySet[RiskScore]:
        snapshot = selectors.latest_snapshot()
        if snapshot is None:
            return RiskScore.objects.none()
        params = self.request.query_params
        min_score = params.get("min_score")
        try:
            minimum = float(min_score) if min_score else None
        except ValueError:
            minimum = None
        filters = selectors.ScoreFilter(
            organisation_id=whole_number(params.get("organisatie")),
            theme_id=whole_number(params.get("thema")),
            area_id=whole_number(params.get("gebied")),
            min_score=minimum,
            totals=params.get("totaal") in ("1", "true", "ja"),
        )
        return selectors.scores(self.request.user, snapshot, filters)

    @extend_schema(
        responses=ExplanationSerializer,
        parameters=[
            OpenApiParameter(
                "thema", int, description=gettext_lazy("Id van het thema (standaard: het hoogste)")
            )
        ],
    )
    @action(detail=False, url_path=r"uitleg/(?P<organisation_id>\d+)")
    def explanation(self, request: Request, organisation_id: str) -> Response:
        """The explanation of one organisation's score (one theme, default the highest)."""
        organisation = get_object_or_404(
            Organisation.objects.visible_to(request.user), pk=int(organisation_id)
        )
        snapshot = selectors.latest_snapshot()
        if snapshot is None:
            raise Http404(_("Er is nog geen risicobeeld berekend."))
        scores = selectors.organisation_scores(request.user, snapshot, organisation)
        theme_id = whole_number(request.query_params.get("thema"))
        chosen = next((s for s in scores if s.theme_id is not None and s.theme_id == theme_id), None)
        if chosen is None:
            chosen = next((s for s in scores if s.theme_id is not None), None)
        if chosen is None:
            raise Http404(_("Geen score voor deze organisatie."))
        evidence = selectors.evidence_items(chosen)
        override = getattr(chosen, "override_score", None)
        data = {
            "organisation": organisation.pk,
            "theme": chosen.theme_id,
            "score": chosen.score,
            "final_score": getattr(chosen, "final_score", chosen.score),
            "explanation": selectors.explanation_text(chosen, override),
            "criteria": selectors.contribution_bars(chosen),
            "signals": evidence["signals"],
            "observations": evidence["observations"],
        }
        return Response(ExplanationSerializer(data).data)


class RiskSnapshotViewSet(viewsets.ReadOnlyModelViewSet[RiskSnapshot]):
    serializer_class = RiskSnapshotSerializer

    def get_queryset(self) -> QuerySet[RiskSnapshot]:
        return selectors.snapshots()

    @extend_schema(
        parameters=[OpenApiParameter("met", int, description=gettext_lazy("Id van de oudere berekening"))],
        responses=inline_serializer(
            "RiskComparison",
            {
                "n_compared": serializers.IntegerField(),
                "n_changed": serializers.IntegerField(),
                "n_up": serializers.IntegerField(),
                "n_down": serializers.IntegerField(),
                "n_class_changed": serializers.IntegerField(),
                "model_changed": serializers.BooleanField(),
                "reasons": serializers.ListField(child=serializers.DictField()),
                "changes": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    @action(detail=True, url_path="vergelijk")
    def compare(self, request: Request, pk: str) -> Response:
        """What changed from snapshot ``met`` to this one, and why (the 200 largest changes)."""
        new = self.get_object()
        old_id = whole_number(request.query_params.get("met"))
        if old_id is None:
            return Response(
                {"met": [_("Geef met ?met=<id> de oudere berekening op.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        old = get_object_or_404(self.get_queryset(), pk=old_id)
        result = selectors.compare_snapshots(request.user, old, new)
        rows = result.pop("rows")
        result["changes"] = [
            {
                "organisation": r["org_id"],
                "theme": r["theme_id"],
                "old_score": r["score"],
                "new_score": r["score_new"],
                "delta": r["delta"],
                "old_cell": r["cell"],
                "new_cell": r["cell_new"],
                "reason": r["reason"],
            }
            for r in rows
        ]
        return Response(result)


class RiskModelVersionViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RiskModelVersion],
):
    serializer_class = RiskModelVersionSerializer
    write_capability = "risk.configure"
    queryset = RiskModelVersion.objects.order_by("-number")


class RiskOverrideViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[RiskOverride],
):
    serializer_class = RiskOverrideSerializer
    write_capability = "risk.override"

    def get_queryset(self) -> QuerySet[RiskOverride]:
        return (
            RiskOverride.objects.filter(
                organisation__in=Organisation.objects.visible_to(self.request.user).values("pk")
            )
            .select_related("theme")
            .order_by("-created_at")
        )


def register_routes(router: DefaultRouter) -> None:
    """Add this app's viewsets to the project router."""
    router.register("risico/scores", RiskScoreViewSet, basename="risk-score")
    router.register("risico/berekeningen", RiskSnapshotViewSet, basename="risk-snapshot")
    router.register("risico/modelversies", RiskModelVersionViewSet, basename="risk-model-version")
    router.register("risico/vastgesteld", RiskOverrideViewSet, basename="risk-override")
