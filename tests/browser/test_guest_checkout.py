from decimal import Decimal

import pytest

from example_shop.factories import ProductFactory
from example_shop.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_guest_buys_a_meter_and_sees_it_awaiting_payment(browser_page):
    from playwright.sync_api import expect

    product = ProductFactory(
        name="EM340 Three-Phase MID Meter",
        price=Decimal("129.00"),
        stock=5,
        is_featured=True,
    )
    page = browser_page

    page.goto("/")
    page.get_by_role("link", name="EM340 Three-Phase MID Meter").click()
    expect(page.get_by_role("heading", name="EM340 Three-Phase MID Meter")).to_be_visible()
    expect(page.locator(".stock")).to_have_text("In stock (5)")

    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count")).to_have_text("2")
    expect(page.locator(".cart-total")).to_have_text("£258.00")

    page.get_by_role("link", name="Checkout").click()
    details = page.get_by_role("group", name="Your details")
    details.get_by_label("Full name").fill("Amelia Hughes")
    details.get_by_label("E-mail address").fill("amelia.hughes@example.co.uk")
    details.get_by_label("Phone number").fill("01268 773766")
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Address line 1").fill("12 Cranes Farm Road")
    billing.get_by_label("Town or city").fill("Basildon")
    billing.get_by_label("Postcode").fill("ss14 3ae")
    installation = page.get_by_role("group", name="Installation")
    expect(installation.get_by_label("Address line 1")).to_be_hidden()  # same as billing
    installation.get_by_label("MPAN core (optional)").fill("1200023305967")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    expect(page.locator(".order-status")).to_have_text("Awaiting payment")
    reference = page.locator(".order-reference").inner_text()
    assert reference.startswith("JSG-")
    expect(page.locator(".cart-count")).to_have_text("0")

    order = Order.objects.get(reference=reference)
    assert order.status == Order.Status.AWAITING_PAYMENT
    assert order.user is None
    assert order.installation_postcode == "SS14 3AE"
    assert order.total == Decimal("258.00")
    product.refresh_from_db()
    assert product.stock == 3
