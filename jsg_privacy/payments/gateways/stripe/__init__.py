"""Stripe: its gateway (:mod:`.gateway`), client and settings (:mod:`.client`, :mod:`.conf`), checks
(:mod:`.checks`), the local stand-in (:mod:`.localstripe`) and the test double (:mod:`.testing`).

``JSG_PRIVACY_PAYMENT_GATEWAYS = ["jsg_privacy.payments.gateways.stripe.StripeGateway", ...]``.
The gateway is imported on first use, so that ``python -m jsg_privacy.payments.gateways.stripe.
localstripe`` runs without Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsg_privacy.payments.gateways.stripe.gateway import StripeGateway

__all__ = ["StripeGateway"]


def __getattr__(name: str) -> Any:
    if name == "StripeGateway":
        from jsg_privacy.payments.gateways.stripe.gateway import StripeGateway

        return StripeGateway
    raise AttributeError(name)
