"""The manifest a store reads on install: Saleor's shape, absolute URLs, the events handled."""

import pytest
from saleor_sdk.schemas.manifest import Manifest

from jsg_privacy.integrations.saleor.manifest import EVENTS, AppManifest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


def test_the_manifest_has_saleor_s_shape_and_absolute_urls(client):
    response = client.get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION="3.23")

    assert response.status_code == 200
    manifest = response.json()
    # saleor_sdk's own schema accepts it, but for the APP_PAGE extension's path (which Saleor
    # requires and saleor_sdk 0.2.1 cannot express: test_dashboard checks the extensions)
    Manifest.model_validate({**manifest, "extensions": []})
    AppManifest.model_validate(manifest)
    assert manifest["id"] == "jsg-privacy"
    assert manifest["requiredSaleorVersion"] == ">=3.22 <4"
    assert manifest["author"] == "jsg_privacy"
    assert set(manifest["permissions"]) == {
        "MANAGE_USERS",
        "MANAGE_ORDERS",
        "MANAGE_CHECKOUTS",
        "MANAGE_GIFT_CARD",
    }
    assert manifest["tokenTargetUrl"] == "http://testserver/privacy/saleor/register/"
    assert manifest["dataPrivacyUrl"] == "http://testserver/privacy/notice/"
    (webhook,) = manifest["webhooks"]
    assert webhook["targetUrl"] == "http://testserver/privacy/saleor/webhooks/"
    assert webhook["asyncEvents"] == EVENTS
    assert webhook["isActive"] is True


def test_the_subscription_covers_every_event_and_never_asks_for_the_deletion_token(client):
    manifest = client.get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION="3.23").json()
    query = manifest["webhooks"][0]["query"]

    for typename in (
        "AccountDeleteRequested",
        "AccountDeleted",
        "CustomerCreated",
        "CustomerUpdated",
        "CustomerDeleted",
        "CustomerMetadataUpdated",
        "OrderCreated",
        "AppDeleted",
    ):
        assert f"... on {typename} {{" in query
    assert "__typename" in query
    assert "issuedAt" in query
    assert "token" not in query
    assert "redirectUrl" not in query
    assert 'privateMetafield(key: "jsg_privacy.marketing")' in query


def test_a_configured_base_url_replaces_the_request_s(client, settings):
    settings.JSG_PRIVACY_SALEOR_BASE_URL = "https://shop.example.com/"

    manifest = client.get("/privacy/saleor/manifest").json()  # no trailing slash: no redirect

    assert manifest["tokenTargetUrl"] == "https://shop.example.com/privacy/saleor/register/"
    assert (
        manifest["webhooks"][0]["targetUrl"] == "https://shop.example.com/privacy/saleor/webhooks/"
    )


@pytest.mark.parametrize("version", ["3.22", "", "not a version"])
def test_a_3_22_store_or_an_unknown_one_is_not_offered_the_3_23_customer_deleted_event(
    client, version
):
    """Saleor 3.22 rejects a whole manifest whose subscription names CustomerDeleted (3.23+)."""
    (webhook,) = client.get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION=version).json()[
        "webhooks"
    ]

    assert "CUSTOMER_DELETED" not in webhook["asyncEvents"]
    assert "CustomerDeleted" not in webhook["query"]
    assert set(webhook["asyncEvents"]) == set(EVENTS) - {"CUSTOMER_DELETED"}
    assert "... on CustomerUpdated {" in webhook["query"]


@pytest.mark.parametrize("version", ["3.23", "3.23.1", "3.24"])
def test_a_newer_store_gets_every_event(client, version):
    (webhook,) = client.get("/privacy/saleor/manifest/", HTTP_SALEOR_SCHEMA_VERSION=version).json()[
        "webhooks"
    ]

    assert webhook["asyncEvents"] == EVENTS
    assert "... on CustomerDeleted {" in webhook["query"]
