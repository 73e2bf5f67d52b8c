from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "toezicht.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from toezicht.accounts.models import User
        from toezicht.core.audit import register_for_audit

        register_for_audit(User, exclude=["password", "last_login"])
