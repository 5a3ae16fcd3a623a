"""Stripe's webhook: verified by signature, applied once, never trusted for a different amount."""

import time

import pytest
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.payments import charges, gateways
from jsg_privacy.payments.base import PaymentError, Status
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Payment, WebhookEvent
from jsg_privacy.payments.signals import payment_succeeded
from tests.jsg_privacy.payments.conftest import TOTAL_PENCE, VISA, pay_by_card

URL = "/privacy/payments/webhook/stripe/"


@pytest.fixture
def waiting(local_stripe, payable):
    """A payment whose confirmation the customer's request never recorded (the browser closed)."""
    payment = charges.start(payable, gateways.get("stripe"))
    Payment.objects.filter(pk=payment.pk).update(intent_id="pi_waiting123")
    payment.refresh_from_db()
    return payment


def post(client, event, secret="", **kwargs):
    body, headers = stripe_testing.signed_webhook(event, secret, **kwargs)
    return client.post(URL, body, content_type="application/json", headers=headers)


def succeeded(intent_id="pi_waiting123", amount=TOTAL_PENCE, **kwargs):
    return stripe_testing.payment_intent_event(intent_id, amount=amount, **kwargs)


@pytest.mark.django_db
def test_the_webhook_url_is_stable():
    assert reverse("jsg_privacy:payments:webhook", args=["stripe"]) == URL


@pytest.mark.django_db
def test_payment_intent_succeeded_pays_the_order(client, waiting, order):
    response = post(client, succeeded())

    assert response.status_code == 200
    assert response.text == "paid"
    waiting.refresh_from_db()
    assert waiting.status == Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forge",
    [
        {"secret": "whsec_someone_else"},
        {"timestamp": int(time.time()) - 3600},  # outside Stripe's 5-minute tolerance
    ],
    ids=["wrong secret", "stale signature"],
)
def test_a_forged_signature_is_refused_and_changes_nothing(client, waiting, order, forge):
    response = post(client, succeeded(), **forge)

    assert response.status_code == 400
    waiting.refresh_from_db()
    assert waiting.status == Status.PROCESSING
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert not WebhookEvent.objects.exists()


@pytest.mark.django_db
def test_an_unsigned_or_tampered_body_is_refused(client, waiting, order):
    body, headers = stripe_testing.signed_webhook(succeeded())
    tampered = body.replace(b"pi_waiting123", b"pi_other45678")

    assert client.post(URL, body, content_type="application/json").status_code == 400
    assert (
        client.post(URL, tampered, content_type="application/json", headers=headers).status_code
        == 400
    )
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


@pytest.mark.django_db
def test_a_replayed_webhook_does_not_pay_twice(client, waiting, order):
    paid = []
    payment_succeeded.connect(lambda sender, payment, **kw: paid.append(payment.pk), weak=False)
    event = succeeded(event_id="evt_once")

    first = post(client, event)
    order.refresh_from_db()
    invoiced_at = order.invoiced_at
    replay = post(client, event)
    other_event_same_payment = post(client, succeeded(event_id="evt_twice"))

    assert (first.text, replay.text, other_event_same_payment.text) == (
        "paid",
        "replayed",
        "already paid",
    )
    assert paid == [waiting.pk]
    order.refresh_from_db()
    assert order.invoiced_at == invoiced_at
    assert WebhookEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_webhook_for_another_amount_does_not_pay(client, waiting, order):
    response = post(client, succeeded(amount=1))

    assert response.status_code == 200
    waiting.refresh_from_db()
    assert waiting.status == Status.PROCESSING
    order.refresh_from_db()
    assert order.status == Order.Status.AWAITING_PAYMENT


@pytest.mark.django_db
def test_other_events_and_unknown_payments_are_acknowledged_and_ignored(client, waiting):
    failed = post(client, succeeded(kind="payment_intent.payment_failed"))
    unknown = post(client, succeeded(intent_id="pi_unknown999"))

    assert (failed.status_code, failed.text) == (200, "ignored")
    assert (unknown.status_code, unknown.text) == (200, "unknown payment")
    waiting.refresh_from_db()
    assert waiting.status == Status.PROCESSING


@pytest.mark.django_db
def test_an_event_that_overtakes_the_payment_request_is_sent_back_for_later(
    client, local_stripe, payable, order
):
    payment = charges.start(
        payable, gateways.get("stripe")
    )  # the request is still waiting for Stripe
    event = succeeded("pi_early", reference=order.reference, event_id="evt_early")

    early = post(client, event)

    assert early.status_code == 409  # Stripe resends it; by then the payment has its id
    assert not WebhookEvent.objects.exists()
    Payment.objects.filter(pk=payment.pk).update(intent_id="pi_early")
    assert post(client, event).text == "paid"


@pytest.mark.django_db
def test_a_payment_whose_confirmation_was_lost_is_paid_by_its_webhook(
    client, local_stripe, payable, order, settings
):
    """The card was charged in the browser but the shop could not reach Stripe to confirm it: the
    attempt keeps waiting with its id, and Stripe's webhook pays the order."""
    payment, prepared = charges.prepare(payable, gateways.get("stripe"))
    local_stripe.confirm_card(prepared.client_secret, VISA)
    working = settings.JSG_PRIVACY_STRIPE
    settings.JSG_PRIVACY_STRIPE = {**working, "api_base": "http://127.0.0.1:9"}

    with pytest.raises(PaymentError):
        charges.confirm(payment)
    payment.refresh_from_db()
    assert payment.status == Status.REQUIRES_ACTION
    assert payment.intent_id == prepared.intent_id

    settings.JSG_PRIVACY_STRIPE = working
    assert post(client, succeeded(payment.intent_id)).text == "paid"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_only_the_configured_gateway_has_a_webhook(client):
    body, headers = stripe_testing.signed_webhook(succeeded())
    response = client.post(
        "/privacy/payments/webhook/paypal/", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_a_signed_webhook_that_pays_after_3d_secure(local_stripe, live_server):
    """The customer passes 3-D Secure and closes the browser: Stripe's webhook pays the order."""
    from tests.jsg_privacy.payments.conftest import THREE_D_SECURE, make_order, payable_for

    order = make_order(guest_name="Amelia Hughes")
    payment, result = pay_by_card(local_stripe, payable_for(order), THREE_D_SECURE)
    assert payment.status == Status.REQUIRES_ACTION
    local_stripe.add_webhook(live_server.url + URL, events=["payment_intent.succeeded"])
    try:
        local_stripe.authenticate(result.intent_id, result.client_secret)  # what Stripe.js does
        deadline = time.monotonic() + 10
        while payment.status != Status.SUCCEEDED and time.monotonic() < deadline:
            time.sleep(0.1)
            payment.refresh_from_db()
    finally:
        local_stripe.remove_webhook()

    assert payment.status == Status.SUCCEEDED
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
