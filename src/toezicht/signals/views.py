"""Pages of the intake desk. Views are thin: parse input, call a selector or service, render."""

from __future__ import annotations

import datetime
import tempfile
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toezicht.core.params import whole_number
from toezicht.core.tabular import write_csv, write_xlsx
from toezicht.signals import selectors, services, workflow
from toezicht.signals.forms import (
    AssignForm,
    AttachmentForm,
    SenderTokenForm,
    SignalFilterForm,
    SignalForm,
    TransitionForm,
)
from toezicht.signals.models import DuplicateCandidate, SenderToken, SignalAttachment


def _require(request: HttpRequest, capability: str = "signals.change") -> None:
    if not request.user.can(capability):  # type: ignore[union-attr]
        raise PermissionDenied(_("U heeft geen recht om signalen te wijzigen."))


def _form_error_text(form: Any) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _error_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for messages_ in exc.message_dict.values() for m in messages_)
    return " ".join(exc.messages)


def _back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    # a path on this site only: redirect() would read any other text as the name of a view to reverse
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(target)
    return redirect(fallback)


# -- inbox -----------------------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    options = selectors.filter_options(user)
    form = SignalFilterForm(request.GET, options=options)
    filters = form.to_filter()
    page = selectors.paginate_bounded(request, selectors.inbox_rows(user, filters))
    can_change = user.can("signals.change")  # type: ignore[union-attr]
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "base_query": _query_without_page(request),
        "full_path": request.get_full_path(),
        "can_change": can_change,
        "today": datetime.date.today(),
        "count_limit": selectors.COUNT_LIMIT,
        "assign_form": AssignForm(options=selectors.assignment_options(user), auto_id="bulk_%s")
        if can_change
        else None,
    }
    template = "signals/_inbox_results.html" if request.htmx else "signals/inbox.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def inbox_export(request: HttpRequest) -> HttpResponse | FileResponse:
    """The inbox as filtered, as CSV (Dutch Excel: ';', decimal comma, BOM) or XLSX. Only signals the user
    may see; written to a temporary file first so a large export never sits in memory."""
    user = request.user
    form = SignalFilterForm(request.GET, options=selectors.filter_options(user))
    file_format = request.GET.get("formaat", "csv")
    if file_format not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Onbekend exportformaat: kies csv of xlsx."))
    rows = selectors.signal_export_rows(
        user, form.to_filter(), limit=selectors.XLSX_EXPORT_LIMIT if file_format == "xlsx" else None
    )
    target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after sending
    if file_format == "xlsx":
        write_xlsx(rows, selectors.EXPORT_COLUMNS, target, sheet_title="Signalen")
    else:
        write_csv(rows, selectors.EXPORT_COLUMNS, target)
    target.seek(0)
    stamp = datetime.date.today().isoformat()
    return FileResponse(target, as_attachment=True, filename=f"signalen-{stamp}.{file_format}")


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@require_POST
def bulk_assign(request: HttpRequest) -> HttpResponse:
    _require(request)
    user = request.user
    form = AssignForm(request.POST, options=selectors.assignment_options(user))
    ids = [pk for pk in map(whole_number, request.POST.getlist("signalen")) if pk is not None]
    fallback = reverse("signals:inbox")
    if not ids:
        messages.error(request, _("Selecteer eerst een of meer signalen."))
        return _back(request, fallback)
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
        return _back(request, fallback)
    signals = list(selectors.signals_visible(user).filter(pk__in=ids))
    if len(signals) != len(set(ids)):
        raise Http404
    team, assignee = _assign_targets(form.cleaned_data)
    try:
        count = services.signal_assign(
            signals=signals, team=team, assignee=assignee, by=user, note=form.cleaned_data["toelichting"]
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("%(n)d signalen toegewezen.") % {"n": count})
    return _back(request, fallback)


def _assign_targets(data: dict[str, Any]) -> tuple[Any, Any]:
    from toezicht.accounts.models import Team, User

    team = Team.objects.get(pk=data["team"]) if data.get("team") else None
    assignee = User.objects.get(pk=data["behandelaar"]) if data.get("behandelaar") else None
    return team, assignee


# -- create and edit ---------------------------------------------------------------------------------------


MULTI_FIELDS = ("related_organisations", "themes", "vulnerable_groups", "authorised_users")


def _initial_from_post(post: QueryDict) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for name in SignalForm.Meta.fields:
        if name in MULTI_FIELDS:
            initial[name] = post.getlist(name)
        elif name in post:
            initial[name] = post.get(name)
    return initial


def _apply_to_initial(initial: dict[str, Any], choice: str) -> None:
    """A suggestion button ('organisation:12', 'area:3', 'theme:5') fills in that field; nothing else."""
    kind, _sep, value = choice.partition(":")
    if whole_number(value) is None:
        return
    if kind == "organisation":
        initial["organisation"] = value
    elif kind == "area":
        initial["area"] = value
    elif kind == "theme":
        themes = list(initial.get("themes", []))
        if value not in themes:
            themes.append(value)
        initial["themes"] = themes


@login_required
def signal_create(request: HttpRequest) -> HttpResponse:
    _require(request)
    user = request.user
    suggestions = None
    chosen: dict[str, Any] = {}
    if request.method == "POST" and "opslaan" not in request.POST:
        # "Suggesties ophalen" or a suggestion button: show the form again, nothing is saved.
        initial = _initial_from_post(request.POST)
        _apply_to_initial(initial, request.POST.get("toepassen", ""))
        form = SignalForm(initial=initial, user=user)
        text = f"{request.POST.get('title', '')}\n{request.POST.get('description', '')}"
        suggestions = selectors.triage_for(user, text)
        chosen = {
            "organisation": whole_number(initial.get("organisation")),
            "area": whole_number(initial.get("area")),
            "themes": {whole_number(v) for v in initial.get("themes", [])},
        }
    elif request.method == "POST":
        form = SignalForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            attachment = data.pop("attachment", None)
            many = {name: data.pop(name) for name in MULTI_FIELDS}
            try:
                signal = services.signal_create(by=user, **many, **data)
                if attachment is not None:
                    services.signal_add_attachment(signal=signal, file=attachment, by=user)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Signaal %(ref)s is vastgelegd.") % {"ref": signal.reference})
                return redirect("signals:detail", pk=signal.pk)
    else:
        form = SignalForm(initial={"received_on": datetime.date.today()}, user=user)
    return render(
        request,
        "signals/signal_form.html",
        {"form": form, "suggestions": suggestions, "signal": None, "chosen": chosen},
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def signal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    user = request.user
    signal = selectors.signal_get(user, pk)
    form = SignalForm(request.POST or None, instance=signal, user=user, with_attachment=False)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in SignalForm.Meta.fields}
        try:
            services.signal_update(signal=signal, by=user, data=data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Signaal %(ref)s is bijgewerkt.") % {"ref": signal.reference})
            return redirect("signals:detail", pk=signal.pk)
    return render(request, "signals/signal_form.html", {"form": form, "signal": signal, "suggestions": None})


# -- detail and actions ------------------------------------------------------------------------------------


@login_required
def signal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    signal = selectors.signal_get(user, pk)
    can_change = user.can("signals.change")  # type: ignore[union-attr]
    context: dict[str, Any] = {
        "signal": signal,
        "history": selectors.signal_history(signal),
        "attachments": selectors.signal_attachments(signal),
        "duplicates": selectors.signal_duplicates(user, signal),
        "merged": selectors.merged_signals(user, signal),
        "can_change": can_change,
        "transitions": workflow.allowed_targets(signal.status) if signal.merged_into_id is None else [],
        "today": datetime.date.today(),
    }
    if can_change:
        context["assign_form"] = AssignForm(options=selectors.assignment_options(user))
        context["attachment_form"] = AttachmentForm()
        context["suggestions"] = selectors.triage_for(user, f"{signal.title}\n{signal.description}")
        context["chosen"] = {
            "organisation": signal.organisation_id,
            "area": signal.area_id,
            "themes": {t.pk for t in signal.themes.all()},
        }
    return render(request, "signals/signal_detail.html", context)


@login_required
@require_POST
def signal_transition(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    signal = selectors.signal_get(request.user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een geldige nieuwe status."))
    else:
        try:
            updated = services.signal_transition(
                signal=signal,
                to_status=form.cleaned_data["naar"],
                by=request.user,
                note=form.cleaned_data["toelichting"],
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(
                request, _("De status is nu ‘%(status)s’.") % {"status": updated.get_status_display()}
            )
    return redirect("signals:detail", pk=signal.pk)


@login_required
@require_POST
def signal_assign(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    user = request.user
    signal = selectors.signal_get(user, pk)
    form = AssignForm(request.POST, options=selectors.assignment_options(user))
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
    else:
        team, assignee = _assign_targets(form.cleaned_data)
        try:
            services.signal_assign(
                signals=signal, team=team, assignee=assignee, by=user, note=form.cleaned_data["toelichting"]
            )
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("Het signaal is toegewezen."))
    return redirect("signals:detail", pk=signal.pk)


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request)
    signal = selectors.signal_get(request.user, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_error_text(form))
    else:
        try:
            services.signal_add_attachment(signal=signal, file=form.cleaned_data["file"], by=request.user)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("De bijlage is toegevoegd."))
    return redirect("signals:detail", pk=signal.pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """Only for users who see the signal; the file is never served from a public URL."""
    signal = selectors.signal_get(request.user, pk)
    attachment = get_object_or_404(SignalAttachment, pk=attachment_pk, signal=signal)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("Het bestand is niet meer aanwezig.")) from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """Merge the pair (the other signal into this one) or dismiss it."""
    _require(request)
    user = request.user
    signal = selectors.signal_get(user, pk)
    candidate = get_object_or_404(DuplicateCandidate, pk=candidate_pk)
    if signal.pk not in (candidate.signal_id, candidate.other_id):
        raise Http404
    other_id = candidate.other_id if candidate.signal_id == signal.pk else candidate.signal_id
    other = selectors.signal_get(user, other_id)
    try:
        if request.POST.get("besluit") == "samenvoegen":
            services.signal_merge(target=signal, duplicate=other, by=user)
            messages.success(
                request, _("%(other)s is samengevoegd met dit signaal.") % {"other": other.reference}
            )
        elif request.POST.get("besluit") == "geen-dubbel":
            services.duplicate_dismiss(candidate=candidate, by=user)
            messages.success(request, _("Vastgelegd: geen dubbel signaal."))
        else:
            messages.error(request, _("Kies samenvoegen of geen dubbel."))
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    return redirect("signals:detail", pk=signal.pk)


@login_required
@require_POST
def apply_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """A person applies one triage suggestion to the signal (never done automatically)."""
    from toezicht.register.models import Organisation, SupervisionArea
    from toezicht.strategy.models import Theme

    _require(request)
    user = request.user
    signal = selectors.signal_get(user, pk)
    kind, _sep, text = request.POST.get("toepassen", "").partition(":")
    value = whole_number(text)
    if value is None:
        messages.error(request, _("Onbekende suggestie."))
        return redirect("signals:detail", pk=signal.pk)
    data: dict[str, Any]
    if kind == "organisation":
        data = {"organisation": get_object_or_404(Organisation.objects.visible_to(user), pk=value)}
    elif kind == "area":
        data = {"area": get_object_or_404(SupervisionArea, pk=value)}
    elif kind == "theme":
        theme = get_object_or_404(Theme, pk=value)
        data = {"themes": [*signal.themes.all(), theme]}
    else:
        messages.error(request, _("Onbekende suggestie."))
        return redirect("signals:detail", pk=signal.pk)
    try:
        services.signal_update(signal=signal, by=user, data=data, note="Triagesuggestie toegepast.")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("De suggestie is toegepast."))
    return redirect("signals:detail", pk=signal.pk)


# -- API keys of sending organisations (administrator) -----------------------------------------------------


@login_required
def sender_tokens(request: HttpRequest) -> HttpResponse:
    _require(request, "signals.configure")
    form = SenderTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and "intrekken" in request.POST:
        value = request.POST.get("intrekken", "")
        token = get_object_or_404(SenderToken, pk=whole_number(value) or 0)
        services.sender_token_revoke(token=token)
        messages.success(request, _("De sleutel %(prefix)s… is ingetrokken.") % {"prefix": token.prefix})
        return redirect("signals:sender_tokens")
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = services.sender_token_create(
                organisation=form.cleaned_data["organisation"], label=form.cleaned_data["label"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            form = SenderTokenForm()
    tokens = SenderToken.objects.select_related("organisation").order_by(
        "revoked_at", "organisation__name", "label"
    )
    response = render(
        request,
        "signals/sender_tokens.html",
        {"form": form, "tokens": tokens[:500], "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"
    return response
