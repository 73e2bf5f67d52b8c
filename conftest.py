"""Shared pytest set-up: fast password hashing and the factories as fixtures."""

import os

os.environ.setdefault("TOEZICHT_FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("TOEZICHT_LOGIN_THROTTLING", "true")
