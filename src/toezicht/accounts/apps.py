from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "toezicht.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from toezicht.accounts.models import User
        from toezicht.core.audit import register_for_audit

        register_for_audit(User, exclude=["password", "last_login"])
