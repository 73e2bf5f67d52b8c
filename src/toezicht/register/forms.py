from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toezicht.core.forms import formfield
from toezicht.register.models import Organisation
from toezicht.register.selectors import ORGANISATION_SORTS, OrganisationFilter

TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"


SORT_LABELS = [
    ("naam", _("Naam (A-Z)")),
    ("-naam", _("Naam (Z-A)")),
    ("code", _("Code (oplopend)")),
    ("-code", _("Code (aflopend)")),
    ("type", _("Type")),
    ("-type", _("Type (aflopend)")),
    ("gemeente", _("Gemeente (A-Z)")),
    ("-gemeente", _("Gemeente (Z-A)")),
]
assert {key for key, _ in SORT_LABELS} == set(ORGANISATION_SORTS)


class OrganisationFilterForm(forms.Form):
    """The filters of the organisation list, read from the query string; bad values are ignored."""

    q = forms.CharField(label=_("Zoeken"), required=False, max_length=200)
    type = forms.TypedChoiceField(label=_("Type"), coerce=int, required=False, empty_value=None)
    gebied = forms.TypedChoiceField(label=_("Toezichtgebied"), coerce=int, required=False, empty_value=None)
    gemeente = forms.CharField(label=_("Gemeente"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Actief en inactief")), ("actief", _("Actief")), ("inactief", _("Niet meer actief"))],
    )
    sorteer = forms.ChoiceField(label=_("Sorteren op"), required=False, choices=SORT_LABELS)

    def __init__(self, *args: Any, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices are plain lists fetched once by the selector: no query per validation or render.
        self.fields["gebied"].choices = [("", _("Alle gebieden")), *options["areas"]]  # type: ignore[attr-defined]
        self.fields["type"].choices = [("", _("Alle typen")), *options["types"]]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            field.widget.attrs["class"] = SELECT if isinstance(field, forms.ChoiceField) else TEXT
            if name == "q":
                field.widget.attrs["type"] = "search"

    def to_filter(self) -> OrganisationFilter:
        # Invalid values (an unknown area id, a mangled sort key) are dropped, never an error page.
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        return OrganisationFilter(
            query=(data.get("q") or "").strip(),
            type_id=data.get("type"),
            area_id=data.get("gebied"),
            municipality=(data.get("gemeente") or "").strip(),
            status=data.get("status") or "",
            sort=data.get("sorteer") or "naam",
        )


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        formfield_callback = formfield  # many-to-many ids checked before the database
        fields = [
            "code",
            "name",
            "short_name",
            "type",
            "parent",
            "areas",
            "municipality",
            "website",
            "active_from",
            "active_until",
            "description",
        ]
        widgets = {
            "active_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "active_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "areas": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organisation.objects.select_related("type").order_by("name")  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name == "areas":
                continue
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = SELECT
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["class"] = "utrecht-textarea utrecht-textarea--html-textarea"
            else:
                field.widget.attrs["class"] = TEXT

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("active_from"), data.get("active_until")
        if start and end and end < start:
            self.add_error("active_until", _("De einddatum ligt vóór de begindatum."))
        return data


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Bestand (CSV of XLSX)"))
    skip_invalid = forms.BooleanField(
        label=_("Foute rijen overslaan en de goede rijen importeren"),
        required=False,
        help_text=_("Zonder dit vinkje wordt niets geïmporteerd zolang er één foute rij is."),
    )
