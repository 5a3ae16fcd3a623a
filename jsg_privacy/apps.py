from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.core.signals import setting_changed
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from jsg_privacy.registry import Registry


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
        from jsg_privacy.consent import routes as consent_routes  # noqa: F401  (E070, E071)
        from jsg_privacy.crypto import checks as crypto_checks  # noqa: F401  (E013, E015, E016, W005, W006)
        from jsg_privacy.flows import sessions
        from jsg_privacy.marketing import checks as marketing_checks  # noqa: F401  (W012)
        from jsg_privacy.notice import checks as notice_checks  # noqa: F401  (W088)
        from jsg_privacy.notifiers import checks as notifier_checks  # noqa: F401  (E045, W045)
        from jsg_privacy.payments import checks as payment_checks  # noqa: F401  (E012, E017-E019)
        from jsg_privacy.storefront import checks as storefront_checks  # noqa: F401  (E001)
        from jsg_privacy.testing import checks as kit_checks  # noqa: F401  (E055)
        from jsg_privacy.usage import checks as usage_checks  # noqa: F401  (E050)
        from jsg_privacy.usage import receivers as usage_receivers  # noqa: F401  (failed log-ins)

        # The registry is built once per process: built-ins first, the features the shop switched
        # on, then every app's privacy.py.
        inventory.install(registry.registry)
        install.install(registry.registry)
        install_features(registry.registry)
        sessions.install(registry.registry)  # Django's sessions: ended on erasure, expired deleted
        registry.autodiscover()
        audit_admin_site()  # staff views of declared models' records are logged (lazily wrapped)
        post_migrate.connect(sync.sync_after_migrate, sender=self, dispatch_uid="jsg_privacy.sync")
        setting_changed.connect(_switched, dispatch_uid="jsg_privacy.features")


def install_features(registry: "Registry") -> None:
    """Declare what jsg_privacy's optional features hold while they are on, withdraw it while off
    (:mod:`jsg_privacy.features`): marketing's partner and testimonial boxes, payments with their
    disclosure log, usage logging."""
    from jsg_privacy.marketing import mechanisms
    from jsg_privacy.payments import install as payments
    from jsg_privacy.usage import install as usage

    mechanisms.install(registry)
    payments.install(registry)
    usage.install(registry)


def _switched(*, setting: str, **kwargs: Any) -> None:
    """A switch changed (``override_settings`` in a test): the registry follows it."""
    from jsg_privacy import features
    from jsg_privacy.registry import registry

    if setting in features.SWITCHES:
        install_features(registry)
