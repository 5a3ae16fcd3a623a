"""Marketing boxes at checkout, in chromium: unticked, and a tampered form is refused."""

from decimal import Decimal

import pytest

from example_shop.factories import ProductFactory
from example_shop.orders.models import Order
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.marketing import api
from tests.browser.axe import AXE_JS, blocking_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOXES = [
    "E-mails about offers",
    "Text messages about offers",
    "Phone calls about offers",
    "Letters about offers",
    "Pass my contact details to selected partners so they can send me their own offers",
]
EMAIL = "amelia.hughes@example.co.uk"
REFUSED = "We could not verify the marketing choices sent with this form"


def marketing_records():
    return list(ConsentRecord.objects.exclude(purpose="marketing", medium=""))


def fill_checkout(page):
    details = page.get_by_role("group", name="Your details")
    details.get_by_label("Full name").fill("Amelia Hughes")
    details.get_by_label("E-mail address").fill(EMAIL)
    details.get_by_label("Phone number").fill("01268 773766")
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Address line 1").fill("12 Cranes Farm Road")
    billing.get_by_label("Town or city").fill("Basildon")
    billing.get_by_label("Postcode").fill("ss14 3ae")


def test_checkout_boxes_are_unticked_and_a_tampered_post_is_refused(browser_page):
    from playwright.sync_api import expect

    product = ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    page.goto(product.get_absolute_url())
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count")).to_have_text("1")
    page.goto("/checkout/?marketing_email=on&marketing_partners=on")

    marketing = page.get_by_role("group", name="Messages about our offers (optional)")
    for label in BOXES:
        expect(marketing.get_by_label(label)).not_to_be_checked()
    if AXE_JS.is_file():  # the accessibility check is extra: never skip the test for lack of it
        violations = blocking_violations(page, {"include": [[".marketing-choices"]]})
        assert violations == [], describe(violations)

    # A box the page never offered, added by hand.
    fill_checkout(page)
    marketing.get_by_label("E-mails about offers").check()
    page.evaluate(
        """() => {
            const extra = document.createElement('input');
            extra.type = 'hidden'; extra.name = 'marketing_testimonials'; extra.value = 'on';
            document.querySelector('form#checkout-form').append(extra);
        }"""
    )
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("alert").filter(has_text=REFUSED)).to_be_visible()
    assert not Order.objects.exists()
    assert marketing_records() == []

    # An altered token.
    page.evaluate("() => { document.querySelector('[name=marketing_token]').value += 'x'; }")
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("alert").filter(has_text=REFUSED)).to_be_visible()
    assert not Order.objects.exists()
    assert marketing_records() == []
    assert not api.may_contact(email=EMAIL)

    # The form as the shop rendered it goes through, and records exactly what was ticked.
    expect(marketing.get_by_label("E-mails about offers")).to_be_checked()
    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    assert Order.objects.count() == 1
    (record,) = marketing_records()
    assert (record.medium, record.action, record.channel) == ("email", "given", "checkout")
    assert api.may_contact(email=EMAIL)
