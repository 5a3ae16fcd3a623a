"""The shop's side of payments: what an order owes and what happens when it is paid.

Subclass :class:`PaymentAdapter` and name it in ``JSG_PRIVACY_PAYMENT_ADAPTER``, the way allauth's
account adapter is chosen::

    class OrderPaymentAdapter(PaymentAdapter):
        def get_payable(self, request, reference):
            order = Order.objects.filter(reference=reference, user=request.user).first()
            if order is None:
                return None
            return Payable(order.reference, amount=order.total_pence, currency="gbp", ...)

        def mark_paid(self, reference, payment):
            Order.objects.filter(reference=reference, status="awaiting_payment").update(status="paid")

The amount always comes from here, on the server: nothing the browser sends can change it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils.module_loading import import_string

from jsg_privacy.conf import app_settings
from jsg_privacy.payments.base import Payable

if TYPE_CHECKING:
    from jsg_privacy.payments.models import Payment


class PaymentAdapter:
    """Override :meth:`get_payable` and :meth:`mark_paid`; the rest has sensible defaults."""

    def get_payable(self, request: HttpRequest, reference: str) -> Payable | None:
        """What the order ``reference`` owes, or ``None`` if it does not exist or is not this
        visitor's to pay (the pay page then answers 404). Check ownership here: the session that
        placed the order, or its signed-in customer."""
        raise NotImplementedError("A payment adapter must implement get_payable().")

    def mark_paid(self, reference: str, payment: Payment) -> None:
        """The order was paid (called once per payment, in the transaction that records it)."""
        raise NotImplementedError("A payment adapter must implement mark_paid().")

    def mark_refunded(self, reference: str, payment: Payment) -> None:
        """Staff refunded the payment. Does nothing by default."""

    def payment_url(self, reference: str) -> str:
        """Where the customer pays for ``reference``: jsg_privacy's pay page by default."""
        return reverse("jsg_privacy:payments:pay", args=[reference])


def get_adapter() -> PaymentAdapter:
    """An instance of the class named by ``JSG_PRIVACY_PAYMENT_ADAPTER``."""
    path = app_settings.PAYMENT_ADAPTER
    if not path:
        raise ImproperlyConfigured(
            "Set JSG_PRIVACY_PAYMENT_ADAPTER to the dotted path of your PaymentAdapter subclass."
        )
    adapter_class = import_string(path)
    if not (isinstance(adapter_class, type) and issubclass(adapter_class, PaymentAdapter)):
        raise ImproperlyConfigured(f"{path} is not a jsg_privacy.payments.adapter.PaymentAdapter.")
    return adapter_class()
