"""Read a verified webhook body: which event it is and the few fields its handler needs.

The event is taken from the signed body's ``__typename``, never from the unsigned ``Saleor-Event``
header, so a signed body cannot be replayed as another event. A body that is not what the manifest's
subscription produces raises :class:`BadPayload` (the view answers 400 and changes nothing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.utils.dateparse import parse_datetime

#: Saleor's event type names by the GraphQL type of their payload.
TYPES = {
    "AccountDeleteRequested": "ACCOUNT_DELETE_REQUESTED",
    "AccountDeleted": "ACCOUNT_DELETED",
    "CustomerCreated": "CUSTOMER_CREATED",
    "CustomerUpdated": "CUSTOMER_UPDATED",
    "CustomerDeleted": "CUSTOMER_DELETED",
    "CustomerMetadataUpdated": "CUSTOMER_METADATA_UPDATED",
    "OrderCreated": "ORDER_CREATED",
    "CheckoutUpdated": "CHECKOUT_UPDATED",
    "CheckoutMetadataUpdated": "CHECKOUT_METADATA_UPDATED",
    "AppDeleted": "APP_DELETED",
}
MAX_ID = 64
MAX_TEXT = 254
#: How far ahead of this server's clock an event's signed ``issuedAt`` may be (clocks drift a
#: little). A later one is refused: dated ahead, it would pass the replay window for that much
#: longer and look newer than the store's real changes.
CLOCK_SKEW = timedelta(minutes=5)


class BadPayload(ValueError):
    """The body is not a payload of the app's subscription; the message names no personal data."""


@dataclass(frozen=True)
class Event:
    """One verified event: its name, when Saleor issued it, and what its handler needs."""

    name: str
    issued_at: datetime
    data: dict[str, Any] = field(default_factory=dict)


def parse(payload: Any) -> Event:
    """The :class:`Event` in a decoded webhook body."""
    if not isinstance(payload, dict):
        raise BadPayload("The body is not a JSON object.")
    name = TYPES.get(payload.get("__typename", ""))
    if name is None:
        raise BadPayload("The body is not an event this app subscribes to.")
    issued_at = parse_datetime(str(payload.get("issuedAt") or ""))
    if issued_at is None or issued_at.tzinfo is None:
        raise BadPayload("The event has no valid issuedAt.")
    if name == "ORDER_CREATED":
        order = _object(payload, "order")
        created = parse_datetime(_text(order, "created", required=True))
        if created is None:
            raise BadPayload("The order has no valid created date.")
        data = {
            "id": _text(order, "id", required=True, limit=MAX_ID),
            "number": _text(order, "number", required=True, limit=32),
            "created": created.isoformat(),
            "email": _text(order, "userEmail"),
            "user_id": _text(order.get("user") or {}, "id", limit=MAX_ID),
            "checkout_id": _text(order, "checkoutId", limit=MAX_ID),
            "choices": _choices(order),
        }
    elif name.startswith("CHECKOUT_"):
        checkout = _object(payload, "checkout")
        owner = checkout.get("user")
        user: dict[str, Any] = owner if isinstance(owner, dict) else {}
        data = {
            "id": _text(checkout, "id", required=True, limit=MAX_ID),
            "email": _text(checkout, "email") or _text(user, "email"),
            "user_id": _text(user, "id", limit=MAX_ID),
            "choices": _choices(checkout),
        }
    elif name == "APP_DELETED":
        data = {"id": _text(_object(payload, "app"), "id", required=True, limit=MAX_ID)}
    else:
        user = _object(payload, "user")
        data = {
            "id": _text(user, "id", required=True, limit=MAX_ID),
            "email": _text(user, "email", required=name.startswith("ACCOUNT_")),
        }
        if "privateMetafield" in user:
            data["marketing"] = user["privateMetafield"]
        if name == "CUSTOMER_METADATA_UPDATED":
            data["choices"] = _choices(user)
    return Event(name, issued_at, data)


def _choices(obj: dict[str, Any]) -> str | None:
    """The storefront's marketing boxes (public metadata, JSON text), read by :mod:`.choices`.

    Anything but a string is kept as an invalid value: it is logged and ignored there, never taken
    as a choice, and the rest of the event (an order, say) is still handled.
    """
    value = obj.get("choices")
    if value is None:
        return None
    return value if isinstance(value, str) and len(value) <= MAX_CHOICES else INVALID


#: Longest marketing-boxes value read (a dozen boxes with their versions take about 1 KB).
MAX_CHOICES = 4096
INVALID = "\x00invalid"


def _object(payload: dict[str, Any], key: str) -> dict[str, Any]:
    value = payload.get(key)
    if not isinstance(value, dict):
        raise BadPayload(f"The event has no {key}.")
    return value


def _text(obj: dict[str, Any], key: str, *, required: bool = False, limit: int = MAX_TEXT) -> str:
    value = obj.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value) or len(value) > limit:
        raise BadPayload(f"The event's {key} is missing or invalid.")
    return value
