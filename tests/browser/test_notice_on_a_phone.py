"""The privacy notice as a visitor reads it on a phone: in chromium, 390 px wide (an iPhone 12-15).

The summary fits the first screen, the sections open by keyboard and from a link to one of them,
and the cookie table stacks into cards instead of running off the side of the screen.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    cache.clear()  # the notice is rendered from this test's declarations
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def overflow(page, selector: str) -> dict[str, int]:
    return page.locator(selector).evaluate(
        "(e) => ({scroll: e.scrollWidth, client: e.clientWidth})"
    )


def test_the_summary_fits_the_first_screen_of_a_phone(phone):
    from playwright.sync_api import expect

    phone.goto("/privacy/notice/")
    summary = phone.locator("#summary")
    expect(summary).to_be_visible()
    box = summary.bounding_box()
    assert box is not None
    # The whole summary is on the first screen, below the shop's own header, without scrolling.
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE["height"], box
    print(f"summary: top {box['y']:.0f} px, height {box['height']:.0f} px")
    # Every section below starts closed: the summary is what a reader meets first.
    sections = phone.locator("details.jsg-privacy__section")
    assert sections.count() >= 8
    for section in sections.all():
        expect(section).not_to_have_attribute("open", "")
    page_width = overflow(phone, "html")
    assert page_width["scroll"] <= page_width["client"], page_width


def test_a_section_opens_by_keyboard_and_from_a_link_to_it(phone):
    from playwright.sync_api import expect

    phone.goto("/privacy/notice/")
    rights = phone.locator("details", has=phone.locator("#rights"))
    expect(phone.get_by_text("Ask for a copy of your personal data")).to_be_hidden()
    rights.locator("summary").focus()
    phone.keyboard.press("Enter")
    expect(rights).to_have_attribute("open", "")
    expect(phone.get_by_text("Ask for a copy of your personal data")).to_be_visible()

    # The banner's "Cookie details" link goes to notice#cookies: that section opens by itself.
    phone.goto("/privacy/notice/#cookies")
    expect(phone.locator("#cookies table")).to_be_visible()


def test_the_cookie_table_fits_a_phone_without_scrolling_sideways(phone):
    from playwright.sync_api import expect

    phone.goto("/privacy/notice/")
    phone.locator("details", has=phone.locator("#cookies")).locator("summary").click()
    table = phone.locator("#cookies table")
    expect(table).to_be_visible()
    for selector in ("html", "#cookies", "#cookies table"):
        measured = overflow(phone, selector)
        assert measured["scroll"] <= measured["client"], (selector, measured)
    # Each cookie is a card that names each fact it shows (as a screen reader reads it too).
    card = table.locator("tbody tr").filter(has_text="sessionid")
    for fact in (
        "Set by: this website",
        "Kept for: 2 weeks",
        "Do we ask first?: No: the site needs it to work",
    ):
        expect(card.get_by_role("cell", name=fact)).to_be_visible()
    assert card.bounding_box()["width"] <= PHONE["width"]


def test_the_cookie_table_is_a_table_on_a_wide_screen(browser_page):
    from playwright.sync_api import expect

    cache.clear()
    browser_page.set_viewport_size({"width": 1280, "height": 900})
    browser_page.goto("/privacy/notice/#cookies")
    expect(browser_page.locator("#cookies thead")).to_be_visible()
    expect(browser_page.get_by_role("columnheader", name="Kept for")).to_be_visible()


def test_axe_finds_nothing_serious_in_the_notice_with_every_section_open(phone):
    from tests.browser.axe import blocking_violations, describe

    phone.goto("/privacy/notice/")
    phone.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    violations = blocking_violations(phone, {"include": [["article"]]})
    assert violations == [], describe(violations)
