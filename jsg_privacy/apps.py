from django.apps import AppConfig
from django.db.models.signals import post_migrate
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
        from jsg_privacy.audit.access import audit_admin_site
        from jsg_privacy.consent import checks as consent_checks  # noqa: F401  (W020)
        from jsg_privacy.consent import install, receivers, sync  # noqa: F401  (receivers)
        from jsg_privacy.crypto import checks as crypto_checks  # noqa: F401  (E013, E015, E016, W005, W006)
        from jsg_privacy.flows import sessions
        from jsg_privacy.marketing import mechanisms
        from jsg_privacy.payments import checks as payment_checks  # noqa: F401  (E012, E017-E019)
        from jsg_privacy.payments import install as payments_install
        from jsg_privacy.payments.erasure import erasure_hook
        from jsg_privacy.requests import service
        from jsg_privacy.usage import receivers as usage_receivers  # noqa: F401  (failed log-ins)

        # The registry is built once per process: built-ins first, then every app's privacy.py.
        inventory.install(registry.registry)
        install.install(registry.registry)
        mechanisms.install(registry.registry)
        payments_install.install(registry.registry)
        sessions.install(registry.registry)  # Django's sessions: ended on erasure, expired deleted
        if erasure_hook not in service.erasure_hooks:  # tell the payment provider (Art. 19)
            service.erasure_hooks.append(erasure_hook)
        registry.autodiscover()
        audit_admin_site()  # staff views of declared models' records are logged (lazily wrapped)
        post_migrate.connect(sync.sync_after_migrate, sender=self, dispatch_uid="jsg_privacy.sync")
