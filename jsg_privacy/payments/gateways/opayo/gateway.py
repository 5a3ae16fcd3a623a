"""The Opayo gateway (Elavon's Opayo Pi, formerly SagePay) with the drop-in checkout: tokens only.

1. The pay page gets a **merchant session key** from Opayo (``POST /merchant-session-keys``, the
   vendor name only: no personal data) and gives it to Opayo's drop-in checkout script.
2. **In the browser**, the drop-in sends the card to Opayo with that key and gets a single-use
   **card identifier**; the page posts ``<merchant session key>:<card identifier>`` to the shop.
3. **Charge** (server): ``POST /transactions`` (``Payment``) for the amount the shop computed, with
   what Opayo requires besides — the payer's name and billing address, declared for Opayo — and
   the order reference in ``description``. Opayo answers at once: ``Ok`` paid, ``NotAuthed`` or
   ``Rejected`` declined, with the card's type, last four digits and expiry.

Refunds are ``Refund`` transactions referring to the payment. The card identifier is single-use and
not saved (``save`` is never set), so Opayo keeps no reusable token of the payer: erasure has no
token to delete there. Opayo Pi confirms payments in its answer and sends this integration no
payment notifications, so its webhook URL refuses everything. 3-D Secure challenges (``3DAuth``) are
not supported yet: such a payment fails with a clear message and the order stays payable.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django.core.checks import CheckMessage
from django.utils.translation import gettext_lazy as _

from jsg_privacy.payments.base import (
    CardDetails,
    Event,
    Gateway,
    InvalidWebhook,
    Payable,
    PaymentResult,
    RefundResult,
    Status,
)
from jsg_privacy.payments.gateways.opayo.client import OpayoSettings, make_api
from jsg_privacy.payments.http import JsonApi, ProviderRefused

RECIPIENT = "sagepay"
UUID = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
DECLINED = "Your card was declined."
UNUSABLE = "Your card details could not be used. Please enter them again."
CHALLENGE = (
    "Your bank asked for an extra check that we cannot take yet. Please pay another way: nothing "
    "was charged."
)
BILLING = {
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "postal_code": "postalCode",
    "country": "country",
}


class OpayoGateway(Gateway):
    name = "opayo"
    label = _("Card (Opayo)")
    settings_prefix = "OPAYO"
    recipient = RECIPIENT
    template_name = "jsg_privacy/payments/_opayo_dropin.html"
    token_pattern = rf"{UUID}:{UUID}"  # <merchant session key>:<card identifier>

    @classmethod
    def checks(cls, *, deploy: bool = False) -> list[CheckMessage]:
        from jsg_privacy.payments.gateways.opayo.checks import check

        return check(deploy=deploy)

    @cached_property
    def settings(self) -> OpayoSettings:
        return OpayoSettings.load()

    @cached_property
    def api(self) -> JsonApi:
        return make_api(self.settings)

    def _auth(self) -> tuple[str, str]:
        return (self.settings.integration_key, self.settings.integration_password)

    def ensure_configured(self) -> None:
        self.settings  # noqa: B018 -- loading the settings raises NotConfigured

    def client_config(self, payable: Payable) -> dict[str, str]:
        """A fresh merchant session key (valid 400 seconds, for 3 card attempts) and the script."""
        answer = self.api.request(
            "POST",
            "/merchant-session-keys",
            json_body={"vendorName": self.settings.vendor_name},
            auth=self._auth(),
        )
        return {
            "merchant_session_key": answer["merchantSessionKey"],
            "js_url": self.settings.js_url(),
        }

    def charge(self, payable: Payable, token: str, *, subject_key: str, key: str) -> PaymentResult:
        session_key, _, card_identifier = token.partition(":")
        fields: dict[str, Any] = {
            "amount": payable.amount,
            "currency": payable.currency,
            "order_reference": payable.reference,
            "payment_method": card_identifier,
            "billing_name": (
                payable.billing.get("first_name", ""),
                payable.billing.get("last_name", ""),
            ),
            "billing_address": {
                BILLING[k]: v for k, v in payable.billing.items() if k in BILLING and v
            },
        }

        def pay(sent: dict[str, Any]) -> Any:
            first, last = sent["billing_name"]
            body = {
                "transactionType": "Payment",
                "paymentMethod": {
                    "card": {
                        "merchantSessionKey": session_key,
                        "cardIdentifier": sent["payment_method"],
                    }
                },
                "vendorTxCode": _vendor_code(key),
                "amount": sent["amount"],
                "currency": sent["currency"].upper(),
                "description": f"Order {sent['order_reference']}",
                "customerFirstName": first,
                "customerLastName": last,
                "billingAddress": sent["billing_address"],
                "entryMethod": "Ecommerce",
                "apply3DSecure": "UseMSPSetting",
            }
            return self.api.request("POST", "/transactions", json_body=body, auth=self._auth())

        try:
            answer = self.disclose("transactions.payment", subject_key, fields, pay)
        except ProviderRefused as error:
            return PaymentResult(
                Status.FAILED, message=UNUSABLE if error.status == 422 else DECLINED
            )
        return self._result(answer)

    def _result(self, answer: Mapping[str, Any]) -> PaymentResult:
        card = (answer.get("paymentMethod") or {}).get("card") or {}
        expiry = str(card.get("expiryDate", ""))
        details = CardDetails(
            str(card.get("cardType", "")),
            str(card.get("lastFourDigits", "")),
            int(expiry[:2]) if len(expiry) == 4 else None,
            2000 + int(expiry[2:]) if len(expiry) == 4 else None,
        )
        status = answer.get("status")
        amount = (answer.get("amount") or {}).get("totalAmount")
        transaction_id = str(answer.get("transactionId", ""))
        if status == "Ok":
            return PaymentResult(Status.SUCCEEDED, transaction_id, card=details, amount=amount)
        if status == "3DAuth":
            return PaymentResult(Status.FAILED, transaction_id, card=details, message=CHALLENGE)
        return PaymentResult(Status.DECLINED, transaction_id, card=details, message=DECLINED)

    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        answer = self.disclose(
            "transactions.retrieve",
            subject_key,
            {},
            lambda _fields: self.api.request(
                "GET", f"/transactions/{intent_id}", auth=self._auth()
            ),
        )
        return self._result(answer)

    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        def refund(sent: dict[str, Any]) -> Any:
            body = {
                "transactionType": "Refund",
                "referenceTransactionId": intent_id,
                "vendorTxCode": _vendor_code(key),
                "amount": sent["amount"],
                "description": "Refund",
            }
            return self.api.request("POST", "/transactions", json_body=body, auth=self._auth())

        try:
            answer = self.disclose("transactions.refund", subject_key, {"amount": amount}, refund)
        except ProviderRefused as error:
            return RefundResult("", 0, False, f"Opayo did not refund: {error.issue}")
        ok = answer.get("status") == "Ok"
        return RefundResult(str(answer.get("transactionId", "")), amount if ok else 0, ok)

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        raise InvalidWebhook(
            "Opayo Pi sends this integration no payment notifications: payments are confirmed in "
            "Opayo's answer to the transaction."
        )

    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        """Opayo keeps no reusable token of these payments (card identifiers are single-use and
        never saved): there is nothing to delete at Opayo."""
        return False


def _vendor_code(key: str) -> str:
    """Opayo's ``vendorTxCode``: unique per transaction, at most 40 characters of ``A-Za-z0-9-_.{}``."""
    return re.sub(r"[^A-Za-z0-9_.{}-]", "", key)[:40]
