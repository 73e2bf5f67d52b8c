"""Authentication of sending organisations' own systems: ``Authorization: Melder <key>``.

Only the SHA-256 hash of a key is stored (``SenderToken.key_hash``); a key is looked up by its hash. The
authenticated principal is the organisation, not a person: it can do nothing but post its own
notifications (see ``toezicht.signals.api.SenderNotificationViewSet``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from toezicht.signals.models import SenderToken

KEYWORD = "Melder"


@dataclass(frozen=True)
class SenderPrincipal:
    """Stands in for ``request.user`` when a sending system is authenticated."""

    token: SenderToken

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    sees_all_areas = False
    pk = None

    @property
    def organisation(self) -> Any:
        return self.token.organisation

    def can(self, capability: str) -> bool:
        return False

    def __str__(self) -> str:
        return f"{self.token.organisation} ({self.token.label})"


class SenderTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[SenderPrincipal, SenderToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Geef de sleutel als: Authorization: Melder <sleutel>."))
        try:
            key = header[1].decode()
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("De sleutel bevat ongeldige tekens.")) from exc
        from toezicht.signals.services import sender_key_hash

        token = (
            SenderToken.objects.select_related("organisation").filter(key_hash=sender_key_hash(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Onbekende sleutel."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("Deze sleutel is ingetrokken."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            SenderToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return SenderPrincipal(token), token

    def authenticate_header(self, request: Any) -> str:
        return KEYWORD


class IsSender(permissions.BasePermission):
    message = gettext_lazy(
        "Alleen het systeem van een meldende organisatie met een geldige sleutel mag hier melden."
    )

    def has_permission(self, request: Any, view: Any) -> bool:
        return isinstance(request.user, SenderPrincipal)


class SenderTokenScheme(OpenApiAuthenticationExtension):
    """Documents the scheme in the OpenAPI schema."""

    target_class = "toezicht.signals.auth.SenderTokenAuthentication"
    name = "melderSleutel"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Sleutel van een meldende organisatie, als `Authorization: Melder <sleutel>`. "
                "De beheerder maakt de sleutel aan; hij wordt één keer getoond."
            ),
        }
