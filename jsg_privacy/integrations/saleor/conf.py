"""The settings of the Saleor App, prefixed ``JSG_PRIVACY_SALEOR_`` and read lazily like jsg_privacy's.

Each is declared once below with its default and a one-line description; ``docs/saleor.md`` lists
them and the system check ``jsg_privacy_saleor.E001`` validates their types.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from jsg_privacy.conf import PREFIX, Setting, SettingsGroup

SALEOR_PREFIX = PREFIX + "SALEOR_"

T = TypeVar("T")


class SaleorSetting(Setting[T]):
    """A lazily read ``JSG_PRIVACY_SALEOR_<NAME>`` setting."""

    prefix = SALEOR_PREFIX


class SaleorSettings(SettingsGroup):
    """Settings of the Saleor App. Use the module-level ``saleor_settings`` instance."""

    API_URLS = SaleorSetting[Sequence[str]](
        (),
        types=(list, tuple),
        help="The Saleor API URLs (https://store.example.com/graphql/) allowed to install the app. "
        "Each store's signing keys are fetched from its origin's /.well-known/jwks.json.",
    )
    BASE_URL = SaleorSetting[str](
        "",
        types=str,
        help="The app's public origin (https://shop.example.com) for the manifest's absolute URLs; "
        "empty: the origin of the request for the manifest.",
    )
    APP_ID = SaleorSetting[str](
        "jsg-privacy",
        types=str,
        help="The app's identifier in the manifest; unique among the apps of a store.",
    )
    APP_NAME = SaleorSetting[str](
        "Privacy (jsg_privacy)",
        types=str,
        help="The app's name shown in the Saleor dashboard.",
    )
    AUTHOR = SaleorSetting[str](
        "jsg_privacy",
        types=str,
        help="The author shown in the Saleor dashboard.",
    )
    TIMEOUT = SaleorSetting[float](
        10.0,
        types=(int, float),
        help="Seconds to wait for each call to Saleor (GraphQL and JWKS) before giving up.",
    )
    MAX_BODY = SaleorSetting[int](
        256 * 1024,
        types=int,
        help="Largest webhook or registration body accepted, in bytes; larger ones get a 413.",
    )
    JWKS_REFRESH_SECONDS = SaleorSetting[int](
        60,
        types=int,
        help="Least time between two fetches of a store's JWKS when a signature names an unknown key.",
    )
    DEDUPLICATE_HOURS = SaleorSetting[int](
        48,
        types=int,
        help="Hours a delivery's digest is kept to recognise Saleor's retries; older events "
        "(by their signed issuedAt) are refused as replays.",
    )
    INBOX_URL = SaleorSetting[str](
        "",
        types=str,
        help="A Redis URL (redis://127.0.0.1:6379/0): each webhook is deduplicated and handed to the "
        "worker through a Redis inbox in one round trip. Empty: each webhook is queued as a task.",
    )
    INBOX_PREFIX = SaleorSetting[str](
        "jsg_privacy:saleor",
        types=str,
        help="The prefix of the inbox's Redis keys; one per shop when shops share a Redis database.",
    )
    METADATA_KEY = SaleorSetting[str](
        "jsg_privacy.marketing",
        types=str,
        help="The customer's privateMetadata key that holds their marketing choices as JSON.",
    )
    CHOICES_KEY = SaleorSetting[str](
        "jsg_privacy.choices",
        types=str,
        help="The (public) metadata key under which a storefront writes the marketing boxes it "
        "showed at checkout or on the account page, as JSON: {box name: {ticked, version}}.",
    )
    TAX_HOLD_YEARS = SaleorSetting[int](
        7,
        types=int,
        help="Years after an order is created that its tax fields are kept under a legal hold.",
    )
    TAX_ADDRESS_FIELDS = SaleorSetting[Sequence[str]](
        ("companyName", "city", "postalCode", "country", "countryArea"),
        types=(list, tuple),
        help="Address fields of an order kept under the legal hold when its customer is erased "
        "(Saleor AddressInput names); the other address fields are cleared.",
    )
    KEEP_PRIVATE_METADATA = SaleorSetting[Sequence[str]](
        (),
        types=(list, tuple),
        help="Prefixes of order privateMetadata keys other apps need and that hold no personal data: "
        "kept when a customer is erased (every other key is removed).",
    )


saleor_settings = SaleorSettings()
