"""Which of jsg_privacy's own features the shop switched on.

jsg_privacy stores and shares personal data of its own only for the features a shop uses. A feature
that is off adds no source, purpose, consent mechanism or check to the registry, so the privacy
notice, the Art. 30 record, exports and ``manage.py check`` say nothing about it. Each switch is a
setting the shop writes on purpose; every default is what a plain Django shop does:

- payments, with their disclosure log: ``JSG_PRIVACY_PAYMENT_ADAPTER`` names the shop's adapter
  (default ``""``: off);
- partner marketing: ``JSG_PRIVACY_MARKETING_PARTNERS = True`` (default ``False``);
- testimonials: ``JSG_PRIVACY_MARKETING_TESTIMONIALS = True`` (default ``False``);
- usage logging: ``jsg_privacy.usage.middleware.UsageMiddleware`` is in ``MIDDLEWARE`` (it is not by
  default) and ``JSG_PRIVACY_USAGE_LOGGING`` is left on (default ``True``).

The disclosure log records what the payment gateways send to their provider; nothing else writes
it, so it is on exactly when payments are. The switches are read when they are used and the
registry follows a change of them (``override_settings`` in tests): see ``JsgPrivacyConfig``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from jsg_privacy.conf import PREFIX, app_settings
from jsg_privacy.registry import ModelSource, Registry, RemoteSource

USAGE_MIDDLEWARE = "jsg_privacy.usage.middleware.UsageMiddleware"

#: The settings whose change can switch a feature on or off.
SWITCHES = frozenset(
    {
        PREFIX + "PAYMENT_ADAPTER",
        PREFIX + "MARKETING_PARTNERS",
        PREFIX + "MARKETING_TESTIMONIALS",
        PREFIX + "USAGE_LOGGING",
        "MIDDLEWARE",
    }
)


def payments() -> bool:
    """Card payments through ``jsg_privacy.payments``: the shop named its payment adapter."""
    return bool(app_settings.PAYMENT_ADAPTER)


def disclosure_log() -> bool:
    """The log of what was sent to payment providers: written only by payments."""
    return payments()


def partner_marketing() -> bool:
    """The separate box for passing contact details to partners for their marketing (seed 000 §1.5)."""
    return app_settings.MARKETING_PARTNERS is True


def testimonials() -> bool:
    """The box asking permission to publish a customer's feedback (seed 000 §2.4.1)."""
    return app_settings.MARKETING_TESTIMONIALS is True


def usage_logging() -> bool:
    """Page views, searches and security events: the middleware is installed and not turned off."""
    return app_settings.USAGE_LOGGING is True and USAGE_MIDDLEWARE in getattr(
        settings, "MIDDLEWARE", ()
    )


def enabled() -> dict[str, bool]:
    """Every feature by name, and whether it is on."""
    return {
        "payments": payments(),
        "disclosure_log": disclosure_log(),
        "partner_marketing": partner_marketing(),
        "testimonials": testimonials(),
        "usage_logging": usage_logging(),
    }


def declare_while(
    on: bool,
    registry: Registry,
    model: type[models.Model],
    source_class: type[ModelSource] | type[RemoteSource],
    *,
    off_reason: str,
) -> None:
    """Declare a feature's table while the feature is on; while it is off, exempt it.

    On: ``source_class`` is registered for ``model`` (a remote source keyed by the model's label is
    registered as an instance). Off: that declaration is withdrawn and the model is exempt with
    ``off_reason``, so the undeclared-data check does not ask for it and nothing claims it. Only
    what this function added is withdrawn; calling it twice changes nothing.
    """
    label = model._meta.label
    exemption = registry.exemptions.get(label)
    if on:
        if exemption is not None and exemption.reason == off_reason:
            del registry.exemptions[label]
        if label in registry.sources:
            return
        if issubclass(source_class, ModelSource):
            registry.register(model, source_class)
        else:
            registry.register_remote(source_class(registry))
        return
    if isinstance(registry.sources.get(label), source_class):
        registry.unregister(label)
    if exemption is None:
        registry.exempt(model, reason=off_reason)
