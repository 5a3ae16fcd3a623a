"""Webhooks: signed by the store or refused, deduplicated, queued; 4xx never retried, 5xx retried."""

import base64
import json
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from jsg_privacy.integrations.saleor import installations
from jsg_privacy.integrations.saleor.models import Customer, Delivery, Installation, Order
from tests.jsg_privacy.saleor.conftest import WEBHOOKS, event, register
from tests.jsg_privacy.saleor.fake_saleor import new_key

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


def order_created(number="1001", email="ann@example.com"):
    return event(
        "OrderCreated",
        order={
            "id": base64.b64encode(f"Order:{number}".encode()).decode(),
            "number": number,
            "created": "2026-03-01T09:00:00+00:00",
            "userEmail": email,
            "user": None,
        },
    )


def b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_a_signed_event_is_accepted_and_handled(installation, deliver):
    response = deliver(order_created())

    assert response.status_code == 200
    assert response.content == b"Accepted."
    order = Order.objects.get()
    assert order.number == "1001"
    assert order.created_at == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert order.user_email == "ann@example.com"


def test_a_tampered_body_is_refused(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    signature = saleor.sign(body)

    response = deliver(None, body=body.replace(b"1001", b"9999"), signature=signature)

    assert response.status_code == 401
    assert not Order.objects.exists()
    assert not Delivery.objects.exists()


def test_a_signature_by_another_key_with_the_store_s_kid_is_refused(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    forged = jwt.api_jws.encode(
        body,
        new_key(),
        "RS256",
        headers={"kid": saleor.kid, "crit": ["b64"]},
        is_payload_detached=True,
    )

    assert deliver(None, body=body, signature=forged).status_code == 401


def test_an_unknown_kid_fetches_the_keys_again_once_and_a_rotated_key_is_accepted(
    installation, deliver, saleor
):
    Installation.objects.update(jwks_fetched_at=datetime.now(UTC) - timedelta(hours=1))
    saleor.rotate()

    response = deliver(order_created())

    assert response.status_code == 200
    assert saleor.jwks_fetches == 2  # at registration, then once for the new kid
    assert Order.objects.count() == 1


def test_unknown_kids_do_not_make_the_app_fetch_keys_on_every_request(
    installation, deliver, saleor
):
    stranger = new_key()
    body = json.dumps(order_created()).encode()

    for _ in range(3):
        assert deliver(None, body=body, signature=saleor.sign(body, stranger)).status_code == 401

    assert saleor.jwks_fetches == 1  # the keys were fetched moments ago, at registration


def test_alg_none_is_refused(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    header = {"alg": "none", "kid": saleor.kid, "b64": False, "crit": ["b64"]}

    response = deliver(None, body=body, signature=f"{b64(header)}..")

    assert response.status_code == 401
    assert not Order.objects.exists()


def test_hs256_signed_with_the_public_key_is_refused(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    public_pem = saleor.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "kid": saleor.kid, "b64": False, "crit": ["b64"]}
    import hashlib
    import hmac

    signing_input = b64(header).encode() + b"." + body
    mac = hmac.new(public_pem, signing_input, hashlib.sha256).digest()
    signature = f"{b64(header)}..{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    assert deliver(None, body=body, signature=signature).status_code == 401


CRIT_NOT_A_LIST = "eyJhbGciOiJSUzI1NiIsImtpZCI6IngiLCJiNjQiOmZhbHNlLCJjcml0Ijo1fQ.."


@pytest.mark.parametrize(
    "signature", ["not-a-jws", "a.b.c", "e30..", "x" * 5000, "é.é.é", CRIT_NOT_A_LIST]
)
def test_malformed_signatures_are_refused(installation, deliver, signature):
    assert deliver(order_created(), signature=signature).status_code == 401


def test_a_known_header_does_not_let_a_malformed_signature_through(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    good = saleor.sign(body)
    assert deliver(None, body=body, signature=good).status_code == 200  # its header is now known

    header, _, encoded = good.split(".")
    for signature in (f"{header}..{encoded}.x", f"{header}.{encoded}", f"{header}.x.{encoded}"):
        assert deliver(None, body=body, signature=signature).status_code == 401


def test_an_attached_payload_signature_is_refused(installation, deliver, saleor):
    body = json.dumps(order_created()).encode()
    attached = jwt.api_jws.encode(body, saleor.key, "RS256", headers={"kid": saleor.kid})

    assert deliver(None, body=body, signature=attached).status_code == 401


def test_a_retried_delivery_is_handled_once(installation, deliver):
    payload = order_created()

    first, second = deliver(payload), deliver(payload)

    assert (first.status_code, second.status_code) == (200, 200)
    assert Order.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_the_event_is_read_from_the_signed_body_not_the_unsigned_header(installation, deliver):
    payload = event("CustomerCreated", user={"id": "VXNlcjox", "email": "ann@example.com"})

    response = deliver(payload, HTTP_SALEOR_EVENT="account_deleted")

    assert response.status_code == 200
    assert Customer.objects.get().saleor_id == "VXNlcjox"
    assert Delivery.objects.get().event == "CUSTOMER_CREATED"


def test_an_unknown_store_gets_a_404_and_a_removed_one_a_410(installation, deliver, settings):
    assert deliver(order_created(), api_url="https://other.example.com/graphql/").status_code == 404
    Installation.objects.update(token="", removed_at=datetime.now(UTC))
    assert deliver(order_created()).status_code == 410
    assert not Delivery.objects.exists()


def test_an_allowed_store_that_never_installed_the_app_gets_a_404(db, deliver):
    assert deliver(order_created()).status_code == 404


@pytest.mark.parametrize("missing", ["signature", "api_url"])
def test_missing_headers_are_a_bad_request(installation, deliver, missing):
    response = deliver(order_created(), **{missing: ""})

    assert response.status_code == 400
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[]",
        json.dumps({"__typename": "ProductCreated", "issuedAt": "2026-01-01T00:00:00Z"}).encode(),
        json.dumps(event("OrderCreated", order={"id": "x"})).encode(),
        json.dumps(event("AccountDeleted", user={"id": "VXNlcjox"})).encode(),
        json.dumps({"__typename": "OrderCreated", "order": {}}).encode(),
    ],
)
def test_a_signed_but_malformed_body_is_a_bad_request_and_changes_nothing(
    installation, deliver, body
):
    response = deliver(None, body=body)

    assert response.status_code == 400
    assert not Delivery.objects.exists()
    assert not Order.objects.exists()


def test_an_oversized_body_is_refused_before_anything_else(installation, deliver, settings):
    settings.JSG_PRIVACY_SALEOR_MAX_BODY = 1024
    payload = order_created()
    payload["padding"] = "x" * 2048

    response = deliver(payload)

    assert response.status_code == 413
    assert not Delivery.objects.exists()


def test_an_event_older_than_the_deduplication_window_is_refused_as_a_replay(installation, deliver):
    old = (datetime.now(UTC) - timedelta(hours=49)).isoformat()

    response = deliver(order_created() | {"issuedAt": old})

    assert response.status_code == 400
    assert not Order.objects.exists()


def test_keys_that_cannot_be_fetched_are_a_passing_problem_saleor_retries(
    installation, deliver, saleor
):
    Installation.objects.update(jwks_fetched_at=datetime.now(UTC) - timedelta(hours=1))
    saleor.rotate()
    saleor.jwks_status = 500

    assert deliver(order_created()).status_code == 503
    assert not Delivery.objects.exists()

    saleor.jwks_status = 200  # Saleor's retry, once the store answers again
    assert deliver(order_created()).status_code == 200


@pytest.mark.django_db(transaction=True)  # the work runs on commit, inside the request
def test_a_failed_inline_handler_answers_500_and_forgets_the_delivery_so_the_retry_is_handled(
    installation, deliver, saleor, client, settings
):
    client.raise_request_exception = False
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 0.2
    saleor.delay = 1  # the store hangs while the account's erasure runs
    saleor.add_user("ann@example.com")
    payload = event("AccountDeleted", user={"id": "VXNlcjox", "email": "ann@example.com"})

    assert deliver(payload).status_code == 500
    assert not Delivery.objects.exists()

    saleor.delay = 0
    assert deliver(payload).status_code == 200
    assert Delivery.objects.count() == 1


def test_webhooks_answer_without_a_trailing_slash_and_refuse_get(installation, deliver, client):
    assert deliver(order_created(), url=WEBHOOKS.rstrip("/")).status_code == 200
    assert client.get(WEBHOOKS).status_code == 405


def test_the_app_s_own_removal_wipes_its_token(installation, deliver, saleor):
    assert deliver(event("AppDeleted", app={"id": "QXBwOjI="})).status_code == 200
    assert Installation.objects.get().token  # another app's removal changes nothing

    assert deliver(event("AppDeleted", app={"id": saleor.app_id})).status_code == 200

    installation = Installation.objects.get()
    assert installation.token == ""
    assert installation.removed_at is not None
    assert deliver(order_created()).status_code == 410


def test_old_delivery_digests_are_purged(installation, deliver):
    deliver(order_created("1"))
    Delivery.objects.update(received_at=datetime.now(UTC) - timedelta(days=3))

    deliver(order_created("2"))

    assert list(Delivery.objects.values_list("event", flat=True)) == ["ORDER_CREATED"]
    assert Delivery.objects.count() == 1


def test_a_store_removed_by_another_server_is_dropped_by_the_task_while_still_remembered(
    installation, deliver
):
    """Servers remember an active installation for a few seconds; the queued work re-checks it."""
    assert deliver(order_created("1001")).status_code == 200  # this process now remembers it
    # Another server handled APP_DELETED: this one has not been told.
    Installation.objects.update(token="", removed_at=datetime.now(UTC))
    assert deliver(order_created("1002")).status_code == 200
    assert list(Order.objects.values_list("number", flat=True)) == ["1001"]
    installations.forget_installations()  # what the cache's expiry does after CACHE_SECONDS
    assert deliver(order_created("1003")).status_code == 410


def test_a_store_that_has_just_installed_the_app_is_never_refused(db, client, saleor, deliver):
    assert deliver(order_created(), api_url=saleor.api_url).status_code == 404  # not cached
    assert register(client, saleor).status_code == 200
    assert deliver(order_created()).status_code == 200
