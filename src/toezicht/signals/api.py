"""REST API of the signals app.

* ``signalen``: the intake desk for staff (list with the inbox filters, retrieve, create, partial update,
  ``transitie`` and ``toewijzing`` actions), with the same visibility as the pages.
* ``bronnen``, ``ernstniveaus``, ``kwetsbare-groepen``: reference data.
* ``meldingen``: sending organisations' own systems post their notifications here, authenticated with
  ``Authorization: Melder <key>`` (see ``toezicht.signals.auth``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from toezicht.accounts.models import Team, User
from toezicht.core.pagination import ApiPagination
from toezicht.register.models import Chain, Organisation, SupervisionArea
from toezicht.signals import selectors, services
from toezicht.signals.auth import IsSender, SenderTokenAuthentication
from toezicht.signals.forms import SignalFilterForm
from toezicht.signals.models import (
    Confidentiality,
    SenderToken,
    SeverityLevel,
    Signal,
    SignalStatus,
    SourceType,
    VulnerableGroup,
)
from toezicht.strategy.models import Theme

MAX_HIERARCHY_DEPTH = 12


class SignalPagination(ApiPagination):
    """Counts at most ``COUNT_LIMIT + 1`` rows, like the inbox."""

    django_paginator_class = selectors.BoundedPaginator


def _one_of(values: list[str]) -> dict[str, Any]:
    """A string limited to ``values``, written as a pattern: an ``enum`` would become a named component
    that collides with other apps' ``status`` enums in the schema."""
    return {
        "type": "string",
        "pattern": "^(" + "|".join(values) + ")$",
        "description": format_lazy(gettext_lazy("Een van: {values}."), values=", ".join(values)),
    }


@extend_schema_field(_one_of(list(SignalStatus.values)))
class SignalStatusField(serializers.ChoiceField):
    """Signal status choices."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SignalStatus.choices, **kwargs)


@extend_schema_field(_one_of(list(Confidentiality.values)))
class ConfidentialityField(serializers.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Confidentiality.choices, **kwargs)


class SourceTypeSerializer(serializers.ModelSerializer[SourceType]):
    class Meta:
        model = SourceType
        fields = [
            "code",
            "name",
            "description",
            "deadline_amount",
            "deadline_unit",
            "is_mandatory_notification",
        ]


class SeverityLevelSerializer(serializers.ModelSerializer[SeverityLevel]):
    class Meta:
        model = SeverityLevel
        fields = ["code", "name", "rank", "colour"]


class VulnerableGroupSerializer(serializers.ModelSerializer[VulnerableGroup]):
    class Meta:
        model = VulnerableGroup
        fields = ["code", "name"]


class SignalSerializer(serializers.ModelSerializer[Signal]):
    source: Any = serializers.SlugRelatedField(slug_field="code", queryset=SourceType.objects.all())
    severity: Any = serializers.SlugRelatedField(slug_field="code", queryset=SeverityLevel.objects.all())
    area: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=SupervisionArea.objects.all(), required=False, allow_null=True
    )
    organisation: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    related_organisations: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), many=True, required=False
    )
    chain: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Chain.objects.all(), required=False, allow_null=True
    )
    themes: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Theme.objects.all(), many=True, required=False
    )
    vulnerable_groups: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=VulnerableGroup.objects.all(), many=True, required=False
    )
    authorised_users: Any = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.all(),
        many=True,
        required=False,
    )
    assigned_team: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigned_to: Any = serializers.SlugRelatedField(slug_field="username", read_only=True)
    merged_into: Any = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    status = SignalStatusField(read_only=True)
    days_overdue = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("Kalenderdagen na de termijn (open signalen).")
    )

    class Meta:
        model = Signal
        fields = [
            "id",
            "reference",
            "title",
            "description",
            "source",
            "received_on",
            "occurred_on",
            "deadline",
            "days_overdue",
            "area",
            "organisation",
            "related_organisations",
            "chain",
            "themes",
            "severity",
            "people_affected",
            "vulnerable_groups",
            "confidentiality",
            "authorised_users",
            "status",
            "assigned_team",
            "assigned_to",
            "merged_into",
            "external_id",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["reference", "deadline", "status", "external_id", "created_at", "updated_at"]

    def get_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            visible = Organisation.objects.visible_to(user)
            fields["organisation"].queryset = visible
            fields["related_organisations"].child_relation.queryset = visible
            fields["chain"].queryset = Chain.objects.visible_to(user)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        received = attrs.get("received_on", getattr(self.instance, "received_on", None))
        occurred = attrs.get("occurred_on", getattr(self.instance, "occurred_on", None))
        if received and occurred and occurred > received:
            raise serializers.ValidationError(
                {"occurred_on": _("De datum van het voorval ligt na de datum van ontvangst.")}
            )
        if self.instance is None and not attrs.get("organisation") and not attrs.get("area"):
            raise serializers.ValidationError(
                {"organisation": _("Geef een organisatie of een toezichtgebied.")}
            )
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Signal:
        user = self.context["request"].user
        many = {
            name: validated_data.pop(name, [])
            for name in ("themes", "related_organisations", "vulnerable_groups", "authorised_users")
        }
        return services.signal_create(by=user, **many, **validated_data)

    def update(self, instance: Signal, validated_data: dict[str, Any]) -> Signal:
        return services.signal_update(signal=instance, by=self.context["request"].user, data=validated_data)


class TransitionSerializer(serializers.Serializer[Any]):
    status = SignalStatusField(help_text=gettext_lazy("De nieuwe status."))
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AssignmentSerializer(serializers.Serializer[Any]):
    team = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Team.objects.all(),
        required=False,
        allow_null=True,
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("team") and not attrs.get("assignee"):
            raise serializers.ValidationError({"team": _("Geef een team of een behandelaar.")})
        return attrs


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description=gettext_lazy("Zoekterm in kenmerk of onderwerp")),
    OpenApiParameter("status", str, enum=["open", *SignalStatus.values]),
    OpenApiParameter("gebied", int, description=gettext_lazy("Id van het toezichtgebied")),
    OpenApiParameter(
        "organisatie", str, description=gettext_lazy("Id of (deel van de) naam van de organisatie")
    ),
    OpenApiParameter("thema", int, description=gettext_lazy("Id van het thema")),
    OpenApiParameter("bron", int, description=gettext_lazy("Id van de soort bron")),
    OpenApiParameter("ernst", int, description=gettext_lazy("Id van het ernstniveau")),
    OpenApiParameter(
        "termijn", str, enum=["ja", "nee"], description=gettext_lazy("ja: termijn verlopen en nog open")
    ),
    OpenApiParameter("toegewezen", str, enum=["mij", "geen"]),
    OpenApiParameter("sorteer", str, enum=list(selectors.SIGNAL_SORTS)),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class SignalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Signal],
):
    serializer_class = SignalSerializer
    pagination_class = SignalPagination
    write_capability = "signals.change"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Signal]:
        user = self.request.user
        if self.action == "list":
            form = SignalFilterForm(self.request.query_params, options=selectors.filter_options(user))
            queryset = selectors.signal_list(user, form.to_filter())
        else:
            queryset = selectors.signals_visible(user).select_related(
                "source", "severity", "organisation", "area", "assigned_team", "assigned_to"
            )
        return queryset.select_related("chain", "merged_into").prefetch_related(
            "themes", "related_organisations", "vulnerable_groups", "authorised_users"
        )

    @extend_schema(request=TransitionSerializer, responses={200: SignalSerializer})
    @action(detail=True, methods=["post"], url_path="transitie")
    def transition(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        payload = TransitionSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.signal_transition(
            signal=signal,
            to_status=payload.validated_data["status"],
            by=request.user,
            note=payload.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AssignmentSerializer, responses={200: SignalSerializer})
    @action(detail=True, methods=["post"], url_path="toewijzing")
    def assign(self, request: Request, pk: str | None = None) -> Response:
        signal = self.get_object()
        payload = AssignmentSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        services.signal_assign(
            signals=signal,
            team=payload.validated_data.get("team"),
            assignee=payload.validated_data.get("assignee"),
            by=request.user,
            note=payload.validated_data.get("note", ""),
        )
        return Response(self.get_serializer(self.get_object()).data)


class SourceTypeViewSet(viewsets.ReadOnlyModelViewSet[SourceType]):
    serializer_class = SourceTypeSerializer
    queryset = SourceType.objects.order_by("order", "name")
    lookup_field = "code"


class SeverityLevelViewSet(viewsets.ReadOnlyModelViewSet[SeverityLevel]):
    serializer_class = SeverityLevelSerializer
    queryset = SeverityLevel.objects.order_by("rank")
    lookup_field = "code"


class VulnerableGroupViewSet(viewsets.ReadOnlyModelViewSet[VulnerableGroup]):
    serializer_class = VulnerableGroupSerializer
    queryset = VulnerableGroup.objects.order_by("name")
    lookup_field = "code"


# -- sender API ---------------------------------------------------------------------------------------------


class SenderNotificationSerializer(serializers.Serializer[Any]):
    kenmerk_afzender = serializers.CharField(
        max_length=100,
        help_text=gettext_lazy(
            "Uw eigen kenmerk; dezelfde melding opnieuw sturen maakt geen tweede signaal."
        ),
    )
    onderwerp = serializers.CharField(max_length=250)
    omschrijving = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    bron = serializers.SlugRelatedField(
        slug_field="code",
        queryset=SourceType.objects.filter(is_mandatory_notification=True),
        required=False,
        help_text=gettext_lazy(
            "Code van een soort verplichte melding (zie /api/v1/bronnen/); standaard incident_notification."
        ),
    )
    organisatie = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Organisation.objects.all(),
        required=False,
        help_text=gettext_lazy(
            "Code van de organisatie waarover het gaat: uw eigen organisatie (standaard) of een onderdeel."
        ),
    )
    datum_voorval = serializers.DateField(required=False, allow_null=True)
    ernst = serializers.SlugRelatedField(slug_field="code", queryset=SeverityLevel.objects.all())
    aantal_betrokkenen = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=1_000_000
    )
    kwetsbare_groepen = serializers.SlugRelatedField(
        slug_field="code", queryset=VulnerableGroup.objects.all(), many=True, required=False
    )
    vertrouwelijkheid = ConfidentialityField(required=False, default=Confidentiality.INTERNAL)

    def validate_datum_voorval(self, value: Any) -> Any:
        from django.utils import timezone

        if value and value > timezone.localdate():
            raise serializers.ValidationError(_("De datum van het voorval ligt in de toekomst."))
        return value


class SenderReceiptSerializer(serializers.Serializer[Any]):
    kenmerk = serializers.CharField(
        source="reference", help_text=gettext_lazy("Het kenmerk van de inspectie.")
    )
    kenmerk_afzender = serializers.CharField(source="external_id")
    status = serializers.CharField()
    ontvangen_op = serializers.DateField(source="received_on")
    afhandelen_uiterlijk = serializers.DateField(source="deadline", allow_null=True)


def _within(organisation: Organisation, root: Organisation) -> bool:
    """``organisation`` is ``root`` or one of its descendants (bounded walk up the hierarchy)."""
    current: Organisation | None = organisation
    for _step in range(MAX_HIERARCHY_DEPTH + 1):
        if current is None:
            return False
        if current.pk == root.pk:
            return True
        if current.parent_id is None:
            return False
        current = Organisation.objects.only("pk", "parent_id").filter(pk=current.parent_id).first()
    return False


class SenderNotificationViewSet(viewsets.GenericViewSet[Signal]):
    """Mandatory notifications from supervised organisations' own systems."""

    authentication_classes = [SenderTokenAuthentication]
    permission_classes = [IsSender]
    serializer_class = SenderNotificationSerializer
    queryset = Signal.objects.none()

    @extend_schema(
        summary=gettext_lazy("Een melding doen vanuit het eigen systeem"),
        description=gettext_lazy(
            "Authenticatie met de kop `Authorization: Melder <sleutel>`. U meldt alleen over uw eigen "
            "organisatie of een van haar onderdelen. Dezelfde `kenmerk_afzender` nogmaals sturen geeft 200 "
            "met het eerder gemaakte signaal."
        ),
        request=SenderNotificationSerializer,
        responses={
            201: SenderReceiptSerializer,
            200: OpenApiResponse(
                SenderReceiptSerializer, description=gettext_lazy("Deze melding was al ontvangen.")
            ),
            400: OpenApiResponse(description=gettext_lazy("Ongeldige gegevens, per veld een melding.")),
            401: OpenApiResponse(description=gettext_lazy("Geen, een onbekende of een ingetrokken sleutel.")),
            403: OpenApiResponse(
                description=gettext_lazy("Melding over een organisatie die niet de uwe is.")
            ),
        },
    )
    def create(self, request: Request) -> Response:
        token: SenderToken = request.auth  # type: ignore[assignment]
        payload = SenderNotificationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        sender = token.organisation
        organisation = data.get("organisatie") or sender
        if not _within(organisation, sender):
            raise PermissionDenied(
                _("U mag alleen melden over %(own)s of een van haar onderdelen, niet over %(other)s.")
                % {"own": sender.name, "other": organisation.name}
            )
        signal, created = services.sender_signal_receive(
            token=token,
            external_id=data["kenmerk_afzender"],
            data={
                "title": data["onderwerp"],
                "description": data.get("omschrijving", ""),
                "source": data.get("bron") or SourceType.objects.get(code="incident_notification"),
                "organisation": organisation,
                "occurred_on": data.get("datum_voorval"),
                "severity": data["ernst"],
                "people_affected": data.get("aantal_betrokkenen"),
                "vulnerable_groups": data.get("kwetsbare_groepen", []),
                "confidentiality": data.get("vertrouwelijkheid") or Confidentiality.INTERNAL,
            },
        )
        return Response(
            SenderReceiptSerializer(signal).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


def register_routes(router: DefaultRouter) -> None:
    """Add this app's viewsets to the project router."""
    router.register("signalen", SignalViewSet, basename="signal")
    router.register("bronnen", SourceTypeViewSet, basename="signal-source")
    router.register("ernstniveaus", SeverityLevelViewSet, basename="signal-severity")
    router.register("kwetsbare-groepen", VulnerableGroupViewSet, basename="vulnerable-group")
    router.register("meldingen", SenderNotificationViewSet, basename="sender-notification")
