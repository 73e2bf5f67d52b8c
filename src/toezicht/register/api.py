"""REST API of the register: the same area rules as the pages, via ``visible_to``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from toezicht.register import services
from toezicht.register.forms import OrganisationFilterForm
from toezicht.register.models import (
    Chain,
    ChainMembership,
    Organisation,
    OrganisationType,
    Relationship,
    SupervisionArea,
)
from toezicht.register.selectors import filter_options, organisation_list


class SupervisionAreaSerializer(serializers.ModelSerializer[SupervisionArea]):
    class Meta:
        model = SupervisionArea
        fields = ["id", "code", "name", "description"]


class OrganisationTypeSerializer(serializers.ModelSerializer[OrganisationType]):
    class Meta:
        model = OrganisationType
        fields = ["id", "code", "name", "description", "is_governance_body"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    type: Any = serializers.SlugRelatedField(slug_field="code", queryset=OrganisationType.objects.all())
    parent: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    areas: Any = serializers.SlugRelatedField(
        slug_field="code", queryset=SupervisionArea.objects.all(), many=True, required=False
    )

    class Meta:
        model = Organisation
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "type",
            "parent",
            "areas",
            "municipality",
            "website",
            "description",
            "active_from",
            "active_until",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("active_from", getattr(self.instance, "active_from", None))
        end = attrs.get("active_until", getattr(self.instance, "active_until", None))
        if start and end and end < start:
            raise serializers.ValidationError({"active_until": _("De einddatum ligt vóór de begindatum.")})
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Organisation:
        areas = validated_data.pop("areas", None)
        return services.organisation_save(data=validated_data, areas=areas)

    def update(self, instance: Organisation, validated_data: dict[str, Any]) -> Organisation:
        areas = validated_data.pop("areas", None)
        return services.organisation_save(organisation=instance, data=validated_data, areas=areas)


class ChainMembershipSerializer(serializers.ModelSerializer[ChainMembership]):
    organisation: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ChainMembership
        fields = ["organisation", "role", "position"]


class ChainSerializer(serializers.ModelSerializer[Chain]):
    areas: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, many=True)
    memberships = ChainMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Chain
        fields = ["id", "code", "name", "description", "areas", "memberships"]


class RelationshipSerializer(serializers.ModelSerializer[Relationship]):
    source: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target: Any = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Relationship
        fields = ["id", "kind", "source", "target", "description", "active_from", "active_until"]


class SupervisionAreaViewSet(viewsets.ReadOnlyModelViewSet[SupervisionArea]):
    serializer_class = SupervisionAreaSerializer
    queryset = SupervisionArea.objects.order_by("name")


class OrganisationTypeViewSet(viewsets.ReadOnlyModelViewSet[OrganisationType]):
    serializer_class = OrganisationTypeSerializer
    queryset = OrganisationType.objects.order_by("name")


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Zoekterm in naam, code of gemeente"),
            OpenApiParameter("type", int, description="Id van het organisatietype"),
            OpenApiParameter("gebied", int, description="Id van het toezichtgebied"),
            OpenApiParameter("gemeente", str),
            OpenApiParameter("status", str, enum=["actief", "inactief"]),
            OpenApiParameter("sorteer", str),
        ]
    )
)
class OrganisationViewSet(viewsets.ModelViewSet[Organisation]):
    serializer_class = OrganisationSerializer
    write_capability = "register.change"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Organisation]:
        user = self.request.user
        if self.action == "list":
            form = OrganisationFilterForm(self.request.query_params, options=filter_options(user))
            return organisation_list(user, form.to_filter())
        return (
            Organisation.objects.visible_to(user).select_related("type", "parent").prefetch_related("areas")
        )


class ChainViewSet(viewsets.ReadOnlyModelViewSet[Chain]):
    serializer_class = ChainSerializer

    def get_queryset(self) -> QuerySet[Chain]:
        return (
            Chain.objects.visible_to(self.request.user)
            .prefetch_related("areas", "memberships__organisation")
            .order_by("name")
        )


class RelationshipViewSet(viewsets.ReadOnlyModelViewSet[Relationship]):
    serializer_class = RelationshipSerializer

    def get_queryset(self) -> QuerySet[Relationship]:
        return (
            Relationship.objects.visible_to(self.request.user)
            .select_related("source", "target")
            .order_by("pk")
        )
