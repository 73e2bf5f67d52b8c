from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegisterConfig(AppConfig):
    name = "toezicht.register"
    label = "register"
    verbose_name = _("Register")

    def ready(self) -> None:
        from toezicht.core.audit import register_for_audit
        from toezicht.register import models

        for model in (
            models.SupervisionArea,
            models.OrganisationType,
            models.Organisation,
            models.Chain,
            models.ChainMembership,
            models.Relationship,
        ):
            register_for_audit(model)
