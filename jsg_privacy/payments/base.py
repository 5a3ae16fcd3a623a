"""The payment gateway contract. A provider is one module with one :class:`Gateway` subclass.

The shop chooses it with ``JSG_PRIVACY_PAYMENT_GATEWAY`` (default: the Stripe backend). A gateway
never sees card numbers: the browser hands the card to the provider's own script, which returns a
token; the gateway charges that token for an amount the server computed (:class:`Payable`). Everything
a gateway sends to its provider goes through :func:`jsg_privacy.payments.outbound.send`, which refuses
fields the registry does not declare for the provider and logs each disclosure.

To add a provider (PayPal, Opayo), write ``jsg_privacy/payments/<provider>.py`` with a subclass that
sets :attr:`Gateway.name`, :attr:`Gateway.recipient` and :attr:`Gateway.template_name` and implements
the six abstract methods; see ``docs/payments.md``.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings

CURRENCY_SYMBOLS = {"gbp": "£", "eur": "€", "usd": "$"}


def format_amount(amount: int, currency: str) -> str:
    """``£258.00`` for 25800 pence; currencies without a symbol here as ``258.00 CHF``."""
    major = f"{amount // 100:,}.{amount % 100:02d}"
    symbol = CURRENCY_SYMBOLS.get(currency.lower())
    return f"{symbol}{major}" if symbol else f"{major} {currency.upper()}"


class PaymentError(Exception):
    """The provider could not be reached or refused the request for a reason that is not the card's.

    ``ids`` holds the provider's ids learnt before it failed (``{"intent_id": "pi_..."}``), so that a
    payment that went through after all is recognised when its webhook arrives.
    """

    def __init__(self, message: str, ids: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.ids = ids or {}


class InvalidWebhook(PaymentError):
    """A webhook whose signature does not verify, or whose body is not an event: answer 400."""


class NotConfigured(PaymentError):
    """The gateway lacks its secrets (or has only public stand-in ones with ``DEBUG`` off).

    Nothing is sent to the provider and no webhook is believed: the pay page and the charge answer
    503, a webhook 503 (the provider retries once the secrets are set). A system check says the same
    at start-up; the message names the setting, never a secret.
    """


class Status(StrEnum):
    """Where a payment attempt stands."""

    PROCESSING = "processing"
    REQUIRES_ACTION = "requires_action"
    SUCCEEDED = "succeeded"
    DECLINED = "declined"
    FAILED = "failed"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class Payable:
    """What an order owes, computed on the server by the shop's adapter; the browser never says.

    ``amount`` is in minor units (pence); ``currency`` is an ISO 4217 code in lower case.
    """

    reference: str
    amount: int
    currency: str
    description: str = ""
    #: Who pays: a user id for a signed-in customer, else the e-mail address given at checkout.
    user_id: Any = None
    email: str = ""
    #: False when the order is paid, cancelled or otherwise no longer payable.
    due: bool = True
    #: Where the customer goes once the order is paid.
    return_url: str = "/"
    #: Extra values for the provider's metadata; each key must be a field the recipient declares.
    metadata: Mapping[str, str] = field(default_factory=dict)

    @property
    def display_amount(self) -> str:
        return format_amount(self.amount, self.currency)


@dataclass(frozen=True)
class CardDetails:
    """The only card details a shop keeps: brand, last four digits and expiry."""

    brand: str = ""
    last4: str = ""
    exp_month: int | None = None
    exp_year: int | None = None


@dataclass(frozen=True)
class PaymentResult:
    """The outcome of :meth:`Gateway.charge` or :meth:`Gateway.confirm`.

    ``client_secret`` is set only when the customer must act (3-D Secure): it goes to the browser once
    and is never stored.
    """

    status: Status
    intent_id: str = ""
    payment_method_id: str = ""
    customer_id: str = ""
    card: CardDetails = CardDetails()
    amount: int | None = None
    message: str = ""
    client_secret: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status == Status.SUCCEEDED


@dataclass(frozen=True)
class RefundResult:
    refund_id: str
    amount: int
    succeeded: bool
    message: str = ""


@dataclass(frozen=True)
class Event:
    """A verified webhook event: ``kind`` is the provider's event type, ``intent_id`` what it is about."""

    event_id: str
    kind: str
    intent_id: str = ""
    succeeded: bool = False
    #: The amount the provider says was paid, and the order reference it carries, when it says.
    amount: int | None = None
    reference: str = ""


class Gateway(abc.ABC):
    """A payment provider. Subclasses are instantiated per use, with no arguments."""

    #: Stored with each payment ("stripe").
    name: ClassVar[str]
    #: Key of the provider's :class:`~jsg_privacy.registry.Recipient` in the registry: what it may receive.
    recipient: ClassVar[str]
    #: The template fragment that renders the card form (``jsg_privacy/payments/_<name>_form.html``).
    template_name: ClassVar[str]
    #: What a token from the provider's script looks like; anything else is refused unsent.
    token_pattern: ClassVar[str] = r"[A-Za-z0-9_-]{1,255}"  # noqa: S105 (a pattern)

    def accepts_token(self, token: str) -> bool:
        return re.fullmatch(self.token_pattern, token) is not None

    def ensure_configured(self) -> None:
        """Raise :class:`NotConfigured` if the gateway lacks its secrets; checked before a payment
        is recorded or the pay page is shown."""
        return  # a gateway with no secrets has nothing to check

    @abc.abstractmethod
    def client_config(self, payable: Payable) -> dict[str, str]:
        """What the browser's script needs (a publishable key, a script URL); never a secret."""

    @abc.abstractmethod
    def charge(self, payable: Payable, token: str, *, subject_key: str, key: str) -> PaymentResult:
        """Charge ``payable.amount`` to the card behind ``token`` and confirm the payment.

        A decline is a result (``Status.DECLINED`` with the provider's message), not an exception;
        :class:`PaymentError` means the provider could not be asked. ``key`` is unique per attempt
        (an idempotency key); ``subject_key`` is logged with every disclosure.
        """

    @abc.abstractmethod
    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        """The state of a payment after the customer acted in the browser (3-D Secure)."""

    @abc.abstractmethod
    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        """Refund ``amount`` of a succeeded payment."""

    @abc.abstractmethod
    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        """Verify a webhook's signature and read it; raise :class:`InvalidWebhook` if it is forged."""

    @abc.abstractmethod
    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        """Delete the provider's customer record (erasure, Art. 17 and 19); False if already gone."""


def get_gateway(path: str | None = None) -> Gateway:
    """The configured gateway (``JSG_PRIVACY_PAYMENT_GATEWAY``), or the one at ``path``."""
    gateway_class = import_string(path or app_settings.PAYMENT_GATEWAY)
    if not (isinstance(gateway_class, type) and issubclass(gateway_class, Gateway)):
        raise TypeError(f"{gateway_class!r} is not a jsg_privacy.payments.base.Gateway.")
    return gateway_class()
