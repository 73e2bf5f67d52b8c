"""REST API of the risk app."""

from __future__ import annotations

from rest_framework.routers import DefaultRouter


def register_routes(router: DefaultRouter) -> None:
    """Add this app's viewsets to the project router."""
