"""The storefront API's settings, prefixed ``JSG_PRIVACY_STOREFRONT_`` and read lazily."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from jsg_privacy.conf import PREFIX, Setting, SettingsGroup

T = TypeVar("T")


class StorefrontSetting(Setting[T]):
    """A lazily read ``JSG_PRIVACY_STOREFRONT_<NAME>`` setting."""

    prefix = PREFIX + "STOREFRONT_"


class StorefrontSettings(SettingsGroup):
    """Use the module-level ``storefront_settings`` instance."""

    ORIGINS = StorefrontSetting[Sequence[str]](
        (),
        types=(list, tuple),
        help="The storefront origins (https://store.example.com) allowed to call the API; empty: "
        "every call is refused.",
    )
    VISITOR_TOKEN_DAYS = StorefrontSetting[int](
        365,
        types=int,
        help="Days a visitor token stays valid (the storefront keeps it, like a consent cookie).",
    )
    CUSTOMER_AUTH = StorefrontSetting[str](
        "",
        types=str,
        help="Dotted path of a function(token) -> e-mail address verifying a customer's token "
        "(raises ValueError); for a Saleor store "
        '"jsg_privacy.integrations.saleor.storefront.customer_email". Empty: visitors only.',
    )
    CUSTOMER_CONTACT = StorefrontSetting[str](
        "",
        types=str,
        help="Dotted path of a function(email, medium) -> str: the customer's contact detail for a "
        "marketing medium ('email', 'sms', 'phone', 'post'), empty when the shop has none. With it, "
        "POST marketing/ refuses to switch on a medium the shop cannot reach the customer by; for "
        'a Saleor store "jsg_privacy.integrations.saleor.storefront.customer_contact". Empty: not '
        "checked.",
    )


storefront_settings = StorefrontSettings()
