"""A guest pays for an order in Debian's chromium through localstripe's Stripe.js stand-in, the
PaymentIntent confirmed in the browser: a declined card first, then 4242…; then nothing the shop
stored, logged or sent holds a card number or CVV."""

import logging
from decimal import Decimal
from urllib.parse import parse_qs

import pytest

from example_shop.factories import ProductFactory
from example_shop.orders.models import Order
from jsg_privacy.payments import testing, transport
from jsg_privacy.payments.base import Status
from jsg_privacy.payments.gateways.stripe import testing as stripe_testing
from jsg_privacy.payments.models import Disclosure, Payment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CVC = "739"
DECLINED = "4000 0000 0000 0341"
VISA = "4242 4242 4242 4242"
THREE_D_SECURE = "4000 0025 0000 3155"


@pytest.fixture
def local_stripe(settings) -> stripe_testing.LocalStripe:
    server = stripe_testing.local_stripe()
    settings.JSG_PRIVACY_STRIPE = server.settings()
    return server


def fill_card(page, number: str) -> None:
    """Type into the card element (localstripe's stand-in has one input per part of the card)."""
    card = page.locator("#jsg-payment-card")
    card.get_by_placeholder("number").fill(number.replace(" ", ""))
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("30")
    card.get_by_placeholder("cvc").fill(CVC)
    card.get_by_placeholder("postal_code").fill("SS143AE")


def posts_to_the_shop(page, live_server) -> list[str]:
    """The bodies of the POST requests the page sends to the shop, as they happen."""
    posted: list[str] = []
    page.on(
        "request",
        lambda request: (
            posted.append(request.post_data or "")
            if request.url.startswith(live_server.url) and request.method == "POST"
            else None
        ),
    )
    return posted


def leak_scan(sent, caplog_text: str, posted_to_shop: list[str]) -> None:
    """No card number or CVV in the database, the server's log, the requests to the providers or
    what the page posted to the shop."""
    assert testing.card_data_in(testing.database_dump(), (CVC,)) == []
    assert testing.card_data_in(caplog_text, (CVC,)) == []
    for request in sent:
        assert testing.card_data_in(f"{request.url}\n{request.body}", (CVC,)) == []
    for body in posted_to_shop:
        assert testing.card_data_in(body, (CVC,)) == []


def place_order(page) -> str:
    page.goto("/")
    page.get_by_role("link", name="EM340 Three-Phase MID Meter").click()
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Checkout").click()
    details = page.get_by_role("group", name="Your details")
    details.get_by_label("Full name").fill("Amelia Hughes")
    details.get_by_label("E-mail address").fill("amelia.hughes@example.co.uk")
    details.get_by_label("Phone number").fill("01268 773766")
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Address line 1").fill("12 Cranes Farm Road")
    billing.get_by_label("Town or city").fill("Basildon")
    billing.get_by_label("Postcode").fill("SS14 3AE")
    page.get_by_role("button", name="Place order").click()
    return page.locator(".order-reference").inner_text()


def test_a_guest_pays_by_card_after_a_decline_and_no_card_data_is_kept(
    browser_page, live_server, local_stripe, caplog
):
    from playwright.sync_api import expect

    caplog.set_level(logging.DEBUG)
    ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    posted_to_shop = posts_to_the_shop(page, live_server)

    with transport.recording() as sent:
        reference = place_order(page)
        expect(page.locator(".order-status")).to_have_text("Awaiting payment")
        page.get_by_role("link", name="Pay £258.00", exact=True).click()
        expect(page.get_by_role("heading", name=f"Pay for order {reference}")).to_be_visible()
        pay = page.get_by_role("button", name="Pay £258.00")
        expect(pay).to_be_enabled()

        fill_card(page, DECLINED)
        pay.click()
        expect(page.get_by_role("alert")).to_have_text("Your card was declined.")
        order = Order.objects.get(reference=reference)
        assert order.status == Order.Status.AWAITING_PAYMENT
        expect(pay).to_be_enabled()  # payable again, on the same page

        fill_card(page, VISA)
        pay.click()
        expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
        expect(page.locator(".order-status")).to_have_text("Paid")
        expect(page.locator(".card-payment__card")).to_have_text("Visa ending 4242 (12/2030)")

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    statuses = list(Payment.objects.order_by("pk").values_list("status", "last4"))
    assert statuses == [(Status.DECLINED, "0341"), (Status.SUCCEEDED, "4242")]
    assert Disclosure.objects.filter(recipient="stripe").count() == 8

    # The leak scan: the database, the server's log, the requests to Stripe, what the page posted.
    assert len(sent) == 8  # per attempt: customer, intent; intent and card read back
    leak_scan(sent, caplog.text, posted_to_shop)
    assert len(posted_to_shop) >= 4  # prepare and confirm, per card
    assert {body.split("=")[0] for body in posted_to_shop} == {"csrfmiddlewaretoken"}  # only that

    # And were a page to post a card number to the shop, the card-data guard would refuse it.
    refused = page.evaluate(
        """async (url) => (await fetch(url, {method: "POST",
            body: new URLSearchParams({token: "4242 4242 4242 4242", cvc: "739"})})).status""",
        f"/privacy/payments/pay/{reference}/stripe/charge/",
    )
    assert refused == 400
    assert Payment.objects.count() == 2


def test_a_card_needing_3d_secure_is_authenticated_in_the_browser(
    browser_page, live_server, local_stripe
):
    """localstripe's Stripe.js shows its 3-D Secure box for 4000 0025 0000 3155: failing it is a
    decline the customer sees; passing it pays the order."""
    from playwright.sync_api import expect

    ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    reference = place_order(page)
    page.get_by_role("link", name="Pay £258.00", exact=True).click()
    pay = page.get_by_role("button", name="Pay £258.00")
    expect(pay).to_be_enabled()

    fill_card(page, THREE_D_SECURE)
    pay.click()
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The provided PaymentMethod has failed authentication."
    )
    assert Order.objects.get(reference=reference).status == Order.Status.AWAITING_PAYMENT

    fill_card(page, THREE_D_SECURE)
    pay.click()
    page.get_by_role("button", name="Complete authentication").click()
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    expect(page.locator(".order-status")).to_have_text("Paid")
    statuses = list(Payment.objects.order_by("pk").values_list("status", flat=True))
    assert statuses == [Status.DECLINED, Status.SUCCEEDED]


def test_a_guest_pays_with_paypal_after_a_decline_and_nothing_leaks(
    browser_page, live_server, local_stripe, settings, caplog
):
    """Both gateways on the pay page; the buyer picks PayPal, approves in the stand-in's box (as in
    PayPal's pop-up), is declined once, then pays; the leak scan covers PayPal's requests too."""
    from playwright.sync_api import expect

    from jsg_privacy.payments.gateways.paypal import testing as paypal_testing

    paypal = paypal_testing.local_paypal()
    settings.JSG_PRIVACY_PAYPAL = paypal.settings()
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [
        "jsg_privacy.payments.gateways.stripe.StripeGateway",
        "jsg_privacy.payments.gateways.paypal.PayPalGateway",
    ]
    caplog.set_level(logging.DEBUG)
    ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    posted_to_shop = posts_to_the_shop(page, live_server)

    with transport.recording() as sent:
        reference = place_order(page)
        page.get_by_role("link", name="Pay £258.00", exact=True).click()
        expect(page.get_by_role("heading", name="Pay by Card")).to_be_visible()
        expect(page.get_by_role("heading", name="Pay by PayPal")).to_be_visible()
        paypal_button = page.locator("#jsg-paypal-buttons").get_by_role("button", name="PayPal")

        paypal_button.click()
        page.get_by_role("button", name="Approve with a declined card").click()
        expect(page.locator("#jsg-paypal-error")).to_contain_text(
            "PayPal could not take the payment from the chosen account or card."
        )
        assert Order.objects.get(reference=reference).status == Order.Status.AWAITING_PAYMENT

        paypal_button.click()
        page.get_by_role("button", name="Approve payment").click()
        expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
        expect(page.locator(".order-status")).to_have_text("Paid")
        expect(page.locator(".card-payment__card")).to_have_text("PayPal")

    statuses = list(Payment.objects.order_by("pk").values_list("gateway", "status"))
    assert statuses == [("paypal", Status.DECLINED), ("paypal", Status.SUCCEEDED)]
    assert any("/v2/checkout/orders" in request.url for request in sent)
    assert not any("amelia" in request.body.lower() for request in sent)
    leak_scan(sent, caplog.text, posted_to_shop)


def test_a_guest_pays_by_card_through_opayos_drop_in_and_nothing_leaks(
    browser_page, live_server, local_stripe, settings, caplog
):
    """All three gateways on the pay page; the guest pays through Opayo's drop-in (the stand-in's),
    is declined once, then pays; the leak scan covers what went to Opayo."""
    from playwright.sync_api import expect

    from jsg_privacy.payments.gateways.opayo import testing as opayo_testing
    from jsg_privacy.payments.gateways.paypal import testing as paypal_testing

    settings.JSG_PRIVACY_OPAYO = opayo_testing.local_opayo().settings()
    settings.JSG_PRIVACY_PAYPAL = paypal_testing.local_paypal().settings()
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = [
        "jsg_privacy.payments.gateways.stripe.StripeGateway",
        "jsg_privacy.payments.gateways.paypal.PayPalGateway",
        "jsg_privacy.payments.gateways.opayo.OpayoGateway",
    ]
    caplog.set_level(logging.DEBUG)
    ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    posted_to_shop = posts_to_the_shop(page, live_server)

    with transport.recording() as sent:
        reference = place_order(page)
        page.get_by_role("link", name="Pay £258.00", exact=True).click()
        for label in ("Card", "PayPal", "Card (Opayo)"):
            expect(page.get_by_role("heading", name=f"Pay by {label}", exact=True)).to_be_visible()
        opayo = page.locator("#jsg-opayo-form")
        pay = opayo.get_by_role("button", name="Pay £258.00 with Opayo")
        expect(pay).to_be_enabled()

        for number in ("4929 0000 0001 4", "4929 0000 0000 6"):  # declined, then authorised
            opayo.get_by_label("Name on card").fill("Amelia Hughes")
            opayo.get_by_label("Card number").fill(number)
            opayo.get_by_label("Expiry (MMYY)").fill("1230")
            opayo.get_by_label("Security code").fill(CVC)
            pay.click()
            if number.endswith("4"):
                expect(page.locator("#jsg-opayo-error")).to_have_text("Your card was declined.")
                assert Order.objects.get(reference=reference).status == "awaiting_payment"
        expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
        expect(page.locator(".card-payment__card")).to_have_text("Visa ending 0006 (12/2030)")

    statuses = list(Payment.objects.order_by("pk").values_list("gateway", "status"))
    assert statuses == [("opayo", Status.DECLINED), ("opayo", Status.SUCCEEDED)]
    assert any(request.url.endswith("/api/v1/transactions") for request in sent)
    tokens = [parse_qs(body).get("token") for body in posted_to_shop]
    assert len([token for token in tokens if token]) == 2  # one per card, no card number
    leak_scan(sent, caplog.text, posted_to_shop)
