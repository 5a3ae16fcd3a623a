"""The example shop's first-party analytics under the UK statistical exception, as a new visitor
meets it in chromium: no prompt for it, one click in the notice objects, the cookies go, the ledger
records it; a visitor the CDN places in the EU is still asked."""

from __future__ import annotations

import pytest

from tests.browser.test_consent_banner import (
    cookies,
    ledger,
    new_page,  # noqa: F401 -- a fixture
    ran,
    requests_to_django,
    wait_for_banner_script,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def regions(settings):
    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "GB"
    settings.JSG_PRIVACY_COUNTRY_HEADER = "CF-IPCountry"
    return settings


def analytics_cookies(page) -> list[str]:
    return sorted(n for n in cookies(page) if n.startswith("_sa_"))


def test_a_uk_visitor_gets_analytics_without_a_prompt_and_objects_in_one_click(
    new_page,  # noqa: F811
    regions,
):
    page = new_page()
    page.goto("/")
    wait_for_banner_script(page)
    page.wait_for_function("() => window.jsgShopAnalytics === true")  # no click needed
    assert analytics_cookies(page)
    assert not ran(page, "jsgShopAds")  # advertising still waits for consent
    assert ledger() == []

    page.goto("/privacy/notice/#cookies")
    page.get_by_role("button", name="Object to Analytics cookies").click()
    page.get_by_text("Analytics cookies are now off").wait_for()
    assert analytics_cookies(page) == []
    assert ledger() == [("analytics", "objected", "notice")]

    page.goto("/")
    wait_for_banner_script(page)
    page.wait_for_load_state("networkidle")
    assert not ran(page, "jsgShopAnalytics")
    assert analytics_cookies(page) == []


def test_without_a_country_header_the_page_itself_says_the_exceptions_apply(
    new_page,  # noqa: F811
    live_server,
    settings,
):
    """Every visitor is in the shop's default country: the page view stays one request to Django
    (no status request), and analytics still runs without a prompt."""
    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "GB"
    settings.JSG_PRIVACY_COUNTRY_HEADER = ""
    page = new_page()
    assert requests_to_django(page, live_server, lambda: page.goto("/")) == ["/"]
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert analytics_cookies(page)

    settings.JSG_PRIVACY_DEFAULT_COUNTRY = "FR"  # outside the UK: asked, nothing runs
    page = new_page()
    assert requests_to_django(page, live_server, lambda: page.goto("/")) == ["/"]
    assert not ran(page, "jsgShopAnalytics")
    assert analytics_cookies(page) == []


def test_a_visitor_placed_in_the_eu_is_still_asked(new_page, regions):  # noqa: F811
    page = new_page(extra_http_headers={"CF-IPCountry": "DE"})
    page.goto("/")
    wait_for_banner_script(page)
    page.wait_for_load_state("networkidle")
    assert not ran(page, "jsgShopAnalytics")
    assert analytics_cookies(page) == []
    page.locator("#jsg-cb").get_by_role("button", name="Accept all").click()
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert ("analytics", "given", "banner") in ledger()


def test_consent_mode_runs_before_any_tag_with_region_defaults_and_updates_on_objection(
    new_page,  # noqa: F811
    regions,
):
    regions.JSG_PRIVACY_GOOGLE_CONSENT_MODE = True
    page = new_page()
    page.goto("/")
    wait_for_banner_script(page)
    commands = page.evaluate(
        "() => window.dataLayer.filter((a) => a[0] === 'consent').map((a) => [a[1], a[2]])"
    )
    (default, regional) = commands[:2]
    assert default[0] == regional[0] == "default"
    assert default[1]["security_storage"] == "granted"
    assert {k: v for k, v in default[1].items() if k != "security_storage"} == {
        "ad_storage": "denied",
        "ad_user_data": "denied",
        "ad_personalization": "denied",
        "analytics_storage": "denied",
        "functionality_storage": "denied",
        "personalization_storage": "denied",
        "wait_for_update": 500,
    }
    assert regional[1] == {"region": ["GB"], "wait_for_update": 500, "analytics_storage": "granted"}
    assert len(commands) == 2  # nothing decided yet: no update overrides the region default

    page.locator("#jsg-cb").get_by_role("button", name="Reject all").click()
    page.wait_for_function(
        "() => window.dataLayer.some((a) => a[0] === 'consent' && a[1] === 'update')"
    )
    update = page.evaluate(
        "() => window.dataLayer.filter((a) => a[0] === 'consent' && a[1] === 'update').pop()[2]"
    )
    assert update["analytics_storage"] == update["ad_storage"] == "denied"
    assert ("analytics", "objected", "banner") in ledger()


def test_reject_all_removes_declared_local_storage_too(new_page, regions):  # noqa: F811
    page = new_page()
    page.goto("/")
    wait_for_banner_script(page)
    page.wait_for_function("() => window.jsgShopAnalytics === true")
    assert page.evaluate("() => localStorage.getItem('_sa_last_visit')") is not None
    page.evaluate("() => localStorage.setItem('shop_basket_draft', 'kept')")  # not declared
    page.locator("#jsg-cb").get_by_role("button", name="Reject all").click()
    page.wait_for_function("() => localStorage.getItem('_sa_last_visit') === null")
    page.goto("/")  # every group decided: the banner stays hidden, the tag does not run
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => localStorage.getItem('_sa_last_visit')") is None
    assert page.evaluate("() => localStorage.getItem('shop_basket_draft')") == "kept"
    assert analytics_cookies(page) == []
