"""The Saleor App's system checks and its place in the registry."""

from pathlib import Path

import pytest
from django.core.checks import WARNING, run_checks

from jsg_privacy.integrations.saleor.conf import SaleorSettings
from jsg_privacy.registry import registry

pytestmark = pytest.mark.django_db


def ids(settings):
    return sorted(m.id for m in run_checks(tags=["jsg_privacy_saleor"], databases=[]))


def test_allowed_https_urls_pass(settings):
    settings.JSG_PRIVACY_SALEOR_API_URLS = ["https://store.example.com/graphql/"]
    assert ids(settings) == []


def test_no_allowed_url_a_wrong_type_and_a_bad_url_are_reported(settings):
    settings.JSG_PRIVACY_SALEOR_API_URLS = []
    assert ids(settings) == ["jsg_privacy_saleor.E004"]  # DEBUG off: no store's keys are known
    settings.DEBUG = True
    assert ids(settings) == ["jsg_privacy_saleor.W001"]
    settings.DEBUG = False
    settings.JSG_PRIVACY_SALEOR_API_URLS = "https://store.example.com/graphql/"
    assert "jsg_privacy_saleor.E001" in ids(settings)
    settings.JSG_PRIVACY_SALEOR_API_URLS = ["store.example.com/graphql/"]
    assert ids(settings) == ["jsg_privacy_saleor.E002"]


@pytest.mark.parametrize(
    ("url", "debug", "expected"),
    [
        ("http://store.example.com/graphql/", False, ["jsg_privacy_saleor.E005"]),
        ("http://10.0.0.5:8000/graphql/", False, ["jsg_privacy_saleor.E005"]),
        ("http://store.example.com/graphql/", True, []),
        ("http://127.0.0.1:8001/graphql/", False, []),  # a Saleor on this machine
        ("http://localhost:8000/graphql/", False, []),
        ("http://[::1]:8000/graphql/", False, []),
    ],
)
def test_plain_http_to_another_machine_is_an_error_with_debug_off(settings, url, debug, expected):
    settings.DEBUG = debug
    settings.JSG_PRIVACY_SALEOR_API_URLS = [url]
    assert ids(settings) == expected


def test_the_app_declares_its_tables_and_saleor_as_remote_sources():
    keys = set(registry.sources)
    assert {"jsg_privacy_saleor.Customer", "jsg_privacy_saleor.Order"} <= keys
    assert {"saleor.customer", "saleor.orders", "saleor.checkouts", "saleor.gift_cards"} <= keys
    serious = [m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.is_serious(WARNING)]
    assert [m for m in serious if m.id.startswith("jsg_privacy.")] == []


def test_jsg_privacy_leaves_the_saleor_settings_to_the_app(settings):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = "soon"  # the app's own check reports it, once

    assert not [
        m for m in run_checks(tags=["jsg_privacy"], databases=[]) if m.id == "jsg_privacy.W001"
    ]
    assert "jsg_privacy_saleor.E001" in ids(settings)


def test_every_saleor_setting_is_documented_with_its_default():
    text = (Path(__file__).parents[3] / "docs" / "saleor.md").read_text(encoding="utf-8")
    for setting in SaleorSettings.declared().values():
        shown = repr(setting.default).replace("'", '"')  # as the docs write Python values
        assert f"| `{setting.setting_name}` | `{shown}` |" in text, setting.setting_name
