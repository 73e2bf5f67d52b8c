"""Forms of the intake desk: filters, the signal form, assignment, transitions, attachments, API keys."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from toezicht.core.forms import formfield
from toezicht.core.params import whole_number
from toezicht.register.models import Organisation
from toezicht.signals.models import Signal, SignalStatus
from toezicht.signals.selectors import SIGNAL_SORTS, SignalFilter, status_choices
from toezicht.signals.services import MAX_ATTACHMENT_BYTES

TEXT = "utrecht-textbox utrecht-textbox--html-input"
SELECT = "utrecht-select utrecht-select--html-select"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"

SORT_LABELS = [
    ("ontvangen", _("Nieuwste eerst")),
    ("-ontvangen", _("Oudste eerst")),
    ("termijn", _("Termijn (vroegst)")),
    ("-termijn", _("Termijn (laatst)")),
    ("ernst", _("Ernst (hoogst)")),
    ("-ernst", _("Ernst (laagst)")),
]
assert {key for key, _label in SORT_LABELS} == set(SIGNAL_SORTS)


def _style(form: forms.BaseForm, skip: tuple[str, ...] = ()) -> None:
    for name, field in form.fields.items():
        if name in skip:
            continue
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput | forms.ClearableFileInput):
            continue
        if isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs["class"] = SELECT
        elif isinstance(widget, forms.Textarea):
            widget.attrs["class"] = TEXTAREA
        else:
            widget.attrs["class"] = TEXT


class SignalFilterForm(forms.Form):
    """The inbox filters, read from the query string; bad values are dropped, never an error page."""

    q = forms.CharField(label=_("Zoeken op kenmerk of onderwerp"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("Status"), required=False)
    gebied = forms.TypedChoiceField(label=_("Toezichtgebied"), coerce=int, required=False, empty_value=None)
    organisatie = forms.CharField(label=_("Organisatie"), required=False, max_length=200)
    thema = forms.TypedChoiceField(label=_("Thema"), coerce=int, required=False, empty_value=None)
    bron = forms.TypedChoiceField(label=_("Bron"), coerce=int, required=False, empty_value=None)
    ernst = forms.TypedChoiceField(label=_("Ernst"), coerce=int, required=False, empty_value=None)
    termijn = forms.ChoiceField(
        label=_("Termijn verlopen"),
        required=False,
        choices=[("", _("Alle")), ("ja", _("Ja, termijn verlopen")), ("nee", _("Nee"))],
    )
    toegewezen = forms.ChoiceField(
        label=_("Toegewezen"),
        required=False,
        choices=[("", _("Alle")), ("mij", _("Aan mij")), ("geen", _("Nog niet toegewezen"))],
    )
    sorteer = forms.ChoiceField(label=_("Sorteren op"), required=False, choices=SORT_LABELS)

    def __init__(self, *args: Any, options: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["status"].choices = [("", _("Alle statussen")), *status_choices()]
        fields["gebied"].choices = [("", _("Alle gebieden")), *options["areas"]]
        fields["thema"].choices = [("", _("Alle thema's")), *options["themes"]]
        fields["bron"].choices = [("", _("Alle bronnen")), *options["sources"]]
        fields["ernst"].choices = [("", _("Alle niveaus")), *options["severities"]]
        _style(self)
        fields["q"].widget.attrs["type"] = "search"

    def to_filter(self) -> SignalFilter:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if name not in self.errors}
        organisation = (data.get("organisatie") or "").strip()
        organisation_id = whole_number(organisation)
        return SignalFilter(
            query=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            area_id=data.get("gebied"),
            organisation_id=organisation_id,
            organisation_name="" if organisation_id is not None else organisation,
            theme_id=data.get("thema"),
            source_id=data.get("bron"),
            severity_id=data.get("ernst"),
            overdue=data.get("termijn") or "",
            assigned=data.get("toegewezen") or "",
            sort=data.get("sorteer") or "ontvangen",
        )


class SignalForm(forms.ModelForm):
    """Enter or edit a signal. Organisations and named users are limited to what the user may choose."""

    attachment = forms.FileField(
        label=_("Bijlage"),
        required=False,
        help_text=_("Hoogstens 20 MB. Na het ophalen van suggesties moet u het bestand opnieuw kiezen."),
    )

    class Meta:
        model = Signal
        formfield_callback = formfield  # many-to-many ids checked before the database
        fields = [
            "title",
            "description",
            "source",
            "received_on",
            "occurred_on",
            "organisation",
            "related_organisations",
            "chain",
            "area",
            "themes",
            "severity",
            "people_affected",
            "vulnerable_groups",
            "confidentiality",
            "authorised_users",
        ]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "occurred_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 6}),
            "themes": forms.CheckboxSelectMultiple,
            "vulnerable_groups": forms.CheckboxSelectMultiple,
            "related_organisations": forms.SelectMultiple(attrs={"size": 6}),
            "authorised_users": forms.SelectMultiple(attrs={"size": 5}),
        }

    def __init__(self, *args: Any, user: Any, with_attachment: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from toezicht.accounts.models import User
        from toezicht.register.models import Chain, Organisation, SupervisionArea

        fields: Any = self.fields
        organisations = Organisation.objects.visible_to(user).only("pk", "name").order_by("name")
        fields["organisation"].queryset = organisations
        fields["related_organisations"].queryset = organisations
        fields["chain"].queryset = Chain.objects.visible_to(user).only("pk", "name").order_by("name")
        if not getattr(user, "sees_all_areas", False):
            fields["area"].queryset = SupervisionArea.objects.filter(users=user).order_by("name")
        fields["authorised_users"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        )
        fields["area"].help_text = _("Leeg laten: het gebied van de organisatie.")
        if not with_attachment:
            del fields["attachment"]
        _style(self)

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload is not None and upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Een bijlage mag hoogstens 20 MB zijn."))
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        received, occurred = data.get("received_on"), data.get("occurred_on")
        if received and occurred and occurred > received:
            self.add_error("occurred_on", _("De datum van het voorval ligt na de datum van ontvangst."))
        if not data.get("organisation") and not data.get("area"):
            self.add_error("organisation", _("Kies een organisatie of een toezichtgebied."))
        return data


class AssignForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, required=False, empty_value=None)
    behandelaar = forms.TypedChoiceField(label=_("Behandelaar"), coerce=int, required=False, empty_value=None)
    toelichting = forms.CharField(label=_("Toelichting"), required=False, max_length=500)

    def __init__(self, *args: Any, options: dict[str, Any], prefix_id: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["team"].choices = [("", _("(niet wijzigen)")), *options["teams"]]
        fields["behandelaar"].choices = [("", _("(niet wijzigen)")), *options["people"]]
        _style(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("team") and not data.get("behandelaar"):
            raise forms.ValidationError(_("Kies een team of een behandelaar."))
        return data


class TransitionForm(forms.Form):
    naar = forms.ChoiceField(label=_("Nieuwe status"), choices=SignalStatus.choices)
    toelichting = forms.CharField(label=_("Toelichting"), required=False, max_length=2000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Bijlage toevoegen"), help_text=_("Hoogstens 20 MB."))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Een bijlage mag hoogstens 20 MB zijn."))
        return upload


class SenderTokenForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    label = forms.CharField(
        label=_("Omschrijving"),
        max_length=120,
        help_text=_("Bijvoorbeeld het systeem dat de sleutel gebruikt."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["organisation"].queryset = Organisation.objects.only("pk", "name").order_by("name")
        _style(self)
