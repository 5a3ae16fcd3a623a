"""A customer downloads their data from their account, and a guest from the public form, in chromium."""

import json
import re
import zipfile

import pytest
from django.core import mail

from example_shop.factories import DEMO_PASSWORD, OrderFactory, UserFactory
from jsg_privacy.requests.models import Case
from tests.browser.axe import AXE_JS, blocking_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINK = re.compile(r"https?://\S+?(/privacy/requests/(?:verify|download|address)/\S+?/)\s")
CODE = re.compile(r"^\s+(\d{6})$", re.M)


def link_in(message):
    found = LINK.search(message.body)
    assert found, f"no link in {message.subject!r}"
    return found.group(1)


def orders_in(path):
    """data.json of the ZIP, and the MPAN of each order in it."""
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("data.json"))
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")
    return data, [record["mpan"] for record in orders["records"]]


def test_a_customer_confirms_their_address_and_downloads_their_data(browser_page, tmp_path):
    from playwright.sync_api import expect

    customer = UserFactory(first_name="Amelia", last_name="Hughes")
    order = OrderFactory(user=customer, email=customer.email)
    guest_order = OrderFactory(email=customer.email)  # placed before the account, signed out
    page = browser_page

    page.goto("/account/login/")
    page.get_by_label("E-mail address").fill(customer.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()

    account_nav = page.get_by_role("navigation", name="Your account")
    account_nav.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Your data", level=1)).to_be_visible()
    if AXE_JS.is_file():  # the accessibility check is extra: never skip the test for lack of it
        violations = blocking_violations(page, {"include": [["main"]]})
        assert violations == [], describe(violations)

    # Until the address is confirmed, what is linked only to it (the guest order) is left out.
    expect(page.get_by_role("note")).to_contain_text("is not confirmed yet")
    page.get_by_role("button", name="E-mail me a confirmation link").click()
    assert mail.outbox[-1].to == [customer.email]
    page.goto(link_in(mail.outbox[-1]))
    expect(page.get_by_text("An account in the name of Amelia Hughes was created")).to_be_visible()
    page.get_by_role("button", name="Yes, I created this account").click()
    expect(page.get_by_role("heading", name="Your e-mail address is confirmed")).to_be_visible()
    page.get_by_role("link", name="Go to your data").click()
    expect(page.get_by_role("note")).to_have_count(0)

    page.get_by_role("button", name="Download my data").click()
    expect(page.get_by_role("status").filter(has_text="preparing a copy")).to_be_visible()
    requests = page.get_by_role("table", name="Your requests")
    expect(requests).to_contain_text("completed")
    requests.get_by_role("link", name="Download").click()

    expect(page.get_by_role("heading", name="Download your data")).to_be_visible()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_role("alert").filter(has_text="That is not your password.")).to_be_visible()

    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    download = info.value
    case = Case.objects.get()
    assert download.suggested_filename == f"{case.reference}-your-data.zip"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    data, mpans = orders_in(path)
    assert data["subject"]["email"] == customer.email
    assert sorted(mpans) == sorted([order.mpan, guest_order.mpan])
    assert case.events.filter(action="downloaded").exists()


def test_a_guest_asks_confirms_and_downloads_with_the_e_mailed_links(browser_page, tmp_path):
    from playwright.sync_api import expect

    order = OrderFactory(email="amelia.hughes@example.net")
    page = browser_page

    page.goto("/privacy/requests/new/")
    if AXE_JS.is_file():
        violations = blocking_violations(page, {"include": [["main"]]})
        assert violations == [], describe(violations)
    page.get_by_label("Your e-mail address").fill("amelia.hughes@example.net")
    page.get_by_label("A copy of my data (access)").check()
    page.get_by_role("button", name="Send my request").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    page.goto(link_in(mail.outbox[-1]))
    expect(page.get_by_role("heading", name="Confirm your request")).to_be_visible()
    page.get_by_role("button", name="Yes, I made this request").click()
    expect(page.get_by_role("heading", name="your request is confirmed")).to_be_visible()

    assert "ready to download" in mail.outbox[-1].subject
    page.goto(link_in(mail.outbox[-1]))
    page.get_by_role("button", name="E-mail me a code").click()
    expect(page.get_by_role("status").filter(has_text="We have e-mailed a code")).to_be_visible()
    code = CODE.search(mail.outbox[-1].body).group(1)
    assert mail.outbox[-1].to == ["amelia.hughes@example.net"]
    page.get_by_label("The code we e-mailed you").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Download", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="wrong or no longer works")).to_be_visible()

    page.get_by_label("The code we e-mailed you").fill(code)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)

    _, mpans = orders_in(path)
    assert mpans == [order.mpan]
