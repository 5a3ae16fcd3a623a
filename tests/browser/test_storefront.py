"""A plain HTML storefront on a second origin shows the banner through the storefront API.

The page (``example_shop/storefront/index.html``) is served by its own HTTP server on another
port — another origin — and loads ``storefront.js`` from the shop, as a headless storefront does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from jsg_privacy.consent.models import Action, Channel, ConsentRecord

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.jsg_privacy.storefront.urls"),
]

ROOT = Path(__file__).parents[2]
PAGE = ROOT / "example_shop" / "storefront" / "index.html"


@pytest.fixture
def storefront(live_server, tmp_path) -> Iterator[str]:
    """The example page, pointed at the live shop, served from another origin."""
    page = PAGE.read_text(encoding="utf-8").replace("http://127.0.0.1:8000", live_server.url)
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_visitor_on_another_origin_accepts_analytics_and_it_lands_in_the_ledger(
    browser, storefront, settings
):
    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = [storefront]
    page = browser.new_page()
    page.goto(storefront + "/index.html")

    banner = page.get_by_role("dialog", name="Cookies")
    banner.wait_for()
    assert page.text_content("#analytics-state") == "Analytics not loaded."  # gated until chosen
    page.get_by_role("button", name="Accept all").click()
    page.wait_for_function("window.analyticsLoaded === true")

    assert not banner.is_visible()
    given = ConsentRecord.objects.filter(purpose="analytics", channel=Channel.STOREFRONT)
    assert list(given.values_list("action", flat=True)) == [Action.GIVEN]
    page.reload()  # the choice stands: no banner, the tag runs at once
    page.wait_for_function("window.analyticsLoaded === true")
    assert not page.get_by_role("dialog", name="Cookies").is_visible()
    page.close()


def test_an_origin_not_on_the_allowlist_gets_no_banner_and_records_nothing(
    browser, storefront, settings
):
    settings.JSG_PRIVACY_STOREFRONT_ORIGINS = ["https://store.example.com"]
    page = browser.new_page()
    warnings = []
    page.on("console", lambda message: warnings.append(message.text))
    page.goto(storefront + "/index.html")
    page.wait_for_function("window.jsgPrivacy !== undefined")
    page.wait_for_timeout(500)

    assert not page.get_by_role("dialog", name="Cookies").is_visible()
    assert page.text_content("#analytics-state") == "Analytics not loaded."
    assert not ConsentRecord.objects.exists()
    page.close()
