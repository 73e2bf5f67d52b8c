"""Pages of the risk picture. Thin: parse input, call a selector or service, render."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toezicht.core.pagination import paginate, query_without_page
from toezicht.core.params import whole_number
from toezicht.register.models import Chain, Organisation, OrganisationType, SupervisionArea
from toezicht.risk import accountability, selectors, services
from toezicht.risk.engine import RiskModel
from toezicht.risk.forms import ModelVersionForm, OverrideForm, ScoreFilterForm
from toezicht.risk.models import ModelStatus, RiskModelVersion, RiskOverride, SnapshotTrigger
from toezicht.strategy.models import Theme

HEATMAP_PAGE_SIZE = 25


def _require(request: HttpRequest, capability: str, message: str) -> None:
    if not request.user.can(capability):  # type: ignore[union-attr]
        raise PermissionDenied(message)


def filter_options(user: Any) -> dict[str, Any]:
    if getattr(user, "sees_all_areas", False):
        areas = SupervisionArea.objects.all()
    else:
        areas = SupervisionArea.objects.filter(users=user)
    return {
        "gebied": list(areas.order_by("name").values_list("pk", "name")),
        "type": list(OrganisationType.objects.order_by("name").values_list("pk", "name")),
        "thema": list(Theme.objects.order_by("name").values_list("pk", "name")),
        "keten": list(Chain.objects.visible_to(user).order_by("name").values_list("pk", "name")),
    }


def _model_of(snapshot: Any) -> RiskModel:
    return services.model_of(snapshot.model_version)


def _signal_url(pk: int) -> str | None:
    for name in ("signals:detail", "signals:signal_detail"):
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    snapshot = selectors.latest_snapshot()
    view = "gebieden" if request.GET.get("weergave") == "gebieden" else "organisaties"
    form = ScoreFilterForm(request.GET, options=filter_options(request.user), fields=("gebied", "type"))
    context: dict[str, Any] = {"snapshot": snapshot, "view": view, "form": form}
    if snapshot is not None:
        themes = list(Theme.objects.order_by("name"))
        model = _model_of(snapshot)
        context["themes"] = themes
        context["matrix"] = selectors.matrix_counts(request.user, snapshot, model)
        context["impact_labels"] = [b.label for b in model.impact_bands]
        context["legend"] = _legend(model)
        if view == "gebieden":
            context["area_rows"] = selectors.area_heatmap(request.user, snapshot, themes)
        else:
            filters = form.to_filter()
            page = paginate(
                request, selectors.visible_organisations(request.user, filters), HEATMAP_PAGE_SIZE
            )
            context["page_obj"] = page
            context["rows"] = selectors.heatmap_rows(request.user, snapshot, list(page.object_list), themes)
            context["base_query"] = query_without_page(request)
    return render(request, "risk/overview.html", context)


def _legend(model: RiskModel) -> list[dict[str, str]]:
    seen: dict[str, str] = {}
    for row in model.matrix:
        for cell in row:
            seen.setdefault(cell.label, cell.colour)
    return [{"label": label, "colour": colour} for label, colour in seen.items()]


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    snapshot = selectors.latest_snapshot()
    form = ScoreFilterForm(request.GET, options=filter_options(request.user))
    context: dict[str, Any] = {"snapshot": snapshot, "form": form, "base_query": query_without_page(request)}
    if snapshot is not None:
        context["page_obj"] = paginate(request, selectors.scores(request.user, snapshot, form.to_filter()))
    return render(request, "risk/ranking.html", context)


def organisation_context(
    request: HttpRequest, organisation: Organisation, theme_id: int | None = None
) -> dict[str, Any]:
    """Context of the organisation's risk panel (also used by the full organisation risk page)."""
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        return {"snapshot": None, "organisation": organisation}
    scores = selectors.organisation_scores(request.user, snapshot, organisation)
    total = next((s for s in scores if s.theme_id is None), None)
    theme_scores = [s for s in scores if s.theme_id is not None]
    chosen = None
    if theme_id is not None:
        chosen = next((s for s in theme_scores if s.theme_id == theme_id), None)
    if chosen is None and total is not None:
        chosen = next((s for s in theme_scores if s.theme_id == (total.evidence or {}).get("theme")), None)
    if chosen is None and theme_scores:
        chosen = theme_scores[0]
    evidence = selectors.evidence_items(chosen) if chosen else {"signals": [], "observations": []}
    for item in evidence["signals"]:
        item["url"] = _signal_url(item["signal_id"])
    if evidence["observations"]:
        from toezicht.indicators.models import Indicator

        names = dict(
            Indicator.objects.filter(
                pk__in={o["indicator_id"] for o in evidence["observations"]}
            ).values_list("pk", "name")
        )
        for item in evidence["observations"]:
            item["indicator_name"] = names.get(
                item["indicator_id"], _("indicator %(id)s") % {"id": item["indicator_id"]}
            )
    can_override = request.user.can("risk.override")  # type: ignore[union-attr]
    themes = list(Theme.objects.order_by("name").values_list("pk", "name"))
    return {
        "snapshot": snapshot,
        "organisation": organisation,
        "total": total,
        "theme_scores": theme_scores,
        "chosen": chosen,
        "bars": selectors.contribution_bars(chosen) if chosen else [],
        "explanation": selectors.explanation_text(chosen, getattr(chosen, "override_score", None))
        if chosen
        else "",
        "evidence": evidence,
        "trend": selectors.organisation_trend(organisation),
        "overrides": list(selectors.current_overrides(request.user, organisation)),
        "can_override": can_override,
        "override_form": OverrideForm(themes=themes, initial={"thema": chosen.theme_id if chosen else None})
        if can_override
        else None,
    }


@login_required
def organisation(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).select_related("type"), pk=pk
    )
    context = organisation_context(request, organisation, whole_number(request.GET.get("thema")))
    return render(request, "risk/organisation.html", {**context, "risk": context})


@login_required
@require_POST
def override_create(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "risk.override", _("U heeft geen recht om een risicoscore vast te stellen."))
    organisation = get_object_or_404(Organisation.objects.visible_to(request.user), pk=pk)
    themes = list(Theme.objects.order_by("name").values_list("pk", "name"))
    form = OverrideForm(request.POST, themes=themes)
    if form.is_valid():
        theme = Theme.objects.get(pk=form.cleaned_data["thema"])
        snapshot = selectors.latest_snapshot()
        computed = None
        if snapshot is not None:
            row = snapshot.scores.filter(organisation=organisation, theme=theme).first()
            computed = row.score if row else 0.0
        try:
            services.override_create(
                organisation=organisation,
                theme=theme,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                until=form.cleaned_data["until"],
                by=request.user,
                computed_score=computed,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("De score voor %(theme)s is vastgesteld.") % {"theme": theme.name})
            return redirect(f"{reverse('risk:organisation', args=[organisation.pk])}?thema={theme.pk}")
    context = organisation_context(request, organisation, whole_number(request.POST.get("thema")))
    context["override_form"] = form
    return render(request, "risk/organisation.html", {**context, "risk": context}, status=400)


@login_required
@require_POST
def override_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "risk.override", _("U heeft geen recht om een vastgestelde score in te trekken."))
    override = get_object_or_404(
        RiskOverride.objects.filter(
            organisation__in=Organisation.objects.visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    services.override_revoke(override=override, by=request.user)
    messages.success(request, _("De vastgestelde score is ingetrokken; de berekende score geldt weer."))
    return redirect("risk:organisation", pk=override.organisation_id)


@login_required
def chain(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_object_or_404(Chain.objects.visible_to(request.user), pk=pk)
    return render(request, "risk/chain.html", {"chain": chain, **chain_context(request, chain)})


def chain_context(request: HttpRequest, chain: Chain) -> dict[str, Any]:
    snapshot = selectors.latest_snapshot()
    if snapshot is None:
        return {"snapshot": None}
    aggregate = selectors.chain_aggregate(snapshot, chain)
    members = selectors.scores(request.user, snapshot, selectors.ScoreFilter(chain_id=chain.pk, totals=True))[
        :50
    ]
    return {"snapshot": snapshot, "aggregate": aggregate, "members": list(members)}


@login_required
def snapshot_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.snapshots())
    return render(
        request,
        "risk/snapshot_list.html",
        {
            "page_obj": page,
            "base_query": query_without_page(request),
            "can_configure": request.user.can("risk.configure"),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    _require(request, "risk.configure", _("U heeft geen recht om het risicobeeld te herberekenen."))
    try:
        snapshot = services.recompute_full(trigger=SnapshotTrigger.FULL, by=request.user)
    except services.RiskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Het risicobeeld is herberekend in %(seconds)s s (%(scores)s scores).")
            % {"seconds": number_format(snapshot.duration_s, 1), "scores": snapshot.n_scores},
        )
    return redirect("risk:snapshots")


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    recent = list(selectors.snapshots(50))
    old_id, new_id = whole_number(request.GET.get("oud")), whole_number(request.GET.get("nieuw"))
    if old_id is None and new_id is None and len(recent) >= 2:
        old_id, new_id = recent[1].pk, recent[0].pk
    elif old_id is None and new_id is not None:
        newer = selectors.snapshot_get(new_id)
        previous = (
            selectors.snapshots().filter(computed_at__lte=newer.computed_at).exclude(pk=newer.pk).first()
        )
        old_id = previous.pk if previous else None
    context: dict[str, Any] = {"recent": recent, "old_id": old_id, "new_id": new_id}
    if old_id is not None and new_id is not None:
        old, new = selectors.snapshot_get(old_id), selectors.snapshot_get(new_id)
        result = selectors.compare_snapshots(request.user, old, new)
        page = Paginator(result.pop("rows"), 50).get_page(request.GET.get("page"))
        context.update(old=old, new=new, result=result, page_obj=page, base_query=query_without_page(request))
    return render(request, "risk/compare.html", context)


@login_required
def model_page(request: HttpRequest) -> HttpResponse:
    versions = list(RiskModelVersion.objects.select_related("created_by").order_by("-number")[:50])
    active = next((v for v in versions if v.status == ModelStatus.ACTIVE), None)
    can_configure = request.user.can("risk.configure")  # type: ignore[union-attr]
    base = active or (versions[0] if versions else None)
    form = None
    if can_configure and base is not None:
        form = ModelVersionForm(request.POST or None, base=base.config)
        if request.method == "POST" and form.is_valid():
            try:
                version = services.model_version_create(
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    config=form.config(),
                    by=request.user,
                    type_groups=base.type_groups,
                    type_people=base.type_people,
                )
            except ValidationError as exc:
                for error in exc.message_dict.get("config", exc.messages):
                    form.add_error(None, error)
            else:
                messages.success(
                    request, _("Versie %(number)s is als concept opgeslagen.") % {"number": version.number}
                )
                return redirect("risk:model")
    elif request.method == "POST":
        raise PermissionDenied(_("U heeft geen recht om het risicomodel te wijzigen."))
    model = RiskModel.from_dict({**active.config, "version": active.number}) if active else None
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "risk/model.html",
        {
            "versions": versions,
            "active": active,
            "model": model,
            "weights": _weights(model) if model else [],
            "form": form,
            "can_configure": can_configure,
            "config_json": json.dumps(active.config, indent=2, ensure_ascii=False) if active else "",
        },
        status=status,
    )


def _weights(model: RiskModel) -> list[dict[str, Any]]:
    weights = model.weights()
    total = sum(weights.values()) or 1.0
    return [
        {"label": selectors.criterion_label(k), "weight": w, "percent": round(100 * w / total)}
        for k, w in weights.items()
    ]


@login_required
@require_POST
def model_activate(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, "risk.configure", _("U heeft geen recht om het risicomodel te wijzigen."))
    version = get_object_or_404(RiskModelVersion, pk=pk)
    try:
        services.model_version_transition(version=version, to=ModelStatus.ACTIVE, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Versie %(number)s is actief. Herbereken het risicobeeld om haar te gebruiken.")
            % {"number": version.number},
        )
    return redirect("risk:model")


def _entry() -> dict[str, Any]:
    version = selectors.active_version()
    if version is None:
        raise Http404(_("Er is geen actief risicomodel."))
    latest = selectors.latest_snapshot()
    from django.utils import timezone

    counts = {
        "organisations": latest.n_organisations if latest else Organisation.objects.count(),
        "themes": latest.n_themes if latest else Theme.objects.count(),
        "signals": latest.n_signals if latest else 0,
        "observations": latest.n_observations if latest else 0,
        "overrides": RiskOverride.objects.current(timezone.localdate()).count(),
    }
    return accountability.register_entry(version, counts, latest)


@login_required
def accountability_page(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("formaat", "")
    if fmt in ("json", "md", "html"):
        # The exports are entries for the Dutch government algorithm register: always in Dutch.
        with translation.override(settings.LANGUAGE_CODE):
            return _accountability_export(_entry(), fmt)
    return render(request, "risk/accountability.html", {"entry": _entry()})


def _accountability_export(entry: dict[str, Any], fmt: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(
            json.dumps(entry, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="algoritmeregister-risicobeeld.json"'
        return response
    if fmt == "md":
        response = HttpResponse(
            accountability.to_markdown(entry), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="algoritmeregister-risicobeeld.md"'
        return response
    html = render_to_string("risk/accountability_export.html", {"entry": entry})
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="algoritmeregister-risicobeeld.html"'
    return response
