"""docs/configuration.md must list exactly the environment variables the settings read."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from toezicht.conf.env import REGISTRY

DOC = Path(settings.PROJECT_DIR) / "docs" / "configuration.md"


def documented_variables() -> set[str]:
    return set(re.findall(r"^\| `([A-Z_]+)` \|", DOC.read_text(encoding="utf-8"), flags=re.MULTILINE))


def test_every_setting_is_documented_and_every_documented_setting_exists() -> None:
    read_by_settings = set(REGISTRY)
    documented = documented_variables()
    assert read_by_settings - documented == set(), "in settings but not in docs/configuration.md"
    assert documented - read_by_settings == set(), "in docs/configuration.md but not read by settings"
