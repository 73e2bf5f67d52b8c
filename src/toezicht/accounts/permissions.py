"""Permission checks for pages (mixins) and the API (DRF permission class).

Which objects a user may see is decided by each model's ``visible_to(user)`` queryset; these classes
decide what a user may *do*: read for every signed-in active user, writes by capability.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions


class CapabilityRequiredMixin(LoginRequiredMixin):
    """Page mixin: the signed-in user must have ``required_capability``; otherwise 403."""

    required_capability: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated and not request.user.can(self.required_capability):
            raise PermissionDenied(_("U heeft geen recht om dit te doen."))
        return super().dispatch(request, *args, **kwargs)


class ApiRolePermission(permissions.BasePermission):
    """API: reading needs a signed-in active user; writing needs the view's ``write_capability``."""

    message = _("U heeft geen recht om dit te doen.")

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        capability = getattr(view, "write_capability", None)
        return bool(capability) and user.can(capability)
