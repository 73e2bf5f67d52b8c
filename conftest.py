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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """No test may ask for serialized_rollback. Mixed with plain transactional tests on one worker it fails
    by test order: a plain flush re-creates the content types under new keys (and caches them), a serialized
    restore brings back the old keys, and the next write refers to a content type that is gone (FOREIGN KEY
    constraint failed, or IntegrityError on django_content_type). A transactional test makes the data it
    needs itself (``ensure_reference_data``, ``load_demo``)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: serialized_rollback is not used here (see conftest.py)")
