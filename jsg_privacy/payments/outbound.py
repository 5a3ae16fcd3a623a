"""The outbound allowlist: a recipient receives only the fields the registry declares for it.

Every call a gateway makes to its provider goes through :func:`send`. It looks the provider up in the
registry (``Recipient.fields`` is the allowlist), refuses any other field and any purpose the
recipient is not declared for, records a :class:`~jsg_privacy.payments.models.Disclosure` (field
names, never values) and only then lets the gateway transmit. A shop that has not declared the
provider cannot send it anything: the privacy notice and the code cannot disagree.

Identifiers the provider issued itself (a payment's or customer's id, in a URL or as a reference)
are not disclosures of the shop's data and are not fields here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from jsg_privacy.payments.models import Disclosure
from jsg_privacy.registry import Recipient, registry

T = TypeVar("T")

#: The purpose recorded for a deletion sent to a recipient on erasure (Art. 19); it sends no fields.
ERASURE = "erasure"


class UndeclaredDisclosure(Exception):
    """A gateway tried to send something the registry does not declare for the recipient."""


def recipient(key: str) -> Recipient:
    """The declared recipient, or :class:`UndeclaredDisclosure` naming what to add to ``privacy.py``."""
    found = registry.recipients.get(key)
    if found is None:
        raise UndeclaredDisclosure(
            f"The recipient {key!r} is not declared, so nothing may be sent to it. Declare it in a "
            f"privacy.py, e.g. privacy.add(inventory.{key.upper()})."
        )
    return found


def declares(key: str, field: str) -> bool:
    """True when the recipient is declared to receive ``field`` (e.g. ``"email"``)."""
    found = registry.recipients.get(key)
    return found is not None and field in found.fields


def check(key: str, purpose: str, fields: Mapping[str, Any]) -> Recipient:
    """Raise :class:`UndeclaredDisclosure` unless every field and the purpose are declared."""
    declared = recipient(key)
    undeclared = sorted(set(fields) - set(declared.fields))
    if undeclared:
        raise UndeclaredDisclosure(
            f"{declared.name} is not declared to receive {', '.join(undeclared)} (it is declared "
            f"for {', '.join(declared.fields) or 'no fields'}). Nothing was sent."
        )
    if fields and purpose not in declared.purposes:
        raise UndeclaredDisclosure(
            f"{declared.name} is not declared to receive data for the purpose {purpose!r}."
        )
    return declared


def send(
    key: str,
    purpose: str,
    subject_key: str,
    fields: Mapping[str, Any],
    *,
    operation: str,
    transmit: Callable[[dict[str, Any]], T],
) -> T:
    """Check ``fields`` against the allowlist, record the disclosure, then ``transmit(fields)``.

    The disclosure is recorded before the call: a call that fails half-way may still have reached
    the recipient, so the log errs on the side of saying it did.
    """
    check(key, purpose, fields)
    Disclosure.objects.create(
        recipient=key,
        purpose=purpose,
        operation=operation,
        field_names=sorted(fields),
        subject_key=subject_key,
    )
    return transmit(dict(fields))
