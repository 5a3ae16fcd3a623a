"""The app manifest a Saleor store reads when the app is installed (``manage.py install_app <url>``).

Built with saleor_sdk's :class:`~saleor_sdk.schemas.manifest.Manifest`, subclassed for the fields
its 0.2.1 release lacks (``requiredSaleorVersion``, ``author``, ``brand``). One webhook subscribes
to every event the app handles; its subscription asks only for what the handlers need — never the
account-deletion ``token`` or ``redirectUrl`` — and for ``issuedAt`` (signed, so replays are seen).
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from pydantic import Field
from saleor_sdk.schemas.enums import Permission
from saleor_sdk.schemas.manifest import Extension, Manifest, Webhook

import jsg_privacy
from jsg_privacy.integrations.saleor.conf import saleor_settings

REQUIRED_SALEOR_VERSION = ">=3.22 <4"

PERMISSIONS = [
    Permission.MANAGE_USERS,  # read a customer for exports; write their marketing flags; delete
    Permission.MANAGE_ORDERS,  # read orders for exports; pseudonymise them after an erasure
    Permission.MANAGE_CHECKOUTS,  # checkouts for exports and erasure; marketing boxes at checkout
    Permission.MANAGE_GIFT_CARD,  # read the gift cards a customer bought or holds, for exports
]

#: The events the webhook subscribes to (strings: saleor_sdk 0.2.1's enum lacks ACCOUNT_*).
#: Those in :data:`SINCE` only when the store's schema has them.
EVENTS = [
    "ACCOUNT_DELETE_REQUESTED",
    "ACCOUNT_DELETED",
    "CUSTOMER_CREATED",
    "CUSTOMER_UPDATED",
    "CUSTOMER_DELETED",
    "CUSTOMER_METADATA_UPDATED",
    "ORDER_CREATED",
    "CHECKOUT_UPDATED",
    "CHECKOUT_METADATA_UPDATED",
    "APP_DELETED",
]


#: Events newer than :data:`REQUIRED_SALEOR_VERSION`, with the schema version that has them: Saleor
#: rejects the whole manifest if the subscription names a type its schema lacks.
SINCE = {"CUSTOMER_DELETED": (3, 23)}


class AppExtension(Extension):  # type: ignore[misc]  # saleor-sdk-python ships no types
    """saleor_sdk's extension, whose ``url`` may also be a path: Saleor requires one (relative to
    ``appUrl``) for the ``APP_PAGE`` target, which saleor_sdk 0.2.1 cannot express."""

    url: str


class AppManifest(Manifest):  # type: ignore[misc]  # saleor-sdk-python ships no types
    """saleor_sdk's manifest with the fields Saleor 3.22 reads that saleor_sdk 0.2.1 drops."""

    extensions: list[AppExtension] | None = Field(default_factory=list)
    required_saleor_version: str | None = Field(None, alias="requiredSaleorVersion")
    author: str | None = None
    brand: dict[str, Any] | None = None


def fragments(metadata_key: str, choices_key: str | None = None) -> dict[str, str]:
    """Per event, the fragment of the subscription that asks for the fields its handler uses.

    ``choices``: the marketing boxes a storefront showed, from the public metadata (a checkout's,
    copied by Saleor to its order; a customer's, from the account page).
    """
    choices = f"choices: metafield(key: {json.dumps(choices_key or saleor_settings.CHOICES_KEY)})"
    customer = f"user {{ id email privateMetafield(key: {json.dumps(metadata_key)}) {choices} }}"
    checkout = f"checkout {{ id email user {{ id email }} {choices} }}"
    return {
        "ACCOUNT_DELETE_REQUESTED": "... on AccountDeleteRequested { user { id email } }",
        "ACCOUNT_DELETED": "... on AccountDeleted { user { id email } }",
        "CUSTOMER_CREATED": f"... on CustomerCreated {{ {customer} }}",
        "CUSTOMER_UPDATED": f"... on CustomerUpdated {{ {customer} }}",
        "CUSTOMER_DELETED": "... on CustomerDeleted { user { id email } }",
        "CUSTOMER_METADATA_UPDATED": f"... on CustomerMetadataUpdated {{ user {{ id email {choices} }} }}",
        "ORDER_CREATED": "... on OrderCreated { order { id number created userEmail user { id } "
        f"checkoutId {choices} }} }}",
        "CHECKOUT_UPDATED": f"... on CheckoutUpdated {{ {checkout} }}",
        "CHECKOUT_METADATA_UPDATED": f"... on CheckoutMetadataUpdated {{ {checkout} }}",
        "APP_DELETED": "... on AppDeleted { app { id } }",
    }


def subscription(metadata_key: str, events: list[str] | None = None) -> str:
    """The webhook's subscription for ``events`` (default: all): one fragment per event."""
    chosen = fragments(metadata_key)
    body = "\n    ".join(chosen[event] for event in (events or EVENTS))
    return f"subscription JsgPrivacyEvents {{\n  event {{\n    __typename\n    issuedAt\n    {body}\n  }}\n}}"


def extensions(page: str) -> list[AppExtension]:
    """Where staff open the app's page in the dashboard: a customer's "more actions" menu (in a
    pop-up, for that customer: the dashboard adds ``customerId`` to the URL) and the Customers
    section of the navigation (the list of requests and their deadlines: ``APP_PAGE`` takes a path
    relative to ``appUrl``, which is the page — ``/`` is the page itself)."""
    staff = [Permission.MANAGE_USERS.value]
    return [
        AppExtension(
            label="Privacy: export data, plan erasure",
            mount="CUSTOMER_DETAILS_MORE_ACTIONS",
            target="POPUP",
            permissions=staff,
            url=page,
        ),
        AppExtension(
            label="Privacy requests",
            mount="NAVIGATION_CUSTOMERS",
            target="APP_PAGE",
            permissions=staff,
            url="/",
        ),
    ]


def schema_version(request: HttpRequest) -> tuple[int, int] | None:
    """The store's schema version from ``Saleor-Schema-Version`` (sent with the manifest fetch)."""
    found = re.fullmatch(
        r"\s*(\d+)\.(\d+)(?:\.\d+)?\s*", request.headers.get("Saleor-Schema-Version", "")
    )
    return (int(found[1]), int(found[2])) if found else None


def events_for(version: tuple[int, int] | None) -> list[str]:
    """The events a store of ``version`` can send; the oldest supported store's when unknown."""
    return [e for e in EVENTS if e not in SINCE or (version is not None and version >= SINCE[e])]


def base_url(request: HttpRequest) -> str:
    """The app's public origin: ``JSG_PRIVACY_SALEOR_BASE_URL``, else the request's."""
    return saleor_settings.BASE_URL.rstrip("/") or request.build_absolute_uri("/").rstrip("/")


def build(request: HttpRequest) -> dict[str, Any]:
    """The manifest as Saleor reads it (camelCase, absolute URLs)."""
    base = base_url(request)
    notice = base + reverse("jsg_privacy:notice")
    page = base + reverse("jsg_privacy_saleor:dashboard")
    events = events_for(schema_version(request))
    manifest = AppManifest(
        id=saleor_settings.APP_ID,
        version=jsg_privacy.__version__,
        name=saleor_settings.APP_NAME,
        about="Consent records, data exports, erasure with legal holds and retention for the "
        "personal data this store keeps.",
        permissions=list(PERMISSIONS),
        appUrl=page,
        tokenTargetUrl=base + reverse("jsg_privacy_saleor:register"),
        dataPrivacyUrl=notice,
        homepageUrl=base + "/",
        requiredSaleorVersion=REQUIRED_SALEOR_VERSION,
        author=saleor_settings.AUTHOR or None,
        extensions=extensions(page),
        webhooks=[
            Webhook(
                name="jsg_privacy",
                asyncEvents=events,
                syncEvents=[],
                query=subscription(saleor_settings.METADATA_KEY, events),
                targetUrl=base + reverse("jsg_privacy_saleor:webhooks"),
                isActive=True,
            )
        ],
    )
    dumped: dict[str, Any] = manifest.model_dump(mode="json", by_alias=True, exclude_none=True)
    return dumped
