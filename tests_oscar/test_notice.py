"""The privacy notice of a plain Oscar shop names Oscar's data and cookies, and nothing the shop
does not do."""

import html
import re

import pytest
from django.test import override_settings

from jsg_privacy.contrib.oscar import cookies

pytestmark = pytest.mark.django_db


@pytest.fixture
def notice(client) -> str:
    response = client.get("/privacy/notice/")
    assert response.status_code == 200
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+([:.,])", r"\1", re.sub(r"\s+", " ", html.unescape(text)))


@pytest.mark.parametrize(
    "label",
    [
        "Your orders",
        "What you ordered",
        "Delivery addresses of your orders",
        "Billing addresses of your orders",
        "Payments for your orders",
        "Your baskets",
        "Your address book",
        "Your wish lists",
        "Stock alerts you asked for",
        "E-mails we sent you",
        "Your product reviews",
        "Products you looked at",
        "Your searches",
        "Cards you saved",
    ],
)
def test_the_notice_names_oscar_s_data(notice, label):
    assert f"{label}:" in notice


def test_the_notice_says_orders_are_kept_for_the_tax_period_even_on_erasure(notice):
    # Sources under the same rule share one line: "Delivery addresses of your orders; Your
    # orders; What you ordered; ...: Kept for ...".
    assert re.search(
        r"; Your orders; [^:]*: Kept for 7 years after the order is placed, then deleted\. [^:]*"
        r"If you ask us to erase your data, we delete the rest of these records at once and keep "
        r"only what we must for this long: the tax authorities require sales records to be kept; "
        r"we keep them 7 years\.",
        notice,
    )


def test_oscar_s_analytics_are_a_legitimate_interest_not_a_consent(notice):
    uses = notice[notice.index("What we do in our interest, which you can object to") :]
    assert "Understanding what our customers look at, search for and buy." in uses
    assert "Legal basis: our legitimate interests (Art. 6(1)(f) UK GDPR)." in uses
    assert "Understanding how our website is used" not in notice  # the consent-based analytics


def test_the_cookie_table_lists_oscar_s_cookies_under_their_purposes(notice):
    # Columns: name, set by, purpose, do we ask first (the PECR route), kept for.
    assert (
        "oscar_open_basket this website Strictly necessary for the website to work No: the site "
        "needs it to work 1 week"
    ) in notice
    assert (
        "oscar_history this website Remembering your preferences Yes: only with your consent 1 week"
    ) in notice
    assert "django_language this website Strictly necessary" in notice  # Oscar's language list


@pytest.mark.parametrize(
    "word",
    ["meters?", "MPAN", "installation", "appointments?", "quotes?", "quoting", "site details"],
)
def test_no_smart_meter_shop_wording(notice, word):
    assert not re.search(rf"\b{word}\b", notice, re.IGNORECASE)


@pytest.mark.parametrize(
    "claim",
    [
        "Stripe",  # jsg_privacy's payments are not used: Oscar takes payments its own way
        "partners for their marketing",
        "testimonial",
        "IP address",
        "Google",  # no GOOGLE_ANALYTICS_ID in this shop
        "outside the UK and EEA:",
    ],
)
def test_the_notice_claims_nothing_the_shop_does_not_do(notice, claim):
    assert claim.lower() not in notice.lower()


def test_google_analytics_is_declared_only_when_oscar_s_setting_turns_it_on():
    names = {cookie.name for cookie in cookies.oscar_cookies()}
    assert not {"_ga", "_ga_*"} & names
    with override_settings(OSCAR_GOOGLE_ANALYTICS_ID="G-TEST"):
        found = {c.name: c.purpose for c in cookies.oscar_cookies()}
    assert found["_ga"] == found["_ga_*"] == "analytics"


@override_settings(OSCAR_RECENTLY_VIEWED_COOKIE_NAME="recent", OSCAR_BASKET_COOKIE_OPEN="cart")
def test_cookies_are_declared_under_the_names_the_settings_give_them():
    names = {cookie.name for cookie in cookies.oscar_cookies()}
    assert {"recent", "cart"} <= names
