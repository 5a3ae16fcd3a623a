"""Paying for an order in the example shop: the pay page, its endpoints, the admin's refund, and a
scan of everything the shop stored, logged or sent for card numbers and security codes."""

import logging
import re

import pytest
from django.test import Client
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.payments import gateways, testing, transport
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Disclosure, Payment

pytestmark = pytest.mark.django_db

VISA = "4242424242424242"
DECLINED = "4000000000000341"
CVC = "739"


@pytest.fixture
def local_stripe(settings) -> stripe_testing.LocalStripe:
    server = stripe_testing.local_stripe()
    settings.JSG_PRIVACY_STRIPE = server.settings()
    return server


@pytest.fixture
def placed(client, product, checkout_data) -> Order:
    """An order of 2 x £129.00 placed by ``client``'s session, as a guest."""
    client.post(reverse("cart:add", args=[product.pk]), {"quantity": "2"})
    client.post(reverse("orders:checkout"), checkout_data)
    return Order.objects.get()


def pay_url(order: Order, name: str = "pay", gateway: str = "stripe") -> str:
    args = [order.reference] if name == "pay" else [order.reference, gateway]
    return reverse(f"jsg_privacy:payments:{name}", args=args)


def charge(client: Client, order: Order, number: str, cvc: str = "123", **extra: str):
    """What the pay page's script does: prepare the payment, confirm the card with Stripe (here:
    localstripe, as Stripe.js would), then ask the shop to confirm. The shop's last answer."""
    prepared = client.post(pay_url(order, "prepare"), extra)
    if prepared.json()["status"] != "requires_action":
        return prepared
    stripe_testing.local_stripe().confirm_card(prepared.json()["client_secret"], number, cvc=cvc)
    return client.post(pay_url(order, "confirm"))


def test_the_confirmation_offers_to_pay_by_card(client, placed):
    response = client.get(placed.get_confirmation_url())

    assert "Awaiting payment" in response.text
    assert f'href="{pay_url(placed)}"' in response.text
    assert ">Pay £258.00</a>" in response.text
    assert "by card or with PayPal" in response.text


def test_the_pay_page_is_for_the_session_that_placed_the_order_or_its_customer(
    client, placed, customer, customer_client
):
    assert client.get(pay_url(placed)).status_code == 200
    assert Client().get(pay_url(placed)).status_code == 404
    assert customer_client.get(pay_url(placed)).status_code == 404  # someone else's order
    assert Client().post(pay_url(placed, "charge"), {"token": "tok_abcd"}).status_code == 404
    placed.user = customer
    placed.save()
    assert customer_client.get(pay_url(placed)).status_code == 200
    missing = reverse("jsg_privacy:payments:pay", args=["JSG-999999"])
    assert client.get(missing).status_code == 404


def test_the_pay_page_loads_stripe_js_and_never_has_a_card_field(client, placed, local_stripe):
    response = client.get(pay_url(placed))
    html = response.text

    assert "£258.00" in html
    assert f'<script src="{local_stripe.url}/js.stripe.com/v3/" defer></script>' in html
    assert 'data-publishable-key="pk_test_localstripe"' in html
    assert "payments-stripe.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script (CSP)
    assert not re.search(r"<input[^>]+name=\"[^\"]*(card|cvc|cvv|number)", html, re.I)
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_paying_with_a_test_card_marks_the_order_paid(client, placed, local_stripe):
    response = charge(client, placed, VISA)

    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    assert response.json()["redirect"] == placed.get_confirmation_url()
    placed.refresh_from_db()
    assert placed.status == Order.Status.PAID
    assert placed.invoiced_at is not None
    page = client.get(placed.get_confirmation_url()).text
    assert "Paid £258.00 by" in page
    assert "Visa ending 4242" in page
    assert "Awaiting payment" not in page
    assert client.get(pay_url(placed)).url == placed.get_confirmation_url()


def test_a_tampered_amount_cannot_change_what_is_charged(client, placed, local_stripe):
    with transport.recording() as sent:
        response = charge(client, placed, VISA, amount="1", currency="usd", total="0.01")

    assert response.json()["status"] == "succeeded"
    payment = Payment.objects.get()
    intent = gateways.get("stripe").client.v1.payment_intents.retrieve(payment.intent_id)
    assert (intent.amount, intent.currency) == (25800, "gbp")
    assert ("amount", "25800") in sent[1].params
    assert all(("amount", "1") not in request.params for request in sent)


def test_a_declined_card_shows_why_and_the_order_can_be_paid_again(client, placed, local_stripe):
    response = charge(client, placed, DECLINED)

    assert response.status_code == 402
    assert response.json() == {"status": "declined", "message": "Your card was declined."}
    placed.refresh_from_db()
    assert placed.status == Order.Status.AWAITING_PAYMENT
    assert client.get(pay_url(placed)).status_code == 200

    assert charge(client, placed, VISA).json()["status"] == "succeeded"


def test_3d_secure_is_completed_in_the_browser_then_confirmed(client, placed, local_stripe):
    prepared = client.post(pay_url(placed, "prepare")).json()
    assert prepared["status"] == "requires_action"
    intent_id = Payment.objects.get().intent_id
    assert prepared["intent_id"] == intent_id
    local_stripe.confirm_card(prepared["client_secret"], "4000002500003155")
    unfinished = client.post(pay_url(placed, "confirm"))  # the bank's check not passed yet
    assert unfinished.status_code == 402
    assert Payment.objects.get().status == Status.REQUIRES_ACTION

    local_stripe.authenticate(intent_id, prepared["client_secret"])  # Stripe.js's dialog
    confirmed = client.post(pay_url(placed, "confirm"))

    assert confirmed.json()["status"] == "succeeded"
    placed.refresh_from_db()
    assert placed.status == Order.Status.PAID
    assert "secret" not in str(list(Payment.objects.values()))


def test_a_failed_3d_secure_is_a_decline(client, placed, local_stripe):
    prepared = client.post(pay_url(placed, "prepare")).json()
    local_stripe.confirm_card(prepared["client_secret"], "4000002500003155")
    local_stripe.authenticate(prepared["intent_id"], prepared["client_secret"], success=False)

    confirmed = client.post(pay_url(placed, "confirm"))

    assert confirmed.status_code == 402
    assert confirmed.json()["message"] == "The provided PaymentMethod has failed authentication."
    assert Payment.objects.get().status == Status.DECLINED
    placed.refresh_from_db()
    assert placed.status == Order.Status.AWAITING_PAYMENT


def test_a_paid_order_is_not_charged_again(client, placed, local_stripe):
    charge(client, placed, VISA)

    again = charge(client, placed, VISA)

    assert again.status_code == 409
    assert again.json()["status"] == "paid"
    assert Payment.objects.count() == 1


def test_stripe_takes_no_token_and_a_confirmation_names_no_payment(client, placed, local_stripe):
    with transport.recording() as sent:
        for token in ["", "pi_123", "tok_visa", "pm_card_visa"]:
            response = client.post(pay_url(placed, "charge"), {"token": token})
            assert response.status_code == 400
            assert response.json()["status"] == "invalid"
        nothing_waiting = client.post(pay_url(placed, "confirm"), {"intent_id": "pi_123"})
    assert nothing_waiting.status_code == 404
    assert sent == []
    assert not Payment.objects.exists()


def test_the_charge_endpoint_needs_the_csrf_token(placed, local_stripe):
    owner = Client(enforce_csrf_checks=True)
    owner.cookies["sessionid"] = _session_with(placed)
    assert owner.get(pay_url(placed)).status_code == 200

    response = owner.post(pay_url(placed, "prepare"))

    assert response.status_code == 403
    assert not Payment.objects.exists()


def _session_with(order: Order) -> str:
    from django.contrib.sessions.backends.db import SessionStore

    from example_shop.orders.views import PLACED_ORDERS_SESSION_KEY

    session = SessionStore()
    session[PLACED_ORDERS_SESSION_KEY] = [str(order.public_id)]
    session.save()
    return session.session_key


@pytest.mark.parametrize(
    "data",
    [{"card_number": "4242 4242 4242 4242", "cvc": CVC}, {"token": "4242-4242-4242-4242"}],
    ids=["card fields", "card number as the token"],
)
def test_a_card_number_posted_to_the_shop_is_refused(client, placed, local_stripe, data):
    with transport.recording() as sent:
        response = client.post(pay_url(placed, "charge"), data)

    assert response.status_code == 400
    assert "4242" not in response.text
    assert sent == []
    assert not Payment.objects.exists()


def test_staff_refund_from_the_admin(client, placed, local_stripe, admin_client):
    charge(client, placed, VISA)
    payment = Payment.objects.get()
    changelist = reverse("admin:jsg_privacy_payment_changelist")

    assert admin_client.get(changelist).status_code == 200
    order_page = admin_client.get(reverse("admin:orders_order_change", args=[placed.pk]))
    assert f'{changelist}?q={placed.reference}"' in order_page.text
    assert admin_client.get(f"{changelist}?q={placed.reference}").status_code == 200
    assert (
        admin_client.get(f"{changelist}?q=amelia.hughes@example.co.uk").context["cl"].result_count
        == 1
    )
    page = admin_client.get(reverse("admin:jsg_privacy_payment_change", args=[payment.pk]))
    assert "Visa ending 4242" in page.text
    assert admin_client.get(reverse("admin:jsg_privacy_payment_add")).status_code == 403
    response = admin_client.post(
        changelist, {"action": "refund", "_selected_action": [payment.pk]}, follow=True
    )

    assert "1 payment refunded." in response.text
    payment.refresh_from_db()
    assert payment.status == Status.REFUNDED
    assert payment.refund_id.startswith("re_")
    placed.refresh_from_db()
    assert placed.status == Order.Status.CANCELLED
    log = reverse("admin:jsg_privacy_disclosure_changelist")
    assert "refunds.create" in admin_client.get(log).text
    disclosure = Disclosure.objects.first()
    change = reverse("admin:jsg_privacy_disclosure_change", args=[disclosure.pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:jsg_privacy_webhookevent_changelist")).status_code == 200


def test_staff_without_the_refund_permission_cannot_refund(client, placed, local_stripe):
    from django.contrib.auth.models import Permission, User

    charge(client, placed, VISA)
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_payment"))
    staff = Client()
    staff.force_login(clerk)
    changelist = reverse("admin:jsg_privacy_payment_changelist")

    response = staff.post(changelist, {"action": "refund", "_selected_action": [1]}, follow=True)

    assert response.status_code == 200
    assert Payment.objects.get().status == Status.SUCCEEDED


def test_nothing_stored_logged_or_sent_holds_a_card_number_or_security_code(
    client, placed, local_stripe, caplog
):
    """The leak scan, without a browser: the card goes to localstripe as Stripe.js sends it."""
    caplog.set_level(logging.DEBUG)
    with transport.recording() as sent:
        charge(client, placed, DECLINED, cvc=CVC)
        charge(client, placed, VISA, cvc=CVC)
        client.get(placed.get_confirmation_url())

    placed.refresh_from_db()
    assert placed.status == Order.Status.PAID
    assert len(sent) == 8  # customer, intent, intent and card read back: declined, then paid
    assert testing.card_data_in(testing.database_dump(), (CVC,)) == []
    assert testing.card_data_in(caplog.text, (CVC,)) == []
    for request in sent:
        assert testing.card_data_in(request.url + "\n" + request.body, (CVC,)) == []
