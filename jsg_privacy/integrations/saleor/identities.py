"""Who a person is in a Saleor store: every e-mail address they had there and their user ids.

Saleor's orders keep the address they were placed under, and a deleted account unlinks its orders
from the user. A search by the current address alone misses the orders placed under an earlier
one, so the Saleor sources search by every address in the app's address history
(:class:`~.models.CustomerEmail`, kept from the webhooks) and by every Saleor user id that ever
had the address — the history's, and the store's live account if there is one.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.db import transaction

from jsg_privacy.integrations.saleor import queries
from jsg_privacy.integrations.saleor.client import Client
from jsg_privacy.integrations.saleor.models import CustomerEmail


@dataclass(frozen=True)
class Identity:
    """A person in one store: their addresses (the one searched for first) and Saleor user ids."""

    emails: tuple[str, ...]
    user_ids: tuple[str, ...]


#: The history rows the erasure found for one address, before it deleted them: the Saleor sources
#: run after the index's rows are deleted in the same transaction, and still need them. One slot,
#: emptied once the erasure's transaction commits. (One rolled back leaves it until the next
#: erasure in this context: rows of that same address, true when they were read.)
_erasing: ContextVar[tuple[str, tuple[tuple[int, str, str], ...]] | None] = ContextVar(
    "jsg_privacy_saleor_erasing", default=None
)


def hold_for_erasure(email: str, rows: list[tuple[int, str, str]]) -> None:
    """Keep ``(installation id, Saleor user id, address)`` rows of ``email`` for this erasure."""
    _erasing.set((email.strip().lower(), tuple(rows)))
    transaction.on_commit(lambda: _erasing.set(None))


def _held(installation_id: int | None, email: str) -> list[tuple[str, str]]:
    held = _erasing.get()
    if held is None or held[0] != email.strip().lower():
        return []
    return [(user, address) for inst, user, address in held[1] if inst == installation_id]


def in_store(client: Client, email: str, *, live: bool = True) -> Identity:
    """The person with ``email`` in the client's store.

    With ``live``, the store's account with the address (if any) is asked for too: it may predate
    the app's installation, so the history would not know it.
    """
    user_ids: dict[str, None] = {}
    if live:
        user = client.execute(queries.CUSTOMER_ID, {"email": email}).get("user")
        if user:
            user_ids[user["id"]] = None
    history = (
        CustomerEmail.objects.filter(installation_id=client.installation_id)
        if client.installation_id is not None
        else CustomerEmail.objects.none()
    )
    for saleor_id in history.filter(email_digest__matches=email).values_list(
        "saleor_id", flat=True
    ):
        user_ids[saleor_id] = None
    held = _held(client.installation_id, email)
    for saleor_id, _address in held:
        user_ids[saleor_id] = None
    emails = {email.strip().lower(): email}
    found = history.filter(saleor_id__in=list(user_ids)).order_by("first_seen", "pk")
    for address in [*found.values_list("email", flat=True), *(a for _u, a in held)]:
        emails.setdefault(address.strip().lower(), address)
    return Identity(tuple(emails.values()), tuple(user_ids))
