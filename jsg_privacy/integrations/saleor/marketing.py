"""A customer's marketing choices, written to their ``privateMetadata`` so the store's apps can read them.

The value under ``JSG_PRIVACY_SALEOR_METADATA_KEY`` is JSON: ``{box name: allowed}`` for every
marketing box (the media, ``"partners"``, ``"testimonials"``), where *allowed* is what
:func:`jsg_privacy.marketing.api.has_consent` answers — a confirmed yes, not suppressed, not
restricted. It is written whenever a choice or a suppression changes and when a customer is created
or updated, and only when it differs from what Saleor holds: writing it makes Saleor send
CUSTOMER_UPDATED again, which then finds nothing to change.
"""

from __future__ import annotations

import json
from typing import Any

from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.client import Client
from jsg_privacy.integrations.saleor.conf import saleor_settings
from jsg_privacy.integrations.saleor.models import Customer, Installation
from jsg_privacy.marketing import api, wording


def flags(email: str) -> dict[str, bool]:
    """``{box name: allowed}`` for the owner of ``email``."""
    return {
        box.name: api.has_consent(box.purpose, email=email, medium=box.medium)
        for box in wording.boxes(testimonials=True)
    }


def encoded(email: str) -> str:
    return json.dumps(flags(email), sort_keys=True, separators=(",", ":"))


def sync(customer: Customer, *, current: Any = ...) -> bool:
    """Write the customer's flags to Saleor unless ``current`` (Saleor's value) already says so.

    Returns whether Saleor was written to. Raises
    :class:`~jsg_privacy.integrations.saleor.client.SaleorError` if Saleor refuses or is away.
    """
    if not customer.email:
        return False
    installation = Installation.objects.active().filter(pk=customer.installation_id).first()
    if installation is None:
        return False
    value = encoded(customer.email)
    if current is not ... and current == value:
        return False
    Client(installation.api_url, installation.token).mutate(
        queries.UPDATE_PRIVATE_METADATA,
        {
            "id": customer.saleor_id,
            "input": [{"key": saleor_settings.METADATA_KEY, "value": value}],
        },
    )
    return True


def customers_for(keys: set[str]) -> list[int]:
    """The ids of indexed customers whose e-mail key is one of ``keys``."""
    keys.discard("")
    if not keys:
        return []
    return list(Customer.objects.filter(email_digest__in=keys).values_list("pk", flat=True))
