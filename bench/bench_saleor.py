"""A signed Saleor webhook (verify, then enqueue its deduplicated work) against an unsigned no-op view.

The subject is the Saleor App's webhook endpoint receiving ORDER_CREATED deliveries, each a distinct
body signed as Saleor signs (RS256, detached, ``kid`` = RFC 7638 thumbprint): it finds the
installation, checks the JWS header, verifies the signature with saleor_sdk and the store's cached
keys, reads the event from the body and queues the work on Celery (an in-memory broker: the cost of
publishing, not of a worker). Deduplication is part of that work — the task records the body's
digest in the same transaction as the event's effects — so the request itself writes nothing. The
baseline is a view that reads the same kind of body and answers 200, through the same middleware.
Both are timed in interleaved rounds; the target is at least half the baseline's throughput (a time
ratio of at most 2.0x). A second comparison, against an unsigned view that queues the same task,
shows what the signature check and the installation look-up add to the cost of queueing itself.
A third makes the first comparison over HTTP, through Django's threaded WSGI server in a thread of
this process on a kept-alive connection (Nagle off on both ends), as Saleor calls the endpoint.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import itertools
import json
import socket
import threading
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
QUEUE_ONLY = "/__bench__/queue-only-webhook/"
ROUNDS, NUMBER = 15, 40
TIME_TARGET = 2.0  # at most twice the time per delivery: at least half the throughput


@csrf_exempt
@require_POST
def noop(request: HttpRequest) -> HttpResponse:
    """Reads the body and accepts it: no signature, no database, no queue."""
    return HttpResponse("Accepted." if request.body else "", content_type="text/plain")


@csrf_exempt
@require_POST
def queue_only(request: HttpRequest) -> HttpResponse:
    """Queues the same task with the same arguments, unsigned and unchecked: the queue's cost."""
    from jsg_privacy.integrations.saleor import tasks
    from jsg_privacy.tasks import enqueue

    order = json.loads(request.body)["order"]
    enqueue(
        tasks.process_event, 1, hashlib.sha256(request.body).hexdigest(), "ORDER_CREATED", order, ""
    )
    return HttpResponse("Accepted.", content_type="text/plain")


urlpatterns = [
    path(NOOP.strip("/") + "/", noop),
    path(QUEUE_ONLY.strip("/") + "/", queue_only),
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


def run() -> list[Result | Figure]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    install(key)
    # compare() warms both sides up with one batch, then times ROUNDS batches.
    signed = iter(deliveries(key, 3 * (ROUNDS + 1) * NUMBER))
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

    def queued() -> Any:
        response = client.post(QUEUE_ONLY, data=next(bodies), content_type="application/json")
        assert response.content == b"Accepted."
        return response

    with (
        memory_celery(),
        override_settings(
            ROOT_URLCONF="bench.bench_saleor",
            JSG_PRIVACY_SALEOR_API_URLS=[API_URL],
            JSG_PRIVACY_TASK_RUNNER="celery",
        ),
    ):
        result = compare(
            "Saleor webhook: signature verified, work queued (deduplicated there) / unsigned no-op view",
            subject,
            baseline,
            rounds=ROUNDS,
            number=NUMBER,
            target=TIME_TARGET,
        )
        # What the signature and the installation cost on top of queueing the work at all.
        queue_cost = compare(
            "Saleor webhook: signature verified, work queued / unsigned view queueing the same work",
            subject,
            queued,
            rounds=ROUNDS,
            number=NUMBER,
        )
        over_http = compare(
            "Saleor webhook over HTTP (Django's threaded WSGI server, keep-alive) / no-op view over HTTP",
            *http_callers(signed, bodies),
            rounds=ROUNDS,
            number=NUMBER,
            target=TIME_TARGET,
        )
    figures: list[Result | Figure] = [result, queue_cost, over_http]
    for name, measured in (("in process", result), ("over HTTP", over_http)):
        throughput = 1 / measured.ratio
        figures.append(
            Figure(
                f"Saleor webhook throughput {name}",
                f"{throughput:.2f}x the no-op view's; "
                f"{verdict(throughput, 1 / TIME_TARGET, at_most=False)}",
            )
        )
    return figures


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
