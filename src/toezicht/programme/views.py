"""Pages of the work programme. Thin: forms parse, selectors read, services write."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from toezicht.core.pagination import paginate, query_without_page
from toezicht.programme import exporting, selectors, services, workflow
from toezicht.programme.forms import (
    CandidateFilterForm,
    ItemFilterForm,
    ProgrammeCreateForm,
    ScenarioForm,
    StatusForm,
    UrgentItemForm,
)
from toezicht.programme.models import PlanRun, PlanRunStatus, WorkProgramme


def _decide(request: HttpRequest) -> None:
    if not request.user.can("programme.decide"):  # type: ignore[union-attr]
        raise PermissionDenied(_("U heeft geen recht om het werkprogramma te wijzigen."))


def _programme(request: HttpRequest, pk: int) -> WorkProgramme:
    try:
        return selectors.programme_get(request.user, pk)
    except WorkProgramme.DoesNotExist as exc:
        raise Http404(_("Dit werkprogramma bestaat niet.")) from exc


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _context(request: HttpRequest, programme: WorkProgramme, **extra: Any) -> dict[str, Any]:
    return {"programme": programme, "can_decide": request.user.can("programme.decide"), **extra}  # type: ignore[union-attr]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    form = ProgrammeCreateForm()
    page = paginate(request, selectors.programme_list(request.user))
    return render(
        request,
        "programme/overview.html",
        {
            "page_obj": page,
            "base_query": query_without_page(request),
            "form": form,
            "can_decide": request.user.can("programme.decide"),  # type: ignore[union-attr]
        },
    )


@login_required
@require_POST
def programme_create(request: HttpRequest) -> HttpResponse:
    _decide(request)
    form = ProgrammeCreateForm(request.POST)
    if form.is_valid():
        try:
            programme = services.programme_create(
                year=form.cleaned_data["year"], title=form.cleaned_data["title"], by=request.user
            )
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
        else:
            messages.success(request, _("Werkprogramma aangemaakt."))
            return redirect("programme:board", programme.pk)
    else:
        messages.error(request, _("Geef een geldig jaar op (2000–2100)."))
    return redirect("programme:overview")


@login_required
def board(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    data = selectors.board(request.user, programme)
    return render(
        request,
        "programme/board.html",
        _context(
            request,
            programme,
            board=data,
            quarters=[1, 2, 3, 4],
            transitions=workflow.allowed_targets(programme.status),
            runs=list(selectors.plan_runs(programme)[:5]),
            events=list(programme.events.select_related("by").order_by("-at", "-pk")[:10]),
        ),
    )


@login_required
@require_POST
def status_change(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    _decide(request)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.programme_transition(
                programme=programme, to_status=form.cleaned_data["to_status"], by=request.user
            )
            messages.success(request, _("De status is gewijzigd."))
        except ValidationError as exc:
            for m in _errors(exc):
                messages.error(request, m)
    return redirect("programme:board", programme.pk)


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    _decide(request)
    new = services.programme_new_version(programme=programme, by=request.user)
    messages.success(request, _("Nieuwe versie %(v)s aangemaakt.") % {"v": new.version})
    return redirect("programme:board", new.pk)


@login_required
def items(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ItemFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    page = paginate(request, selectors.item_list(request.user, programme, status=status))
    return render(
        request,
        "programme/items.html",
        _context(request, programme, form=form, page_obj=page, base_query=query_without_page(request)),
    )


@login_required
def candidates(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = CandidateFilterForm(request.GET)
    source = form.cleaned_data["source"] if form.is_valid() else ""
    page = paginate(request, selectors.candidate_list(request.user, programme, source=source))
    return render(
        request,
        "programme/candidates.html",
        _context(request, programme, form=form, page_obj=page, base_query=query_without_page(request)),
    )


@login_required
@require_POST
def candidates_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    _decide(request)
    try:
        result = services.candidates_refresh(programme=programme)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("Kandidaten bijgewerkt: %(r)s uit het risicobeeld, %(t)s terugkerend, %(v)s verplicht.")
            % {"r": result.risk, "t": result.recurring, "v": result.mandatory},
        )
    return redirect("programme:candidates", programme.pk)


@login_required
@require_POST
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    _decide(request)
    try:
        run = services.plan_request(programme=programme, by=request.user)
    except ValidationError as exc:
        for m in _errors(exc):
            messages.error(request, m)
        return redirect("programme:board", programme.pk)
    return redirect("programme:run", programme.pk, run.pk)


@login_required
def run_detail(request: HttpRequest, pk: int, run_pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    try:
        run = selectors.plan_runs(programme).get(pk=run_pk)
    except PlanRun.DoesNotExist as exc:
        raise Http404(_("Deze berekening bestaat niet.")) from exc
    explanation = run.explanation or {}
    hour_rows: dict[str, dict[str, Any]] = {}
    for m in explanation.get("marginal_values", []):
        row = hour_rows.setdefault(
            m.get("team_id", ""), {"team": m.get("team_name", ""), "resolve": None, "shadow": [None] * 4}
        )
        if m.get("method") == "herberekening":
            row["resolve"] = m
        elif m.get("method") == "lp_dual" and m.get("quarter") in (1, 2, 3, 4):
            row["shadow"][m["quarter"] - 1] = m.get("value_per_hour")
    return render(
        request,
        "programme/run.html",
        _context(
            request,
            programme,
            run=run,
            infeasibility=explanation.get("infeasibility"),
            dropped=explanation.get("dropped", [])[:200],
            dropped_count=len(explanation.get("dropped", [])),
            hour_rows=sorted(hour_rows.values(), key=lambda r: r["team"]),
            notes=explanation.get("notes", []),
            plan_messages=explanation.get("messages", []),
            gap_pct=(run.gap * 100) if run.gap is not None else None,
            run_stalled=run.status == PlanRunStatus.RUNNING
            and selectors.computation_stalled(programme, run.at),
        ),
    )


@login_required
def scenarios(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    form = ScenarioForm()
    if request.method == "POST":
        _decide(request)
        action = request.POST.get("action", "")
        if action == "add":
            form = ScenarioForm(request.POST)
            if form.is_valid():
                services.scenario_save(
                    programme=programme,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    changes={form.cleaned_data["team"]: float(form.cleaned_data["fte_delta"])},
                )
                messages.success(request, _("Scenario opgeslagen."))
                return redirect("programme:scenarios", programme.pk)
        elif action == "compare":
            services.scenarios_compare_request(programme=programme, by=request.user)
            return redirect(f"{reverse('programme:scenarios', args=[programme.pk])}#vergelijking")
    scenario_list = list(programme.scenarios.prefetch_related("changes__team"))
    return render(
        request,
        "programme/scenarios.html",
        _context(
            request,
            programme,
            form=form,
            latest=selectors.latest_scenario_comparison(programme, solves=len(scenario_list) + 1),
            scenario_list=scenario_list,
        ),
    )


@login_required
def adjustments(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    page = paginate(request, selectors.adjustment_list(programme))
    return render(
        request,
        "programme/adjustments.html",
        _context(request, programme, page_obj=page, base_query=query_without_page(request)),
    )


@login_required
def adjustment_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    _decide(request)

    default_q = services.quarter_of(datetime.date.today(), programme.year)
    form = UrgentItemForm(initial={"from_quarter": default_q})
    problems: list[str] = []
    if request.method == "POST":
        form = UrgentItemForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.adjustment_add_urgent(
                    programme=programme,
                    title=d["title"],
                    team_hours={d["team"]: d["hours"]},
                    kind=d["kind"],
                    value=d["value"],
                    allowed_quarters=d["allowed_quarters"],
                    reason=d["reason"],
                    note=d["note"],
                    from_quarter=d["from_quarter"],
                    date=d["date"],
                    areas=[d["team"].area_id] if d["team"].area_id else [],
                    by=request.user,
                )
            except ValidationError as exc:
                problems = _errors(exc)
            else:
                messages.success(
                    request, _("Het spoedonderzoek is toegevoegd en het programma is bijgesteld.")
                )
                return redirect("programme:adjustments", programme.pk)
    return render(
        request, "programme/adjustment_form.html", _context(request, programme, form=form, problems=problems)
    )


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    content = exporting.programme_xlsx(request.user, programme)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="werkprogramma-{programme.year}-v{programme.version}.xlsx"'
    )
    return response
