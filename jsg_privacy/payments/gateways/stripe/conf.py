"""The Stripe gateway's setting, ``JSG_PRIVACY_STRIPE``, read lazily like jsg_privacy's own."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsg_privacy.conf import Setting, SettingsGroup


class StripeConf(SettingsGroup):
    """Settings of the Stripe gateway. Use the module-level ``stripe_conf`` instance."""

    STRIPE = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="Stripe keys and endpoints: secret_key, publishable_key, webhook_secret, and for a local "
        "stand-in api_base and js_url. With no secret_key and DEBUG on, the local stand-in "
        "(localstripe) is used; with DEBUG off, secret_key and webhook_secret are required "
        "(checks jsg_privacy.E017, E018) unless a test suite sets local_for_tests.",
    )


stripe_conf = StripeConf()
