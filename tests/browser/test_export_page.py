"""A customer opens index.html from their download in a real browser and reads their order there,
without opening a CSV: on a phone, in print, offline, and with nothing axe calls serious."""

import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from example_shop.factories import OrderFactory, ProductFactory, UserFactory
from jsg_privacy.flows import export
from jsg_privacy.registry import Subject
from tests.browser.axe import blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_customer_reads_their_order_in_the_exported_page(browser, tmp_path):
    user = UserFactory(first_name="Ann", last_name="Hughes")
    order = OrderFactory(
        user=user, email=user.email, created_at=datetime(2026, 3, 4, 10, 30, tzinfo=UTC), lines=0
    )
    meter = ProductFactory(name="EM112 Single-Phase MID kWh Meter", price=Decimal("1249.50"))
    order.lines.create(product=meter, product_name=meter.name, unit_price=meter.price, quantity=1)
    order.recalculate_totals()
    order.save()
    with translation.override("en-gb"):
        export.export(Subject(user_id=user.pk, email=user.email), tmp_path / "export.zip")
    with zipfile.ZipFile(tmp_path / "export.zip") as archive:
        archive.extract("index.html", tmp_path)

    context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto((tmp_path / "index.html").as_uri())

    # From the summary at the top, the customer follows the link to their orders.
    page.get_by_role("link", name="Orders").first.click()
    group = page.locator("section", has=page.get_by_role("heading", name="Use of our services"))
    record = group.get_by_role("table", name=f"Order {order.reference}")
    assert (
        record.get_by_role("row", name="Billing address line 1")
        .inner_text()
        .endswith(order.billing_line1)
    )
    assert "4 Mar 2026" in record.get_by_role("row", name="Created at").inner_text()
    lines = group.get_by_role("table", name="Products you ordered")
    row = lines.get_by_role("row").nth(1)
    assert row.get_by_role("cell").all_inner_texts() == [
        order.reference,
        "EM112 Single-Phase MID kWh Meter",
        "£1,249.50",
        "1",
    ]
    # Why it is held sits beside it.
    about = group.get_by_role("complementary")
    assert "performance of a contract" in about.inner_text()
    assert "Kept for 7 years after the order is invoiced" in about.inner_text()

    # It fits a phone, loads nothing from anywhere, and nothing axe calls serious blocks a reader.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert fetched == [(tmp_path / "index.html").as_uri()]
    assert blocking_violations(page) == []

    # Printed, the contents list is left out and the order is still there.
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Contents").is_visible()
    assert record.is_visible()
    context.close()
