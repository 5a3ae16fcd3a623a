"""The example shop served as a Saleor App: ``make saleor-app`` (docs/saleor.md).

Everything of ``example_shop.settings``, plus the Saleor integration and the storefront API wired
in. Environment variables (besides the shop's):

- ``SALEOR_API_URL``         the store's API URL, ``PUBLIC_URL`` + ``/graphql/`` (comma-separated
  for several stores); default ``http://127.0.0.1:8001/graphql/`` (a local Saleor)
- ``SALEOR_APP_BASE_URL``    the app's public origin, as the store reaches it; default
  ``http://127.0.0.1:8000``
- ``STOREFRONT_ORIGINS``     comma-separated storefront origins allowed to call the storefront API;
  default ``http://127.0.0.1:3000`` (Saleor's Next.js storefront in development)
"""

import os

from example_shop.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "jsg_privacy.integrations.saleor"]  # noqa: F405
ROOT_URLCONF = "example_shop.urls_saleor"


def _listed(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


JSG_PRIVACY_SALEOR_API_URLS = _listed("SALEOR_API_URL", "http://127.0.0.1:8001/graphql/")
JSG_PRIVACY_SALEOR_BASE_URL = os.environ.get("SALEOR_APP_BASE_URL", "http://127.0.0.1:8000")
JSG_PRIVACY_STOREFRONT_ORIGINS = _listed("STOREFRONT_ORIGINS", "http://127.0.0.1:3000")
JSG_PRIVACY_STOREFRONT_CUSTOMER_AUTH = "jsg_privacy.integrations.saleor.storefront.customer_email"
# No text messages switched on without a phone number (nor post without an address) in Saleor.
JSG_PRIVACY_STOREFRONT_CUSTOMER_CONTACT = (
    "jsg_privacy.integrations.saleor.storefront.customer_contact"
)
