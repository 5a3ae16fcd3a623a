"""A Welsh-speaking visitor in chromium: the banner in Welsh, a choice made there, then the site read
in English with the switcher, the choice still in force and no banner asking again."""

from __future__ import annotations

import pytest

from jsg_privacy.consent import state
from jsg_privacy.consent.models import ConsentRecord

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def welsh_page(browser, live_server):
    """A fresh browser whose language is Welsh (it sends ``Accept-Language: cy``)."""
    context = browser.new_context(base_url=live_server.url, locale="cy")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def ledger() -> list[tuple[str, str]]:
    return sorted(ConsentRecord.objects.values_list("purpose", "action"))


def test_a_choice_made_in_welsh_stands_when_the_site_is_read_in_english(welsh_page):
    from playwright.sync_api import expect

    page = welsh_page
    page.goto("/")
    banner = page.locator("#jsg-cb")
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(banner.get_by_role("button", name="Derbyn y cyfan")).to_be_visible()
    expect(banner.get_by_role("button", name="Gwrthod y cyfan")).to_be_visible()
    expect(banner.get_by_role("button", name="Cau heb ddewis")).to_be_visible()  # script ran

    banner.get_by_text("Dewis", exact=True).click()
    banner.locator('input[name="groups"][value="analytics"]').check()
    with page.expect_response(lambda r: r.url.endswith("/privacy/cookies/save/")) as saved:
        banner.get_by_role("button", name="Cadw fy newisiadau").click()
    assert saved.value.ok
    expect(banner).to_be_hidden()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    chosen = {c["name"]: c["value"] for c in page.context.cookies()}[state.cookie_name()]
    assert ledger() == [("analytics", "given"), ("marketing", "refused")]

    page.get_by_role("button", name="English").click()  # the switcher, in the shop's header

    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("link", name="Privacy notice")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    page.wait_for_function("() => window.jsgShopAnalytics === true")  # still accepted
    expect(page.locator("#jsg-cb")).to_be_hidden()  # and nobody asks again
    assert ledger() == [("analytics", "given"), ("marketing", "refused")]
    assert {c["name"]: c["value"] for c in page.context.cookies()}[state.cookie_name()] == chosen

    page.get_by_role("link", name="Privacy settings").click()  # reopens the banner, in English
    expect(page.locator("#jsg-cb").get_by_role("button", name="Save my choices")).to_be_visible()
    expect(page.locator('#jsg-cb input[name="groups"][value="analytics"]')).to_be_checked()
    expect(page.locator('#jsg-cb input[name="groups"][value="marketing"]')).not_to_be_checked()


def test_the_switcher_works_by_keyboard_and_the_welsh_pages_pass_axe(welsh_page):
    from playwright.sync_api import expect

    from tests.browser.axe import blocking_violations, describe

    page = welsh_page
    for url in ("/", "/privacy/notice/", "/privacy/requests/new/"):
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", "cy")
        violations = blocking_violations(page)
        assert not violations, f"{url}:\n{describe(violations)}"

    switch = page.get_by_role("button", name="Français")
    switch.focus()
    page.keyboard.press("Enter")

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert page.url.endswith("/privacy/requests/new/")  # the same page, now in French
    expect(page.get_by_role("button", name="Envoyer ma demande")).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
