"""The Stripe backend: PaymentMethods and PaymentIntents, confirmed in the browser; declared fields
out, every call logged as a disclosure.

1. **Prepare** (server): a Customer (no fields unless a declaration adds the e-mail address) and a
   PaymentIntent for the amount the shop computed, with the order reference as metadata. The
   intent's client secret goes to the browser once and is never stored.
2. **In the browser**, Stripe.js confirms the intent with the card element
   (``stripe.confirmCardPayment(clientSecret, {payment_method: {card}})``): the card becomes a
   PaymentMethod at Stripe, and 3-D Secure, when the bank asks for it, is shown by Stripe.js. The
   card never reaches the shop, and the browser cannot change the amount: it is the intent's.
3. **Confirm** (server): the shop retrieves the intent and its PaymentMethod (brand, last four,
   expiry) and records what Stripe says. The signed ``payment_intent.succeeded`` webhook pays the
   order too, if the customer closed the page first.

The same calls work against real Stripe and against localstripe, the local stand-in used when
``JSG_PRIVACY_STRIPE`` has no ``secret_key`` and ``DEBUG`` is on (see ``docs/payments.md``);
:mod:`~jsg_privacy.payments.gateways.stripe.localstripe` adds the browser-side confirmation its
shim lacks.

Webhooks are believed only when signed with the endpoint's own secret (never localstripe's public
one outside the demo) at a time within :data:`TOLERANCE` before and :data:`CLOCK_SKEW` after this
server's clock: Stripe's library checks only the first bound, and a signature dated ahead would
otherwise stay replayable until then.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

import stripe
from django.core.checks import CheckMessage
from django.utils.translation import gettext_lazy as _

from jsg_privacy.payments import outbound
from jsg_privacy.payments.base import (
    CardDetails,
    Event,
    Gateway,
    InvalidWebhook,
    NotConfigured,
    Payable,
    PaymentError,
    PaymentResult,
    RefundResult,
    Status,
)
from jsg_privacy.payments.gateways.stripe.client import StripeSettings, make_client, to_params

if TYPE_CHECKING:
    # Parameters are built from the declared fields (the outbound allowlist), so they are plain
    # dicts: cast to Stripe's parameter types where they are sent.
    from stripe.params import CustomerCreateParams, PaymentIntentCreateParams, RefundCreateParams

logger = logging.getLogger(__name__)

RECIPIENT = "stripe"
STATUSES = {
    "succeeded": Status.SUCCEEDED,
    "requires_capture": Status.SUCCEEDED,
    "processing": Status.PROCESSING,
    "requires_action": Status.REQUIRES_ACTION,
    "requires_confirmation": Status.FAILED,
    "requires_payment_method": Status.DECLINED,
    "canceled": Status.FAILED,
}
#: How old a webhook's signature may be, in seconds: Stripe's default (5 minutes), which its library
#: checks. Stripe signs each delivery, retries included, when it sends it.
TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE
#: How far ahead of this server's clock a signature may be dated, in seconds (clocks drift a little).
CLOCK_SKEW = 5 * 60


class StripeGateway(Gateway):
    name = "stripe"
    label = _("Card")
    settings_prefix = "STRIPE"
    recipient = RECIPIENT
    template_name = "jsg_privacy/payments/_stripe_form.html"
    prepares = True

    @classmethod
    def checks(cls, *, deploy: bool = False) -> list[CheckMessage]:
        from jsg_privacy.payments.gateways.stripe.checks import check

        return check(deploy=deploy)

    @cached_property
    def settings(self) -> StripeSettings:
        return StripeSettings.load()

    @cached_property
    def client(self) -> stripe.StripeClient:
        return make_client(self.settings)

    def ensure_configured(self) -> None:
        self.settings  # noqa: B018 -- loading the settings raises NotConfigured

    def client_config(self, payable: Payable) -> dict[str, str]:
        return {"publishable_key": self.settings.publishable_key, "js_url": self.settings.js_url}

    def prepare(self, payable: Payable, *, subject_key: str, key: str) -> PaymentResult:
        customer_fields: dict[str, Any] = {}
        if payable.email and outbound.declares(self.recipient, "email"):
            customer_fields["email"] = payable.email
        customer = None
        try:
            customer = self.disclose(
                "customers.create",
                subject_key,
                customer_fields,
                lambda fields: self.client.v1.customers.create(
                    params=cast("CustomerCreateParams", to_params(fields)),
                    options={"idempotency_key": f"{key}-customer"},
                ),
            )
            intent_fields = {
                "amount": payable.amount,
                "currency": payable.currency,
                "order_reference": payable.reference,
                **payable.metadata,
            }
            intent = self.disclose(
                "payment_intents.create",
                subject_key,
                intent_fields,
                lambda fields: self.client.v1.payment_intents.create(
                    params=cast(
                        "PaymentIntentCreateParams",
                        {
                            **to_params(fields),
                            "customer": customer.id,
                            "payment_method_types": ["card"],
                        },
                    ),
                    options={"idempotency_key": f"{key}-intent"},
                ),
            )
        except stripe.StripeError as error:
            ids = {"customer_id": customer.id} if customer is not None else {}
            raise PaymentError(f"Stripe failed: {type(error).__name__}", ids) from error
        return PaymentResult(
            Status.REQUIRES_ACTION,
            intent_id=intent.id,
            customer_id=customer.id,
            amount=intent.amount,
            client_secret=intent.client_secret or "",
        )

    def resume(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        return self.confirm(intent_id, subject_key=subject_key)

    def _result(self, intent: Any, card: CardDetails | None = None) -> PaymentResult:
        status = STATUSES.get(intent.status, Status.FAILED)
        error = getattr(intent, "last_payment_error", None)
        if status == Status.DECLINED and not error:
            status = Status.REQUIRES_ACTION  # no card tried yet: still the customer's to complete
        waiting = status == Status.REQUIRES_ACTION
        return PaymentResult(
            status,
            intent_id=intent.id,
            payment_method_id=_id(getattr(intent, "payment_method", None)),
            card=card or CardDetails(),
            amount=intent.amount,
            message=getattr(error, "message", "") or "" if status == Status.DECLINED else "",
            client_secret=intent.client_secret if waiting else "",
        )

    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        try:
            intent = self.disclose(
                "payment_intents.retrieve",
                subject_key,
                {},
                lambda _fields: self.client.v1.payment_intents.retrieve(intent_id),
            )
            method_id = _id(getattr(intent, "payment_method", None))
            card = self._card(method_id, subject_key) if method_id else None
        except stripe.StripeError as error:
            raise PaymentError(f"Stripe could not be reached: {type(error).__name__}") from error
        return self._result(intent, card)

    def _card(self, method_id: str, subject_key: str) -> CardDetails:
        """Brand, last four and expiry of the card the customer gave Stripe."""
        method = self.disclose(
            "payment_methods.retrieve",
            subject_key,
            {},
            lambda _fields: self.client.v1.payment_methods.retrieve(method_id),
        )
        card = getattr(method, "card", None)
        if card is None:
            return CardDetails()
        return CardDetails(
            str(card.brand).title(), str(card.last4), int(card.exp_month), int(card.exp_year)
        )

    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        try:
            refund = self.disclose(
                "refunds.create",
                subject_key,
                {"amount": amount},
                lambda fields: self.client.v1.refunds.create(
                    params=cast(
                        "RefundCreateParams", {**to_params(fields), "payment_intent": intent_id}
                    ),
                    options={"idempotency_key": f"{key}-refund"},
                ),
            )
        except stripe.StripeError as error:
            return RefundResult("", 0, False, _message(error))
        return RefundResult(refund.id, refund.amount, refund.status in ("succeeded", "pending"))

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        refusal = self.settings.webhook_refusal()
        if refusal:
            raise NotConfigured(refusal)
        header = headers.get("Stripe-Signature")
        try:
            event = stripe.Webhook.construct_event(
                body, header, self.settings.webhook_secret, tolerance=TOLERANCE
            )
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise InvalidWebhook(str(error)) from error
        signed = signed_at(header or "")
        if signed is None or signed > time.time() + CLOCK_SKEW:
            raise InvalidWebhook(
                f"The signature is dated more than {CLOCK_SKEW // 60} minutes ahead of this "
                "server's clock."
            )
        if not event.type.startswith("payment_intent."):
            return Event(event.id, event.type)
        intent = event.data.object
        metadata = getattr(intent, "metadata", None)
        return Event(
            event.id,
            event.type,
            intent_id=getattr(intent, "id", ""),
            succeeded=event.type == "payment_intent.succeeded",
            amount=getattr(intent, "amount", None),
            reference=getattr(metadata, "order_reference", "") if metadata else "",
        )

    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        try:
            self.disclose(
                "customers.delete",
                subject_key,
                {},
                lambda _fields: self.client.v1.customers.delete(customer_id),
                purpose=outbound.ERASURE,
            )
        except stripe.InvalidRequestError as error:
            if error.http_status == 404 or error.code == "resource_missing":
                return False
            raise PaymentError(f"Stripe refused to delete the customer: {error.code}") from error
        except stripe.StripeError as error:
            raise PaymentError(f"Stripe could not be reached: {type(error).__name__}") from error
        return True


def signed_at(header: str) -> int | None:
    """The time in a ``Stripe-Signature`` header (its first ``t=``, as Stripe's library reads it)."""
    for item in header.split(","):
        name, _, value = item.partition("=")
        if name == "t":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _id(value: Any) -> str:
    """The id of an expandable field: a string, an expanded object, or nothing."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(getattr(value, "id", ""))


def _message(error: stripe.StripeError) -> str:
    """Stripe's words for the customer ("Your card has insufficient funds."), never a card number."""
    return str(error.user_message or "Your card was declined.")[:255]
