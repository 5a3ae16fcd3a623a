"""Paying for an order: one :class:`Payment` per attempt, recorded as the provider answers.

The order becomes paid exactly once, whichever comes first: the confirmation in the customer's
request or the provider's signed webhook. A compare-and-set on the payment's status decides who calls
the adapter's ``mark_paid``, so a replayed or late webhook, a double click or a retry never pays twice;
a unique constraint keeps a reference to one live payment at a time.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import replace
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from jsg_privacy.crypto import subjects
from jsg_privacy.flows.restrict import is_restricted
from jsg_privacy.payments.adapter import get_adapter
from jsg_privacy.payments.base import (
    Event,
    Gateway,
    Payable,
    PaymentError,
    PaymentResult,
    RefundResult,
    Status,
)
from jsg_privacy.payments.gateways import default, get
from jsg_privacy.payments.models import Payment, WebhookEvent
from jsg_privacy.payments.signals import payment_refunded, payment_succeeded

logger = logging.getLogger(__name__)

UNREACHABLE = "The payment service could not be reached."
#: A payment still processing after this long was interrupted: the provider answers in seconds.
INTERRUPTED_AFTER = timedelta(minutes=10)
#: A prepared payment the customer has not completed is offered again for this long (a second tab,
#: a reload) rather than preparing another that could be paid as well.
RESUMABLE_FOR = timedelta(hours=1)


class PaymentRefused(Exception):
    """The payment was not attempted; the message is safe to show to the customer."""


class AlreadyPaid(PaymentRefused):
    pass


class InProgress(PaymentRefused):
    pass


class RetryLater(Exception):
    """A webhook arrived before the payment it is about was recorded: the provider should resend it."""


def subject_key_for(user_id: object, email: str) -> str:
    """The key the export and erasure flows find a payer's records by: the user's, else the e-mail's."""
    if user_id is not None:
        return subjects.for_user(user_id)
    return subjects.for_email(email) if email else ""


def gateway_for(payment: Payment) -> Gateway:
    """The gateway the payment was made with, whichever is the shop's default now;
    :class:`~jsg_privacy.payments.gateways.GatewayRemoved` if it is no longer configured."""
    return get(payment.gateway)


def start(payable: Payable, gateway: Gateway) -> Payment:
    """A new attempt for ``payable``, or :class:`PaymentRefused` if it is paid or being paid."""
    if not payable.due:
        raise AlreadyPaid("This order does not need paying.")
    try:
        with transaction.atomic():
            return Payment.objects.create(
                reference=payable.reference,
                gateway=gateway.name,
                user_id=payable.user_id,
                subject_key=subject_key_for(payable.user_id, payable.email),
                amount=payable.amount,
                currency=payable.currency,
            )
    except IntegrityError:
        paid = Payment.objects.filter(reference=payable.reference, status=Status.SUCCEEDED)
        if paid.exists():
            raise AlreadyPaid("This order is already paid.") from None
        if _expire_interrupted(payable.reference):
            return start(payable, gateway)
        raise InProgress("A payment for this order is already in progress.") from None


def _expire_interrupted(reference: str) -> int:
    """Fail attempts still processing long after any answer could come (the server stopped)."""
    cutoff = timezone.now() - INTERRUPTED_AFTER
    stale = Payment.objects.filter(
        reference=reference, status=Status.PROCESSING, created_at__lt=cutoff
    )
    return stale.update(status=Status.FAILED, failure_message=UNREACHABLE)


def pay(
    payable: Payable, token: str, gateway: Gateway | None = None
) -> tuple[Payment, PaymentResult]:
    """Charge the card behind ``token`` for ``payable`` and record the outcome.

    Raises :class:`~jsg_privacy.payments.base.NotConfigured`, before anything is recorded or sent,
    when the gateway lacks its secrets.
    """
    gateway = gateway or default()
    gateway.ensure_configured()
    payment = start(payable, gateway)
    with _failing(payment):
        result = gateway.charge(
            needed_only(payable),
            token,
            subject_key=payment.subject_key,
            key=f"jsg-{uuid.uuid4().hex}",
        )
    return record(payment, result), result


def prepare(payable: Payable, gateway: Gateway) -> tuple[Payment, PaymentResult]:
    """Create the payment at the provider for what ``payable`` owes (a prepared gateway's first
    step); the browser then completes it with the provider and the page calls :func:`confirm`.

    A payment of the same gateway and amount the customer has not completed yet is offered again
    instead (another tab, a reload), so the customer cannot pay two prepared payments by mistake.
    """
    gateway.ensure_configured()
    if not payable.due:
        raise AlreadyPaid("This order does not need paying.")
    waiting = (
        Payment.objects.filter(
            reference=payable.reference,
            gateway=gateway.name,
            status=Status.REQUIRES_ACTION,
            amount=payable.amount,
            currency=payable.currency,
            created_at__gte=timezone.now() - RESUMABLE_FOR,
        )
        .exclude(intent_id="")
        .order_by("-pk")
        .first()
    )
    if waiting is not None:
        result = gateway.resume(waiting.intent_id, subject_key=waiting.subject_key)
        if result.status == Status.REQUIRES_ACTION:
            return waiting, result
        record(waiting, result)
        if result.succeeded:
            raise AlreadyPaid("This order is already paid.")
    payment = start(payable, gateway)
    with _failing(payment):
        result = gateway.prepare(
            needed_only(payable), subject_key=payment.subject_key, key=f"jsg-{uuid.uuid4().hex}"
        )
    return record(payment, result), result


class _failing:
    """Marks ``payment`` failed (keeping the provider ids learnt) when the block raises."""

    def __init__(self, payment: Payment) -> None:
        self.payment = payment

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if error is None:
            return
        ids = error.ids if isinstance(error, PaymentError) else {}
        Payment.objects.filter(pk=self.payment.pk).update(
            status=Status.FAILED, failure_message=UNREACHABLE, **ids
        )


def needed_only(payable: Payable) -> Payable:
    """What the provider may be sent for ``payable``: while the payer's processing is restricted
    (Art. 18), only what paying the order needs — the amount, currency, card token and order
    reference — and none of what the shop sends besides (the e-mail address for receipts, extra
    metadata). Refunds and the erasure's deletion send nothing more than they need anyway."""
    if not (payable.email or payable.metadata):
        return payable
    if not is_restricted(user=payable.user_id, email=payable.email):
        return payable
    return replace(payable, email="", metadata={})


def confirm(payment: Payment) -> PaymentResult:
    """After the customer acted in the browser (3-D Secure): ask the provider, record the outcome."""
    result = gateway_for(payment).confirm(payment.intent_id, subject_key=payment.subject_key)
    record(payment, result)
    return result


def record(payment: Payment, result: PaymentResult) -> Payment:
    """Store what the provider said: ids, card brand, last four and expiry, and the status."""
    changes: dict[str, object] = {
        name: value
        for name in ("intent_id", "payment_method_id", "customer_id")
        if (value := getattr(result, name))
    }
    if result.card.last4 or result.card.brand:
        changes.update(vars(result.card))
    if not result.succeeded:
        changes.update(status=result.status, failure_message=result.message[:255])
    if changes:
        Payment.objects.filter(pk=payment.pk).exclude(status=Status.SUCCEEDED).update(**changes)
        payment.refresh_from_db()
    if result.succeeded:
        succeed(payment, result.amount)
    return payment


def succeed(payment: Payment, amount: int | None) -> bool:
    """Mark ``payment`` paid and tell the adapter, once; False if it already was (or cannot be)."""
    if amount is not None and amount != payment.amount:
        logger.error("%s: the provider reports %s, not the amount due.", payment, amount)
        return False
    try:
        with transaction.atomic():
            won = (
                Payment.objects.filter(pk=payment.pk)
                .exclude(status__in=[Status.SUCCEEDED, Status.REFUNDED])
                .update(status=Status.SUCCEEDED, paid_at=timezone.now(), failure_message="")
            )
            if won:
                payment.refresh_from_db()
                get_adapter().mark_paid(payment.reference, payment)
                payment_succeeded.send(sender=Payment, payment=payment)
    except IntegrityError:
        logger.error("%s succeeded, but another payment for it already had: refund one.", payment)
        return False
    return bool(won)


def handle_event(event: Event, gateway: Gateway) -> str:
    """Apply a verified webhook event once; returns what was done (for the response and logs).

    Raises :class:`RetryLater` (and records nothing) when the event may be about a payment whose
    request is still waiting for the provider's answer: the provider resends it later.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    gateway=gateway.name, event_id=event.event_id, kind=event.kind
                )
        except IntegrityError:
            return "replayed"
        if event.completes:
            return _complete(event, gateway)
        if not event.succeeded:
            return "ignored"
        payments = Payment.objects.filter(gateway=gateway.name)
        payment = payments.filter(intent_id=event.intent_id).first() if event.intent_id else None
        if payment is None:
            waiting = payments.filter(
                reference=event.reference, status=Status.PROCESSING, intent_id=""
            )
            if event.reference and waiting.exists():
                raise RetryLater(f"{event.reference} is still being paid.")
            return "unknown payment"
        if event.amount is not None and event.amount != payment.amount:
            logger.error("%s: the provider reports %s, not the amount due.", payment, event.amount)
            return "amount differs: not paid"
        return "paid" if succeed(payment, event.amount) else "already paid"


def _complete(event: Event, gateway: Gateway) -> str:
    """The customer finished with the provider but the page may be gone: confirm the waiting
    payment (PayPal: capture it). A provider that cannot be reached raises, so the event is not
    recorded and the provider resends it."""
    payment = Payment.objects.filter(
        gateway=gateway.name, intent_id=event.intent_id, status=Status.REQUIRES_ACTION
    ).first()
    if payment is None:
        return "nothing waiting"
    result = confirm(payment)
    return "paid" if result.succeeded else f"confirmed: {result.status}"


def refund(payment: Payment) -> RefundResult:
    """Refund a paid payment in full (staff, from the admin)."""
    if payment.status != Status.SUCCEEDED:
        return RefundResult("", 0, False, "Only a paid payment can be refunded.")
    result = gateway_for(payment).refund(
        payment.intent_id,
        payment.amount,
        subject_key=payment.subject_key,
        key=f"jsg-{uuid.uuid4().hex}",
    )
    if result.succeeded:
        with transaction.atomic():
            done = Payment.objects.filter(pk=payment.pk, status=Status.SUCCEEDED).update(
                status=Status.REFUNDED, refund_id=result.refund_id, refunded_at=timezone.now()
            )
            payment.refresh_from_db()
            if done:
                get_adapter().mark_refunded(payment.reference, payment)
                payment_refunded.send(sender=Payment, payment=payment)
    return result
