"""Forms of the risk pages: filters (bad values are ignored), overrides and new model versions."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from toezicht.risk.engine import CRITERIA, CRITERION_LABELS
from toezicht.risk.selectors import ScoreFilter

TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        if isinstance(field.widget, forms.Textarea):
            field.widget.attrs["class"] = TEXTAREA
        elif isinstance(field, forms.ChoiceField):
            field.widget.attrs["class"] = SELECT
        else:
            field.widget.attrs["class"] = TEXT


class ScoreFilterForm(forms.Form):
    gebied = forms.TypedChoiceField(label=_("Toezichtgebied"), coerce=int, required=False, empty_value=None)
    type = forms.TypedChoiceField(label=_("Organisatietype"), coerce=int, required=False, empty_value=None)
    thema = forms.TypedChoiceField(label=_("Thema"), coerce=int, required=False, empty_value=None)
    keten = forms.TypedChoiceField(label=_("Keten"), coerce=int, required=False, empty_value=None)
    min_score = forms.FloatField(label=_("Minimale score"), required=False, min_value=0, max_value=100)

    def __init__(
        self, *args: Any, options: dict[str, Any], fields: tuple[str, ...] | None = None, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        labels = {
            "gebied": _("Alle gebieden"),
            "type": _("Alle typen"),
            "thema": _("Alle thema's"),
            "keten": _("Alle ketens"),
        }
        for name, empty in labels.items():
            self.fields[name].choices = [("", empty), *options.get(name, [])]  # type: ignore[attr-defined]
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]
        _style(self)

    def to_filter(self, totals: bool = False) -> ScoreFilter:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return ScoreFilter(
            area_id=data.get("gebied"),
            type_id=data.get("type"),
            theme_id=data.get("thema"),
            chain_id=data.get("keten"),
            min_score=data.get("min_score"),
            totals=totals,
        )


class OverrideForm(forms.Form):
    thema = forms.TypedChoiceField(label=_("Thema"), coerce=int)
    score = forms.FloatField(
        label=_("Vastgestelde score (0-100)"),
        min_value=0,
        max_value=100,
        error_messages={
            "required": _("Vul een score in."),
            "invalid": _("Vul een getal in."),
            "min_value": _("De score moet tussen 0 en 100 liggen."),
            "max_value": _("De score moet tussen 0 en 100 liggen."),
        },
    )
    reason = forms.CharField(
        label=_("Onderbouwing"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Geef een onderbouwing voor de vastgestelde score.")},
    )
    until = forms.DateField(
        label=_("Geldig tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Vul een geldige datum in (jjjj-mm-dd).")},
    )

    def __init__(self, *args: Any, themes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["thema"].choices = themes  # type: ignore[attr-defined]
        self.fields["thema"].error_messages["invalid_choice"] = _("Kies een thema uit de lijst.")
        _style(self)

    def clean_until(self) -> Any:
        until = self.cleaned_data.get("until")
        if until is not None and until < timezone.localdate():
            raise forms.ValidationError(_("De einddatum mag niet in het verleden liggen."))
        return until


# Parameters editable in the form: (criterion, parameter, label, integer?)
PARAMETERS: list[tuple[str, str, Any, bool]] = [
    ("signal_load", "half_life_days", _("Halfwaardetijd signalen (dagen)"), False),
    ("signal_load", "k", _("Verzadiging signaallast (k)"), False),
    ("signal_load", "general_factor", _("Gewicht signalen zonder thema (0-1)"), False),
    ("norm_breaches", "half_life_periods", _("Halfwaardetijd normoverschrijdingen (perioden)"), False),
    ("indicator_pressure", "window", _("Venster indicatordruk (perioden)"), True),
    ("time_since_investigation", "tau_years", _("Tijdconstante laatste onderzoek (jaren)"), False),
]
IMPACT_PARAMETERS: list[tuple[str, Any]] = [
    ("people_reference", _("Referentieaantal betrokkenen")),
    ("size_weight", _("Gewicht omvang in impact")),
    ("vulnerability_weight", _("Gewicht kwetsbaarheid in impact")),
]


class ModelVersionForm(forms.Form):
    """A new version based on ``base``: weights and the main parameters; validated by the engine."""

    name = forms.CharField(
        label=_("Naam"), max_length=200, error_messages={"required": _("Geef de versie een naam.")}
    )
    description = forms.CharField(
        label=_("Wat is er veranderd en waarom"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    combination = forms.ChoiceField(
        label=_("Combinatie van kans en impact"),
        choices=[
            ("product", _("product")),
            ("geometric_mean", _("meetkundig gemiddelde")),
            ("mean", _("gemiddelde")),
        ],
    )

    def __init__(self, *args: Any, base: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base = copy.deepcopy(base)
        criteria = self.base.get("criteria", {})
        self.fields["combination"].initial = self.base.get("combination", "product")
        for criterion in CRITERIA:
            self.fields[f"weight_{criterion}"] = forms.FloatField(
                # The engine's label is marked there and translated here (ADR 0008).
                label=format_lazy(_("Gewicht {criterion}"), criterion=_(CRITERION_LABELS[criterion]).lower()),
                initial=criteria.get(criterion, {}).get("weight", 0),
                error_messages={"required": _("Vul een gewicht in."), "invalid": _("Vul een getal in.")},
            )
        for criterion, parameter, label, integer in PARAMETERS:
            field_class = forms.IntegerField if integer else forms.FloatField
            self.fields[f"{criterion}__{parameter}"] = field_class(
                label=label,
                initial=criteria.get(criterion, {}).get(parameter),
                error_messages={"required": _("Vul een waarde in."), "invalid": _("Vul een getal in.")},
            )
        for parameter, label in IMPACT_PARAMETERS:
            self.fields[f"impact__{parameter}"] = forms.FloatField(
                label=label,
                initial=self.base.get("impact", {}).get(parameter),
                error_messages={"required": _("Vul een waarde in."), "invalid": _("Vul een getal in.")},
            )
        _style(self)

    def config(self) -> dict[str, Any]:
        """The new configuration (call after ``is_valid``)."""
        data = copy.deepcopy(self.base)
        cleaned = self.cleaned_data
        data["combination"] = cleaned["combination"]
        criteria = data.setdefault("criteria", {})
        for criterion in CRITERIA:
            criteria.setdefault(criterion, {})["weight"] = cleaned[f"weight_{criterion}"]
        for criterion, parameter, _label, _integer in PARAMETERS:
            criteria.setdefault(criterion, {})[parameter] = cleaned[f"{criterion}__{parameter}"]
        for parameter, _label in IMPACT_PARAMETERS:
            data.setdefault("impact", {})[parameter] = cleaned[f"impact__{parameter}"]
        return data
