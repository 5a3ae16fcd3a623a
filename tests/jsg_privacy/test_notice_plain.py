"""The privacy notice in plain language: a summary that reads easily, no internal terms, every
recipient named, each fact said once, what is required and what is optional, and decisions made by
computer. The Art. 30 record keeps the precise terms."""

import re
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.core.checks import run_checks
from django.urls import reverse

from example_shop.catalogue.privacy import AD_PARTNER
from example_shop.orders.privacy import GROUP_COMPANY_NAMES, PARTNER_NAMES
from jsg_privacy import inventory
from jsg_privacy import registry as privacy
from jsg_privacy.notice import record
from jsg_privacy.registry import registry
from tests.jsg_privacy.readability import flesch_reading_ease, internal_terms, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_cache", "example_shop_only")]


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def example_shop_only():
    """The example shop's notice: the test suite's own models (tests.testapp) withdrawn."""
    with registry.temporarily():
        for key in [k for k in registry.sources if k.startswith("testapp.")]:
            registry.unregister(key)
        yield


def notice_html(client) -> str:
    page = client.get(reverse("jsg_privacy:notice")).content.decode()
    return re.search(r"<article\b.*</article>", page, re.S).group(0)


def section(html: str, element_id: str) -> str:
    """The <details> section holding ``element_id``, or the summary's <section>."""
    if element_id == "summary":
        return re.search(r'<section class="jsg-privacy__summary".*?</section>', html, re.S).group(0)
    for found in re.findall(r"<details\b.*?</details>", html, re.S):
        if f'id="{element_id}"' in found:
            return found
    raise AssertionError(f"no section holds #{element_id}")


def test_the_summary_comes_first_and_reads_as_plain_english(client):
    html = notice_html(client)
    assert html.index('id="summary"') < html.index("<details")
    summary = text_of(section(html, "summary"))
    score = flesch_reading_ease(summary)
    assert score >= 60, (score, summary)
    assert len(summary.split()) <= 120, summary
    assert "To sell to you, we need: account data, use of our services" in summary
    assert "Anything else is up to you, such as sending you news and offers." in summary
    assert "No decision about you is made by a computer alone." in summary
    # Each group company and partner counts: 2 + 2 + the advertising partner + 6 service and payment
    # providers (+ the Saleor App's, installed in the test settings); courts, which get data only
    # on an order, are not "firms".
    firms = 11 + ("saleor" in registry.recipients)
    assert f"We share some of your data with {firms} other firms, named below." in summary


def test_the_notice_uses_no_internal_terms(client):
    text = text_of(notice_html(client), drop_code=True)
    assert internal_terms(text) == []


def test_every_recipient_is_named_once_with_the_organisations_it_stands_for(client):
    recipients = section(notice_html(client), "recipients")
    for name in (*GROUP_COMPANY_NAMES, *PARTNER_NAMES, AD_PARTNER, "Stripe, Inc."):
        assert name in recipients
    for recipient in registry.recipients.values():
        assert recipients.count(f"<strong>{recipient.name}</strong>") == 1, recipient.name
    assert "Where: China, outside the UK." in text_of(recipients)


def test_each_purpose_and_retention_rule_is_said_once(client):
    html = notice_html(client)
    text = text_of(html)
    for purpose in registry.purposes_in_use:
        label = str(registry.purposes[purpose].label)
        assert html.count(f"<strong>{label}.</strong>") == 1, label
    kept = client.get(reverse("jsg_privacy:notice-json")).json()["notice"]["kept"]
    for entry in kept:
        assert text.count(entry["period"]) == 1, entry["period"]
    # The records kept as proof of how we answered requests share one sentence on erasure.
    proof = "Even if you ask us to erase your data, we keep these records this long: proof of how"
    assert text.count(proof) == 1
    assert len([e for e in kept if e["on_erasure"].startswith(proof)]) >= 5
    assert "On erasure" not in text


def test_the_notice_says_what_is_required_what_may_be_objected_to_and_what_is_optional(client):
    uses = text_of(section(notice_html(client), "uses"))
    required = uses.index("What you must give us")
    objectable = uses.index("What we do in our interest, which you can object to")
    optional = uses.index("What is up to you")
    assert required < objectable < optional
    assert "Keeping accounting and tax records" in uses[required:objectable]
    assert "Legal basis: compliance with a legal obligation (Art. 6(1)(c) UK GDPR)." in uses
    assert "Understanding how our website is used" in uses[objectable:optional]
    assert "Sending you news and offers" in uses[optional:]
    assert "Only if you tick the separate box" in uses[optional:]


@privacy.temporarily()
def test_a_declared_automated_decision_is_in_the_summary_and_its_section(client):
    registry.add(
        replace(
            registry.purposes[inventory.PROVIDE_SERVICE],
            automated_decision="Trade credit: our credit checker accepts or refuses an "
            "application from your payment history.",
        )
    )
    html = notice_html(client)
    assert "Some decisions about you are made by computer alone." in section(html, "summary")
    automated = text_of(section(html, "automated"))
    assert "You can ask for a person to look at any of them" in automated
    assert "our credit checker accepts or refuses an application" in automated


def test_without_one_the_notice_says_no_decision_is_made_by_computer_alone(client):
    automated = text_of(section(notice_html(client), "automated"))
    assert "We make no decision about you by computer alone" in automated


def test_the_record_of_processing_keeps_the_precise_terms(client):
    built = record.build(registry)
    activity = next(
        a
        for a in built["activities"]
        if a["purpose"] == "Passing your contact details to selected partners for their marketing"
    )
    assert activity["basis"] == "your consent (Art. 6(1)(a))"
    partners = next(r for r in activity["recipients"] if r.startswith("Selected suppliers"))
    assert partners == (
        "Selected suppliers from our group and channel partners (controller, GB): "
        + "; ".join(PARTNER_NAMES)
    )
    payments = next(a for a in built["activities"] if a["purpose"].startswith("Providing"))
    retention = " ".join(payments["retention"])
    assert "On erasure: kept for 7 years after the payment" in retention


@privacy.temporarily()
def test_a_group_company_or_partner_without_names_is_check_w088():
    assert "jsg_privacy.W088" not in [m.id for m in run_checks()]
    registry.add(inventory.GROUP_COMPANIES)  # the built-in declaration names nobody
    found = [m for m in run_checks() if m.id == "jsg_privacy.W088"]
    assert [m.obj for m in found] == ["group_companies"]
    assert "names no organisation" in found[0].msg
