"""jsg_privacy's compliance kit on the django-oscar shop set up as docs/oscar.md says: Oscar's own
pages, checkout and registration form, and a customer with an order, in chromium."""

import re

import pytest

from jsg_privacy.testing.results import Status

pytestmark = [pytest.mark.browser, pytest.mark.privacy_kit, pytest.mark.django_db(transaction=True)]


def test_the_kit_passes_on_the_oscar_shop(privacy_audit_report):
    report = privacy_audit_report
    assert report.browser.startswith("chromium"), report.browser
    outcome = {r.rule: f"{r.status}: {r.reason}" for r in report.results if r.status != Status.PASS}
    # Oscar's shop asks consent for nothing that GPC refuses (marketing, sharing): the kit says so.
    assert outcome == {
        "gpc-honoured": "not applicable: No consent group is for marketing or sharing, so GPC "
        "has nothing to refuse."
    }
    looked_at = {r.rule: r for r in report.results}
    crawled = re.match(r"(\d+) pages set nothing", looked_at["no-tracking-before-choice"].reason)
    assert crawled
    assert int(crawled.group(1)) >= 15  # the shop's pages, checked one by one
    assert not [
        page for page in report.pages if page.startswith("/dashboard/")
    ]  # staff pages left out
    assert "/checkout/" in report.pages
