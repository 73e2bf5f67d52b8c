"""REST API of the indicators app: indicators, norms, observations, breaches and the sector view of a
norm. Observations and breaches are visible when their organisation is visible to the user."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from toezicht.core.i18n import translate_parts
from toezicht.core.tabular import ParseError, Reference
from toezicht.indicators import selectors, services
from toezicht.indicators.models import Indicator, Norm, NormBreach, Observation
from toezicht.indicators.periods import PeriodError, parse_period
from toezicht.register.models import Organisation, SupervisionArea
from toezicht.strategy.models import Theme

MAX_ITEMS = 1_000


class IndicatorSerializer(serializers.ModelSerializer[Indicator]):
    theme: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Theme.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("Onbekend thema '{value}'.")},
    )
    areas: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SupervisionArea.objects.all(),
        many=True,
        required=False,
        error_messages={"does_not_exist": gettext_lazy("Onbekend toezichtgebied '{value}'.")},
    )

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "description",
            "unit",
            "direction",
            "frequency",
            "source",
            "theme",
            "areas",
        ]

    def create(self, validated_data: dict[str, Any]) -> Indicator:
        areas = validated_data.pop("areas", None)
        return services.indicator_save(by=self.context["request"].user, data=validated_data, areas=areas)

    def update(self, instance: Indicator, validated_data: dict[str, Any]) -> Indicator:
        areas = validated_data.pop("areas", None)
        return services.indicator_save(
            by=self.context["request"].user, data=validated_data, indicator=instance, areas=areas
        )


class NormSerializer(serializers.ModelSerializer[Norm]):
    indicator: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Indicator.objects.all(),
        required=False,
        allow_null=True,
        error_messages={"does_not_exist": gettext_lazy("Onbekende indicator '{value}'.")},
    )
    breach_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Norm
        fields = [
            "id",
            "code",
            "name",
            "description",
            "legal_basis",
            "indicator",
            "comparison",
            "threshold",
            "structural_share",
            "structural_periods",
            "active",
            "breach_count",
        ]

    def create(self, validated_data: dict[str, Any]) -> Norm:
        return services.norm_save(by=self.context["request"].user, data=validated_data)

    def update(self, instance: Norm, validated_data: dict[str, Any]) -> Norm:
        return services.norm_save(by=self.context["request"].user, data=validated_data, norm=instance)


def _period_message(exc: ParseError) -> str:
    """The period parser's Dutch message in the user's language."""
    return translate_parts(exc.parts) if isinstance(exc, PeriodError) else exc.message


@extend_schema_field(OpenApiTypes.STR)
class PeriodField(serializers.Field):
    """A period as people write it (2025-03, mrt 2025, 2025-Q1); answered as 2025-03."""

    def to_internal_value(self, data: Any) -> datetime.date:
        try:
            return parse_period(data)
        except ParseError as exc:
            raise serializers.ValidationError(_period_message(exc)) from exc

    def to_representation(self, value: datetime.date) -> str:
        return value.strftime("%Y-%m")


@extend_schema_field(OpenApiTypes.STR)
class OrganisationCodeField(serializers.Field):
    """An organisation by code among those the user may see; an unknown code gets a suggestion."""

    def to_internal_value(self, data: Any) -> Organisation:
        if not isinstance(data, str) or not data.strip():
            raise serializers.ValidationError(_("Geef de code van een organisatie."))
        visible = Organisation.objects.visible_to(self.context["request"].user)
        found = visible.filter(code=data.strip()).first()
        if found is not None:
            return found
        reference = self.context.get("_organisations")
        if reference is None:
            reference = Reference(list(visible.values_list("code", flat=True)), noun="organisatie")
            self.context["_organisations"] = reference
        try:
            reference.parse(data)
        except ParseError as exc:
            raise serializers.ValidationError(exc.message) from exc
        raise serializers.ValidationError(_("Onbekende organisatie '%(code)s'.") % {"code": data})

    def to_representation(self, value: Organisation) -> str:
        return value.code


class ObservationSerializer(serializers.ModelSerializer[Observation]):
    indicator: Any = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Indicator.objects.all(),
        error_messages={"does_not_exist": gettext_lazy("Onbekende indicator '{value}'.")},
    )
    organisation: Any = OrganisationCodeField()
    period: Any = PeriodField(
        source="period_start", help_text=gettext_lazy("Bijvoorbeeld 2025-03, mrt 2025 of 2025-Q1")
    )
    value = serializers.FloatField()

    class Meta:
        model = Observation
        fields = ["id", "indicator", "organisation", "period", "value", "recorded_at"]
        read_only_fields = ["recorded_at"]
        validators: list[Any] = []  # uniqueness is the service's rule (same value again is fine)


class BreachSerializer(serializers.ModelSerializer[NormBreach]):
    norm: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period: Any = PeriodField(source="period_start", read_only=True)
    signal: Any = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = NormBreach
        fields = ["id", "norm", "organisation", "period", "value", "signal", "detected_at"]


class IndicatorViewSet(viewsets.ModelViewSet[Indicator]):
    serializer_class = IndicatorSerializer
    write_capability = services.CAPABILITY
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Indicator]:
        return Indicator.objects.select_related("theme").prefetch_related("areas").order_by("name")


sector_response = inline_serializer(
    "NormSector",
    {
        "norm": serializers.CharField(),
        "structural": serializers.BooleanField(),
        "longest_run": serializers.IntegerField(),
        "share_threshold": serializers.FloatField(),
        "periods_threshold": serializers.IntegerField(),
        "measured_organisations": serializers.IntegerField(),
        "periods": serializers.ListField(child=serializers.DictField()),
        "addressees": serializers.ListField(child=serializers.DictField()),
    },
)


class NormViewSet(viewsets.ModelViewSet[Norm]):
    serializer_class = NormSerializer
    write_capability = services.CAPABILITY
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Norm]:
        return selectors.norms_with_counts(self.request.user).order_by("name")

    @extend_schema(
        responses=sector_response,
        description=gettext_lazy("Sectorbeeld: aandeel organisaties in overtreding."),
    )
    @action(detail=True, methods=["get"])
    def sector(self, request: Request, pk: str | None = None) -> Response:
        norm = self.get_object()
        sector = selectors.norm_sector(request.user, norm)
        frequency = norm.indicator.frequency if norm.indicator else "maand"
        return Response(
            {
                "norm": norm.code,
                "structural": sector.view.structural,
                "longest_run": sector.view.longest_run,
                "share_threshold": norm.structural_share,
                "periods_threshold": norm.structural_periods,
                "measured_organisations": sector.measured_organisations,
                "periods": [
                    {
                        "period": datetime.date(p.period // 12, p.period % 12 + 1, 1).strftime("%Y-%m"),
                        "label": selectors.period_text(
                            datetime.date(p.period // 12, p.period % 12 + 1, 1), frequency
                        ),
                        "measured": p.measured,
                        "breached": p.breached,
                        "share": round(p.share, 4),
                    }
                    for p in sector.view.points
                ],
                "addressees": [
                    {"kind": a.kind, "organisation": a.organisation.code, "for": a.on_behalf_of}
                    for a in sector.addressees
                ],
            }
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, description=gettext_lazy("Code van de indicator")),
            OpenApiParameter("organisatie", str, description=gettext_lazy("Code van de organisatie")),
            OpenApiParameter("periode", str, description=gettext_lazy("Eén periode, bijvoorbeeld 2025-03")),
            OpenApiParameter("vanaf", str, description=gettext_lazy("Vanaf periode (2025-01)")),
            OpenApiParameter("tot_en_met", str, description=gettext_lazy("Tot en met periode (2025-12)")),
        ]
    ),
    create=extend_schema(
        request=ObservationSerializer(many=True),
        responses=ObservationSerializer(many=True),
        description=gettext_lazy(
            "Eén meting (object) of een lijst van ten hoogste 1.000 metingen; alles of niets."
        ),
    ),
)
class ObservationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Observation],
):
    serializer_class = ObservationSerializer
    write_capability = services.CAPABILITY

    def get_queryset(self) -> QuerySet[Observation]:
        queryset = selectors.observations_visible(self.request.user).select_related(
            "indicator", "organisation"
        )
        params = self.request.query_params
        if params.get("indicator"):
            queryset = queryset.filter(indicator__code=params["indicator"])
        if params.get("organisatie"):
            queryset = queryset.filter(organisation__code=params["organisatie"])
        for name, lookup in (
            ("periode", "period_start"),
            ("vanaf", "period_start__gte"),
            ("tot_en_met", "period_start__lte"),
        ):
            if params.get(name):
                try:
                    queryset = queryset.filter(**{lookup: parse_period(params[name])})
                except ParseError as exc:
                    raise serializers.ValidationError({name: [_period_message(exc)]}) from exc
        return queryset.order_by("indicator__code", "organisation__code", "period_start", "pk")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        many = isinstance(request.data, list)
        if many and len(request.data) > MAX_ITEMS:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("Stuur ten hoogste %(max)s metingen per verzoek; gebruik voor meer de import.")
                        % {"max": MAX_ITEMS}
                    ]
                }
            )
        if many and not request.data:
            raise serializers.ValidationError({"non_field_errors": [_("De lijst met metingen is leeg.")]})
        serializer = self.get_serializer(data=request.data, many=many)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data if many else [serializer.validated_data]
        saved: list[Observation] = []
        errors: list[dict[str, Any]] = [{} for _ in items]
        with transaction.atomic():
            for position, item in enumerate(items):
                try:
                    outcome = services.observation_record(
                        by=request.user,
                        indicator=item["indicator"],
                        organisation=item["organisation"],
                        period_start=item["period_start"],
                        value=item["value"],
                    )
                except DjangoValidationError as exc:
                    errors[position] = {
                        ("period" if key == "period_start" else key): value
                        for key, value in exc.message_dict.items()
                    }
                else:
                    saved.append(outcome.observation)
            if any(errors):
                transaction.set_rollback(True)
                # The same shape as the serializer's own list errors: messages by item position.
                body = {str(i): e for i, e in enumerate(errors) if e} if many else errors[0]
                return Response(body, status=status.HTTP_400_BAD_REQUEST)
        data = ObservationSerializer(saved, many=True, context=self.get_serializer_context()).data
        return Response(data if many else data[0], status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("norm", str, description=gettext_lazy("Code van de norm")),
            OpenApiParameter("organisatie", str, description=gettext_lazy("Code van de organisatie")),
        ]
    )
)
class BreachViewSet(viewsets.ReadOnlyModelViewSet[NormBreach]):
    serializer_class = BreachSerializer

    def get_queryset(self) -> QuerySet[NormBreach]:
        queryset = selectors.breaches_visible(self.request.user).select_related(
            "norm", "organisation", "signal"
        )
        params = self.request.query_params
        if params.get("norm"):
            queryset = queryset.filter(norm__code=params["norm"])
        if params.get("organisatie"):
            queryset = queryset.filter(organisation__code=params["organisatie"])
        return queryset.order_by("-period_start", "pk")


def register_routes(router: DefaultRouter) -> None:
    """Add this app's viewsets to the project router."""
    router.register("indicatoren", IndicatorViewSet, basename="indicator")
    router.register("normen", NormViewSet, basename="norm")
    router.register("metingen", ObservationViewSet, basename="observation")
    router.register("normoverschrijdingen", BreachViewSet, basename="norm-breach")
