"""The Stripe backend against localstripe: tokens in, the server's amount charged, only ids kept."""

from datetime import timedelta

import pytest
import stripe
from django.utils import timezone

from example_shop.orders.models import Order
from jsg_privacy.crypto import subjects
from jsg_privacy.payments import charges, gateways, transport
from jsg_privacy.payments.base import PaymentError, Status
from jsg_privacy.payments.gateways.stripe import StripeGateway
from jsg_privacy.payments.gateways.stripe.client import StripeSettings
from jsg_privacy.payments.models import Disclosure, Payment
from jsg_privacy.payments.signals import payment_refunded, payment_succeeded
from tests.jsg_privacy.payments.conftest import (
    DECLINED_ON_CHARGE,
    THREE_D_SECURE,
    TOTAL_PENCE,
    VISA,
    make_order,
    pay_by_card,
    payable_for,
)

pytestmark = pytest.mark.django_db


def test_a_test_card_pays_the_order_and_only_ids_brand_last4_and_expiry_are_kept(
    local_stripe, order, payable
):
    paid = []
    payment_succeeded.connect(lambda sender, payment, **kw: paid.append(payment.pk), weak=False)

    payment, prepared = charges.prepare(payable, gateways.get("stripe"))
    assert prepared.status == Status.REQUIRES_ACTION
    assert prepared.client_secret.startswith(f"{prepared.intent_id}_secret_")
    assert payment.status == Status.REQUIRES_ACTION  # the browser's turn
    local_stripe.confirm_card(prepared.client_secret, VISA, exp_month=11, exp_year=2031)
    result = charges.confirm(payment)

    payment.refresh_from_db()
    assert result.status == Status.SUCCEEDED
    assert payment.status == Status.SUCCEEDED
    assert payment.intent_id == prepared.intent_id
    assert payment.customer_id.startswith("cus_")
    assert payment.payment_method_id.startswith("pm_")
    assert (payment.brand, payment.last4, payment.exp_month, payment.exp_year) == (
        "Visa",
        "4242",
        11,
        2031,
    )
    assert payment.card == "Visa ending 4242 (11/2031)"
    assert (payment.amount, payment.currency) == (TOTAL_PENCE, "gbp")
    assert payment.paid_at is not None
    assert paid == [payment.pk]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.invoiced_at == payment.paid_at
    intent = gateways.get("stripe").client.v1.payment_intents.retrieve(payment.intent_id)
    assert (intent.amount, intent.currency, intent.status) == (TOTAL_PENCE, "gbp", "succeeded")
    assert intent.metadata["order_reference"] == order.reference
    assert not any("secret" in str(value) for value in Payment.objects.values().get().values())


def test_a_declined_card_leaves_the_order_unpaid_and_payable_again(local_stripe, order, payable):
    declined, result = pay_by_card(local_stripe, payable, DECLINED_ON_CHARGE)

    assert result.status == Status.DECLINED
    assert declined.status == Status.DECLINED
    assert declined.failure_message == "Your card was declined."
    assert declined.intent_id.startswith("pi_")
    assert declined.last4 == "0341"
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT

    _paid, result = pay_by_card(local_stripe, payable_for(order), VISA)
    assert result.succeeded
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Payment.objects.filter(reference=order.reference).count() == 2


def test_a_page_that_never_confirmed_pays_nothing_and_is_offered_the_same_intent_again(
    local_stripe, order, payable
):
    first, prepared = charges.prepare(payable, gateways.get("stripe"))

    assert charges.confirm(first).status == Status.REQUIRES_ACTION  # no card given yet
    again, resumed = charges.prepare(payable_for(order), gateways.get("stripe"))  # another tab

    assert again.pk == first.pk
    assert resumed.client_secret == prepared.client_secret  # one intent: it cannot be paid twice
    assert Payment.objects.count() == 1
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_3d_secure_is_completed_by_the_cardholder_then_confirmed(local_stripe, order, payable):
    payment, result = pay_by_card(local_stripe, payable, THREE_D_SECURE)
    assert result.status == Status.REQUIRES_ACTION
    assert payment.status == Status.REQUIRES_ACTION

    local_stripe.authenticate(result.intent_id, result.client_secret)  # Stripe.js's dialog
    confirmed = charges.confirm(payment)

    assert confirmed.succeeded
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_a_failed_3d_secure_is_a_decline(local_stripe, order, payable):
    payment, result = pay_by_card(local_stripe, payable, THREE_D_SECURE)

    local_stripe.authenticate(result.intent_id, result.client_secret, success=False)
    confirmed = charges.confirm(payment)

    assert confirmed.status == Status.DECLINED
    assert confirmed.message == "The provided PaymentMethod has failed authentication."
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


def test_a_paid_order_cannot_be_paid_twice(local_stripe, order, payable):
    pay_by_card(local_stripe, payable, VISA)

    with pytest.raises(charges.AlreadyPaid):
        charges.prepare(payable_for(order), gateways.get("stripe"))
    with pytest.raises(charges.AlreadyPaid):  # even if the shop still said it was due
        charges.prepare(payable, gateways.get("stripe"))
    assert Payment.objects.filter(reference=order.reference).count() == 1


def test_a_second_attempt_while_one_is_processing_is_refused(local_stripe, payable):
    charges.start(payable, gateways.get("stripe"))

    with pytest.raises(charges.InProgress):
        charges.prepare(payable, gateways.get("stripe"))


def test_an_attempt_interrupted_long_ago_does_not_block_paying(local_stripe, payable):
    interrupted = charges.start(payable, gateways.get("stripe"))
    Payment.objects.filter(pk=interrupted.pk).update(created_at=timezone.now() - timedelta(hours=1))

    _payment, result = pay_by_card(local_stripe, payable, VISA)

    assert result.succeeded
    interrupted.refresh_from_db()
    assert interrupted.status == Status.FAILED


def test_an_unreachable_stripe_fails_the_attempt_and_the_order_stays_payable(
    settings, order, payable
):
    settings.JSG_PRIVACY_STRIPE = {"api_base": "http://127.0.0.1:9", "local_for_tests": True}

    with pytest.raises(PaymentError):
        charges.prepare(payable, gateways.get("stripe"))

    payment = Payment.objects.get()
    assert payment.status == Status.FAILED
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert payable_for(order).due


def test_staff_refund_by_payment_id(local_stripe, order, payable):
    payment, _ = pay_by_card(local_stripe, payable, VISA)
    refunded = []
    payment_refunded.connect(lambda sender, payment, **kw: refunded.append(payment.pk), weak=False)

    result = charges.refund(payment)

    assert result.succeeded
    assert result.refund_id.startswith("re_")
    assert result.amount == TOTAL_PENCE
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert payment.refund_id == result.refund_id
    assert refunded == [payment.pk]
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    again = charges.refund(payment)
    assert not again.succeeded


def test_a_signed_in_customers_payment_is_keyed_to_the_user(local_stripe, django_user_model):
    user = django_user_model.objects.create_user("priya", "priya.shah@example.co.uk", "x")
    order = make_order(user=user)

    payment, _ = pay_by_card(local_stripe, payable_for(order), VISA)

    assert payment.user == user
    assert payment.subject_key == subjects.for_user(user.pk)
    assert set(Disclosure.objects.values_list("subject_key", flat=True)) == {payment.subject_key}


def test_nothing_but_declared_fields_goes_to_stripe_from_the_shop(local_stripe, order, payable):
    allowed = {
        "amount",
        "currency",
        "metadata[order_reference]",
        "customer",  # Stripe's own ids, sent back to it
        "payment_intent",
        "payment_method_types[0]",
    }
    with transport.recording() as sent:
        payment, _ = pay_by_card(local_stripe, payable, VISA)
        charges.refund(payment)

    assert [(r.method, r.url.split("/v1/")[1].split("?")[0]) for r in sent] == [
        ("POST", "customers"),
        ("POST", "payment_intents"),
        ("GET", f"payment_intents/{payment.intent_id}"),
        ("GET", f"payment_methods/{payment.payment_method_id}"),
        ("POST", "refunds"),
    ]
    names = {name for request in sent for name, _value in request.params}
    assert names <= allowed
    everything = " ".join(request.url + request.body for request in sent)
    assert order.email.split("@")[0] not in everything
    assert "Amelia" not in everything
    assert order.billing_postcode.replace(" ", "+") not in everything
    assert "4242" not in everything


def test_localstripe_is_used_without_a_secret_key_and_real_stripe_with_one(settings):
    settings.DEBUG = True  # the demo: no keys at all
    settings.JSG_PRIVACY_STRIPE = {}
    local = StripeSettings.load()
    assert local.local
    assert local.api_base == "http://127.0.0.1:8420"
    assert local.js_url == "http://127.0.0.1:8420/js.stripe.com/v3/"
    assert local.webhook_secret == "whsec_localstripe"
    assert local.webhook_refusal() == ""

    settings.DEBUG = False  # a test suite's opt-in gets no public webhook secret
    settings.JSG_PRIVACY_STRIPE = {"local_for_tests": True}
    assert StripeSettings.load().local
    assert StripeSettings.load().webhook_secret == ""

    settings.JSG_PRIVACY_STRIPE = {
        "secret_key": "sk_test_123",
        "publishable_key": "pk_test_123",
        "webhook_secret": "whsec_123",
        "api_base": "",
    }
    real = StripeSettings.load()
    assert not real.local
    assert real.api_base == stripe.DEFAULT_API_BASE
    assert real.js_url == "https://js.stripe.com/v3/"
    assert StripeGateway().client_config(None) == {  # type: ignore[arg-type]
        "publishable_key": "pk_test_123",
        "js_url": "https://js.stripe.com/v3/",
    }
