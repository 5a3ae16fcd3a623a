"""Fixtures of the Saleor App's tests: a store on 127.0.0.1, the app installed in it, deliveries."""

from __future__ import annotations

import json
import os
import uuid
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest
import redis
from celery import Celery
from django.core.files.storage import storages
from django.test import Client

from example_shop.factories import EnquiryFactory
from jsg_privacy.integrations.saleor import identities, installations
from jsg_privacy.integrations.saleor.models import Installation
from jsg_privacy.requests import cases, service
from jsg_privacy.requests.models import Channel, Kind
from tests.browser.conftest import browser, chromium_path  # noqa: F401  (the dashboard's browser tests)
from tests.jsg_privacy.saleor.fake_saleor import FakeSaleor

WEBHOOKS = "/privacy/saleor/webhooks/"
REGISTER = "/privacy/saleor/register/"


@pytest.fixture
def saleor() -> Iterator[FakeSaleor]:
    store = FakeSaleor()
    yield store
    store.close()


@pytest.fixture(autouse=True)
def forget_installations() -> Iterator[None]:
    """Each test starts with no installation remembered by this process (tests change rows directly)."""
    installations.forget_installations()
    yield
    installations.forget_installations()


@pytest.fixture(autouse=True)
def forget_erasure_holds() -> Iterator[None]:
    """A test's transaction never commits, so an erasure's held address history would outlive it."""
    yield
    identities._erasing.set(None)


@pytest.fixture(autouse=True)
def saleor_settings(settings: Any, saleor: FakeSaleor) -> Any:
    settings.JSG_PRIVACY_SALEOR_API_URLS = [saleor.api_url]
    settings.JSG_PRIVACY_SALEOR_TIMEOUT = 2.0
    settings.JSG_PRIVACY_SALEOR_KEEP_PRIVATE_METADATA = ["payments."]
    return settings


def register(
    client: Client,
    saleor: FakeSaleor,
    token: str | None = None,
    api_url: str = "",
    schema_version: str = "3.23",
) -> Any:
    return client.post(
        REGISTER,
        data=json.dumps({"auth_token": token or saleor.token}),
        content_type="application/json",
        HTTP_SALEOR_API_URL=api_url or saleor.api_url,
        HTTP_SALEOR_DOMAIN="127.0.0.1",
        HTTP_SALEOR_SCHEMA_VERSION=schema_version,  # real Saleor sends it with the token
    )


@pytest.fixture
def installation(db: None, client: Client, saleor: FakeSaleor) -> Installation:
    """The app, installed into the store through its real registration endpoint."""
    response = register(client, saleor)
    assert response.status_code == 200, response.content
    return Installation.objects.get()


@pytest.fixture
def store_customer(saleor: FakeSaleor) -> dict[str, Any]:
    """Ann, a customer of the store with an order, who also wrote to the shop."""
    user = saleor.add_user("ann@example.com")
    saleor.add_order("ann@example.com")
    EnquiryFactory(email="ann@example.com")
    return user


def now() -> str:
    return datetime.now(UTC).isoformat()


def event(typename: str, **fields: Any) -> dict[str, Any]:
    """A webhook body as the manifest's subscription produces it."""
    return {"__typename": typename, "issuedAt": fields.pop("issuedAt", now()), **fields}


@pytest.fixture
def deliver(
    client: Client, saleor: FakeSaleor, django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """POST a body to the webhook endpoint, signed by the store unless told otherwise.

    The queued work runs inline when the delivery's transaction commits, as in production.
    """

    def post(
        payload: Any,
        *,
        body: bytes | None = None,
        signature: str | None = None,
        api_url: str | None = None,
        url: str = WEBHOOKS,
        **headers: str,
    ) -> Any:
        raw = body if body is not None else json.dumps(payload).encode()
        extra = {"HTTP_SALEOR_EVENT": str((payload or {}).get("__typename", "")).lower()}
        if signature != "":
            extra["HTTP_SALEOR_SIGNATURE"] = signature or saleor.sign(raw)
        if api_url != "":
            extra["HTTP_SALEOR_API_URL"] = api_url or saleor.api_url
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data=raw, content_type="application/json", **(extra | headers))

    return post


@pytest.fixture
def broker(settings):
    """A Celery app on an in-memory broker, current for the test; the previous one afterwards."""
    from celery import _state

    previous_current, previous_default = _state._tls.current_app, _state.default_app
    settings.JSG_PRIVACY_TASK_RUNNER = "celery"
    app = Celery("saleor_tests", broker="memory://", set_as_current=True)
    published(app)  # kombu's in-memory queues are shared by the process: start with them empty
    yield app
    published(app)
    _state._set_current_app(previous_current)
    _state.set_default_app(previous_default)


def published(app):
    """The messages on the default queue as a worker receives them: (task name, args, eta)."""
    messages = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        while queue.qsize():
            message = queue.get(timeout=1)
            headers = message.headers
            messages.append((headers["task"], message.decode()[0], headers.get("eta")))
            message.ack()
        queue.close()
    return messages


REDIS_URL = os.environ.get("JSG_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


@pytest.fixture
def inbox(settings: Any) -> Iterator[redis.Redis]:
    """The Redis inbox on the real Redis, under keys of this test's own (deleted afterwards)."""
    prefix = f"jsg_test:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):  # CI has Redis: a skipped inbox test there is a failure
            pytest.fail(f"Redis is unreachable at {REDIS_URL}: {error}", pytrace=False)
        pytest.skip(f"Redis is unreachable at {REDIS_URL}: {error}")
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = REDIS_URL
    settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX = prefix
    yield client
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def export_of(email: str) -> tuple[Any, dict[str, Any], set[str]]:
    """Run an access request's export for ``email``: its case, records by source (and
    ``"missing"``: the reasons by source), and the names in the ZIP."""
    case = cases.open_case(
        kind=Kind.ACCESS,
        email=email,
        channel=Channel.STAFF,
        identity_check="seen",
        address_check="replied to the address",
    )
    file = service.run_export(case.pk)
    case.refresh_from_db()
    with storages["default"].open(file.name) as handle:
        archive = zipfile.ZipFile(handle)
        data = json.loads(archive.read("data.json"))
        schema = json.loads(archive.read("schema.json"))
        names = set(archive.namelist())
    jsonschema.validate(data, schema)
    sources = {s["key"]: s["records"] for s in data["sources"]}
    sources["missing"] = {s["key"]: s["missing"] for s in data["sources"] if "missing" in s}
    return case, sources, names
