"""A payment gateway for host shops' tests: no provider, no network, outcomes chosen by the token.

Like django-axes' test handler, it lets a shop's own test suite pay, decline, refund and erase
through jsg_privacy's real payment code — the adapter, the allowlist and disclosure log, the
paid-once guarantee, the webhook's signature check — without a provider::

    # test settings
    JSG_PRIVACY_PAYMENT_GATEWAYS = ["jsg_privacy.payments.gateways.dummy.DummyGateway"]
    JSG_PRIVACY_DUMMY_GATEWAY = True  # it takes no money: refused otherwise with DEBUG off

    # a privacy.py loaded in tests
    privacy.add(dummy.RECIPIENT)

    # a test
    payment, result = charges.pay(payable, "dummy_ok")

Tokens: ``dummy_ok…`` pays, ``dummy_declined…`` is declined, ``dummy_down…`` behaves as a provider
that cannot be reached. Its "provider" is :data:`PROVIDER`, a dict in this process; its webhooks
are JSON signed with HMAC-SHA256 under a key derived from ``SECRET_KEY``
(:func:`signed_webhook` makes one). ``check --deploy`` refuses it (``jsg_privacy.E065``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from jsg_privacy.inventory import PROVIDE_SERVICE, TRANSACTION
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
from jsg_privacy.registry import Recipient, RecipientKind

SETTING = "JSG_PRIVACY_DUMMY_GATEWAY"
SIGNATURE_HEADER = "Dummy-Signature"

RECIPIENT = Recipient(
    "dummy",
    "Dummy payment provider (tests only)",
    RecipientKind.PAYMENT_PROVIDER,
    "GB",
    (TRANSACTION,),
    purposes=(PROVIDE_SERVICE,),
    fields=("amount", "currency", "payment_method", "order_reference"),
    description=_("Takes no payment: used by the shop's automated tests."),
    notifier="jsg_privacy.payments.notifier.PaymentNotifier",
)

#: The pretend provider's records: ``{"payments": {id: {...}}, "customers": {id: {...}}}``.
PROVIDER: dict[str, dict[str, dict[str, Any]]] = {"payments": {}, "customers": {}}


def reset() -> None:
    """Forget every payment and customer the pretend provider holds."""
    for records in PROVIDER.values():
        records.clear()


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


class DummyGateway(Gateway):
    name = "dummy"
    label = _("Test payment")
    settings_prefix = "DUMMY_GATEWAY"
    recipient = RECIPIENT.key
    template_name = "jsg_privacy/payments/_dummy_form.html"
    token_pattern = r"dummy_[a-z0-9_]{1,64}"  # noqa: S105 (a pattern)

    @classmethod
    def checks(cls, *, deploy: bool = False) -> list[CheckMessage]:
        if not deploy:
            return []
        return [
            Error(
                "The dummy payment gateway is configured: it marks orders paid without taking "
                "any money.",
                hint="Use it in test settings only; list a real gateway in "
                "JSG_PRIVACY_PAYMENT_GATEWAYS.",
                id="jsg_privacy.E065",
            )
        ]

    def ensure_configured(self) -> None:
        if not (settings.DEBUG or getattr(settings, SETTING, False) is True):
            raise NotConfigured(
                f"The dummy payment gateway takes no money: it is refused with DEBUG off unless "
                f"a test suite sets {SETTING} = True."
            )

    def client_config(self, payable: Payable) -> dict[str, str]:
        return {}

    def charge(self, payable: Payable, token: str, *, subject_key: str, key: str) -> PaymentResult:
        self.ensure_configured()
        if token.startswith("dummy_down"):
            raise PaymentError("The dummy provider is down (as asked by the token).")
        customer = _new_id("dcus")
        fields = {
            "amount": payable.amount,
            "currency": payable.currency,
            "payment_method": token,
            "order_reference": payable.reference,
        }
        sent = self.disclose("payments.create", subject_key, fields, lambda data: data)
        PROVIDER["customers"][customer] = {"payment_method": token}
        intent = _new_id("dpay")
        declined = token.startswith("dummy_declined")
        PROVIDER["payments"][intent] = {
            **sent,
            "customer": customer,
            "status": "declined" if declined else "succeeded",
        }
        return PaymentResult(
            Status.DECLINED if declined else Status.SUCCEEDED,
            intent_id=intent,
            customer_id=customer,
            payment_method_id=f"dpm_{hashlib.sha256(token.encode()).hexdigest()[:12]}",
            card=CardDetails("Dummy", "0000", 12, 2030),
            amount=payable.amount,
            message="Your card was declined." if declined else "",
        )

    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        record = PROVIDER["payments"].get(intent_id)
        if record is None:
            raise PaymentError("The dummy provider has no such payment.")
        succeeded = record["status"] == "succeeded"
        return PaymentResult(
            Status.SUCCEEDED if succeeded else Status.DECLINED,
            intent_id=intent_id,
            amount=record["amount"],
        )

    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        record = PROVIDER["payments"].get(intent_id)
        if record is None or record["status"] != "succeeded":
            return RefundResult("", 0, False, "The dummy provider has no paid payment of that id.")
        self.disclose("refunds.create", subject_key, {"amount": amount}, lambda data: data)
        record["status"] = "refunded"
        return RefundResult(_new_id("dref"), amount, True)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        self.ensure_configured()
        given = headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given, signature(body)):
            raise InvalidWebhook("The signature does not match the body.")
        try:
            event = json.loads(body)
            return Event(
                str(event["id"]),
                str(event["type"]),
                intent_id=str(event.get("intent_id", "")),
                succeeded=event["type"] == "payment.succeeded",
                amount=event.get("amount"),
                reference=str(event.get("reference", "")),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidWebhook("The body is not a dummy event.") from error

    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        self.disclose("customers.delete", subject_key, {}, lambda data: data, outbound.ERASURE)
        return PROVIDER["customers"].pop(customer_id, None) is not None


def signature(body: bytes) -> str:
    """The dummy provider's signature of a webhook body."""
    return salted_hmac("jsg_privacy.payments.gateways.dummy", body, algorithm="sha256").hexdigest()


def signed_webhook(event: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """``(body, headers)`` of a webhook from the dummy provider, e.g. ``{"id": "evt_1", "type":
    "payment.succeeded", "intent_id": "dpay_…", "amount": 25800, "reference": "JSG-…"}``."""
    body = json.dumps(event).encode()
    return body, {SIGNATURE_HEADER: signature(body)}
