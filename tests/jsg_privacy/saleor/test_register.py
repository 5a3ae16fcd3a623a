"""Registration: the token is taken only from an allowed store, proved, and kept encrypted."""

import json

import pytest
from django.db import connection

from jsg_privacy.integrations.saleor.models import Installation
from tests.jsg_privacy.saleor.conftest import REGISTER, register

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


def test_an_allowed_store_installs_the_app_with_a_proved_token_and_its_keys(client, saleor):
    response = register(client, saleor)

    assert response.status_code == 200
    assert response.json() == {"success": True}
    installation = Installation.objects.get()
    assert installation.api_url == saleor.api_url
    assert installation.app_id == saleor.app_id
    assert installation.token == saleor.token
    assert installation.jwks == saleor.jwks()
    assert saleor.jwks_fetches == 1
    assert saleor.calls == [("AppId", {})]  # the token was proved against the store


def test_the_token_is_encrypted_at_rest(client, saleor):
    register(client, saleor)

    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM jsg_privacy_saleor_installation")
        (stored,) = cursor.fetchone()
    assert saleor.token not in stored
    assert stored.startswith("gAAAAA")  # a Fernet token


def test_a_store_not_allowed_cannot_install_the_app(client, saleor, settings):
    settings.JSG_PRIVACY_SALEOR_API_URLS = ["https://other.example.com/graphql/"]

    response = register(client, saleor)

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "This Saleor API URL may not install the app."
    assert not Installation.objects.exists()
    assert saleor.calls == []
    assert saleor.jwks_fetches == 0


def test_a_token_saleor_does_not_accept_is_refused(client, saleor):
    response = register(client, saleor, token="forged-token")

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Saleor did not accept the token."
    assert not Installation.objects.exists()
    assert saleor.jwks_fetches == 0


@pytest.mark.parametrize(
    "body", [b"not json", b"{}", b'{"auth_token": ""}', b'{"auth_token": 42}', b"[]"]
)
def test_a_registration_without_a_token_is_a_bad_request(client, saleor, body):
    response = client.post(
        REGISTER, data=body, content_type="application/json", HTTP_SALEOR_API_URL=saleor.api_url
    )

    assert response.status_code == 400
    assert not Installation.objects.exists()


def test_keys_are_fetched_from_the_configured_store_never_from_the_request(client, saleor):
    # The header names the allowed store with another spelling; nothing else in the request counts.
    response = register(client, saleor, api_url=saleor.api_url.rstrip("/"))

    assert response.status_code == 200
    assert Installation.objects.get().api_url == saleor.api_url


def test_a_store_that_does_not_answer_gets_a_503_and_nothing_is_stored(client, saleor, settings):
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 2

    response = register(client, saleor)

    assert response.status_code == 503
    assert not Installation.objects.exists()


def test_reinstalling_replaces_the_token(client, saleor):
    register(client, saleor)
    saleor.token = "a-new-token-after-reinstall"

    assert register(client, saleor).status_code == 200

    assert Installation.objects.get().token == "a-new-token-after-reinstall"


def test_registration_is_post_only_and_csrf_exempt(saleor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(REGISTER).status_code == 405
    response = strict.post(
        REGISTER,
        data=json.dumps({"auth_token": saleor.token}),
        content_type="application/json",
        HTTP_SALEOR_API_URL=saleor.api_url,
    )
    assert response.status_code == 200
