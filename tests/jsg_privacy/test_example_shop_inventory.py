"""The example shop, declared as a shop developer would: its notice and checks, end to end."""

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy.registry import registry

SHOP_CATEGORIES = ["account", "order", "transaction", "correspondence", "cookies", "third_party"]


@pytest.fixture
def notice(client, db):
    return client.get(reverse("jsg_privacy:notice-json")).json()["notice"]


def test_every_shop_model_with_personal_data_is_declared():
    labels = set(registry.sources)
    assert {
        "auth.User",
        "accounts.CustomerProfile",
        "orders.Order",
        "orders.OrderLine",
        "enquiries.Enquiry",
        "enquiries.QuoteRequest",
    } <= labels
    assert [m for m in run_checks(tags=["jsg_privacy"]) if m.id.startswith("jsg_privacy.")] == []


def test_the_notice_shows_every_category_with_purpose_basis_recipients_and_retention(notice):
    by_key = {c["key"]: c for c in notice["categories"]}
    assert [key for key in by_key if key in SHOP_CATEGORIES] == [
        key for key in SHOP_CATEGORIES if key in by_key
    ]
    assert set(SHOP_CATEGORIES) <= set(by_key)
    for key in SHOP_CATEGORIES:
        category = by_key[key]
        assert category["purposes"], key
        assert all(p["basis_label"] and p["article"] for p in category["purposes"]), key
        assert category["retention"], key
    order = by_key["order"]
    assert "Suppliers and manufacturers in China" in [r["name"] for r in order["recipients"]]
    assert order["origins"] == ["you", "your employer", "an agent acting for you"]
    fields = next(c["fields"] for c in order["collected"] if c["source"] == "Orders")
    assert "MPAN" in " ".join(fields).upper()
    transaction = by_key["transaction"]
    assert any(
        "Kept for 7 years after the order is invoiced, then anonymised" in r["rule"]
        for r in transaction["retention"]
    )
    correspondence = by_key["correspondence"]
    assert any(
        "Kept for 30 days after we answer your enquiry, then deleted" in r["rule"]
        for r in correspondence["retention"]
    )


def test_the_transfer_to_china_names_its_safeguard(notice):
    transfer = next(t for t in notice["transfers"] if t["country"] == "CN")
    assert transfer["country"] == "CN"
    assert transfer["safeguard_label"] == "standard contractual clauses with the UK Addendum"


def test_the_notice_page_reads_as_the_shops_notice(client, db):
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    assert "JSG Metering Solutions Ltd is the controller" in page
    assert "Suppliers and manufacturers in China (CN)" in page
    assert "<code>sessionid</code>" in page


@pytest.mark.django_db
def test_deleting_a_declaration_fails_manage_py_check_with_E002():
    with registry.temporarily():
        registry.unregister(Order)
        with pytest.raises(SystemCheckError) as failure:
            call_command("check")
    assert "(jsg_privacy.E002) orders.Order holds personal-looking data" in str(failure.value)
    assert "email is an EmailField" in str(failure.value)
