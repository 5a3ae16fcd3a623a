"""Everything payments add to the registry: the payment records and the disclosure log as sources.

Call :func:`install` once, from ``JsgPrivacyConfig.ready()``; calling it again changes nothing. The
payment provider itself is declared by the shop (``privacy.add(inventory.STRIPE)``): without that
declaration the gateway sends nothing (:mod:`jsg_privacy.payments.outbound`).
"""

from __future__ import annotations

from jsg_privacy.registry import Registry


def install(registry: Registry) -> None:
    from jsg_privacy.payments.models import Payment
    from jsg_privacy.payments.sources import DisclosureSource, PaymentSource

    if Payment._meta.label not in registry.sources:
        registry.register(Payment, PaymentSource)
    if DisclosureSource.key not in registry.sources:
        registry.register_remote(DisclosureSource(registry))
