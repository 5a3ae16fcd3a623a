"""What erasure changes in Saleor, through its API: orders pseudonymised under the legal hold.

After a customer is erased, an order in Saleor keeps what the tax records need — its amounts, lines
and the address fields in ``JSG_PRIVACY_SALEOR_TAX_ADDRESS_FIELDS`` — and loses the rest: the e-mail
address becomes a pseudonym (the keyed hash of the address, so the shop can still tell one erased
customer's orders apart from another's), the other address fields are cleared and the private
metadata is removed (but keys in ``JSG_PRIVACY_SALEOR_KEEP_PRIVATE_METADATA``). When the hold
ends, :func:`pseudonymise_order` runs again with nothing kept but the country Saleor requires.

Each step is idempotent: a pseudonymised order no longer matches the customer's address.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from jsg_privacy.crypto import subjects
from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.client import Client
from jsg_privacy.integrations.saleor.conf import saleor_settings

PSEUDONYM_DOMAIN = "erased.invalid"  # RFC 2606: never delivered
ERASED = "[erased]"
#: Address fields Saleor requires for a country (it refuses them empty, even without validation).
REQUIRED = frozenset({"firstName", "lastName", "streetAddress1", "city", "postalCode"})
ADDRESS_FIELDS = (
    "firstName",
    "lastName",
    "companyName",
    "streetAddress1",
    "streetAddress2",
    "city",
    "cityArea",
    "postalCode",
    "countryArea",
    "phone",
)

_notes: ContextVar[list[str] | None] = ContextVar("jsg_privacy_saleor_erasure_notes", default=None)


@contextlib.contextmanager
def collecting_notes() -> Iterator[list[str]]:
    """Collect what the Saleor sources did during an erasure, to record it on the case."""
    notes: list[str] = []
    token = _notes.set(notes)
    try:
        yield notes
    finally:
        _notes.reset(token)


def note(text: str) -> None:
    """Add a line to the notes being collected (none is kept outside :func:`collecting_notes`)."""
    notes = _notes.get()
    if notes is not None:
        notes.append(text)


def pseudonym(email: str) -> str:
    """The address an erased customer's orders carry instead of theirs."""
    if email.endswith("@" + PSEUDONYM_DOMAIN):
        return email
    return f"erased-{subjects.for_email(email)[:24]}@{PSEUDONYM_DOMAIN}"


def scrubbed_address(address: dict[str, Any], keep: Iterable[str]) -> dict[str, Any]:
    """An ``AddressInput`` keeping ``keep`` (and the country) and clearing every other field."""
    kept = set(keep)
    result: dict[str, Any] = {"country": (address.get("country") or {}).get("code")}
    for name in ADDRESS_FIELDS:
        if name in kept:
            result[name] = address.get(name) or ""
        else:
            result[name] = ERASED if name in REQUIRED else ""
    result["skipValidation"] = True  # MANAGE_ORDERS may store an address Saleor would not format
    return result


def removable_metadata(order: dict[str, Any]) -> list[str]:
    """The order's private metadata keys to remove: all but the kept prefixes."""
    kept = tuple(saleor_settings.KEEP_PRIVATE_METADATA)
    return [
        item["key"]
        for item in order.get("privateMetadata") or ()
        if not (kept and str(item["key"]).startswith(kept))
    ]


def pseudonymise_order(
    client: Client, order: dict[str, Any], *, keep: Iterable[str], email: str = ""
) -> None:
    """Pseudonymise one order (as returned by :data:`queries.ORDERS` or :data:`queries.ORDER`).

    ``email``: the erased customer's address, whose pseudonym all their orders get (whichever of
    their addresses each was placed under); the order's own address by default.
    """
    keep = tuple(keep)
    current = order.get("userEmail") or ""
    if current.endswith("@" + PSEUDONYM_DOMAIN):
        email = current  # already pseudonymised: keep the pseudonym it has
    update: dict[str, Any] = {"userEmail": pseudonym(email or current)}
    for kind in ("billingAddress", "shippingAddress"):
        if order.get(kind):
            update[kind] = scrubbed_address(order[kind], keep)
    client.mutate(queries.ORDER_UPDATE, {"id": order["id"], "input": update})
    keys = removable_metadata(order)
    if keys:
        client.mutate(queries.DELETE_PRIVATE_METADATA, {"id": order["id"], "keys": keys})
