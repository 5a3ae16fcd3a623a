"""jsg_privacy's pages in a host shop's layout and form styles (docs/templates.md).

A shop ("Harbour Hardware", ``tests/jsg_privacy/host_shop/templates``) with its own ``base.html`` —
its header, a ``<main class="shop-main">`` and its own title — overrides
``jsg_privacy/layouts/base.html`` as the docs say, and gives its form classes in
``JSG_PRIVACY_FORM_CLASSES``. Every privacy page must then be the shop's page: its header, the
privacy content inside the shop's main block, and fields, labels and buttons with the shop's classes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.checks import run_checks
from django.test import Client

from example_shop.factories import OrderFactory, UserFactory

pytestmark = pytest.mark.django_db

HOST_TEMPLATES = Path(__file__).parent / "host_shop" / "templates"
CLASSES = {
    "input": "shop-input",
    "textarea": "shop-input shop-input--long",
    "select": "shop-select",
    "checkbox": "shop-check",
    "radio": "shop-radio",
    "label": "shop-label",
    "button": "shop-button",
}
PUBLIC_PAGES = [
    "/privacy/requests/new/",
    "/privacy/requests/complain/",
    "/privacy/cookies/",
    "/privacy/notice/",
    "/privacy/notice/versions/",
]
ACCOUNT_PAGES = [
    "/privacy/requests/",
    "/privacy/requests/erase/",
    "/privacy/marketing/preferences/",
]


@pytest.fixture
def host_shop(settings):
    """The host shop's templates first, as a project's DIRS come before apps' templates."""
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {**engine, "DIRS": [HOST_TEMPLATES, *engine["DIRS"]]},
        *settings.TEMPLATES[1:],
    ]
    settings.JSG_PRIVACY_FORM_CLASSES = CLASSES


@pytest.fixture
def signed_in() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def shop_page(response) -> BeautifulSoup:
    assert response.status_code == 200, response.status_code
    return BeautifulSoup(response.content.decode(), "html.parser")


def assert_in_the_shop_layout(page: BeautifulSoup) -> None:
    assert page.select_one("header.shop-header").get_text(strip=True) == "Harbour Hardware"
    assert page.select_one("footer.shop-footer") is not None
    assert page.title.get_text().endswith("| Harbour Hardware"), page.title
    (main,) = page.find_all("main")  # the shop's, and no second one from jsg_privacy's layout
    assert main["class"] == ["shop-main"]
    heading = page.find("h1")
    assert heading is not None
    assert main in heading.parents, "the page's heading is inside the shop's main block"
    for form in page.find_all("form"):
        assert main in form.parents, "every privacy form is inside the shop's main block"


def assert_fields_carry_the_shop_classes(page: BeautifulSoup) -> int:
    """Every field in the privacy forms has the shop's class for its kind; the number checked."""
    main = page.find("main")
    checked = 0
    for element in main.find_all(["input", "textarea", "select"]):
        kind = element.name if element.name != "input" else element.get("type", "text")
        if kind in ("hidden", "submit"):
            continue
        if element.get("role") == "switch":
            continue  # the cookie switches keep the banner's own look (consent.css)
        expected = {"checkbox": "checkbox", "radio": "radio", "textarea": "textarea"}.get(
            kind, "select" if kind == "select" else "input"
        )
        classes = element.get("class", [])
        for name in CLASSES[expected].split():
            assert name in classes, f"{element} lacks {name}"
        checked += 1
    for label in main.select(".jsg-privacy__field > label"):
        assert "shop-label" in label.get("class", []), label
    for button in main.select("button.jsg-privacy__button"):
        assert "shop-button" in button["class"], button
    return checked


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_privacy_pages_are_pages_of_the_host_shop(host_shop, client, url):
    assert_in_the_shop_layout(shop_page(client.get(url)))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_privacy_forms_carry_the_shop_classes(host_shop, client, url):
    assert_fields_carry_the_shop_classes(shop_page(client.get(url)))


@pytest.mark.parametrize("url", ACCOUNT_PAGES)
def test_account_privacy_pages_are_pages_of_the_host_shop(host_shop, signed_in, url):
    page = shop_page(signed_in.get(url))
    assert_in_the_shop_layout(page)
    assert_fields_carry_the_shop_classes(page)


def test_the_request_form_fields_each_carry_the_class_for_their_kind(host_shop, client):
    page = shop_page(client.get("/privacy/requests/new/"))
    assert assert_fields_carry_the_shop_classes(page) >= 3
    assert page.select_one("input[type=email]")["class"] == ["shop-input"]
    assert set(page.select_one("textarea")["class"]) == {"shop-input", "shop-input--long"}
    radios = page.select("input[type=radio]")
    assert radios
    assert all(radio["class"] == ["shop-radio"] for radio in radios)
    assert page.select_one("label[for=id_email]")["class"] == ["shop-label"]
    (button,) = page.select("form button")
    assert button["class"] == ["jsg-privacy__button", "jsg-privacy__button--primary", "shop-button"]


def test_marketing_boxes_carry_the_shop_checkbox_class(host_shop, signed_in):
    page = shop_page(signed_in.get("/privacy/marketing/preferences/"))
    boxes = page.select("main input[type=checkbox]")
    assert boxes
    assert all("shop-check" in box["class"] for box in boxes)


def test_without_form_classes_the_fields_carry_no_extra_class(client):
    page = shop_page(client.get("/privacy/requests/new/"))
    assert page.select_one("input[type=email]").get("class") is None
    assert page.select_one("form button.jsg-privacy__button")["class"] == [
        "jsg-privacy__button",
        "jsg-privacy__button--primary",
    ]


def test_a_form_class_for_no_kind_of_field_is_a_clear_error(settings):
    settings.JSG_PRIVACY_FORM_CLASSES = {"inputs": "form-control", "button": ["btn"]}
    errors = [m for m in run_checks() if m.id == "jsg_privacy.E096"]
    assert [m.msg for m in errors] == [
        "JSG_PRIVACY_FORM_CLASSES has keys the privacy forms do not use: inputs.",
        "JSG_PRIVACY_FORM_CLASSES maps button to something other than a string.",
    ]
    settings.JSG_PRIVACY_FORM_CLASSES = CLASSES
    assert [m for m in run_checks() if m.id == "jsg_privacy.E096"] == []


def test_the_pay_page_is_a_page_of_the_host_shop(host_shop, settings):
    settings.JSG_PRIVACY_PAYMENT_GATEWAYS = ["jsg_privacy.payments.gateways.dummy.DummyGateway"]
    settings.JSG_PRIVACY_DUMMY_GATEWAY = True
    customer = UserFactory()
    order = OrderFactory(user=customer)
    client = Client()
    client.force_login(customer)

    page = shop_page(client.get(f"/privacy/payments/pay/{order.reference}/"))
    assert_in_the_shop_layout(page)
    buttons = page.select("main button")
    assert buttons
    assert all("shop-button" in button["class"] for button in buttons)


def test_a_notice_drawn_before_the_form_classes_changed_is_not_served_after(client, settings):
    """The rendered notice is cached; a deploy that sets form classes gets a page drawn with them."""
    before = shop_page(client.get("/privacy/notice/"))
    assert all("shop-button" not in b["class"] for b in before.select("button.jsg-privacy__button"))
    settings.JSG_PRIVACY_FORM_CLASSES = CLASSES
    after = shop_page(client.get("/privacy/notice/"))
    buttons = after.select("main button.jsg-privacy__button")
    assert buttons
    assert all("shop-button" in b["class"] for b in buttons)
