"""The shop's payment adapter: what an order owes, who may pay it, and what paying changes.

jsg_privacy's pay page asks this adapter (``JSG_PRIVACY_PAYMENT_ADAPTER``) for the amount, so the
total charged is always the order's total as stored, never a figure from the browser.
"""

from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone

from example_shop.orders.models import Order
from example_shop.orders.views import can_view
from jsg_privacy.payments.adapter import PaymentAdapter
from jsg_privacy.payments.base import Payable
from jsg_privacy.payments.models import Payment

CURRENCY = "gbp"


def in_pence(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def billing_of(order: Order) -> dict[str, str]:
    """The name and billing address Opayo requires with a card payment (Stripe and PayPal get none)."""
    first, _, last = order.full_name.strip().rpartition(" ")
    return {
        "first_name": first or last,
        "last_name": last,
        "address1": order.billing_line1,
        "address2": order.billing_line2,
        "city": order.billing_town,
        "postal_code": order.billing_postcode,
        "country": order.billing_country,
    }


class OrderPaymentAdapter(PaymentAdapter):
    def get_payable(self, request: HttpRequest, reference: str) -> Payable | None:
        order = Order.objects.filter(reference=reference).first()
        if order is None or not can_view(request, order):
            return None
        return Payable(
            reference=order.reference,
            amount=in_pence(order.total),
            currency=CURRENCY,
            description=", ".join(str(line) for line in order.lines.all()),
            user_id=order.user_id,
            email=order.email,
            due=order.status == Order.Status.AWAITING_PAYMENT and order.total > 0,
            return_url=order.get_confirmation_url(),
            billing=billing_of(order),
        )

    def mark_paid(self, reference: str, payment: Payment) -> None:
        """Paid orders are invoiced at once, as staff's "mark paid" action does."""
        Order.objects.filter(reference=reference, status=Order.Status.AWAITING_PAYMENT).update(
            status=Order.Status.PAID, invoiced_at=payment.paid_at or timezone.now()
        )

    def mark_refunded(self, reference: str, payment: Payment) -> None:
        """A refunded order that has not been dispatched is cancelled."""
        Order.objects.filter(reference=reference, status=Order.Status.PAID).update(
            status=Order.Status.CANCELLED
        )
