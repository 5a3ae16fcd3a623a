"""On erasure, tell the payment provider: delete its customer records of the subject (Art. 17, 19).

The erasure flow calls :func:`notify_recipient` *before* it erases the subject's payments, because it
finds the provider's customer ids on them. Each deletion is sent through the outbound layer, so the
disclosure log records it (no fields, purpose ``erasure``) under the subject's key; a customer the
provider no longer has counts as deleted. The payments themselves stay under their legal hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from jsg_privacy.payments.base import PaymentError, get_gateway
from jsg_privacy.payments.charges import subject_key_for
from jsg_privacy.payments.models import Payment
from jsg_privacy.payments.sources import PaymentSource
from jsg_privacy.registry import Subject, registry


@dataclass(frozen=True)
class Notification:
    """One deletion sent to a recipient: ``deleted`` is False when it had already gone."""

    recipient: str
    customer_id: str
    deleted: bool
    at: datetime
    error: str = ""

    @property
    def done(self) -> bool:
        return not self.error


def customer_ids(subject: Subject) -> dict[str, list[str]]:
    """The provider customer ids found on the subject's payments, by gateway name."""
    source = registry.sources.get(Payment._meta.label)
    if not isinstance(source, PaymentSource):
        source = PaymentSource(Payment)
    found: dict[str, list[str]] = {}
    rows = source.rows_for(subject).exclude(customer_id="").order_by()
    for gateway, customer_id in rows.values_list("gateway", "customer_id").distinct():
        if customer_id not in found.setdefault(gateway, []):
            found[gateway].append(customer_id)
    return found


def notify_recipient(subject: Subject) -> list[Notification]:
    """Delete the subject's customers at the payment provider; one :class:`Notification` each.

    A provider that cannot be reached yields a notification with ``error`` set, so the erasure flow
    can report it and retry; the others are still sent.
    """
    found = customer_ids(subject)
    if not found:
        return []
    gateway = get_gateway()
    subject_key = subject_key_for(subject.user_id, subject.email)
    sent = []
    for name, ids in found.items():
        for customer_id in ids:
            if name != gateway.name:
                error = f"payments made with {name!r}, but the gateway is {gateway.name!r}"
                sent.append(Notification(name, customer_id, False, timezone.now(), error))
                continue
            try:
                deleted = gateway.delete_customer(customer_id, subject_key=subject_key)
            except PaymentError as exc:
                failed = Notification(
                    gateway.recipient, customer_id, False, timezone.now(), str(exc)
                )
                sent.append(failed)
                continue
            sent.append(Notification(gateway.recipient, customer_id, deleted, timezone.now()))
    return sent


def erasure_hook(subject: Subject, case: object = None) -> str:
    """The hook the requests service calls before erasing: a one-line account for the case."""
    sent = notify_recipient(subject)
    if not sent:
        return "payment provider: no customer records to delete"
    done = [n for n in sent if n.done]
    failed = [f"{n.recipient} {n.customer_id}: {n.error}" for n in sent if not n.done]
    summary = f"payment provider: {len(done)} customer record(s) deleted"
    return summary + (f"; failed, retry: {'; '.join(failed)}" if failed else "")


#: How staff see the hook on the erasure plan.
erasure_hook.label = (
    "The payment provider: the customer's saved cards and customer record are deleted"  # type: ignore[attr-defined]
)
