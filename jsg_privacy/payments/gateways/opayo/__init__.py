"""Opayo Pi (Elavon; formerly SagePay) with the drop-in checkout: the gateway (:mod:`.gateway`), its client
and settings (:mod:`.client`, ``JSG_PRIVACY_OPAYO``), checks (:mod:`.checks`), the local stand-in
(:mod:`.standin`) and the test double (:mod:`.testing`).

``JSG_PRIVACY_PAYMENT_GATEWAYS = [..., "jsg_privacy.payments.gateways.opayo.OpayoGateway"]``.
The gateway is imported on first use, so that the stand-in runs without Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jsg_privacy.payments.gateways.opayo.gateway import OpayoGateway

__all__ = ["OpayoGateway"]


def __getattr__(name: str) -> Any:
    if name == "OpayoGateway":
        from jsg_privacy.payments.gateways.opayo.gateway import OpayoGateway

        return OpayoGateway
    raise AttributeError(name)
