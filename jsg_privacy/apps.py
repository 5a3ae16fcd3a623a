from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JsgPrivacyConfig(AppConfig):
    name = "jsg_privacy"
    verbose_name = _("Privacy")
    # Pinned so a project's DEFAULT_AUTO_FIELD never produces migrations for this app.
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jsg_privacy import (
            checks,  # noqa: F401  (registers the system checks)
            inventory,
            registry,
        )

        inventory.install(registry.registry)
        registry.autodiscover()
