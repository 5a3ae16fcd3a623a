"""The example shop, declared as a shop developer would: its notice and checks, end to end."""

import html
import re

import pytest
from django.core.checks import WARNING, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse

from example_shop.orders.models import Order
from jsg_privacy import inventory
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
    serious = [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.is_serious(WARNING)]
    assert [m for m in serious if m.id.startswith("jsg_privacy.")] == []


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
    assert "<strong>Suppliers and manufacturers in China</strong>" in page
    assert "<code>sessionid</code>" in page


@pytest.mark.django_db
def test_deleting_a_declaration_fails_manage_py_check_with_E002():
    with registry.temporarily():
        registry.unregister(Order)
        with pytest.raises(SystemCheckError) as failure:
            call_command("check")
    assert "(jsg_privacy.E002) orders.Order holds personal-looking data" in str(failure.value)
    assert "email is an EmailField" in str(failure.value)


#: What the example shop's notice promised before its wording left the built-in inventory, with the
#: sentence of seed 000 (the shop's policy) or seed 002 (its agency's notice) each one keeps.
PROMISES = {
    "000 §1.1 account data": "Your name, address, contact number, e-mail address, password and the "
    "preferences you set in your account.",
    "000 §1.2 use of the services": "The products you buy, your installation address and site "
    "details, and who placed the order: you, your employer or an agent.",
    "000 §1.2 the source of the data": "you, your employer, an agent acting for you",
    "000 §1.2 MPAN and meter": "MPAN core, meter serial number",
    "000 §1.3 payment information": "Card numbers never reach us: our payment providers handle them.",
    "000 §1.3.1 payment providers": "Stripe, Inc. — takes your payments. Processes card payments "
    "and refunds; card details go from your browser to Stripe and never reach us. What it "
    "receives: Transaction data. Where: the United States, outside the UK. Your data is protected "
    "there by the UK Extension to the EU-US Data Privacy Framework.",
    "000 §1.4 correspondence": "What you write to us and its metadata: enquiries, quote requests, "
    "support requests.",
    "000 §1.4 transactional messages": "Running your account, quoting, taking and delivering "
    "orders, installation and transactional messages such as order confirmations and appointment "
    "reminders.",
    "000 §1.5 group companies": "Our group companies — a company in our group. These are: JSG "
    "Group Holdings Ltd (demo), our holding company; JSG Installations Ltd (demo), which fits the "
    "meters we sell. Our subsidiaries, ultimate holding company and its subsidiaries.",
    "000 §1.5 partners by name": "These are: Essex Energy Monitoring Ltd (demo); Meterline "
    "Distribution Ltd (demo).",
    "000 §1.5 data from partners": "Data about you that we receive from third-party services, our "
    "group companies and channel partners, or the person who ordered for you.",
    "000 §1.5 passing details to partners": "Only if you tick the separate box: selected suppliers "
    "from our group and channel partners may contact you with their offers, each as a controller "
    "with its own policy.",
    "000 §1.6 usage data": "Pages you visit, searches and server logs with IP addresses.",
    "000 §1.7 cookies": "Records that you came from one of our adverts, so the partner can measure "
    "it.",
    "000 §2.2 website support": "Answering your questions, resolving technical issues and "
    "repairing faults.",
    "000 §2.3 legal claims": "Establishing, exercising or defending legal claims",
    "000 §2.4 marketing": "E-mails about new products, features and offers, and advertising on "
    "other websites. You can withdraw at any time, from your account or any message.",
    "000 §2.5 transfers to China": "Suppliers and manufacturers in China — works for us and only "
    "on our instructions. Only to the extent needed to meet our service obligations. What it "
    "receives: Use of our services. Where: China, outside the UK. Your data is protected there by "
    "standard contractual clauses with the UK Addendum.",
    "000 §3.1 storage": "Personal data is stored in access-controlled UK data centres and sent "
    "only over TLS.",
    "002 encrypted records": "These details are stored encrypted, under keys kept apart from the "
    "database",
    "002 server logs": "Securing the shop protects you and us; server logs are kept briefly, IP "
    "addresses are truncated and nothing is used to profile you.",
    "002 enquiries deleted": "Enquiries: Kept for 30 days after we answer your enquiry, then "
    "deleted; otherwise 1 year after you send it, if it is never answered.",
    "002 quotes deleted": "Quote requests: Kept for 30 days after the quote is accepted, declined "
    "or expires, then deleted; otherwise 1 year after you ask, if the quote is never decided.",
    "002 7 years for tax": "Keeping records of transactions for HMRC and our accounts.",
    "002 no card data": "Payment card details never reach our systems: payment providers receive "
    "them directly.",
    "002 rights": "Object to processing based on our legitimate interests, and to direct marketing "
    "at any time.",
    "002 complaints": "You have the right to complain to the Information Commissioner's Office",
}


def test_the_notice_still_makes_every_promise_of_the_seeds(client, db):
    page = html.unescape(
        re.sub(r"<[^>]+>", "", client.get(reverse("jsg_privacy:notice")).content.decode())
    )
    text = " ".join(page.split())

    missing = {seed: promise for seed, promise in PROMISES.items() if promise not in text}
    assert missing == {}


def test_the_notice_asks_for_testimonials_as_seed_000_promises(notice):
    """Seed 000 §2.4.1: "we may publish testimonials ... with your permission"."""
    marketing = next(c for c in notice["categories"] if c["key"] == "marketing")
    testimonials = next(p for p in marketing["purposes"] if p["key"] == "testimonials")
    assert testimonials["label"] == "Publishing testimonials and customer stories"
    assert testimonials["basis"] == "consent"
    assert "Your marketing choices" in [item["source"] for item in marketing["collected"]]
    assert "Selected suppliers from our group and channel partners" in [
        r["name"] for r in marketing["recipients"]
    ]


def test_every_purpose_people_are_asked_to_consent_to_is_in_the_notice(notice):
    in_notice = {p["key"] for c in notice["categories"] for p in c["purposes"]}
    asked = {key for key, ways in registry.consent_mechanisms.items() if ways}
    asked |= {cookie.purpose for cookie in registry.cookies.values()}
    assert asked & set(registry.purposes) <= in_notice
    assert {"marketing", "partner_marketing", "testimonials", "analytics"} <= in_notice


def test_its_wording_is_its_own_the_built_in_inventory_is_neutral(notice):
    order = next(c for c in notice["categories"] if c["key"] == "order")
    assert "installation address" in order["description"]
    assert "installation" not in str(inventory.category(inventory.ORDER).description)
    assert "appointment" not in str(inventory.purpose(inventory.PROVIDE_SERVICE).description)
