"""The export a customer downloads reads like a letter: index.html shows every record, in words.

A demo customer with orders: index.html names the product of each order line, shows amounts in
pounds and dates in words, has the Art. 15 information beside each group, and never a raw field
name; the CSVs have human headings; redaction hides only other people's details.
"""

import csv
import io
import json
import os
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from html import unescape

import jsonschema
import pytest
from django.utils import translation

from example_shop.factories import OrderFactory, UserFactory
from jsg_privacy.flows import export
from jsg_privacy.flows.subject_data import REDACTED
from jsg_privacy.registry import Subject

pytestmark = pytest.mark.django_db


def run_export(subject, tmp_path):
    path = tmp_path / "export.zip"
    with translation.override("en-gb"):
        export.export(subject, path)
    archive = zipfile.ZipFile(path)
    if os.environ.get("JSG_EXPORT_DUMP"):  # to look at the page while changing it
        (tmp_path / "index.html").write_bytes(archive.read("index.html"))
        print(tmp_path / "index.html")
    return archive, json.loads(archive.read("data.json"))


def text_of(html):
    """The page as a reader sees it: tags and spacing gone."""
    body = html[max(html.find("<body>"), 0) :]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture
def customer_with_orders():
    user = UserFactory(first_name="Ann", last_name="Hughes", email="ann.hughes@example.co.uk")
    order = OrderFactory(
        user=user,
        email=user.email,
        phone="01174960154",
        created_at=datetime(2026, 3, 4, 10, 30, tzinfo=UTC),
        lines=0,
    )
    order.lines.create(
        product=_product("EM112 Single-Phase MID kWh Meter", "1249.50"),
        product_name="EM112 Single-Phase MID kWh Meter",
        unit_price=Decimal("1249.50"),
        quantity=1,
    )
    order.recalculate_totals()
    order.save()
    return user, order


def _product(name, price):
    from example_shop.factories import ProductFactory

    return ProductFactory(name=name, price=Decimal(price))


def test_a_customer_reads_their_order_in_index_html(customer_with_orders, tmp_path):
    user, order = customer_with_orders
    archive, _ = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)
    html = archive.read("index.html").decode()
    page = text_of(html)

    assert "EM112 Single-Phase MID kWh Meter" in page  # the order line, by its product's name
    assert "£1,249.50" in page  # the amount, in pounds, as a UK reader writes it
    assert "4 Mar 2026" in page  # the order's date in words, not 2026-03-04T10:30:00+00:00
    assert order.reference in page  # the order is titled by its reference, its lines name it
    assert order.billing_line1 in page
    assert order.mpan in page
    # The Art. 15 information beside the group: why, on what basis, and how long.
    group = html[html.index('id="group-order"') :]
    group = group[: group.index("</section>")]
    assert "Providing the products and services you ask for" in text_of(group)
    assert "performance of a contract with you" in text_of(group)
    assert "Kept for 7 years after the order is invoiced" in text_of(group)
    # A summary at the top, before the first group.
    assert html.index('id="summary"') < html.index('id="group-account"')
    assert re.search(r"Products you ordered\s*: 1\b", page)
    # Labels people read; never a field name, an id or a raw timestamp.
    for raw in ("billing_line1", "installation_postcode", "site_contact_name", "unit_price"):
        assert raw not in page
    assert "Billing address line 1" in page
    assert "2026-03-04T" not in page
    # Self-contained and printable: no external asset, a print stylesheet, tables with headers.
    assert not re.search(r"<(link|script|img)\b", html)
    assert "@media print" in html
    assert '<th scope="col">' in html
    assert '<th scope="row">' in html
    assert "<caption>" in html


def test_the_csv_headings_are_human_then_the_field_names(customer_with_orders, tmp_path):
    user, order = customer_with_orders
    archive, data = run_export(Subject(user_id=user.pk), tmp_path)
    rows = list(csv.reader(io.StringIO(archive.read("orders.Order.csv").decode())))
    headings, names, values = rows[0], rows[1], rows[2]
    assert headings[:3] == ["Reference", "Full name", "Email"]
    assert "Billing address line 1" in headings
    assert "billing_line1" not in headings
    assert names[:3] == ["reference", "full_name", "email"]  # for software: data.json's names
    assert values[names.index("total")] == "1249.50"  # pounds, as in data.json
    lines = list(csv.reader(io.StringIO(archive.read("orders.OrderLine.csv").decode())))
    assert lines[0] == ["Order reference", "Product name", "Unit price", "Quantity"]
    assert lines[2][0] == order.reference
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")
    assert orders["fields"]["total"] == {
        "label": "Total",
        "type": "money",
        "category": "transaction",
        "currency": "GBP",
        "unit": "major",
    }
    jsonschema.validate(data, json.loads(archive.read("schema.json")))


def test_amounts_stored_in_pence_are_exported_in_pounds_everywhere(tmp_path, settings):
    from jsg_privacy.payments.models import Payment

    user = UserFactory()
    Payment.objects.create(
        reference="JSG-000777",
        gateway="dummy",
        user=user,
        subject_key="k",
        amount=124950,
        currency="gbp",
        status=Payment.Statuses.SUCCEEDED,
    )
    archive, data = run_export(Subject(user_id=user.pk), tmp_path)
    payments = next(s for s in data["sources"] if s["key"] == "jsg_privacy.Payment")
    assert payments["records"][0]["amount"] == "1249.50"
    assert payments["fields"]["amount"]["currency_field"] == "currency"
    rows = list(csv.reader(io.StringIO(archive.read("jsg_privacy.Payment.csv").decode())))
    assert rows[2][rows[1].index("amount")] == "1249.50"
    assert "Amount" in rows[0]
    assert "Amount (minor units)" not in rows[0]
    page = text_of(archive.read("index.html").decode())
    assert "Payment JSG-000777" in page
    assert "£1,249.50" in page


def test_own_contact_details_are_shown_and_another_persons_withheld(tmp_path):
    user = UserFactory(first_name="Ann", last_name="Hughes")
    own = OrderFactory(user=user, email=user.email, phone="01174960154")  # her own site contact
    OrderFactory(
        user=user,
        email=user.email,
        phone="01174960154",
        site_contact_name="Bob Price",
        site_contact_phone="+44 7700 900123",
    )
    spaced = OrderFactory(user=user, email=user.email, phone="01174 960154")
    spaced.site_contact_name, spaced.site_contact_phone = "ann HUGHES", "+44 117 496 0154"
    spaced.save()
    archive, data = run_export(Subject(user_id=user.pk, email=user.email), tmp_path)
    orders = next(s for s in data["sources"] if s["key"] == "orders.Order")["records"]
    by_reference = {row["reference"]: row for row in orders}
    assert by_reference[own.reference]["site_contact_name"] == "Ann Hughes"
    assert by_reference[own.reference]["site_contact_phone"] == "01174960154"
    assert by_reference[spaced.reference]["site_contact_name"] == "ann HUGHES"  # any case
    assert by_reference[spaced.reference]["site_contact_phone"] == "+44 117 496 0154"
    other = next(
        row for ref, row in by_reference.items() if ref not in (own.reference, spaced.reference)
    )
    assert other["site_contact_name"] == REDACTED
    assert other["site_contact_phone"] == REDACTED
    text = archive.read("data.json").decode() + archive.read("index.html").decode()
    assert "Bob Price" not in text
    assert "7700 900123" not in text
    page = text_of(archive.read("index.html").decode())
    assert "Withheld: another person's data" in page
    redactions = data["search_record"]["redactions"]
    assert {(r["field"], r["count"]) for r in redactions} == {
        ("site_contact_name", 1),
        ("site_contact_phone", 1),
    }


def test_the_consent_history_shows_version_fingerprints_explained(tmp_path):
    from jsg_privacy.consent import ledger
    from jsg_privacy.crypto import subjects

    user = UserFactory()
    ledger.append(
        subject_key=subjects.for_user(user),
        purpose="analytics",
        action="given",
        channel="banner",
        version="a" * 64,
    )
    archive, data = run_export(Subject(user_id=user.pk), tmp_path)
    html = archive.read("index.html").decode()
    assert data["consent_history"][0]["version"] == "a" * 64  # the machine copy keeps it whole
    assert '<span class="jsg-hash" title="' + "a" * 64 + '">aaaaaaaa</span>' in html
    assert "fingerprints of the exact text" in text_of(html)
    assert "Consent given" in text_of(html)


def test_money_not_shown_with_its_currency_is_a_failed_check():
    from example_shop.orders.models import Order
    from jsg_privacy import registry as privacy
    from jsg_privacy.registry.checks import check_registry

    class Careless(privacy.ModelSource):
        fields = {"transaction": ["total", "full_name"]}
        money = {"total": privacy.Money(currency_field="billing_country")}

    with privacy.temporarily():
        privacy.unregister(Order)
        privacy.registry.register(Order)(Careless)
        found = [m for m in check_registry(privacy.registry) if m.id == "jsg_privacy.E085"]
    assert len(found) == 1
    assert "'billing_country'" in found[0].msg
    assert all(m.id != "jsg_privacy.E085" for m in check_registry(privacy.registry))
