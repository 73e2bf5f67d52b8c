"""Large signal imports on a background worker.

With TASK_BACKEND=celery, the import page hands a file of at least BACKGROUND_MIN_BYTES to a worker instead of
importing it while the request waits (a million rows take 20–30 s, close to the time-outs of proxies and web
workers). The job keeps the stored file and the choices made on the page; the task imports with exactly the
same service as the page and the command (signals_import), records the outcome and removes the file.
Checks ("Alleen controleren") and smaller files stay in the request; inline (the default) nothing changes.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from toezicht.core.tabular import ColumnMapping
from toezicht.core.tasks import enqueue_after_commit
from toezicht.register.models import Organisation
from toezicht.signals.importing import signals_import
from toezicht.signals.models import ImportJobStatus, ImportMapping, SignalImportJob

logger = logging.getLogger(__name__)

BACKGROUND_MIN_BYTES = 5_000_000  # about 40,000 rows: a few seconds in the request
STORAGE_DIR = "signalen/import-op-achtergrond"


def runs_in_background(size: int) -> bool:
    return settings.TASK_BACKEND == "celery" and size >= BACKGROUND_MIN_BYTES


def import_job_start(
    *,
    content: bytes,
    filename: str,
    by: Any,
    mapping: ImportMapping | None,
    columns: dict[str, str] | None,
    sender: Organisation | None,
    skip_invalid: bool,
) -> SignalImportJob:
    """Store the file and queue its import. `columns`: {column in the file: field} chosen on the page
    (None: the saved mapping, or the column names)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    path = default_storage.save(f"{STORAGE_DIR}/{secrets.token_urlsafe(16)}{suffix}", ContentFile(content))
    with transaction.atomic():
        job = SignalImportJob.objects.create(
            by=by if getattr(by, "is_authenticated", False) else None,
            filename=filename[:255],
            path=path,
            options={
                "mapping_id": getattr(mapping, "pk", None),
                "columns": columns,
                "sender_id": getattr(sender, "pk", None),
                "skip_invalid": skip_invalid,
            },
        )
        enqueue_after_commit("toezicht.signals.tasks.run_import_job", job_id=job.pk)
    return job


def import_job_run(job_id: int) -> None:
    """The task: import the stored file once. A message delivered twice finds the job no longer queued."""
    with transaction.atomic():
        job = SignalImportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != ImportJobStatus.QUEUED:
            return
        job.status = ImportJobStatus.RUNNING
        job.save(update_fields=["status"])
    try:
        with default_storage.open(job.path, "rb") as handle:
            content = handle.read()
        options = job.options or {}
        mapping: ImportMapping | ColumnMapping | None = None
        if options.get("columns"):
            mapping = ColumnMapping(columns={field: column for column, field in options["columns"].items()})
        elif options.get("mapping_id"):
            mapping = ImportMapping.objects.filter(pk=options["mapping_id"]).first()
        sender = (
            Organisation.objects.filter(pk=options["sender_id"]).first() if options.get("sender_id") else None
        )
        outcome = signals_import(
            content=content,
            filename=job.filename,
            by=job.by,
            mapping=mapping,
            sender=sender,
            skip_invalid=bool(options.get("skip_invalid")),
        )
        if (
            outcome.report.file_errors or outcome.errors or outcome.notes
        ):  # a report only with something in it
            job.report_path = default_storage.save(
                f"{STORAGE_DIR}/{job.pk}.rapport.csv", ContentFile(outcome.report_csv())
            )
        job.summary = outcome.summary
        job.batch = outcome.batch
        job.status = ImportJobStatus.DONE
    except Exception as exc:  # the worker must record every failure; the import itself rolled back
        logger.exception("Background signal import %s failed", job_id)
        job.status = ImportJobStatus.FAILED
        job.error = f"Het importeren is mislukt; er is niets opgeslagen. ({type(exc).__name__}: {exc})"[:2000]
    finally:
        if job.path:
            default_storage.delete(job.path)
        job.path = ""
        job.finished_at = timezone.now()
        job.save()
