"""The compliance kit without a browser: `manage.py privacy_audit` through the test client, bad
input (a page that errors, a shop that is not running, no chromium, a bad configuration), a rule
the shop marks not applicable, and rules that fail with their reason."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command

from example_shop.factories import ProductFactory
from jsg_privacy.testing.audit import Audit
from jsg_privacy.testing.config import KitConfig
from jsg_privacy.testing.results import RULE_IDS, Status

pytestmark = pytest.mark.django_db

BROWSER_ONLY = {"accept-reject-alike", "closing-is-not-consent"}
BROWSER_TOO = {"no-tracking-before-choice", "no-tracking-after-refusal", "withdraw-in-one-action"}


def results(report) -> dict[str, object]:
    return {result.rule: result for result in report.results}


def run(settings, only=(), **kit):
    settings.JSG_PRIVACY_KIT = {**settings.JSG_PRIVACY_KIT, **kit}
    return results(Audit(KitConfig.from_settings()).run(only))


def test_privacy_audit_through_the_test_client_writes_both_reports(tmp_path, capsys):
    ProductFactory(stock=5)
    call_command("privacy_audit", output=str(tmp_path / "audit.html"))

    out = capsys.readouterr().out
    data = json.loads((tmp_path / "audit.json").read_text())
    status = {r["rule"]: r["status"] for r in data["results"]}
    assert list(status) == list(RULE_IDS)
    # What the test client cannot see is skipped and says why; it never passes.
    assert {rule for rule, s in status.items() if s == "skipped"} == BROWSER_ONLY | BROWSER_TOO
    assert {rule for rule, s in status.items() if s == "pass"} == set(
        RULE_IDS
    ) - BROWSER_ONLY - BROWSER_TOO
    skipped = next(r for r in data["results"] if r["rule"] == "no-tracking-before-choice")
    assert "browser's part was skipped" in skipped["reason"]
    assert "--url" in skipped["reason"]
    assert "10 passed, 0 failed, 5 skipped" in out
    html = (tmp_path / "audit.html").read_text()
    assert "Privacy audit of the test client" in html
    assert "UK GDPR Art. 12(3)" in html
    assert "PECR reg. 6" in html
    assert "/checkout/" in html  # the pages visited, the checkout with a basket filled
    # Nothing the audit did is kept: its test-client requests and subject were rolled back.
    from django.contrib.auth import get_user_model

    from jsg_privacy.consent.models import ConsentRecord

    assert not ConsentRecord.objects.exists()
    assert not get_user_model().objects.exists()


def test_a_page_that_errors_fails_the_rules_with_its_status_and_path(settings):
    settings.ROOT_URLCONF = "tests.testapp.urls"
    found = run(
        settings,
        ["settings-link-everywhere", "no-preticked-consent"],
        pages=["/cookies/broken/", "/no-such-page/", "/"],
        discover=False,
        checkout="",
        sign_up="",
    )
    link = found["settings-link-everywhere"]
    assert link.status == Status.FAIL
    assert "/cookies/broken/ answered 500" in link.reason
    assert "/no-such-page/ answered 404" in link.reason
    assert found["no-preticked-consent"].status == Status.FAIL


def test_a_shop_that_is_not_running_fails_with_the_page_not_a_crash(tmp_path, capsys):
    with pytest.raises(CommandError, match="rule\\(s\\) failed"):
        call_command(
            "privacy_audit",
            url="http://127.0.0.1:9",
            output=str(tmp_path / "down.html"),
            rules=["settings-link-everywhere", "card-number-refused", "notice-complete"],
            no_browser=True,
        )
    data = json.loads((tmp_path / "down.json").read_text())
    for result in data["results"]:
        assert result["status"] == "fail"
        assert "could not be fetched" in result["reason"], result
    assert "/privacy/notice/ could not be fetched (URLError" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_without_chromium_the_browser_rules_are_skipped_and_say_why(settings, live_server):
    settings.JSG_PRIVACY_KIT = {
        **settings.JSG_PRIVACY_KIT,
        "chromium": "/nonexistent/chromium",
        "pages": ["/"],
        "discover": False,
    }
    report = Audit(KitConfig.from_settings(), base_url=live_server.url).run(
        ["no-tracking-before-choice", "accept-reject-alike", "settings-link-everywhere"]
    )
    found = results(report)
    assert "/nonexistent/chromium" in report.browser
    assert found["accept-reject-alike"].status == Status.SKIPPED
    assert "is not an executable file" in found["accept-reject-alike"].reason
    partly = found["no-tracking-before-choice"]
    assert partly.status == Status.SKIPPED
    assert "Only the HTTP client's part was checked" in partly.reason
    assert found["settings-link-everywhere"].status == Status.PASS  # over HTTP, no browser needed


def test_a_rule_marked_not_applicable_shows_the_shops_reason(settings, tmp_path):
    found = run(
        settings,
        ["gpc-honoured", "deadlines-calendar-month"],
        not_applicable={"gpc-honoured": "We set no marketing or sharing cookies at all."},
    )
    assert found["gpc-honoured"].status == Status.NOT_APPLICABLE
    assert (
        found["gpc-honoured"].reason
        == "The shop says: We set no marketing or sharing cookies at all."
    )
    assert found["deadlines-calendar-month"].status == Status.PASS


def test_without_a_subject_factory_the_data_rules_do_not_pass(settings):
    found = run(settings, ["export-complete", "erasure-leaves-held-only"], subject="")
    for rule in ("export-complete", "erasure-leaves-held-only"):
        assert found[rule].status == Status.SKIPPED
        assert 'JSG_PRIVACY_KIT["subject"]' in found[rule].reason


def test_an_export_that_leaves_a_source_out_fails(settings, monkeypatch):
    from jsg_privacy.flows import subject_data

    everything = subject_data.sources
    monkeypatch.setattr(
        subject_data, "sources", lambda: [s for s in everything() if s.key != "orders.Order"]
    )
    result = run(settings, ["export-complete"])["export-complete"]
    assert result.status == Status.FAIL
    assert result.reason == "the export leaves out orders.Order"


def test_a_thirty_day_clock_fails_the_calendar_month_rule(settings, monkeypatch):
    from jsg_privacy.requests import cases

    monkeypatch.setattr(cases, "due_date", lambda received: received + timedelta(days=30))
    result = run(settings, ["deadlines-calendar-month"])["deadlines-calendar-month"]
    assert result.status == Status.FAIL
    assert "received 2026-01-31: due 2026-03-02, not 2026-02-28" in result.reason


@pytest.mark.parametrize(
    ("kit", "message"),
    [
        ({"pagez": ["/"]}, "unknown keys: pagez"),
        ({"not_applicable": {"gpc-honoured": ""}}, "a reason is required"),
        ({"subject": "example_shop.kit.nothing_here"}, "cannot be imported"),
        ({"checkout": "checkout/"}, "must be a path starting with /"),
    ],
)
def test_a_bad_configuration_is_a_clear_error(settings, tmp_path, kit, message):
    settings.JSG_PRIVACY_KIT = {**settings.JSG_PRIVACY_KIT, **kit}
    with pytest.raises(CommandError, match=message):
        call_command("privacy_audit", output=str(tmp_path / "x.html"))
    assert not (tmp_path / "x.html").exists()


def test_an_unknown_rule_or_url_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Unknown rule ids: gpc"):
        call_command("privacy_audit", rules=["gpc"], output=str(tmp_path / "x.html"))
    with pytest.raises(CommandError, match="must start with http"):
        call_command("privacy_audit", url="127.0.0.1:8000", output=str(tmp_path / "x.html"))


def test_a_held_row_that_retention_never_clears_fails(settings, monkeypatch):
    from jsg_privacy.retention import policy

    monkeypatch.setattr(policy, "rule_for", lambda source: None)
    result = run(settings, ["erasure-leaves-held-only"])["erasure-leaves-held-only"]
    assert result.status == Status.FAIL
    assert "orders.Order row" in result.reason
    assert "and its retention rule never clears it after that" in result.reason


def test_check_reports_a_kit_configuration_that_cannot_be_used(settings):
    from django.core import checks

    settings.JSG_PRIVACY_KIT = {**settings.JSG_PRIVACY_KIT, "subject": "example_shop.kit.nobody"}
    found = [m for m in checks.run_checks() if m.id == "jsg_privacy.E055"]
    assert len(found) == 1
    assert "JSG_PRIVACY_KIT[\"subject\"] = 'example_shop.kit.nobody' cannot be imported" in (
        found[0].msg
    )
    settings.JSG_PRIVACY_KIT = {}
    assert not [m for m in checks.run_checks() if m.id == "jsg_privacy.E055"]
