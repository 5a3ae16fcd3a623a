"""At checkout the customer sees their cookie choices beside the marketing boxes and changes them in
place: saved at once, without leaving the page or losing what they typed."""

from __future__ import annotations

import pytest

from tests.browser.test_consent_banner import consent, ledger, new_page, product  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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

    choices = page.locator("section.cookie-choices")
    analytics = choices.get_by_role("switch", name="Understanding how our website is used")
    expect(analytics).to_be_checked()  # the current choice, not "all off"
    page.get_by_label("Full name").fill("Ann Example")
    page.evaluate("window.__sameDocument = true")

    analytics.uncheck()
    choices.get_by_role("button", name="Save my choices").click()

    page.wait_for_function("() => document.cookie.includes('analytics.0.')")
    assert page.evaluate("window.__sameDocument") is True  # no reload
    expect(page.get_by_label("Full name")).to_have_value("Ann Example")
    assert consent(page).accepted("analytics") is False
    assert consent(page).accepted("marketing") is True
    # Saving records every group: the one switched off is withdrawn, the other renewed.
    assert sorted(ledger()[-2:]) == [
        ("analytics", "withdrawn", "checkout"),
        ("marketing", "given", "checkout"),
    ]
