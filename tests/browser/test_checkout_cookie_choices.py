"""At checkout the customer sees their cookie choices inside the one checkout form and changes them
in place: with the banner script, saved at once without leaving the page or losing what they typed;
without it, recorded when the order is placed. There is one button: "Place order"."""

from __future__ import annotations

import pytest

from example_shop.orders.models import Order
from tests.browser.test_consent_banner import consent, ledger, new_page, product  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_checkout(page) -> None:
    details = page.get_by_role("group", name="Your details")
    details.get_by_label("Full name").fill("Ann Example")
    details.get_by_label("E-mail address").fill("ann@example.net")
    details.get_by_label("Phone number").fill("01268 773766")
    billing = page.get_by_role("group", name="Billing address")
    billing.get_by_label("Address line 1").fill("12 Cranes Farm Road")
    billing.get_by_label("Town or city").fill("Basildon")
    billing.get_by_label("Postcode").fill("SS14 3AE")


def submit_buttons(page) -> list[str]:
    """The submit buttons on the page, the cookie banner's aside: what the customer can press."""
    return page.evaluate(
        """() => [...document.querySelectorAll('main button, main input[type=submit]')]
            .filter((b) => (b.type || 'submit') === 'submit' && b.offsetParent !== null)
            .map((b) => b.textContent.trim())"""
    )


def test_cookie_choices_change_in_place_at_checkout(new_page, product):  # noqa: F811
    from playwright.sync_api import expect

    page = new_page()
    page.goto(f"/products/{product.slug}/")
    # The banner hides at once; the choice is stored when its POST is answered: wait for that, or
    # the add-to-cart POST below races it for the new session.
    with page.expect_response(lambda answer: answer.request.method == "POST"):
        page.get_by_role("button", name="Accept all").click()
    page.get_by_label("Quantity").fill("1")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count")).to_have_text("1")  # in the cart before going on
    page.goto("/checkout/")

    assert submit_buttons(page) == ["Place order"]  # one form, one button
    form = page.locator("form#checkout-form")
    analytics = form.get_by_role("switch", name="Analytics cookies")
    advertising = form.get_by_role("switch", name="Advertising cookies")
    expect(analytics).to_be_checked()  # the current choice, not "all off"
    expect(advertising).to_be_checked()
    fill_checkout(page)
    page.evaluate("window.__sameDocument = true")
    before = len(ledger())

    with page.expect_response(lambda answer: answer.request.method == "POST"):
        analytics.uncheck()

    expect(
        page.get_by_role("status").filter(has_text="Your cookie choice is saved.")
    ).to_be_visible()
    page.wait_for_function("() => document.cookie.includes('analytics.0.')")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    expect(page.get_by_role("group", name="Your details").get_by_label("Full name")).to_have_value(
        "Ann Example"
    )
    assert consent(page).accepted("analytics") is False
    assert consent(page).accepted("marketing") is True
    # Only the switch that was changed is recorded.
    assert ledger()[before:] == [("analytics", "withdrawn", "checkout")]

    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    assert Order.objects.count() == 1
    assert ledger()[before:] == [("analytics", "withdrawn", "checkout")]  # not recorded twice


def test_without_javascript_the_switches_are_recorded_with_the_order(new_page, product):  # noqa: F811
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    page.goto(f"/products/{product.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    page.goto("/checkout/")

    assert submit_buttons(page) == ["Place order"]
    advertising = page.locator("form#checkout-form").get_by_role(
        "switch", name="Advertising cookies"
    )
    expect(advertising).not_to_be_checked()  # never decided: off
    fill_checkout(page)
    advertising.check()
    assert ledger() == []  # nothing yet: the form is not sent

    page.get_by_role("button", name="Place order").click()

    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    assert ledger() == [("marketing", "given", "checkout")]
    assert consent(page).accepted("marketing") is True
