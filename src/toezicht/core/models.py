"""Shared model building blocks (no domain logic)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class ImportBatchBase(models.Model):
    """One imported file: what came in, how much was added, already present or rejected.

    ``quarantine`` keeps the rejected rows with their messages, so nothing a sender sent is lost.
    """

    filename = models.CharField(_("bestandsnaam"), max_length=255)
    sha256 = models.CharField(_("hash"), max_length=64, db_index=True)
    rows_total = models.PositiveIntegerField(_("regels"), default=0)
    rows_created = models.PositiveIntegerField(_("toegevoegd"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("al aanwezig"), default=0)
    rows_rejected = models.PositiveIntegerField(_("afgekeurd"), default=0)
    quarantine = models.JSONField(_("quarantaine"), default=list, blank=True)
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("geïmporteerd door"),
        null=True,
        blank=True,
    )

    class Meta:
        abstract = True
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d})"
