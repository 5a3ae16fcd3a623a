"""A signed Saleor webhook (verify, deduplicate, hand over its work) against an unsigned no-op view.

The subject is the Saleor App's webhook endpoint receiving ORDER_CREATED deliveries, each a distinct
body signed as Saleor signs (RS256, detached, ``kid`` = RFC 7638 thumbprint): it finds the
installation, checks the JWS header, verifies the signature with saleor_sdk and the store's cached
keys, reads the event from the body, then deduplicates and hands the work over through the Redis
inbox (``JSG_PRIVACY_SALEOR_INBOX_URL``) — one round trip to the real Redis on 127.0.0.1:6379
(``BENCH_REDIS_URL``), under a key prefix of this run's own that is deleted afterwards. The first
delivery also queues the drain on Celery (an in-memory broker); the deliveries after it join that
drain, as a burst does. The baseline is a view that reads the same kind of body and answers 200.

Both are served over HTTP, by Django's threaded WSGI server in a thread of this process, on a
kept-alive connection (Nagle off on both ends), as Saleor calls the endpoint: throughput is what a
server accepts, and the target (at least half the no-op view's throughput, a time ratio of at most
2.0x) is judged there. Two more figures, for reference: the same comparison in process (Django's
test client, no HTTP server: the share of the webhook's own work is largest there), and what
publishing each delivery as a Celery task instead of the inbox costs (the app's behaviour with no
inbox configured).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import itertools
import json
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from jwt.algorithms import RSAAlgorithm

from bench.runner import Figure, Result, compare, verdict

API_URL = "https://store.bench.invalid/graphql/"
WEBHOOKS = "/privacy/saleor/webhooks/"
NOOP = "/__bench__/noop-webhook/"
ROUNDS, NUMBER = 15, 40
TIME_TARGET = 2.0  # at most twice the time per delivery: at least half the throughput


@csrf_exempt
@require_POST
def noop(request: HttpRequest) -> HttpResponse:
    """Reads the body and accepts it: no signature, no database, no queue."""
    return HttpResponse("Accepted." if request.body else "", content_type="text/plain")


urlpatterns = [
    path(NOOP.strip("/") + "/", noop),
    path("privacy/", include("jsg_privacy.integrations.saleor.urls")),
]


def thumbprint(key: rsa.RSAPrivateKey) -> str:
    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    canonical = json.dumps({k: jwk[k] for k in ("e", "kty", "n")}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def install(key: rsa.RSAPrivateKey) -> Any:
    from jsg_privacy.integrations.saleor.models import Delivery, Installation

    jwk = json.loads(RSAAlgorithm.to_jwk(key.public_key()))
    jwk.update({"use": "sig", "kid": thumbprint(key), "alg": "RS256"})
    Delivery.objects.all().delete()
    Installation.objects.filter(api_url=API_URL).delete()
    return Installation.objects.create(
        api_url=API_URL,
        app_id="QXBwOjE=",
        token="bench-token",  # noqa: S106 -- a stand-in store's token
        jwks={"keys": [jwk]},
        jwks_fetched_at=datetime.now(UTC),
    )


def deliveries(key: rsa.RSAPrivateKey, count: int) -> list[tuple[bytes, str]]:
    """``count`` distinct ORDER_CREATED bodies with Saleor's signature over each."""
    kid, issued = thumbprint(key), datetime.now(UTC).isoformat()
    signed = []
    for number in range(count):
        body = json.dumps(
            {
                "__typename": "OrderCreated",
                "issuedAt": issued,
                "order": {
                    "id": base64.b64encode(f"Order:{number}".encode()).decode(),
                    "number": str(10_000 + number),
                    "created": issued,
                    "userEmail": f"customer{number}@example.com",
                    "user": None,
                },
            }
        ).encode()
        headers = {"kid": kid, "crit": ["b64"]}
        signed.append(
            (body, jwt.api_jws.encode(body, key, "RS256", headers, is_payload_detached=True))
        )
    return signed


@contextmanager
def memory_celery() -> Iterator[Any]:
    """A Celery app on an in-memory broker, current while the context lasts."""
    from celery import Celery, _state

    previous_current, previous_default = _state._tls.current_app, _state.default_app
    app = Celery("bench_saleor", broker="memory://", set_as_current=True)
    _state.set_default_app(app)  # the HTTP server's threads publish through it too
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _state._set_current_app(previous_current)
        _state.set_default_app(previous_default)


@contextmanager
def redis_inbox() -> Iterator[str | None]:
    """This run's inbox settings on the real Redis (``None`` if Redis cannot be reached)."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    prefix = f"jsg_bench:{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        yield None
        return
    try:
        with override_settings(
            JSG_PRIVACY_SALEOR_INBOX_URL=url, JSG_PRIVACY_SALEOR_INBOX_PREFIX=prefix
        ):
            yield url
    finally:
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)


def run() -> list[Result | Figure]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    install(key)
    # compare() warms both sides up with one batch, then times ROUNDS batches.
    signed = iter(deliveries(key, 5 * (ROUNDS + 1) * NUMBER))
    bodies = itertools.cycle([body for body, _ in deliveries(key, 8)])
    client = Client()

    def subject() -> Any:
        body, signature = next(signed)
        response = client.post(
            WEBHOOKS,
            data=body,
            content_type="application/json",
            HTTP_SALEOR_API_URL=API_URL,
            HTTP_SALEOR_SIGNATURE=signature,
        )
        assert response.content == b"Accepted.", response.content
        return response

    def baseline() -> Any:
        response = client.post(NOOP, data=next(bodies), content_type="application/json")
        assert response.content == b"Accepted."
        return response

    with (
        memory_celery(),
        override_settings(
            ROOT_URLCONF="bench.bench_saleor",
            JSG_PRIVACY_SALEOR_API_URLS=[API_URL],
            JSG_PRIVACY_TASK_RUNNER="celery",
        ),
        redis_inbox() as inbox_url,
    ):
        if inbox_url is None:
            return [Figure("Saleor webhook", "skipped: Redis cannot be reached (BENCH_REDIS_URL)")]
        over_http = compare(
            "Saleor webhook over HTTP (Django's threaded WSGI server, keep-alive), Redis inbox "
            "/ no-op view over HTTP",
            *http_callers(signed, bodies),
            rounds=ROUNDS,
            number=NUMBER,
            target=TIME_TARGET,
        )
        in_process = compare(
            "Saleor webhook in process (test client), Redis inbox / no-op view in process",
            subject,
            baseline,
            rounds=ROUNDS,
            number=NUMBER,
        )
        with override_settings(JSG_PRIVACY_SALEOR_INBOX_URL=""):
            per_task = compare(
                "Saleor webhook in process, each delivery published as a Celery task (in-memory "
                "broker) / no-op view in process",
                subject,
                baseline,
                rounds=ROUNDS,
                number=NUMBER,
            )
    return [
        over_http,
        in_process,
        per_task,
        Figure(
            "Saleor webhook throughput over HTTP",
            f"{1 / over_http.ratio:.2f}x the no-op view's; "
            f"{verdict(1 / over_http.ratio, 1 / TIME_TARGET, at_most=False)} "
            f"(in process: {1 / in_process.ratio:.2f}x; "
            f"a Celery task per delivery in process: {1 / per_task.ratio:.2f}x)",
        ),
    ]


def http_callers(signed: Iterator[tuple[bytes, str]], bodies: Iterator[bytes]) -> Any:
    """POSTs over a kept-alive connection to a real WSGI server in a thread of this process."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between headers and body

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    connection = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    connection.connect()
    connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def post(path: str, body: bytes, **headers: str) -> None:
        connection.request("POST", path, body, {"Content-Type": "application/json", **headers})
        response = connection.getresponse()
        assert response.read() == b"Accepted.", response.status

    def subject() -> None:
        body, signature = next(signed)
        post(WEBHOOKS, body, **{"Saleor-Api-Url": API_URL, "Saleor-Signature": signature})

    def baseline() -> None:
        post(NOOP, next(bodies))

    return subject, baseline
