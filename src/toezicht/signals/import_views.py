"""Pages for the bulk import of signals: upload, check, column mapping, report, past imports.

The uploaded file is kept in the file storage under a random token remembered in the session, so a
user can check a file, adjust the column mapping and then import the same file without uploading it
again. Every problem with a file is reported in Dutch on the page; nothing here answers with a 500.
"""

from __future__ import annotations

import datetime
import secrets
from pathlib import PurePath
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from toezicht.core.pagination import paginate
from toezicht.core.tabular import ColumnMapping, TableReadError, read_table, resolve_columns, write_csv
from toezicht.register.models import Organisation
from toezicht.signals.import_jobs import import_job_start, runs_in_background
from toezicht.signals.importing import (
    FIELDS,
    SignalImportOutcome,
    mapping_save,
    signal_schema,
    signals_import,
)
from toezicht.signals.models import ImportBatch, ImportMapping, SignalImportJob

SESSION_KEY = "signal_import_files"
KEEP_FILES = 5
SHOWN_PROBLEMS = 200
STORAGE_DIR = "signalen/import"
JOB_STALLED_AFTER = datetime.timedelta(minutes=10)
ALLOWED_SUFFIXES = {".csv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}
TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


def _require(request: HttpRequest, capability: str = "signals.change") -> None:
    if not request.user.can(capability):  # type: ignore[union-attr]
        raise PermissionDenied


def _sees_all(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "sees_all_areas", False))


def batches_for(request: HttpRequest) -> QuerySet[ImportBatch]:
    """Import batches a user may see: their own; all of them for the roles that see every area.
    (A batch's quarantine holds the rejected rows as sent, so it is not shown to everyone.)"""
    batches = ImportBatch.objects.select_related("imported_by", "mapping")
    if _sees_all(request):
        return batches
    return batches.filter(imported_by_id=request.user.pk)


# --------------------------------------------------------------------------- forms


class SignalImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bestand (CSV of Excel)"),
        required=False,
        help_text=gettext_lazy("Eén signaal per rij, met een kopregel met kolomnamen."),
    )
    mapping = forms.ModelChoiceField(
        queryset=ImportMapping.objects.select_related("sender"),
        required=False,
        label=gettext_lazy("Opgeslagen kolomindeling"),
        empty_label=gettext_lazy("— herkennen aan de kolomnamen —"),
    )
    sender = forms.CharField(
        label=gettext_lazy("Afzender (code van de organisatie)"),
        required=False,
        max_length=60,
        help_text=gettext_lazy(
            "Met een afzender telt het kenmerk van de afzender: opnieuw aangeleverde rijen worden herkend."
        ),
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Foute rijen overslaan (ze komen in quarantaine)"), required=False
    )
    save_mapping_as = forms.CharField(
        label=gettext_lazy("Kolomindeling opslaan als"),
        required=False,
        max_length=120,
        help_text=gettext_lazy("Bijvoorbeeld de naam van de afzender; leeg laten om niets op te slaan."),
    )
    token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for name in ("sender", "save_mapping_as"):
            self.fields[name].widget.attrs["class"] = TEXT
        self.fields["mapping"].widget.attrs["class"] = SELECT
        self.fields["file"].widget.attrs.update({"class": TEXT, "accept": ".csv,.txt,.xlsx,.xlsm,.xls,.ods"})
        self.fields["skip_invalid"].widget.attrs["class"] = "utrecht-checkbox utrecht-checkbox--html-input"

    def clean_sender(self) -> Organisation | None:
        code = (self.cleaned_data.get("sender") or "").strip()
        if not code:
            return None
        found = Organisation.objects.visible_to(self.user).filter(code__iexact=code).first()
        if found is None:
            raise forms.ValidationError(_("Er is geen organisatie met code '%(code)s'.") % {"code": code})
        return found

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        if upload and PurePath(upload.name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(_("Kies een CSV-bestand (.csv) of een Excelbestand (.xlsx)."))
        return upload


# --------------------------------------------------------------------------- stashing the upload


def _stash(request: HttpRequest, name: str, content: bytes) -> str:
    token = secrets.token_urlsafe(16)
    suffix = PurePath(name).suffix.lower() if PurePath(name).suffix.lower() in ALLOWED_SUFFIXES else ".bin"
    path = default_storage.save(f"{STORAGE_DIR}/{token}{suffix}", ContentFile(content))
    files: dict[str, dict[str, str]] = dict(request.session.get(SESSION_KEY, {}))
    files[token] = {"path": path, "name": name}
    while len(files) > KEEP_FILES:
        old = next(iter(files))
        for key in ("path", "report"):
            stored = files[old].get(key)
            if stored:
                default_storage.delete(stored)
        del files[old]
    request.session[SESSION_KEY] = files
    return token


def _stashed(request: HttpRequest, token: str) -> tuple[str, bytes] | None:
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry:
        return None
    try:
        with default_storage.open(entry["path"], "rb") as handle:
            return entry["name"], handle.read()
    except OSError:
        return None


def _store_report(request: HttpRequest, token: str, outcome: SignalImportOutcome) -> None:
    files: dict[str, dict[str, str]] = dict(request.session.get(SESSION_KEY, {}))
    if token not in files:
        return
    path = default_storage.save(f"{STORAGE_DIR}/{token}.rapport.csv", ContentFile(outcome.report_csv()))
    old = files[token].get("report")
    if old:
        default_storage.delete(old)
    files[token] = {**files[token], "report": path}
    request.session[SESSION_KEY] = files


# --------------------------------------------------------------------------- column preview


def _preview(name: str, content: bytes, mapping: dict[str, str] | None) -> dict[str, Any] | None:
    """Columns found in the file with a few example values and the field each one feeds."""
    try:
        table = read_table(content, name)
    except TableReadError:
        return None
    examples: list[list[Any]] = []
    for _number, values in table.rows():
        if any(v not in (None, "") for v in values):
            examples.append(values)
        if len(examples) >= 3:
            break
    if mapping is None:
        resolved = resolve_columns(table.header, signal_schema())
        chosen = {table.header[index]: field for field, index in resolved.indexes.items()}
    else:
        chosen = mapping
    columns = []
    for index, header in enumerate(table.header):
        shown = [str(row[index]) if index < len(row) and row[index] is not None else "" for row in examples]
        columns.append({"index": index, "header": header, "examples": shown, "field": chosen.get(header, "")})
    return {"columns": columns, "source": table.describe()}


def _posted_mapping(request: HttpRequest, name: str, content: bytes) -> dict[str, str] | None:
    """{column: field} from the selects on the result page, or None when none were posted."""
    if "kolommen" not in request.POST:
        return None
    try:
        header = read_table(content, name).header
    except TableReadError:
        return None
    mapping: dict[str, str] = {}
    for index, column in enumerate(header):
        target = request.POST.get(f"kolom_{index}", "")
        if target in FIELDS and target not in mapping.values():
            mapping[column] = target
    return mapping


# --------------------------------------------------------------------------- pages


@login_required
def import_signals(request: HttpRequest) -> HttpResponse:
    _require(request)
    form = SignalImportForm(request.POST or None, request.FILES or None, user=request.user)
    context: dict[str, Any] = {"form": form, "fields": FIELDS}
    if request.method == "POST" and form.is_valid():
        context.update(_handle(request, form))
        if "redirect" in context:
            return redirect(context["redirect"])
    page = paginate(request, batches_for(request), per_page=20)
    context.update(page_obj=page, batches=page.object_list, sees_all=_sees_all(request))
    return render(request, "signals/import.html", context)


def _handle(request: HttpRequest, form: SignalImportForm) -> dict[str, Any]:
    upload = form.cleaned_data.get("file")
    token = form.cleaned_data.get("token") or ""
    if upload:
        name, content = upload.name, upload.read()
        token = _stash(request, name, content)
    else:
        stashed = _stashed(request, token) if token else None
        if stashed is None:
            form.add_error("file", _("Kies een bestand om te importeren."))
            return {}
        name, content = stashed
    saved: ImportMapping | None = form.cleaned_data.get("mapping")
    sender = form.cleaned_data.get("sender") or getattr(saved, "sender", None)
    posted = _posted_mapping(request, name, content)
    mapping_arg: ImportMapping | ColumnMapping | None = saved
    columns: dict[str, str] | None = None
    if posted is not None:
        columns = posted
        mapping_arg = ColumnMapping(columns={field: column for column, field in posted.items()})
    elif saved is not None:
        columns = {str(c): str(f) for c, f in (saved.columns or {}).items()}
    new_name = (form.cleaned_data.get("save_mapping_as") or "").strip()
    dry_run = "controleer" in request.POST
    if not dry_run and runs_in_background(len(content)):
        if new_name:
            _save_mapping(request, new_name, name, content, columns, sender)
        job = import_job_start(
            content=content,
            filename=name,
            by=request.user,
            mapping=saved,
            columns=posted,
            sender=sender,
            skip_invalid=form.cleaned_data.get("skip_invalid", False),
        )
        return {"redirect": reverse("signals:import_job", args=[job.pk])}
    outcome = signals_import(
        content=content,
        filename=name,
        by=request.user,
        mapping=mapping_arg,
        sender=sender,
        skip_invalid=form.cleaned_data.get("skip_invalid", False),
        dry_run=dry_run,
    )
    if new_name and not outcome.report.file_errors:
        saved_mapping = _save_mapping(request, new_name, name, content, columns, sender)
        if saved_mapping is not None and outcome.batch is not None and outcome.batch.mapping_id is None:
            outcome.batch.mapping = saved_mapping
            outcome.batch.save(update_fields=["mapping"])
    _store_report(request, token, outcome)
    problems = outcome.problems()
    return {
        "outcome": outcome,
        "dry_run": dry_run,
        "token": token,
        "filename": name,
        "preview": _preview(name, content, columns),
        "problems": problems[:SHOWN_PROBLEMS],
        "problem_count": len(problems),
        "shown_problems": SHOWN_PROBLEMS,
        "field_choices": list(FIELDS.items()),
    }


def _save_mapping(
    request: HttpRequest,
    new_name: str,
    name: str,
    content: bytes,
    columns: dict[str, str] | None,
    sender: Organisation | None,
) -> ImportMapping | None:
    """Save the columns chosen on the page (or, when none were chosen, those recognised by name)."""
    if columns is None:
        guessed = _preview(name, content, None)
        if guessed is None:
            return None
        columns = {c["header"]: c["field"] for c in guessed["columns"] if c["field"]}
    saved = mapping_save(name=new_name, columns=columns, sender=sender, by=request.user)
    messages.success(request, _("Kolomindeling '%(name)s' is opgeslagen.") % {"name": new_name})
    return saved


def _jobs_for(request: HttpRequest) -> QuerySet[SignalImportJob]:
    jobs = SignalImportJob.objects.select_related("by", "batch")
    return jobs if _sees_all(request) else jobs.filter(by_id=request.user.pk)


@login_required
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A file imported on the background worker: waits (polled by htmx) until the job is done."""
    _require(request)
    job = get_object_or_404(_jobs_for(request), pk=pk)
    stalled = job.waiting and timezone.now() - job.created_at > JOB_STALLED_AFTER
    return render(request, "signals/import_job.html", {"job": job, "stalled": stalled})


@login_required
def import_job_report(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    job = get_object_or_404(_jobs_for(request), pk=pk)
    if not job.report_path:
        raise Http404
    return _stored_report(job.report_path, job.filename)


@login_required
def import_report(request: HttpRequest, token: str) -> HttpResponse:
    """The full report of a check or import of this session, as CSV."""
    _require(request)
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or not entry.get("report"):
        raise Http404
    return _stored_report(entry["report"], entry["name"])


def _stored_report(path: str, filename: str) -> HttpResponse:
    """A report kept in storage, downloaded as rapport-<name of the imported file>.csv (404 when gone)."""
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise Http404 from exc
    return _csv_response(data, f"rapport-{PurePath(filename).stem or 'import'}.csv")


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    batch = get_object_or_404(batches_for(request), pk=pk)
    quarantine = batch.quarantine or []
    return render(
        request,
        "signals/import_batch.html",
        {"batch": batch, "records": quarantine[:100], "record_count": len(quarantine)},
    )


@login_required
def import_quarantine(request: HttpRequest, pk: int) -> HttpResponse:
    """The rejected rows of an import as sent, plus a column 'fout', for the sender to correct."""
    _require(request)
    batch = get_object_or_404(batches_for(request), pk=pk)
    records = batch.quarantine or []
    header: list[str] = []
    values_per_record = [dict(record.get("waarden", [])) for record in records]
    for record in records:
        for column, _value in record.get("waarden", []):
            if column not in header:
                header.append(column)
    rows = [
        [*(values.get(c, "") for c in header), " | ".join(record.get("fouten", []))]
        for values, record in zip(values_per_record, records, strict=True)
    ]
    data = write_csv(rows, [*header, "fout"])
    assert data is not None
    stem = PurePath(batch.filename).stem or "import"
    return _csv_response(data, f"quarantaine-{stem}.csv")


@login_required
def import_mappings(request: HttpRequest) -> HttpResponse:
    _require(request)
    mappings = ImportMapping.objects.select_related("sender", "created_by").order_by("name")
    page = paginate(request, mappings, per_page=50)
    return render(
        request,
        "signals/import_mappings.html",
        {"page_obj": page, "mappings": page.object_list, "fields": FIELDS},
    )


@login_required
@require_POST
def import_mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    mapping = get_object_or_404(ImportMapping, pk=pk)
    name = mapping.name
    mapping.delete()
    messages.success(request, _("Kolomindeling '%(name)s' is verwijderd.") % {"name": name})
    return redirect("signals:import_mappings")


def _csv_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename)
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response
