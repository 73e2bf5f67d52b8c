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
    """Every transactional test must also ask for serialized_rollback. A transactional test empties the
    database afterwards; without serialized_rollback that flush re-creates content types, and a later
    serialized test then fails to restore its rows (IntegrityError on django_content_type), depending on
    which tests happened to share a worker."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(
                f"{item.nodeid}: use django_db(transaction=True, serialized_rollback=True) (see conftest.py)"
            )
