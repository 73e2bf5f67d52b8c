"""Form fields shared by the apps' ModelForms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from toezicht.core.params import whole_number


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows by id that refuses a value that is no id before the database sees it.
    Django catches what the database refuses for a text ("abc"), but not SQLite's OverflowError for a
    number beyond 64 bits, nor "²", which passes isdigit(); both are "not a valid choice" here."""

    def _check_values(self, value: Any) -> Any:
        if self.to_field_name is None:
            for pk in value or ():
                if whole_number(pk, max_digits=18) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)  # type: ignore[misc]  # a private hook, absent from the stubs


def formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """A ModelForm's ``formfield_callback``: many-to-many choices by id through IdsChoiceField."""
    if isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", IdsChoiceField)
    return db_field.formfield(**kwargs)
