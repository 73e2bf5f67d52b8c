"""Pages of the register. Views are thin: parse input, call a selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from toezicht.core.pagination import paginate, query_without_page
from toezicht.register import selectors, services
from toezicht.register.forms import OrganisationFilterForm, OrganisationForm
from toezicht.web.panels import panels_for


def _require(request: HttpRequest, capability: str) -> None:
    if not request.user.can(capability):  # type: ignore[union-attr]
        raise PermissionDenied(_("U heeft geen recht om het register te wijzigen."))


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    options = selectors.filter_options(request.user)
    form = OrganisationFilterForm(request.GET, options=options)
    filters = form.to_filter()
    page = paginate(request, selectors.organisation_list(request.user, filters))
    context = {
        "form": form,
        "filters": filters,
        "page_obj": page,
        "base_query": query_without_page(request),
        "can_change": request.user.can("register.change"),  # type: ignore[union-attr]
    }
    template = "register/_organisation_results.html" if request.htmx else "register/organisation_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(request.user, pk)
    ancestors = selectors.organisation_ancestors(organisation)
    context: dict[str, Any] = {
        "organisation": organisation,
        "ancestors": ancestors,
        "children": selectors.organisation_children(request.user, organisation)[:200],
        "memberships": selectors.organisation_chains(request.user, organisation),
        "governance": selectors.organisation_governance(request.user, organisation, ancestors),
        "panels": panels_for("organisation", request, organisation),
        "can_change": request.user.can("register.change"),  # type: ignore[union-attr]
    }
    return render(request, "register/organisation_detail.html", context)


@login_required
def organisation_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    _require(request, "register.change")
    organisation = selectors.organisation_get(request.user, pk) if pk is not None else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.organisation_save(
                organisation=organisation, data=form.cleaned_data, areas=form.cleaned_data["areas"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Organisatie ‘%(name)s’ is opgeslagen.") % {"name": saved.name})
            return redirect("register:organisation_detail", pk=saved.pk)
    return render(request, "register/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
def chain_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.chain_list(request.user))
    return render(
        request, "register/chain_list.html", {"page_obj": page, "base_query": query_without_page(request)}
    )


@login_required
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = selectors.chain_get(request.user, pk)
    visible_ids = set(
        selectors.organisations_visible(request.user)
        .filter(chain_memberships__chain=chain)
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "register/chain_detail.html",
        {"chain": chain, "visible_ids": visible_ids, "panels": panels_for("chain", request, chain)},
    )


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as CSV or XLSX; the same visibility rules as the page."""
    from toezicht.register.transfer import export_response

    form = OrganisationFilterForm(request.GET, options=selectors.filter_options(request.user))
    queryset = selectors.organisation_list(request.user, form.to_filter())
    return export_response(queryset, request.GET.get("formaat", "xlsx"))


@login_required
def organisation_import(request: HttpRequest) -> HttpResponse:
    """Upload a CSV or XLSX; every row is checked and reported; nothing is written unless all rows pass
    (or the user explicitly asks to skip invalid rows)."""
    from toezicht.register.forms import ImportUploadForm
    from toezicht.register.importing import organisations_import

    _require(request, "register.change")
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = organisations_import(
            content=upload.read(),
            filename=upload.name,
            skip_invalid=form.cleaned_data["skip_invalid"],
            dry_run="controleer" in request.POST,
        )
        if report.imported:
            messages.success(request, report.summary)
    return render(request, "register/organisation_import.html", {"form": form, "report": report})
