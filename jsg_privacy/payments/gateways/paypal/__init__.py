"""PayPal (Orders v2 with PayPal's JavaScript SDK buttons): the gateway (:mod:`.gateway`), its client
and settings (:mod:`.client`, ``JSG_PRIVACY_PAYPAL``), checks (:mod:`.checks`), the local stand-in
(:mod:`.standin`) and the test double (:mod:`.testing`).

``JSG_PRIVACY_PAYMENT_GATEWAYS = [..., "jsg_privacy.payments.gateways.paypal.PayPalGateway"]``.
The gateway is imported on first use, so that the stand-in runs without Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsg_privacy.payments.gateways.paypal.gateway import PayPalGateway

__all__ = ["PayPalGateway"]


def __getattr__(name: str) -> Any:
    if name == "PayPalGateway":
        from jsg_privacy.payments.gateways.paypal.gateway import PayPalGateway

        return PayPalGateway
    raise AttributeError(name)
