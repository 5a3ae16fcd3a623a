"""A visitor with a keyboard and no mouse: the banner, the cookie settings, the checkout choices and
the request form, in chromium, with Tab, Shift+Tab, Enter, Space and Escape only.

Each step checks what a keyboard or screen-reader user meets: the focused element's role and
accessible name (as the accessibility tree gives them), and that it shows a focus ring.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from example_shop.factories import ProductFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy.consent import groups, state
from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.requests.models import Case
from tests.browser.test_consent_banner import (
    CONSENT_COOKIES,
    banner,
    consent,
    cookies,
    ledger,
    wait_for_banner_script,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The example shop's cookie groups, by key: their switches are named by the groups' labels.
ANALYTICS = "analytics"
MARKETING = "marketing"
MOST_TABS = 80  # more than any page here has stops before the place a test goes to


SNAPSHOT_LINE = re.compile(
    r'^- (?P<role>[\w-]+)(?: "(?P<name>[^"]*)")?(?P<states>(?: \[[^\]]+\])*)'
)


def focused(page: Any) -> str:
    """The focused element as a screen reader announces it: ``role "name" [states]``, from
    Playwright's ARIA snapshot (the accessibility tree's view). A ``<summary>``, which chromium
    exposes as a disclosure button, reads ``summary "Choose"`` plus ``[expanded]`` when open."""
    summary = page.evaluate(
        """() => { const e = document.activeElement;
            if (!e || e === document.body) return ['', null];
            return e.tagName === 'SUMMARY' ? [e.textContent.trim(), e.parentElement.open] : null; }"""
    )
    if summary == ["", None]:
        return "(nothing)"
    if summary is not None:
        return f'summary "{summary[0]}"' + (" [expanded]" if summary[1] else "")
    line = page.locator(":focus").aria_snapshot().splitlines()[0]
    found = SNAPSHOT_LINE.match(line)
    assert found, line
    name = f' "{found["name"]}"' if found["name"] is not None else ""
    return f"{found['role']}{name}{found['states']}"


def ring(page: Any) -> bool:
    """Whether the focused element shows a focus indicator: an outline or a box shadow."""
    return page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
            return outline || (s.boxShadow && s.boxShadow !== 'none');
        }"""
    )


def tab(page: Any, key: str = "Tab") -> str:
    """Press ``key`` (Tab or Shift+Tab); the newly focused element, which must show a focus ring."""
    page.keyboard.press(key)
    now = focused(page)
    assert ring(page), f"{now} has no visible focus indicator"
    return now


def tab_until(page: Any, wanted: str | Callable[[str], bool], key: str = "Tab") -> list[str]:
    """Tab until the focused element is ``wanted`` (or ``wanted(stop)`` is true); the stops."""
    stops: list[str] = []
    for _ in range(MOST_TABS):
        page.keyboard.press(key)
        stops.append(focused(page))
        if stops[-1] == "(nothing)":  # past the end of the page
            break
        assert ring(page), f"{stops[-1]} has no visible focus indicator"
        if stops[-1] == wanted or (callable(wanted) and wanted(stops[-1])):
            return stops
    raise AssertionError(f"{wanted} never took focus; the stops were {stops}")


def in_banner(page: Any) -> bool:
    return page.evaluate("() => document.getElementById('jsg-cb').contains(document.activeElement)")


def in_choices(page: Any) -> bool:
    return page.evaluate("() => document.activeElement.closest('details.jsg-cb__choose') !== null")


def is_switch(stop: str, group: str, *, checked: bool | None = None) -> bool:
    """Whether ``stop`` is the switch of cookie group ``group`` (its name: the group's label, then
    its description), switched on or off as ``checked`` says (either, if None)."""
    if not stop.startswith(f'switch "{groups.by_key()[group].label}'):
        return False
    return checked is None or stop.endswith("[checked]") == checked


def skip_to_main(page: Any) -> None:
    """The shop's skip link, the first stop: Enter takes focus past the header to the content."""
    page.wait_for_load_state("networkidle")
    assert tab(page) == 'link "Skip to main content"'
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")


def tab_into_banner(page: Any) -> list[str]:
    """From the top of the page, Tab until focus enters the banner; the banner's stops so far."""
    for _ in range(MOST_TABS):
        tab(page)
        if in_banner(page):
            return [focused(page)]
    raise AssertionError("Tab never reached the cookie banner")


def test_the_banner_by_keyboard_tab_order_and_a_choice_saved_with_space_and_enter(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)

    # The first layer, in reading order, and back with Shift+Tab.
    stops = tab_into_banner(page)
    stops += [tab(page) for _ in range(4)]
    assert stops == [
        'link "Cookie details"',
        'button "Accept all"',
        'button "Reject all"',
        'summary "Choose"',
        'button "Close without choosing"',
    ]
    assert tab(page, "Shift+Tab") == 'summary "Choose"'

    # Enter opens the second layer and focus moves into it, on the first switch.
    page.keyboard.press("Enter")
    expect(banner(page).get_by_role("button", name="Save my choices")).to_be_visible()
    page.wait_for_function("() => document.activeElement.matches('details[open] input')")
    assert in_choices(page)
    assert is_switch(focused(page), ANALYTICS)
    assert ring(page)

    # Space switches a group on; Tab moves on to the next switch and the save button.
    page.keyboard.press("Space")
    assert is_switch(focused(page), ANALYTICS, checked=True)
    assert is_switch(tab(page), MARKETING)
    assert tab(page) == 'button "Save my choices"'
    assert ledger() == []

    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.keyboard.press("Enter")
    assert answer.value.ok
    expect(banner(page)).to_be_hidden()
    assert sorted(ledger()) == [
        ("analytics", "given", "banner"),
        ("marketing", "refused", "banner"),
    ]
    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (True, False)


def test_escape_closes_the_second_layer_then_the_banner_and_records_nothing(
    browser_page, live_server
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)
    tab_into_banner(page)
    tab_until(page, 'button "Reject all"')
    choose = tab(page)
    assert "Choose" in choose

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.matches('details[open] input')")
    page.keyboard.press("Space")  # a switch turned on, never saved
    assert is_switch(focused(page), ANALYTICS, checked=True)

    # Escape closes the second layer; focus goes back to "Choose", which opened it.
    page.keyboard.press("Escape")
    expect(banner(page).get_by_role("button", name="Save my choices")).to_be_hidden()
    expect(banner(page)).to_be_visible()
    assert focused(page) == choose
    assert ring(page)

    # Escape again closes the banner, as its close button does: without a choice.
    page.keyboard.press("Escape")
    expect(banner(page)).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert ledger() == []
    assert not set(cookies(page)) & set(CONSENT_COOKIES)
    assert not consent(page).decided

    page.goto("/privacy/notice/")  # undecided: asked again on the next page
    wait_for_banner_script(page)
    expect(banner(page)).to_be_visible()
    assert ledger() == []


def test_privacy_settings_link_by_keyboard_opens_the_choices_and_escape_returns_focus_to_it(
    browser_page,
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)
    tab_into_banner(page)
    tab_until(page, 'button "Reject all"')
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    expect(banner(page)).to_be_hidden()
    assert sorted(ledger()) == [
        ("analytics", "refused", "banner"),
        ("marketing", "refused", "banner"),
    ]

    page.goto("/")  # decided: no banner; the footer's link reopens it
    expect(banner(page)).to_be_hidden()
    stops = tab_until(page, 'link "Privacy settings"', "Shift+Tab")
    assert stops[0] == 'link "Your data rights"', stops  # the page's last stop: no hidden banner

    page.keyboard.press("Enter")
    expect(banner(page)).to_be_visible()
    page.wait_for_function("() => document.activeElement.matches('details[open] input')")
    assert is_switch(focused(page), ANALYTICS)  # focus moved into the choices

    page.keyboard.press("Space")
    page.keyboard.press("Escape")  # closes without saving: back where the visitor was
    expect(banner(page)).to_be_hidden()
    assert focused(page) == 'link "Privacy settings"'
    assert ring(page)
    assert len(ledger()) == 2
    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (False, False)


def test_the_cookie_settings_page_by_keyboard(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/privacy/cookies/")
    expect(page.get_by_role("heading", name="Cookie settings", level=1)).to_be_visible()

    # The skip link takes a keyboard user past the shop's header to the settings.
    skip_to_main(page)
    stops = [tab(page) for _ in range(6)]
    assert is_switch(stops[0], ANALYTICS), stops
    assert is_switch(stops[1], MARKETING), stops
    assert stops[2:] == [
        'button "Save my choices"',
        'button "Accept all"',
        'button "Reject all"',
        'link "Every cookie, its provider and lifetime"',
    ]
    assert is_switch([tab(page, "Shift+Tab") for _ in range(5)][-1], ANALYTICS)

    page.keyboard.press("Space")
    assert is_switch(tab(page), MARKETING)
    page.keyboard.press("Space")
    page.keyboard.press("Space")  # on and off again: marketing stays refused
    assert is_switch(focused(page), MARKETING, checked=False)
    assert tab(page) == 'button "Save my choices"'
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.keyboard.press("Enter")
    assert answer.value.ok
    page.wait_for_function(f"() => document.cookie.includes('{state.cookie_name()}_ui')")
    assert sorted(ledger()) == [
        ("analytics", "given", "preferences"),
        ("marketing", "refused", "preferences"),
    ]


def test_the_marketing_preferences_page_by_keyboard(browser, live_server):
    """A signed-in customer ticks a box with Space and saves with Enter; the page says so."""
    from playwright.sync_api import expect

    customer = UserFactory()
    client = Client()
    client.force_login(customer)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto("/privacy/marketing/preferences/")
        skip_to_main(page)
        box = tab_until(page, lambda stop: stop.startswith("checkbox"))[-1]
        assert "[checked]" not in box
        page.keyboard.press("Space")
        assert focused(page) == box + " [checked]"
        tab_until(page, 'button "Save my choices"')
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_contain_text("Your choices have been saved.")
        (record,) = ConsentRecord.objects.exclude(medium="")
        assert (record.action, record.channel) == ("given", "preferences")
    finally:
        context.close()


def type_into(page: Any, label: str, text: str) -> None:
    tab_until(page, f'textbox "{label}"')
    page.keyboard.type(text)


def test_checkout_choices_by_keyboard(browser_page):
    """The marketing boxes and the cookie choices at checkout, then the order placed with Enter."""
    from playwright.sync_api import expect

    product = ProductFactory(name="EM340 Three-Phase MID Meter", price=Decimal("129.00"), stock=5)
    page = browser_page
    page.goto(product.get_absolute_url())
    wait_for_banner_script(page)
    tab_into_banner(page)
    tab_until(page, 'button "Accept all"')
    with page.expect_response(lambda r: r.request.method == "POST"):
        page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # back into the page from the hidden banner
    tab_until(page, 'button "Add to cart"', "Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".cart-count")).to_have_text("1")

    page.goto("/checkout/")
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    type_into(page, "Full name", "Amelia Hughes")
    type_into(page, "E-mail address", "amelia.hughes@example.co.uk")
    type_into(page, "Phone number", "01268 773766")
    type_into(page, "Address line 1", "12 Cranes Farm Road")
    type_into(page, "Town or city", "Basildon")
    type_into(page, "Postcode", "SS14 3AE")

    # The marketing boxes: each its own stop, unticked, named by its label; Space ticks one.
    boxes = page.locator("fieldset.marketing-choices input[type=checkbox]")
    labels = boxes.evaluate_all("all => all.map(e => e.labels[0].textContent.trim())")
    first = f'checkbox "{labels[0]}"'
    tab_until(page, first)
    assert [first] + [tab(page) for _ in labels[1:]] == [f'checkbox "{label}"' for label in labels]
    tab_until(page, first, "Shift+Tab")
    page.keyboard.press("Space")
    assert focused(page) == first + " [checked]"

    # The cookie choices show what the visitor chose in the banner; Space switches marketing off.
    tab_until(page, lambda stop: is_switch(stop, MARKETING))
    assert is_switch(focused(page), MARKETING, checked=True)
    page.keyboard.press("Space")
    assert is_switch(focused(page), MARKETING, checked=False)
    after = tab(page)
    if after == 'button "Save my choices"':  # cookie choices with a submit button of their own
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.cookie.includes('marketing.0.')")  # saved at once
    if after != 'button "Place order"':
        tab_until(page, 'button "Place order"')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Thank you for your order")).to_be_visible()
    assert Order.objects.count() == 1
    assert consent(page).accepted("marketing") is False
    assert consent(page).accepted("analytics") is True
    given = ConsentRecord.objects.filter(channel="checkout", action="given").exclude(medium="")
    assert [r.medium for r in given] == ["email"]


def test_a_data_request_by_keyboard(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/privacy/requests/new/")
    skip_to_main(page)
    # Sent empty with Enter: the errors are announced and the form keeps focus order.
    tab_until(page, 'textbox "Your e-mail address:"')
    page.keyboard.type("amelia.hughes@example.net")
    kind = tab(page)
    assert kind.startswith("radio"), kind
    page.keyboard.press("ArrowDown")  # arrows move within the radio group
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Space")
    assert focused(page) == kind.replace("]", "").split(" [")[0] + " [checked]"
    assert tab(page).startswith('textbox "Details (optional):"')
    page.keyboard.type("My orders since 2024, please.")
    assert tab(page) == 'button "Send my request"'
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    case = Case.objects.get()
    assert case.email == "amelia.hughes@example.net"
    assert mail.outbox[-1].to == ["amelia.hughes@example.net"]


OBSCURED = """() => {
    const e = document.activeElement, b = document.getElementById('jsg-cb');
    if (!e || e === document.body || b.contains(e)) return null;
    const r = e.getBoundingClientRect(), q = b.getBoundingClientRect();
    return r.bottom > q.top && r.top < q.bottom && r.right > q.left && r.left < q.right;
}"""


@pytest.mark.parametrize("url", ["/", "/privacy/requests/new/", "/privacy/cookies/"])
def test_focus_is_never_hidden_under_the_banner_on_a_phone(browser_page, url):
    """WCAG 2.2 "Focus not obscured": tabbing through a page while the banner is open (it covers
    the lower part of a phone's screen), each focused element is scrolled clear of the banner."""
    ProductFactory.create_batch(4)  # a home page long enough to scroll
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 700})
    page.goto(url)
    wait_for_banner_script(page)
    hidden = []
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if in_banner(page):
            break
        if page.evaluate(OBSCURED):
            hidden.append(focused(page))
    else:
        raise AssertionError("Tab never reached the cookie banner")
    assert hidden == []
