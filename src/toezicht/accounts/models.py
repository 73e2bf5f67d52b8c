"""Users: a custom user model with one role and one or more supervision areas."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from toezicht.accounts.roles import ALL_AREA_ROLES, CAPABILITIES, Role


class User(AbstractUser):
    role = models.CharField(_("rol"), max_length=30, choices=Role.choices, default=Role.READER)
    areas = models.ManyToManyField(
        "register.SupervisionArea", related_name="users", verbose_name=_("toezichtgebieden"), blank=True
    )
    job_title = models.CharField(_("functie"), max_length=120, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_areas(self) -> bool:
        return self.is_superuser or self.role in ALL_AREA_ROLES

    def can(self, capability: str) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return self.role in CAPABILITIES.get(capability, frozenset())


class Team(models.Model):
    """A team of the inspectorate: signals are assigned to it and the work programme plans its hours."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("naam"), max_length=120, unique=True)
    area = models.ForeignKey(
        "register.SupervisionArea",
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("toezichtgebied"),
        null=True,
        blank=True,
    )
    members = models.ManyToManyField(User, related_name="teams", verbose_name=_("leden"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name
