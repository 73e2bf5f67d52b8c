"""Shared model building blocks (no domain logic)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_reference(
    verbose_name: Any = None, *, related_name: str = "+", blank: bool = True, db_index: bool = True
) -> Any:
    """A reference to a user (who did, decided or handles something) that outlives the account: deleting
    the user empties it (SET_NULL) and keeps the record; no reverse accessor unless `related_name`."""
    options: dict[str, Any] = {"related_name": related_name, "null": True, "blank": blank}
    if verbose_name is not None:
        options["verbose_name"] = verbose_name
    if not db_index:
        options["db_index"] = False
    return models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, **options)


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
    imported_by = user_reference(_("geïmporteerd door"))

    class Meta:
        abstract = True
        ordering = ["-imported_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d})"


class StatusEventBase(models.Model):
    """One entry of an object's append-only history: a status change (from → to, per the app's transition
    table in core.workflow) or another event, with who did it, when and why.

    Subclasses add the foreign key to their object and override ``from_status``/``to_status`` to give them
    their own status choices.
    """

    from_status = models.CharField(_("van status"), max_length=20, blank=True)
    to_status = models.CharField(_("naar status"), max_length=20, blank=True)
    note = models.TextField(_("toelichting"), blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    by = user_reference(_("door"))

    class Meta:
        abstract = True
        ordering = ["at", "id"]
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("geschiedenis")
