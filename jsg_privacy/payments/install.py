"""What payments add to the registry, while the shop has them switched on.

On (:func:`jsg_privacy.features.payments`: ``JSG_PRIVACY_PAYMENT_ADAPTER`` names the shop's adapter),
the payment records and the disclosure log are declared sources: the notice, exports, erasure and
retention know them. Off, the pay page and webhook answer 404, nothing writes those tables, and they
are exempt, so nothing claims them. The payment provider itself is declared by the shop
(``privacy.add(inventory.STRIPE)``): without that declaration the gateway sends nothing
(:mod:`jsg_privacy.payments.outbound`).

Call :func:`install` from ``JsgPrivacyConfig.ready()`` and again whenever a switch changes; it adds
or withdraws, and calling it twice changes nothing.
"""

from __future__ import annotations

from jsg_privacy import features
from jsg_privacy.registry import Registry

OFF = (
    "jsg_privacy's payments are switched off (JSG_PRIVACY_PAYMENT_ADAPTER is empty): nothing "
    "writes this table."
)


def install(registry: Registry) -> None:
    from jsg_privacy.payments.models import Disclosure, Payment
    from jsg_privacy.payments.sources import DisclosureSource, PaymentSource

    features.declare_while(features.payments(), registry, Payment, PaymentSource, off_reason=OFF)
    features.declare_while(
        features.disclosure_log(), registry, Disclosure, DisclosureSource, off_reason=OFF
    )
