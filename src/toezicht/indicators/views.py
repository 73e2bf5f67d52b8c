"""Pages of indicators and norms. Views are thin: parse input, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from toezicht.core.pagination import paginate, query_without_page
from toezicht.indicators import selectors, services
from toezicht.indicators.forms import IndicatorForm, NormForm, ObservationImportForm, SearchForm
from toezicht.indicators.models import Indicator, Norm


def _can_change(request: HttpRequest) -> bool:
    return bool(request.user.can(services.CAPABILITY))  # type: ignore[union-attr]


def _require(request: HttpRequest) -> None:
    if not _can_change(request):
        raise PermissionDenied(_("U heeft geen recht om indicatoren en normen te wijzigen."))


def _apply_errors(form: BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    search = SearchForm(request.GET)
    page = paginate(request, selectors.indicator_list(request.user, search.query()))
    return render(
        request,
        "indicators/overview.html",
        {
            "search": search,
            "page_obj": page,
            "base_query": query_without_page(request),
            "can_change": _can_change(request),
        },
    )


@login_required
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = selectors.indicator_get(pk)
    page = paginate(request, selectors.indicator_observations(request.user, indicator))
    norms = selectors.norms_with_counts(request.user).filter(indicator=indicator).order_by("name")
    return render(
        request,
        "indicators/indicator_detail.html",
        {
            "indicator": indicator,
            "norms": norms,
            "page_obj": page,
            "base_query": query_without_page(request),
            "can_change": _can_change(request),
        },
    )


@login_required
def norm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    norm = selectors.norm_get(request.user, pk)
    sector = selectors.norm_sector(request.user, norm)
    page = paginate(request, selectors.norm_breaches(request.user, norm))
    return render(
        request,
        "indicators/norm_detail.html",
        {
            "norm": norm,
            "sector": sector,
            "page_obj": page,
            "base_query": query_without_page(request),
            "can_change": _can_change(request),
        },
    )


@login_required
def indicator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request)
    indicator: Indicator | None = selectors.indicator_get(pk) if pk is not None else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = data.pop("areas", [])
        try:
            saved = services.indicator_save(by=request.user, data=data, indicator=indicator, areas=areas)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Indicator ‘%(name)s’ is opgeslagen.") % {"name": saved.name})
            return redirect("indicators:indicator_detail", pk=saved.pk)
    return render(request, "indicators/form.html", {"form": form, "object": indicator, "kind": "indicator"})


@login_required
def norm_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request)
    norm: Norm | None = selectors.norm_get(request.user, pk) if pk is not None else None
    form = NormForm(request.POST or None, instance=norm)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.norm_save(by=request.user, data=dict(form.cleaned_data), norm=norm)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Norm ‘%(name)s’ is opgeslagen.") % {"name": saved.name})
            return redirect("indicators:norm_detail", pk=saved.pk)
    return render(request, "indicators/form.html", {"form": form, "object": norm, "kind": "norm"})


@login_required
def observation_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX of observations; every row is checked and reported; nothing is written unless
    all rows pass (or the user asks to skip invalid rows, which are then kept in quarantine)."""
    from toezicht.indicators.importing import observations_import

    _require(request)
    form = ObservationImportForm(request.POST or None, request.FILES or None)
    outcome: Any = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = observations_import(
            content=upload.read(),
            filename=upload.name,
            by=request.user,
            skip_invalid=form.cleaned_data["skip_invalid"],
            dry_run="controleer" in request.POST,
        )
        if outcome.created:
            messages.success(request, outcome.summary)
    return render(request, "indicators/import.html", {"form": form, "outcome": outcome})
