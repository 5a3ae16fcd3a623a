"""The PayPal gateway: Orders v2, approved by the buyer at PayPal through PayPal's JavaScript SDK
buttons; the shop keeps the order and capture ids only.

1. **Prepare** (server): ``POST /v2/checkout/orders`` with ``intent: CAPTURE`` for the amount the
   shop computed, the order reference as ``reference_id`` and ``custom_id``. The order id goes to
   the buttons (``createOrder``).
2. **In the browser** the buyer logs in to PayPal and approves; the shop sees nothing of it.
3. **Confirm** (server, ``onApprove``): the shop reads the order back and, once approved, captures
   it (``POST /v2/checkout/orders/{id}/capture``, idempotent by ``PayPal-Request-Id``). A declined
   funding source (422 ``INSTRUMENT_DECLINED``) is a decline the buyer sees; the order stays
   payable. ``PAYMENT.CAPTURE.COMPLETED`` webhooks, verified by PayPal's
   ``verify-webhook-signature``, pay the order too.

Refunds read the capture id from the order and ``POST /v2/payments/captures/{id}/refund``. Nothing
of the buyer's PayPal account (name, e-mail, payer id) is stored. The built-in client is small and
hand-written; ``docs/payments.md`` says why PayPal's Server SDK and django-payments were not used.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.core.checks import CheckMessage

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
from jsg_privacy.payments.gateways.paypal.client import PayPalClient, PayPalError, PayPalSettings

RECIPIENT = "paypal"
#: Currencies PayPal takes without decimals.
ZERO_DECIMAL = frozenset({"huf", "jpy", "twd"})
WAITING = frozenset({"CREATED", "SAVED", "PAYER_ACTION_REQUIRED"})
DECLINED_FUNDING = "PayPal could not take the payment from the chosen account or card. Please choose another way to pay."
WEBHOOK_HEADERS = {
    "transmission_id": "PAYPAL-TRANSMISSION-ID",
    "transmission_time": "PAYPAL-TRANSMISSION-TIME",
    "transmission_sig": "PAYPAL-TRANSMISSION-SIG",
    "cert_url": "PAYPAL-CERT-URL",
    "auth_algo": "PAYPAL-AUTH-ALGO",
}


def to_value(amount: int, currency: str) -> str:
    """PayPal's amount ``value``: ``"258.00"`` for 25800 pence."""
    if currency.lower() in ZERO_DECIMAL:
        return str(amount)
    return f"{Decimal(amount) / 100:.2f}"


def to_minor(value: str, currency: str) -> int:
    if currency.lower() in ZERO_DECIMAL:
        return int(Decimal(value))
    return int(Decimal(value) * 100)


class PayPalGateway(Gateway):
    name = "paypal"
    label = "PayPal"
    settings_prefix = "PAYPAL"
    recipient = RECIPIENT
    template_name = "jsg_privacy/payments/_paypal_buttons.html"
    prepares = True

    @classmethod
    def checks(cls, *, deploy: bool = False) -> list[CheckMessage]:
        from jsg_privacy.payments.gateways.paypal.checks import check

        return check(deploy=deploy)

    @cached_property
    def settings(self) -> PayPalSettings:
        return PayPalSettings.load()

    @cached_property
    def client(self) -> PayPalClient:
        return PayPalClient(self.settings)

    def ensure_configured(self) -> None:
        self.settings  # noqa: B018 -- loading the settings raises NotConfigured

    def client_config(self, payable: Payable) -> dict[str, str]:
        query = f"client-id={self.settings.client_id}&currency={payable.currency.upper()}"
        return {"client_id": self.settings.client_id, "js_url": f"{self.settings.js_url}?{query}"}

    def prepare(self, payable: Payable, *, subject_key: str, key: str) -> PaymentResult:
        fields = {
            "amount": payable.amount,
            "currency": payable.currency,
            "order_reference": payable.reference,
        }

        def create(sent: dict[str, Any]) -> Any:
            unit = {
                "reference_id": sent["order_reference"],
                "custom_id": sent["order_reference"],
                "amount": {
                    "currency_code": sent["currency"].upper(),
                    "value": to_value(sent["amount"], sent["currency"]),
                },
            }
            body = {"intent": "CAPTURE", "purchase_units": [unit]}
            return self.client.call("POST", "/v2/checkout/orders", body, request_id=f"{key}-order")

        order = self.disclose("orders.create", subject_key, fields, create)
        return PaymentResult(
            Status.REQUIRES_ACTION,
            intent_id=str(order["id"]),
            card=CardDetails(brand="PayPal"),
            amount=payable.amount,
        )

    def resume(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        return self.confirm(intent_id, subject_key=subject_key)

    def _order(self, order_id: str, subject_key: str) -> Any:
        return self.disclose(
            "orders.retrieve",
            subject_key,
            {},
            lambda _fields: self.client.call("GET", f"/v2/checkout/orders/{order_id}"),
        )

    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        order = self._order(intent_id, subject_key)
        if order.get("status") == "APPROVED":
            try:
                order = self.disclose(
                    "orders.capture",
                    subject_key,
                    {},
                    lambda _fields: self.client.call(
                        "POST",
                        f"/v2/checkout/orders/{intent_id}/capture",
                        {},
                        request_id=f"jsg-capture-{intent_id}",
                    ),
                )
            except PayPalError as error:
                if error.issue == "INSTRUMENT_DECLINED":
                    return PaymentResult(Status.DECLINED, intent_id, message=DECLINED_FUNDING)
                if error.issue != "ORDER_ALREADY_CAPTURED":
                    raise
                order = self._order(intent_id, subject_key)
        return self._result(order)

    def _result(self, order: Mapping[str, Any]) -> PaymentResult:
        status = order.get("status", "")
        intent_id = str(order.get("id", ""))
        paypal = CardDetails(brand="PayPal")
        if status in WAITING or status == "APPROVED":
            return PaymentResult(Status.REQUIRES_ACTION, intent_id, card=paypal)
        if status != "COMPLETED":
            return PaymentResult(Status.FAILED, intent_id, message=f"PayPal order {status}.")
        unit = order["purchase_units"][0]
        capture = unit["payments"]["captures"][0]
        currency = capture["amount"]["currency_code"]
        amount = to_minor(capture["amount"]["value"], currency)
        if currency != unit["amount"]["currency_code"]:
            return PaymentResult(Status.FAILED, intent_id, message="Captured in another currency.")
        statuses = {"COMPLETED": Status.SUCCEEDED, "PENDING": Status.PROCESSING}
        result_status = statuses.get(capture["status"], Status.DECLINED)
        if capture["status"] in ("REFUNDED", "PARTIALLY_REFUNDED"):
            result_status = Status.SUCCEEDED  # paid, then refunded: the refund records itself
        return PaymentResult(result_status, intent_id, card=paypal, amount=amount)

    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        try:
            order = self._order(intent_id, subject_key)
            unit = order["purchase_units"][0]
            capture_id = unit["payments"]["captures"][0]["id"]
            currency = unit["amount"]["currency_code"]
            refund = self.disclose(
                "captures.refund",
                subject_key,
                {"amount": amount},
                lambda sent: self.client.call(
                    "POST",
                    f"/v2/payments/captures/{capture_id}/refund",
                    {
                        "amount": {
                            "value": to_value(sent["amount"], currency),
                            "currency_code": currency,
                        }
                    },
                    request_id=f"{key}-refund",
                ),
            )
        except (PaymentError, KeyError, IndexError) as error:
            return RefundResult("", 0, False, f"PayPal did not refund: {error}")
        refunded = to_minor(refund["amount"]["value"], refund["amount"]["currency_code"])
        return RefundResult(
            str(refund["id"]), refunded, refund["status"] in ("COMPLETED", "PENDING")
        )

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        refusal = self.settings.webhook_refusal()
        if refusal:
            raise NotConfigured(refusal)
        try:
            event = json.loads(body)
            transmission = {name: headers[header] for name, header in WEBHOOK_HEADERS.items()}
        except (ValueError, KeyError) as error:
            raise InvalidWebhook(
                "Not a PayPal webhook: body or transmission headers missing."
            ) from error
        answer = self.client.call(
            "POST",
            "/v1/notifications/verify-webhook-signature",
            {**transmission, "webhook_id": self.settings.webhook_id, "webhook_event": event},
        )
        if answer.get("verification_status") != "SUCCESS":
            raise InvalidWebhook("PayPal did not verify the webhook's signature.")
        kind = str(event.get("event_type", ""))
        if kind == "CHECKOUT.ORDER.APPROVED":  # approved, not captured: the shop captures it
            order_id = str((event.get("resource") or {}).get("id", ""))
            return Event(str(event.get("id", "")), kind, intent_id=order_id, completes=True)
        if kind != "PAYMENT.CAPTURE.COMPLETED":
            return Event(str(event.get("id", "")), kind)
        resource = event.get("resource") or {}
        amount = resource.get("amount") or {}
        related = (resource.get("supplementary_data") or {}).get("related_ids") or {}
        return Event(
            str(event["id"]),
            kind,
            intent_id=str(related.get("order_id", "")),
            succeeded=resource.get("status") == "COMPLETED",
            amount=to_minor(amount["value"], amount["currency_code"]) if amount else None,
            reference=str(resource.get("custom_id", "")),
        )

    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        """Delete a vaulted payment token at PayPal (erasure); False if PayPal no longer has it."""
        try:
            self.disclose(
                "vault.payment_tokens.delete",
                subject_key,
                {},
                lambda _fields: self.client.call(
                    "DELETE", f"/v3/vault/payment-tokens/{customer_id}"
                ),
                purpose=outbound.ERASURE,
            )
        except PayPalError as error:
            if error.status == 404:
                return False
            raise
        return True
