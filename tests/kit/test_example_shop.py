"""The compliance kit against the example shop, as its CI runs it: every rule passes, in chromium
against the live server, and the report a shop owner hands to their DPO says so with evidence."""

from __future__ import annotations

import json

import pytest
from django.utils.html import escape

from jsg_privacy.testing import report as kit_report
from jsg_privacy.testing.results import RULE_IDS, Status
from jsg_privacy.testing.rules import RULES

pytestmark = [pytest.mark.browser, pytest.mark.privacy_kit, pytest.mark.django_db(transaction=True)]


def test_every_rule_passes_on_the_example_shop(chromium_path, privacy_audit_report, tmp_path):
    report = privacy_audit_report
    assert report.browser.startswith("chromium"), report.browser
    failed = {r.rule: f"{r.status}: {r.reason}" for r in report.results if r.status != Status.PASS}
    assert failed == {}
    assert [r.rule for r in report.results] == list(RULE_IDS)
    assert "/checkout/" in report.pages
    assert "/account/sign-up/" in report.pages

    html_path, json_path = kit_report.write(report, tmp_path / "audit.html")
    html = html_path.read_text()
    for rule in RULES:  # each rule with where it comes from, for the DPO
        assert escape(rule.title) in html
        assert escape(rule.law) in html
    assert "data:image/png;base64," in html  # the banner as the visitor saw it
    assert "PASS" in html.upper()
    assert "15" in html
    data = json.loads(json_path.read_text())
    assert data["counts"]["pass"] == len(RULE_IDS)
    looks = next(r for r in data["results"] if r["rule"] == "accept-reject-alike")
    table = next(e for e in looks["evidence"] if e["kind"] == "table")
    assert {row["button"] for row in table["rows"]} == {"Accept all", "Reject all"}
    withdrawal = next(r for r in data["results"] if r["rule"] == "withdraw-in-one-action")
    before = next(e for e in withdrawal["evidence"] if "before" in e["label"])
    assert before["items"], "accepting must have set the shop's analytics and ad cookies"
