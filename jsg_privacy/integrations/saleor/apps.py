from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SaleorConfig(AppConfig):
    """jsg_privacy's Saleor App: an app of its own, so its migrations never mix with jsg_privacy's."""

    name = "jsg_privacy.integrations.saleor"
    label = "jsg_privacy_saleor"
    verbose_name = _("Privacy: Saleor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jsg_privacy.conf import claim_prefix
        from jsg_privacy.integrations.saleor import (  # noqa: F401  (registers checks, receivers)
            checks,
            receivers,
        )

        claim_prefix("SALEOR_")  # JSG_PRIVACY_SALEOR_* are checked by jsg_privacy_saleor.E001
