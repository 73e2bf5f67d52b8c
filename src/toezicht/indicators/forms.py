from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toezicht.core.forms import formfield
from toezicht.indicators.models import Indicator, Norm

TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"


def _style(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            continue
        if isinstance(widget, forms.Select):
            widget.attrs["class"] = SELECT
        elif isinstance(widget, forms.Textarea):
            widget.attrs["class"] = TEXTAREA
        else:
            widget.attrs["class"] = TEXT


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        formfield_callback = formfield  # many-to-many ids checked before the database
        fields = ["code", "name", "description", "unit", "direction", "frequency", "source", "theme", "areas"]
        widgets = {"areas": forms.CheckboxSelectMultiple, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class NormForm(forms.ModelForm):
    threshold = forms.FloatField(label=_("Drempelwaarde"), required=False, localize=True)
    structural_share = forms.FloatField(
        label=_("Aandeel voor structureel onhaalbaar"),
        localize=True,
        min_value=0.01,
        max_value=1,
        help_text=_(
            "Als deel van 1: 0,5 betekent dat de helft van de gemeten organisaties de norm niet haalt."
        ),
    )

    class Meta:
        model = Norm
        fields = [
            "code",
            "name",
            "description",
            "legal_basis",
            "indicator",
            "comparison",
            "threshold",
            "structural_share",
            "structural_periods",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.order_by("name")  # type: ignore[attr-defined]
        _style(self)


class ObservationImportForm(forms.Form):
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))
    skip_invalid = forms.BooleanField(
        label=_("Foute rijen overslaan en de goede rijen importeren"),
        required=False,
        help_text=_(
            "Zonder dit vinkje wordt niets geïmporteerd zolang er één foute rij is. "
            "Overgeslagen rijen worden met hun melding bewaard bij de import (quarantaine)."
        ),
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"class": TEXT, "type": "search"})

    def query(self) -> str:
        self.is_valid()
        return (self.cleaned_data.get("q") or "").strip()
