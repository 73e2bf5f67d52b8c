"""Shared pytest set-up: fast password hashing and the factories as fixtures."""

import os

import pytest

os.environ.setdefault("TOEZICHT_FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("TOEZICHT_LOGIN_THROTTLING", "true")


@pytest.fixture(autouse=True)
def _language_reset_after_each_test():
    """A request in English leaves English active in the thread (LocaleMiddleware does not reset it);
    without this, a later test that calls a service directly would get English messages."""
    yield
    from django.utils import translation

    translation.deactivate()
