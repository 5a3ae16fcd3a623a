"""Staff export a customer from Saleor's dashboard: the app's page, framed by a "dashboard" on
another origin that hands it the staff member's app-bridge token as Saleor's dashboard does (a
``handshake`` message to the iframe), shows the customer's requests and plan, and downloads the ZIP.
"""

from __future__ import annotations

import contextlib
import json
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode

import pytest

from jsg_privacy.requests.models import Case, CaseEvent, Kind, Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.jsg_privacy.saleor.urls"),
]

EMAIL = "ann@example.com"

# As saleor-dashboard 3.22/3.23's AppIFrame frames an app: this sandbox, and a handshake on load.
FRAME = """<!doctype html><title>Saleor Dashboard</title>
<iframe id="app" src="%(src)s" width="900" height="700"
  sandbox="allow-same-origin allow-forms allow-scripts allow-downloads allow-popups"></iframe>
<script>
  var frame = document.getElementById("app");
  frame.addEventListener("load", function () {
    frame.contentWindow.postMessage(
      {type: "handshake", payload: {token: %(token)s, version: 1}}, %(origin)s);
  });
</script>"""


@contextlib.contextmanager
def dashboard(browser, tmp_path, src: str, token: str, origin: str) -> Iterator[tuple[Any, Any]]:
    """A browser page on the "dashboard", with the app's page in its iframe."""
    html = FRAME % {"src": src, "token": json.dumps(token), "origin": json.dumps(origin)}
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
        yield page, page.frame_locator("#app")
        page.close()
    finally:
        server.shutdown()
        server.server_close()


def app_page(live_server, saleor, customer: str = "") -> str:
    """The URL the dashboard frames: url-join drops the extension URL's slash before the query."""
    query = {"domain": "127.0.0.1", "saleorApiUrl": saleor.api_url, "id": saleor.app_id}
    if customer:
        query["customerId"] = customer
    query["theme"] = "light"
    return f"{live_server.url}/privacy/saleor/dashboard?{urlencode(query)}"


@pytest.fixture(autouse=True)
def _no_append_slash(settings):
    settings.APPEND_SLASH = False  # no redirect to hide a URL the page does not answer


def test_staff_export_a_customer_from_the_more_actions_pop_up(
    browser, live_server, saleor, installation, store_customer, tmp_path
):
    token = saleor.staff_token("sam@store.example.com")
    src = app_page(live_server, saleor, store_customer["id"])
    with dashboard(browser, tmp_path, src, token, live_server.url) as (page, app):
        app.get_by_text("Signed in to Saleor as sam@store.example.com.").wait_for()
        assert app.locator("#jsg-customer-email").text_content() == EMAIL
        assert app.locator("#jsg-plan tbody tr").count() > 0
        account = app.locator("#jsg-plan tbody tr", has_text="Your account in our store")
        assert account.locator("td").all_text_contents()[1:] == [
            "not counted in advance",
            "deleted",
        ]
        assert app.locator("#jsg-no-cases").is_visible()
        # styled as a page of the dashboard, not the browser's bare serif table
        font = app.locator("main").evaluate("e => getComputedStyle(e).fontFamily")
        assert "sans-serif" in font
        cell = app.locator("#jsg-plan td").first.evaluate("e => getComputedStyle(e).borderTopStyle")
        assert cell == "solid"

        with page.expect_download() as download:
            app.get_by_role("button", name="Export their data (ZIP)").click()
        path = download.value.path()
        with zipfile.ZipFile(path) as archive:
            assert {"saleor.customer.csv", "enquiries.Enquiry.csv"} <= set(archive.namelist())
        case = Case.objects.get()
        assert (case.kind, case.status) == (Kind.ACCESS, Status.COMPLETED)
        assert download.value.suggested_filename == f"{case.reference}-personal-data.zip"
        app.locator("#jsg-cases tbody tr", has_text=case.reference).wait_for()
        trail = CaseEvent.objects.get(case=case, action="exported by Saleor staff")
        assert "sam@store.example.com" in trail.detail


def test_without_a_valid_token_the_page_shows_nothing(
    browser, live_server, saleor, installation, store_customer, tmp_path
):
    token = saleor.staff_token(lifetime=-60)  # expired
    src = app_page(live_server, saleor, store_customer["id"])
    with dashboard(browser, tmp_path, src, token, live_server.url) as (page, app):
        app.get_by_text("The app-bridge token is not valid (ExpiredSignatureError).").wait_for()
        assert not app.locator("#jsg-customer").is_visible()
        assert EMAIL not in page.frames[1].content()
        assert not Case.objects.exists()


def test_staff_the_store_gave_no_token_are_told_which_permission_they_need(
    browser, live_server, saleor, installation, store_customer, tmp_path
):
    # Saleor 3.23 issues no extension token to staff without MANAGE_USERS, yet its dashboard
    # (3.23.27) still shows them the menu entry and hands the page an empty token.
    src = app_page(live_server, saleor, store_customer["id"])
    with dashboard(browser, tmp_path, src, "", live_server.url) as (page, app):
        app.get_by_text("only staff with the MANAGE_USERS permission (Manage customers)").wait_for()
        assert "Configuration → Permission groups" in app.locator("#jsg-status").text_content()
        assert not app.locator("#jsg-customer").is_visible()
        fetched = page.frames[1].evaluate(
            "performance.getEntriesByType('resource').map(entry => entry.name)"
        )
        assert not [url for url in fetched if "/dashboard/cases/" in url]  # no call made
        assert not Case.objects.exists()
