"""The cookie banner as a visitor meets it: in chromium, with and without JavaScript, with GPC.

The example shop declares analytics (``_sa_id``, ``_sa_s_*``) and marketing (``_adclick``) cookies;
its gated tags ``analytics.js`` and ``ads.js`` set those cookies and ``window.jsgShopAnalytics`` /
``window.jsgShopAds`` when they run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import RequestFactory

from example_shop.factories import ProductFactory
from jsg_privacy.consent import groups, state
from jsg_privacy.consent.models import ConsentRecord
from tests.browser.axe import axe_script, blocking_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NON_ESSENTIAL = ("_sa_id", "_sa_s_*", "_adclick")
CONSENT_COOKIES = (state.cookie_name(), state.cookie_name() + state.UI_SUFFIX)


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable]:
    """Open pages in fresh browser contexts with options: ``new_page(java_script_enabled=False)``."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def product():
    return ProductFactory(stock=5)


def cookies(page) -> dict[str, str]:
    return {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}


def non_essential(page) -> list[str]:
    return [n for n in cookies(page) if any(fnmatchcase(n, pattern) for pattern in NON_ESSENTIAL)]


def consent(page) -> state.ConsentState:
    """The choices the signed consent cookie proves, read as the server reads them."""
    request = RequestFactory().get("/")
    value = cookies(page).get(state.cookie_name())
    if value is not None:
        request.COOKIES[state.cookie_name()] = value
    return state.read(request)


def ledger() -> list[tuple[str, str, str]]:
    return list(ConsentRecord.objects.order_by("id").values_list("purpose", "action", "channel"))


def banner(page):
    return page.locator("#jsg-cb")


def wait_for_banner_script(page) -> None:
    """consent.js has run once it reveals the close button (hidden without JavaScript)."""
    from playwright.sync_api import expect

    expect(banner(page).get_by_role("button", name="Close without choosing")).to_be_visible()


def ran(page, flag: str) -> bool:
    return page.evaluate(f"() => window.{flag} === true")


def test_a_first_visit_sets_only_strictly_necessary_cookies(browser_page, product):
    page = browser_page
    necessary = [cookie.name for cookie in groups.necessary()]

    for url in ("/", f"/products/{product.slug}/"):
        page.goto(url)
        wait_for_banner_script(page)
        page.wait_for_load_state("networkidle")
        names = set(cookies(page))  # the banner sets none; the product page's basket form does
        assert all(any(fnmatchcase(n, p) for p in necessary) for n in names), names
        assert non_essential(page) == []
        assert not names & set(CONSENT_COOKIES), "no consent cookie before a choice"
        assert not ran(page, "jsgShopAnalytics")
        assert not ran(page, "jsgShopAds")
    assert ledger() == []


@pytest.mark.parametrize("viewport", [(1280, 720), (360, 640)], ids=["desktop", "phone"])
def test_accept_all_and_reject_all_look_alike(browser_page, viewport):
    page = browser_page
    width, height = viewport
    page.set_viewport_size({"width": width, "height": height})
    page.goto("/")
    accept = banner(page).get_by_role("button", name="Accept all")
    reject = banner(page).get_by_role("button", name="Reject all")
    looks = """e => {
        const s = getComputedStyle(e);
        return {tag: e.tagName, type: e.type, className: e.className, fontWeight: s.fontWeight,
                fontSize: s.fontSize, fontFamily: s.fontFamily, color: s.color,
                background: s.backgroundColor, border: s.borderTopColor + " " + s.borderTopWidth,
                padding: s.padding};
    }"""
    accept_looks, reject_looks = accept.evaluate(looks), reject.evaluate(looks)
    assert accept_looks["tag"] == "BUTTON"
    assert accept_looks == reject_looks

    accept_box, reject_box = accept.bounding_box(), reject.bounding_box()
    assert abs(accept_box["width"] - reject_box["width"]) <= 4, (accept_box, reject_box)
    assert abs(accept_box["height"] - reject_box["height"]) <= 2, (accept_box, reject_box)
    for box in (accept_box, reject_box):  # both on screen as the page opens: no scrolling to refuse
        assert 0 <= box["x"] <= box["x"] + box["width"] <= width, box
        assert 0 <= box["y"] <= box["y"] + box["height"] <= height, box


def test_choosing_only_analytics_runs_only_the_analytics_tag_without_a_reload(
    browser_page, product
):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"/products/{product.slug}/")
    wait_for_banner_script(page)
    page.evaluate("() => { window.jsgSamePage = true; }")

    banner(page).get_by_text("Choose", exact=True).click()
    switches = banner(page).get_by_role("switch")
    expect(switches).to_have_count(len(groups.current()))
    for switch in switches.all():
        expect(switch).not_to_be_checked()
    banner(page).locator('input[name="groups"][value="analytics"]').check()
    banner(page).get_by_role("button", name="Save my choices").click()

    expect(banner(page)).to_be_hidden()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert page.evaluate("() => window.jsgSamePage") is True, "the page was reloaded"
    assert "_sa_id" in cookies(page)
    assert any(fnmatchcase(name, "_sa_s_*") for name in cookies(page))
    assert not ran(page, "jsgShopAds")
    assert "_adclick" not in cookies(page)

    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (True, False)
    assert sorted(ledger()) == [
        ("analytics", "given", "banner"),
        ("marketing", "refused", "banner"),
    ]

    page.goto("/")  # the choice holds on the next page: tag runs, banner stays hidden
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    expect(banner(page)).to_be_hidden()
    assert not ran(page, "jsgShopAds")


def test_reject_all_works_without_javascript(new_page, product):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    url = f"/products/{product.slug}/"
    page.goto(url)
    expect(banner(page)).to_be_visible()
    expect(banner(page).get_by_role("button", name="Close without choosing")).to_be_hidden()

    with page.expect_request(lambda r: r.method == "POST") as posted:
        banner(page).get_by_role("button", name="Reject all").click()
    assert posted.value.url.endswith("/privacy/cookies/decline/")
    assert posted.value.response().status == 302
    page.wait_for_load_state()
    assert page.url.endswith(url), "back on the page the visitor was on"
    expect(banner(page)).to_be_hidden()  # by the per-visitor state.css, inside <noscript>

    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (False, False)
    assert proved.decided
    assert sorted(ledger()) == [
        ("analytics", "refused", "banner"),
        ("marketing", "refused", "banner"),
    ]

    page.goto("/")
    expect(banner(page)).to_be_hidden()


def test_choose_works_without_javascript(new_page, product):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    url = f"/products/{product.slug}/"
    page.goto(url)
    save = banner(page).get_by_role("button", name="Save my choices")
    expect(save).to_be_hidden()
    banner(page).get_by_text("Choose", exact=True).click()  # a <details>: no script needed
    expect(save).to_be_visible()
    banner(page).locator('input[name="groups"][value="marketing"]').check()
    save.click()

    page.wait_for_load_state()
    assert page.url.endswith(url)
    expect(banner(page)).to_be_hidden()
    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (False, True)
    assert sorted(ledger()) == [
        ("analytics", "refused", "banner"),
        ("marketing", "given", "banner"),
    ]
    assert non_essential(page) == []  # no script ran: nothing set the cookies


def test_privacy_settings_link_without_javascript_opens_the_settings_page(new_page):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy settings").click()
    expect(page.get_by_role("heading", name="Cookie settings", level=1)).to_be_visible()
    assert page.url.endswith("/privacy/cookies/")


GPC_SCRIPT = "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', {get: () => true})"


def gpc_page(new_page):
    """A browser with Global Privacy Control on: it sends ``Sec-GPC: 1`` and says so to scripts."""
    page = new_page(extra_http_headers={"Sec-GPC": "1"})
    page.add_init_script(GPC_SCRIPT)
    return page


def test_a_global_privacy_control_signal_refuses_marketing_until_the_visitor_says_otherwise(
    new_page,
):
    from playwright.sync_api import expect

    page = gpc_page(new_page)
    page.goto("/")
    wait_for_banner_script(page)
    expect(banner(page)).to_be_visible()  # analytics is still undecided
    expect(banner(page).locator(".jsg-cb__gpc")).to_be_visible()
    proved = consent(page)
    assert proved.gpc
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (None, False)
    page.reload()  # recorded once the browser sends the cookie back (this page, or its favicon)
    wait_for_banner_script(page)
    expect(banner(page).locator(".jsg-cb__gpc")).to_be_visible()
    assert ledger() == [("marketing", "signal", "gpc")]
    assert not ran(page, "jsgShopAds")

    # The banner says what its button does, and the button does that: marketing stays off.
    expect(banner(page).get_by_role("button", name="Accept all", exact=True)).to_have_count(0)
    expect(banner(page).locator(".jsg-cb__gpc")).to_contain_text(
        "“Accept all except marketing” leaves them off"
    )
    with page.expect_response(lambda r: r.url.endswith("/cookies/accept/")):
        banner(page).get_by_role("button", name="Accept all except marketing").click()
    expect(banner(page)).to_be_hidden()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert not ran(page, "jsgShopAds")
    assert "_adclick" not in cookies(page)
    assert ledger()[1:] == [("analytics", "given", "banner")]
    page.reload()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    expect(banner(page)).to_be_hidden()
    assert consent(page).accepted("marketing") is False
    assert not ran(page, "jsgShopAds")

    # The separate, explicit switch turns marketing on; that choice stands against the signal.
    page.get_by_role("contentinfo").get_by_role("link", name="Privacy settings").click()
    expect(banner(page)).to_be_visible()
    banner(page).locator('input[role="switch"][value="marketing"]').check()
    with page.expect_response(lambda r: r.url.endswith("/cookies/save/")):
        banner(page).get_by_role("button", name="Save my choices").click()
    page.wait_for_function("() => window.jsgShopAds === true")
    assert "_adclick" in cookies(page)
    assert ledger()[2:] == [("analytics", "given", "banner"), ("marketing", "given", "banner")]

    page.reload()
    page.wait_for_function("() => window.jsgShopAds === true")
    expect(banner(page)).to_be_hidden()
    assert consent(page).accepted("marketing") is True
    assert [r for r in ledger() if r[1] == "signal"] == [("marketing", "signal", "gpc")]


def test_accept_all_sent_with_the_first_gpc_signal_leaves_marketing_off(new_page):
    from playwright.sync_api import expect

    page = new_page()
    page.goto("/")  # no signal yet: a page from a cache, or GPC switched on after it loaded
    wait_for_banner_script(page)
    expect(banner(page).get_by_role("button", name="Accept all", exact=True)).to_be_visible()
    page.set_extra_http_headers({"Sec-GPC": "1"})
    page.add_init_script(GPC_SCRIPT)
    page.reload()  # a GPC browser: a page drawn from a cache still shows the signal's wording
    wait_for_banner_script(page)
    with page.expect_response(lambda r: r.url.endswith("/cookies/accept/")):
        banner(page).get_by_role("button", name="Accept all except marketing").click()
    expect(banner(page)).to_be_hidden()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert consent(page).accepted("marketing") is False

    page.reload()
    page.wait_for_load_state("networkidle")
    expect(banner(page)).to_be_hidden()
    assert consent(page).accepted("marketing") is False, ledger()
    assert not ran(page, "jsgShopAds")


def test_gated_tags_run_only_after_accept_all_without_a_reload(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => { window.jsgSamePage = true; }")
    assert not ran(page, "jsgShopAnalytics")
    assert not ran(page, "jsgShopAds")
    assert non_essential(page) == []

    banner(page).get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.jsgShopAnalytics === true && window.jsgShopAds === true")
    expect(banner(page)).to_be_hidden()
    assert page.evaluate("() => window.jsgSamePage") is True, "the page was reloaded"
    assert {"_sa_id", "_adclick"} <= set(cookies(page))
    assert sorted(ledger()) == [("analytics", "given", "banner"), ("marketing", "given", "banner")]


def test_privacy_settings_reopens_the_banner_and_reject_all_withdraws(browser_page, live_server):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    banner(page).get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.jsgShopAnalytics === true && window.jsgShopAds === true")
    page.goto("/")  # a later page: the banner stays hidden, the tags run again
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    expect(banner(page)).to_be_hidden()
    assert any(fnmatchcase(name, "_sa_s_*") for name in cookies(page))

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy settings").click()
    expect(banner(page)).to_be_visible()
    assert page.url == live_server.url + "/", "reopened in place, not the settings page"
    for switch in banner(page).get_by_role("switch").all():
        expect(switch).to_be_checked()  # shows the current choices
    banner(page).get_by_role("button", name="Reject all").click()
    expect(banner(page)).to_be_hidden()

    assert sorted(ledger()[2:]) == [
        ("analytics", "withdrawn", "banner"),
        ("marketing", "withdrawn", "banner"),
    ]
    assert non_essential(page) == [], "the decline response deletes the refused cookies"
    proved = consent(page)
    assert (proved.accepted("analytics"), proved.accepted("marketing")) == (False, False)

    # A tag that ran before the withdrawal may set its cookies again; the next response deletes
    # them, wildcard names included.
    page.evaluate(
        """() => {
            document.cookie = "_sa_id=1; path=/";
            document.cookie = "_sa_s_late=1; path=/";
            document.cookie = "_sa_s_later=1; path=/";
            document.cookie = "_adclick=1; path=/";
        }"""
    )
    assert len(non_essential(page)) == 4
    page.goto("/privacy/notice/")
    assert non_essential(page) == []
    assert not ran(page, "jsgShopAnalytics")


def test_closing_the_banner_stores_nothing_and_it_comes_back(browser_page, product):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)
    banner(page).get_by_role("button", name="Close without choosing").click()
    expect(banner(page)).to_be_hidden()
    page.wait_for_load_state("networkidle")
    assert not set(cookies(page)) & set(CONSENT_COOKIES)
    assert non_essential(page) == []
    assert ledger() == []

    page.goto(f"/products/{product.slug}/")
    expect(banner(page)).to_be_visible()
    assert not ran(page, "jsgShopAnalytics")


# Accessibility: axe-core finds no serious or critical violation ----------------------------------


@pytest.fixture
def axe():
    return axe_script()


def test_axe_finds_a_violation_it_should(axe, browser_page):
    """The check is live: a nameless button on the page is reported."""
    page = browser_page
    page.goto("/")
    page.evaluate("() => document.body.append(document.createElement('button'))")
    assert "button-name" in {v["id"] for v in blocking_violations(page)}


def test_axe_home_page_with_the_banner_and_its_choices_open(axe, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    wait_for_banner_script(page)
    banner(page).get_by_text("Choose", exact=True).click()
    expect(banner(page).get_by_role("button", name="Save my choices")).to_be_visible()
    violations = blocking_violations(page)
    assert violations == [], describe(violations)


def test_axe_cookie_settings_page(axe, browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/privacy/cookies/")
    expect(page.get_by_role("heading", name="Cookie settings", level=1)).to_be_visible()
    violations = blocking_violations(page)
    assert violations == [], describe(violations)


def test_axe_checkout_page(axe, browser_page, product):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(f"/products/{product.slug}/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.locator(".cart-count")).to_have_text("1")
    page.goto("/checkout/")
    expect(page.get_by_role("heading", name="Checkout", level=1)).to_be_visible()
    expect(banner(page)).to_be_visible()
    violations = blocking_violations(page)
    assert violations == [], describe(violations)


def requests_to_django(page, live_server, action) -> list[str]:
    """The paths of the requests ``action`` makes to Django, static files left out (a shop serves
    them from a static server or CDN, cached by the browser)."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    action()
    page.wait_for_load_state("networkidle")
    paths = [urlsplit(u).path for u in seen if u.startswith(live_server.url)]
    return [p for p in paths if not p.startswith(settings.STATIC_URL)]


def test_a_page_view_makes_one_request_to_django_before_and_after_a_choice(
    new_page, live_server, product
):
    from playwright.sync_api import expect

    page = new_page()
    url = f"/products/{product.slug}/"
    assert requests_to_django(page, live_server, lambda: page.goto("/")) == ["/"]
    expect(banner(page)).to_be_visible()

    banner(page).get_by_role("button", name="Accept all").click()
    expect(banner(page)).to_be_hidden()
    page.wait_for_function("() => window.jsgShopAnalytics === true")

    for path in (url, "/", url):
        assert requests_to_django(page, live_server, lambda p=path: page.goto(p)) == [path]
        expect(banner(page)).to_be_hidden()  # decided: hidden before it is drawn, by the cookie
        page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert requests_to_django(page, live_server, page.reload) == [url]


def test_without_javascript_a_page_view_also_asks_for_the_visitors_stylesheet(
    new_page, live_server
):
    from playwright.sync_api import expect

    page = new_page(java_script_enabled=False)
    css = "/privacy/cookies/state.css"
    assert requests_to_django(page, live_server, lambda: page.goto("/")) == ["/", css]
    banner(page).get_by_role("button", name="Reject all").click()
    page.wait_for_load_state()
    expect(banner(page)).to_be_hidden()
    assert requests_to_django(page, live_server, lambda: page.goto("/")) == ["/", css]
    expect(banner(page)).to_be_hidden()
