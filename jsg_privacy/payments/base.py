"""The payment gateway contract. A provider is one module (or package) with one :class:`Gateway`
subclass, its settings, its checks and its test double (``jsg_privacy/payments/gateways/``).

The shop lists the gateways it offers in ``JSG_PRIVACY_PAYMENT_GATEWAYS``; each payment keeps the
name of the gateway it was made with (:mod:`jsg_privacy.payments.gateways`). A gateway never sees
card numbers: the browser hands the card to the provider's own script or page. A gateway works in
one of two ways:

- **token in** (:attr:`Gateway.prepares` false): the provider's script returns a token and the
  server charges it (:meth:`Gateway.charge`) for an amount it computed itself (:class:`Payable`);
- **prepared** (:attr:`Gateway.prepares` true): the server first creates the payment at the provider
  for that amount (:meth:`Gateway.prepare`: a Stripe PaymentIntent, a PayPal order), the browser
  completes it with the provider (card, 3-D Secure, approval), and the server asks the provider how
  it ended (:meth:`Gateway.confirm`).

Everything a gateway sends to its provider goes through :func:`jsg_privacy.payments.outbound.send`,
which refuses fields the registry does not declare for the provider and logs each disclosure. See
``docs/payments.md``.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.checks import CheckMessage

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

T = TypeVar("T")

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
    #: The payer's name and billing address, for providers that require them (Opayo): keys
    #: ``first_name``, ``last_name``, ``address1``, ``address2``, ``city``, ``postal_code``,
    #: ``country``. Sent only to a recipient declared for ``billing_name`` and ``billing_address``.
    billing: Mapping[str, str] = field(default_factory=dict)

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
    #: The customer finished with the provider (PayPal's ``CHECKOUT.ORDER.APPROVED``): the shop
    #: confirms the waiting payment now, as its page would have, should the page be closed.
    completes: bool = False


class Gateway(abc.ABC):
    """A payment provider. Subclasses are instantiated per use, with no arguments."""

    #: Stored with each payment ("stripe"): a slug, unique among the configured gateways.
    name: ClassVar[str]
    #: What the pay page calls this way of paying ("Card", "PayPal").
    label: ClassVar[StrOrPromise] = ""
    #: The ``JSG_PRIVACY_<prefix>`` of this gateway's own settings ("STRIPE"), if it has any.
    settings_prefix: ClassVar[str] = ""
    #: True when the payment is created on the server first (:meth:`prepare`), then completed in
    #: the browser and confirmed (:meth:`confirm`); false when the browser hands over a token that
    #: the server charges (:meth:`charge`).
    prepares: ClassVar[bool] = False
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

    def disclose(
        self,
        operation: str,
        subject_key: str,
        fields: Mapping[str, Any],
        transmit: Callable[[dict[str, Any]], T],
        purpose: str = "",
    ) -> T:
        """Send ``fields`` to this gateway's provider through the outbound allowlist: refused
        unless declared for :attr:`recipient`, logged as a disclosure, then ``transmit(fields)``.
        ``purpose`` defaults to providing the service (``"erasure"`` for a deletion)."""
        from jsg_privacy.inventory import PROVIDE_SERVICE
        from jsg_privacy.payments import outbound

        return outbound.send(
            self.recipient,
            purpose or PROVIDE_SERVICE,
            subject_key,
            fields,
            operation=operation,
            transmit=transmit,
        )

    @classmethod
    def checks(cls, *, deploy: bool = False) -> list[CheckMessage]:
        """System-check messages about this gateway's settings (``deploy``: for ``check --deploy``).

        Run for each configured gateway, while payments are switched on."""
        return []

    @abc.abstractmethod
    def client_config(self, payable: Payable) -> dict[str, str]:
        """What the browser's script needs (a publishable key, a script URL); never a secret."""

    def charge(self, payable: Payable, token: str, *, subject_key: str, key: str) -> PaymentResult:
        """Token-in gateways: charge ``payable.amount`` to the card behind ``token`` and confirm.

        A decline is a result (``Status.DECLINED`` with the provider's message), not an exception;
        :class:`PaymentError` means the provider could not be asked. ``key`` is unique per attempt
        (an idempotency key); ``subject_key`` is logged with every disclosure.
        """
        raise NotImplementedError(f"{type(self).__name__} prepares payments; it takes no token.")

    def prepare(self, payable: Payable, *, subject_key: str, key: str) -> PaymentResult:
        """Prepared gateways: create the payment at the provider for ``payable.amount``.

        Returns ``Status.REQUIRES_ACTION`` with the provider's id (``intent_id``) and what the
        browser needs to complete it (``client_secret``: given to the browser once, never stored).
        """
        raise NotImplementedError(f"{type(self).__name__} takes a token; it prepares nothing.")

    def resume(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        """A prepared payment the customer has not completed yet, offered to the browser again (a
        second tab, a reload) instead of preparing a second one that could be paid too."""
        return PaymentResult(Status.REQUIRES_ACTION, intent_id=intent_id)

    @abc.abstractmethod
    def confirm(self, intent_id: str, *, subject_key: str) -> PaymentResult:
        """The state of a payment after the customer acted in the browser (3-D Secure, approval);
        a prepared gateway completes the payment here if the provider needs the server to (PayPal's
        capture)."""

    @abc.abstractmethod
    def refund(self, intent_id: str, amount: int, *, subject_key: str, key: str) -> RefundResult:
        """Refund ``amount`` of a succeeded payment."""

    @abc.abstractmethod
    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> Event:
        """Verify a webhook's signature and read it; raise :class:`InvalidWebhook` if it is forged."""

    @abc.abstractmethod
    def delete_customer(self, customer_id: str, *, subject_key: str) -> bool:
        """Delete the provider's customer record (erasure, Art. 17 and 19); False if already gone."""
