"""The register of supervised organisations, their types, chains and governance relationships."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from toezicht.core.models import TimeStampedModel
from toezicht.register.querysets import ChainQuerySet, OrganisationQuerySet, RelationshipQuerySet


class SupervisionArea(TimeStampedModel):
    """A toezichtgebied, such as Politie or Migratie. Users and organisations belong to areas."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("toezichtgebied")
        verbose_name_plural = _("toezichtgebieden")

    def __str__(self) -> str:
        return self.name


class OrganisationType(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    is_governance_body = models.BooleanField(
        _("sturend onderdeel"),
        default=False,
        help_text=_("Een onderdeel van het ministerie dat opdrachtgever of eigenaar kan zijn."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatietype")
        verbose_name_plural = _("organisatietypen")

    def __str__(self) -> str:
        return self.name


class Organisation(TimeStampedModel):
    """A supervised (executing) organisation or a ministry unit; hierarchical through ``parent``."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200, db_index=True)
    short_name = models.CharField(_("korte naam"), max_length=80, blank=True)
    type = models.ForeignKey(
        OrganisationType, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("type")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("valt onder"),
    )
    areas = models.ManyToManyField(
        SupervisionArea, related_name="organisations", verbose_name=_("toezichtgebieden"), blank=True
    )
    municipality = models.CharField(_("gemeente"), max_length=80, blank=True, db_index=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="organisation_active_period_ordered",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="organisation_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        starts_ok = self.active_from is None or self.active_from <= day
        ends_ok = self.active_until is None or self.active_until >= day
        return starts_ok and ends_ok


class Chain(TimeStampedModel):
    """A keten or network: organisations that deliver one result together."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("naam"), max_length=200, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    areas = models.ManyToManyField(SupervisionArea, related_name="chains", verbose_name=_("toezichtgebieden"))
    members: models.ManyToManyField[Organisation, ChainMembership] = models.ManyToManyField(
        Organisation, through="ChainMembership", related_name="chains", verbose_name=_("deelnemers")
    )

    objects = ChainQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("keten")
        verbose_name_plural = _("ketens")

    def __str__(self) -> str:
        return self.name


class ChainMembership(TimeStampedModel):
    chain = models.ForeignKey(Chain, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="chain_memberships")
    role = models.CharField(_("rol in de keten"), max_length=200)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        ordering = ["chain", "position", "organisation__name"]
        verbose_name = _("ketendeelname")
        verbose_name_plural = _("ketendeelnames")
        constraints = [
            models.UniqueConstraint(fields=["chain", "organisation"], name="chain_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} in {self.chain} ({self.role})"


class RelationshipKind(models.TextChoices):
    PRINCIPAL = "opdrachtgever", "opdrachtgever"
    OWNER = "eigenaar", "eigenaar"
    FUNDER = "financier", "financier"
    POLICY = "beleidsverantwoordelijke", "beleidsverantwoordelijke"
    OTHER = "overig", "overig"


class Relationship(TimeStampedModel):
    """A governance link: ``source`` is opdrachtgever/eigenaar/… of ``target``."""

    kind = models.CharField(_("soort"), max_length=30, choices=RelationshipKind.choices)
    source = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="outgoing_relationships",
        verbose_name=_("van (bijv. directoraat-generaal)"),
    )
    target = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="incoming_relationships",
        verbose_name=_("voor organisatie"),
    )
    description = models.CharField(_("toelichting"), max_length=300, blank=True)
    active_from = models.DateField(_("actief vanaf"), null=True, blank=True)
    active_until = models.DateField(_("actief tot en met"), null=True, blank=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["target__name", "kind"]
        verbose_name = _("relatie")
        verbose_name_plural = _("relaties")
        constraints = [
            models.UniqueConstraint(fields=["kind", "source", "target"], name="relationship_once"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="relationship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source} is {self.get_kind_display()} van {self.target}"
