"""Every ModelForm of the project refuses ids that are no ids in its many-to-many choices with a message:
a number beyond 64 bits made SQLite raise OverflowError (a 500), which Django does not catch."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import pytest
from django import forms

import toezicht
from toezicht.core.factories import UserFactory

pytestmark = pytest.mark.django_db


def _model_forms_with_choices() -> list[type[forms.ModelForm[Any]]]:
    """The ModelForms of every app that offer a many-to-many choice."""
    found = []
    for module_info in pkgutil.walk_packages(toezicht.__path__, "toezicht."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.ModelForm) and value.__module__ == module.__name__ and _choices(value):
                found.append(value)
    return found


def _choices(form_class: type[forms.ModelForm[Any]]) -> list[str]:
    fields = form_class.base_fields.items()
    return [name for name, field in fields if isinstance(field, forms.ModelMultipleChoiceField)]


def _instance(form_class: type[forms.ModelForm[Any]], data: dict[str, Any]) -> forms.ModelForm[Any]:
    """The form with `data`; forms that limit their choices to a user get one who sees everything."""
    parameters = inspect.signature(form_class.__init__).parameters
    extra: dict[str, Any] = {}
    if "user" in parameters:
        extra["user"] = UserFactory(role="beheerder")
    return form_class(data=data, **extra)


def test_the_forms_with_many_to_many_choices_are_found() -> None:
    names = {form_class.__name__ for form_class in _model_forms_with_choices()}
    assert {"SignalForm", "OrganisationForm", "IndicatorForm"} <= names


@pytest.mark.parametrize(
    "form_class", _model_forms_with_choices(), ids=lambda c: f"{c.__module__}.{c.__name__}"
)
@pytest.mark.parametrize("bad", ["9" * 25, "²"])
def test_an_id_that_is_no_id_is_a_form_error(form_class: type[forms.ModelForm[Any]], bad: str) -> None:
    names = _choices(form_class)
    form = _instance(form_class, {name: [bad] for name in names})
    assert not form.is_valid()
    for name in names:
        assert name in form.errors
