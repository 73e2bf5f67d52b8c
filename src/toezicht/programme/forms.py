"""Forms of the work programme pages: parse input, report problems in Dutch; writes go through services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toezicht.accounts.models import Team
from toezicht.programme.models import AdjustmentReason, CandidateSource, ItemKind, ItemStatus

QUARTER_CHOICES = [(q, f"Q{q}") for q in (1, 2, 3, 4)]
TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


class StyledForm(forms.Form):
    """Gives every widget the NL Design System classes, like the register forms."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.HiddenInput):
                continue
            if isinstance(widget, forms.Select):
                widget.attrs["class"] = SELECT
            elif isinstance(widget, forms.Textarea):
                widget.attrs["class"] = "utrecht-textarea utrecht-textarea--html-textarea"
            else:
                widget.attrs["class"] = TEXT


class ProgrammeCreateForm(StyledForm):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)


class ItemFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Alle")), *ItemStatus.choices], required=False
    )


class CandidateFilterForm(StyledForm):
    source = forms.ChoiceField(
        label=_("Bron"), choices=[("", _("Alle")), *CandidateSource.choices], required=False
    )


class UrgentItemForm(StyledForm):
    title = forms.CharField(label=_("Titel van het spoedonderzoek"), max_length=250)
    kind = forms.ChoiceField(label=_("Soort"), choices=ItemKind.choices, initial=ItemKind.INCIDENT)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.order_by("name"))
    hours = forms.IntegerField(label=_("Uren"), min_value=1, max_value=20000)
    allowed_quarters = forms.TypedMultipleChoiceField(
        label=_("Toegestane kwartalen"),
        choices=QUARTER_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leeg: elk kwartaal vanaf het huidige."),
    )
    value = forms.FloatField(label=_("Waarde (0–100)"), min_value=0, max_value=1000, initial=50)
    reason = forms.ChoiceField(label=_("Aanleiding"), choices=AdjustmentReason.choices)
    note = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}))
    from_quarter = forms.TypedChoiceField(
        label=_("Bijstellen vanaf kwartaal"), choices=QUARTER_CHOICES, coerce=int
    )
    date = forms.DateField(
        label=_("Datum"),
        initial=datetime.date.today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class ScenarioForm(StyledForm):
    name = forms.CharField(label=_("Naam van het scenario"), max_length=120)
    description = forms.CharField(label=_("Omschrijving"), required=False, max_length=500)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.order_by("name"))
    fte_delta = forms.DecimalField(
        label=_("Verandering in fte"),
        max_digits=6,
        decimal_places=2,
        min_value=-100,
        max_value=100,
        help_text=_("Bijvoorbeeld −2 als het team twee fte verliest."),
    )


class StatusForm(forms.Form):
    to_status = forms.CharField(max_length=20)

    def clean_to_status(self) -> Any:
        return self.cleaned_data["to_status"].strip()
