"""Pages with the banner set no cookie on a first visit, stay the same for every visitor, and cost a
visitor with a forged consent cookie no more than a first-time visitor; choices come from the site's
own pages, checked by what the browser says of the request instead of a CSRF cookie."""

import secrets

import pytest
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jsg_privacy.consent import state
from jsg_privacy.consent.models import ConsentRecord

pytestmark = pytest.mark.django_db

#: Pages of the example shop that show the banner and have no form of the shop's own (a shop's own
#: ``{% csrf_token %}``, as on a product page's basket form, sets Django's cookie as it always did).
BANNER_PAGES = ("/", "/cart/", "/privacy/notice/", "/privacy/cookies/")


def records():
    return list(ConsentRecord.objects.values_list("purpose", "action"))


@pytest.mark.parametrize("url", BANNER_PAGES)
def test_a_first_visit_to_a_page_with_the_banner_sets_no_cookie(url):
    response = Client().get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="jsg-cb"' in html
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in html


def test_the_page_is_the_same_for_every_visitor_before_and_after_a_choice():
    first, other, decided = Client(), Client(), Client()
    decided.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"})
    pages = [c.get("/").content for c in (first, other, decided)]
    assert pages[0] == pages[1] == pages[2]


def test_the_head_needs_no_request_to_the_shop_with_javascript():
    html = Client().get("/").content.decode()
    css = reverse("jsg_privacy:cookies-state-css")
    assert f'<noscript><link rel="stylesheet" href="{css}"></noscript>' in html
    assert html.count(css) == 1, "the per-visitor stylesheet only inside <noscript>"
    assert 'src="/static/jsg_privacy/consent-state.js"' in html


def test_the_no_javascript_stylesheet_answers_304_while_the_choice_is_unchanged(client):
    css = reverse("jsg_privacy:cookies-state-css")
    undecided = client.get(css)
    assert undecided.content == b""
    assert client.get(css, HTTP_IF_NONE_MATCH=undecided["ETag"]).status_code == 304
    client.post(reverse("jsg_privacy:cookies-decline"), {"all": "1"})
    decided = client.get(css, HTTP_IF_NONE_MATCH=undecided["ETag"])
    assert decided.status_code == 200
    assert b"#jsg-cb{display:none}" in decided.content
    assert decided["Cache-Control"] == "private, no-cache"


# Where a choice may come from --------------------------------------------------------------------


def post_choice(**headers):
    """POST "Accept all" like a browser with no cookie and no token: only its headers vary."""
    browser = Client(enforce_csrf_checks=True)
    return browser.post(reverse("jsg_privacy:cookies-accept"), {"all": "1"}, headers=headers)


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Origin": "http://testserver"},  # a browser that sends no Fetch Metadata
    ],
    ids=["fetch-metadata", "fetch-metadata-only", "origin-only"],
)
def test_a_choice_from_the_shops_own_page_needs_no_csrf_cookie(headers):
    response = post_choice(**headers)
    assert response.status_code == 302
    assert sorted(records()) == [("analytics", "given"), ("marketing", "given")]
    assert "csrftoken" not in response.cookies


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://shop.testserver"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Origin": "https://evil.example"},
        {"Origin": "https://testserver"},  # another scheme is another origin
        {"Origin": "null"},
        {},  # nothing said: Django's token check, and there is no token
    ],
    ids=["cross-site", "same-site", "cross-site-no-origin", "origin", "scheme", "null", "none"],
)
def test_a_choice_from_elsewhere_is_refused_and_records_nothing(headers):
    response = post_choice(**headers)
    assert response.status_code == 403
    assert records() == []
    assert state.cookie_name() not in response.cookies


def test_a_trusted_origin_may_send_choices(settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://*.shop.example"]
    trusted = {"Sec-Fetch-Site": "cross-site", "Origin": "https://www.shop.example"}
    assert post_choice(**trusted).status_code == 302
    assert records()
    assert post_choice(Origin="https://www.shop.example").status_code == 302
    assert post_choice(Origin="https://www.shop.example.evil").status_code == 403


def test_a_client_that_says_nothing_passes_with_djangos_token():
    browser = Client(enforce_csrf_checks=True)
    token = browser.get(reverse("jsg_privacy:cookies-status")).json()["csrftoken"]
    response = browser.post(
        reverse("jsg_privacy:cookies-accept"), {"all": "1", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert records()


# Bad cookies cost what no cookie costs ------------------------------------------------------------


def forged_values():
    good = signing.dumps({"i": "x", "c": {"analytics": [1, "v"]}}, salt=state.SALT, key="other")
    payload, timestamp, signature = good.split(":")
    return [
        good,  # signed with another key
        f"{payload}:{timestamp}:{signature[:-1]}A",
        f"{payload}:{timestamp}",
        "analytics=1",
        "~",
        ":::",
        "é" * 50,
        secrets.token_urlsafe(300),
        "x" * 5000,
        signing.dumps([1, 2], salt=state.SALT),  # signed by the shop, but not a consent payload
        signing.dumps({"i": 5, "c": []}, salt=state.SALT),
    ]


def page_cost(cookie: str | None) -> tuple[int, bool, bool]:
    client = Client()
    if cookie is not None:
        client.cookies[state.cookie_name()] = cookie
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    return len(queries), bool(response.cookies), b'id="jsg-cb"' in response.content


@pytest.mark.parametrize("value", forged_values())
def test_a_forged_consent_cookie_costs_what_a_first_visit_costs(value):
    page_cost(None)  # warm: groups and the banner are built once per process
    assert page_cost(value) == page_cost(None)
    request = type("R", (), {"COOKIES": {state.cookie_name(): value}})()
    assert state.read(request) == state.ConsentState()


def test_a_forged_cookie_raises_nothing_on_the_way(monkeypatch):
    """No exception path: the signature is compared, not caught."""

    def refuse(*args, **kwargs):
        raise AssertionError("signing.loads used")

    monkeypatch.setattr(signing, "loads", refuse)
    monkeypatch.setattr(signing.TimestampSigner, "unsign", refuse)
    for value in forged_values()[:-2]:
        assert state._verify(value) == state.ConsentState()
