"""A signed Saleor webhook (verify, deduplicate, hand over its work) against an unsigned no-op view.

The subject is the Saleor App's webhook endpoint receiving ORDER_CREATED deliveries, each a distinct
body signed as Saleor signs (RS256, detached, ``kid`` = RFC 7638 thumbprint): it finds the
installation, checks the JWS header, verifies the signature with saleor_sdk and the store's cached
keys, reads the event from the body, then deduplicates and hands the work over through the Redis
inbox (``JSG_PRIVACY_SALEOR_INBOX_URL``): one round trip to the real Redis on 127.0.0.1:6379
(``BENCH_REDIS_URL``), under keys of this run's own, deleted afterwards. The first delivery also
queues the inbox's drain on Celery; the deliveries after it join that drain, as a burst does. The
baseline is a view that reads the same kind of body and answers 200, through the same middleware.

The target (at least 0.7 times the no-op view's throughput: a time ratio of at most 1.43x) is judged as
the endpoint is deployed and called: served by gunicorn (one gthread worker, in a process of its
own, on this run's SQLite database) and called over HTTP one delivery after another, each on a
connection of its own as Saleor sends webhooks (its HTTP client opens a session per request;
Nagle off), subject and baseline in interleaved rounds. Three figures for reference: the same over
one kept-alive connection; the same server with no inbox configured (each delivery published as a
sealed Celery task to the real Redis: the app's behaviour without the inbox); and the inbox in
process, through Django's test client, where no HTTP server's work is counted and the webhook's
own work weighs most.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
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

ROOT = Path(__file__).resolve().parent.parent
API_URL = "https://store.bench.invalid/graphql/"
WEBHOOKS = "/privacy/saleor/webhooks/"
NOOP = "/__bench__/noop-webhook/"
ROUNDS, NUMBER = 15, 40
TIME_TARGET = 1 / 0.7  # at least 0.7 times the no-op view's throughput
#: Seconds a call may take before it counts as failed (reported, never a crash): a shared machine
#: under load stalls now and then.
CALL_TIMEOUT = 30
#: Calls that timed out or failed, by side; printed with the figures.
failures: dict[str, int] = {"webhook": 0, "no-op view": 0}


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
    _state.set_default_app(app)
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _state._set_current_app(previous_current)
        _state.set_default_app(previous_default)


@contextmanager
def run_keys() -> Iterator[tuple[str, str] | None]:
    """This run's Redis URL and key prefix (``None`` if Redis cannot be reached); cleaned after."""
    import redis

    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
    prefix = f"jsg_bench_{uuid.uuid4().hex}"
    client = redis.Redis.from_url(url, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError:
        yield None
        return
    try:
        yield url, prefix
    finally:
        for key in client.scan_iter(match=f"*{prefix}*", count=1000):
            client.delete(key)


@contextmanager
def gunicorn(redis_url: str, prefix: str, *, inbox: bool) -> Iterator[int]:
    """The example shop served by gunicorn in a process of its own; yields its port."""
    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.saleor_server_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "BENCH_SQLITE_PATH": str(settings.DATABASES["default"]["NAME"]),
        "BENCH_SALEOR_API_URL": API_URL,
        "BENCH_INBOX_URL": redis_url if inbox else "",
        "BENCH_INBOX_PREFIX": prefix,
        "CELERY_BROKER_URL": redis_url,
        "BENCH_CELERY_QUEUE": prefix,
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"),
        *("--workers", "1", "--worker-class", "gthread", "--threads", "1"),
        *("--keep-alive", "60", "--log-level", "warning"),
        "django.core.wsgi:get_wsgi_application()",
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 -- a fixed command
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def http_callers(
    port: int,
    signed: Iterator[tuple[bytes, str]],
    bodies: Iterator[bytes],
    *,
    keep_alive: bool = False,
) -> tuple[Callable[[], None], Callable[[], None]]:
    """POSTs of a signed delivery, and of a body to the no-op view.

    Each on a connection of its own, as Saleor sends webhooks (its HTTP client, requests_hardened's
    ``Manager.send_request``, opens a session per request); or all over one kept-alive connection.
    """
    kept: list[http.client.HTTPConnection] = []

    def connection() -> http.client.HTTPConnection:
        if kept:
            return kept[0]
        opened = http.client.HTTPConnection("127.0.0.1", port, timeout=CALL_TIMEOUT)
        opened.connect()
        opened.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if keep_alive:
            kept.append(opened)
        return opened

    def post(side: str, path: str, body: bytes, **headers: str) -> None:
        try:
            sent = connection()
            sent.request("POST", path, body, {"Content-Type": "application/json", **headers})
            response = sent.getresponse()
            answer = response.read()
        except (TimeoutError, OSError, http.client.HTTPException):
            failures[side] += 1  # counted (its time too) and reported, never a crash
            kept.clear()
            return
        if answer != b"Accepted.":
            failures[side] += 1
        if not keep_alive:
            sent.close()

    def subject() -> None:
        body, signature = next(signed)
        post(
            "webhook", WEBHOOKS, body, **{"Saleor-Api-Url": API_URL, "Saleor-Signature": signature}
        )

    def baseline() -> None:
        post("no-op view", NOOP, next(bodies))

    return subject, baseline


def redis_round_trip(url: str, calls: int = 400) -> tuple[float, float]:
    """The median and 90th percentile of one round trip to the inbox's Redis (a PING), in ms: what
    the webhook adds to the no-op view besides its own work (:func:`own_work`). On a busy machine
    the tail is Redis waiting for a core, not the network."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=CALL_TIMEOUT)
    times = []
    for _ in range(calls):
        started = time.perf_counter()
        client.ping()
        times.append(time.perf_counter() - started)
    client.close()
    times.sort()
    return times[len(times) // 2] * 1000, times[len(times) * 9 // 10] * 1000


def own_work(installation: Any, signed: list[tuple[bytes, str]]) -> float:
    """The median time of the webhook's own work on a delivery, in ms: checking the signature,
    reading the event and sealing it for the inbox (what is left is Django's and Redis's)."""
    from jsg_privacy.integrations.saleor import events, signature, tasks

    times = []
    for body, jws in signed:
        started = time.perf_counter()
        signature.verify(installation, body, jws)
        event = events.parse(json.loads(body))
        digest = hashlib.sha256(body).hexdigest()
        tasks.seal(installation.pk, digest, event.name, event.data, event.issued_at.isoformat())
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2] * 1000


def run() -> list[Result | Figure]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    installation = install(key)
    work = own_work(installation, deliveries(key, 400))
    # compare() warms both sides up with one batch, then times ROUNDS batches.
    signed = iter(deliveries(key, 4 * (ROUNDS + 1) * NUMBER))
    bodies = itertools.cycle([body for body, _ in deliveries(key, 8)])
    client = Client()

    def in_process() -> None:
        body, signature = next(signed)
        response = client.post(
            WEBHOOKS,
            data=body,
            content_type="application/json",
            HTTP_SALEOR_API_URL=API_URL,
            HTTP_SALEOR_SIGNATURE=signature,
        )
        assert response.content == b"Accepted.", response.content

    def in_process_baseline() -> None:
        response = client.post(NOOP, data=next(bodies), content_type="application/json")
        assert response.content == b"Accepted."

    with run_keys() as keys:
        if keys is None:
            return [Figure("Saleor webhook", "skipped: Redis cannot be reached (BENCH_REDIS_URL)")]
        redis_url, prefix = keys
        round_trip = redis_round_trip(redis_url)
        with gunicorn(redis_url, prefix, inbox=True) as port:
            deployed = compare(
                "Saleor webhook served by gunicorn, Redis inbox / no-op view served by gunicorn "
                "(a connection per delivery, as Saleor sends them)",
                *http_callers(port, signed, bodies),
                rounds=ROUNDS,
                number=NUMBER,
                target=TIME_TARGET,
            )
            kept_alive = compare(
                "The same over one kept-alive connection",
                *http_callers(port, signed, bodies, keep_alive=True),
                rounds=ROUNDS,
                number=NUMBER,
            )
        with gunicorn(redis_url, prefix, inbox=False) as port:
            per_task = compare(
                "Saleor webhook served by gunicorn, no inbox: a Celery task per delivery on Redis "
                "/ no-op view served by gunicorn",
                *http_callers(port, signed, bodies),
                rounds=ROUNDS,
                number=NUMBER,
            )
        with (
            memory_celery(),
            override_settings(
                ROOT_URLCONF="bench.bench_saleor",
                JSG_PRIVACY_SALEOR_API_URLS=[API_URL],
                JSG_PRIVACY_TASK_RUNNER="celery",
                JSG_PRIVACY_SALEOR_INBOX_URL=redis_url,
                JSG_PRIVACY_SALEOR_INBOX_PREFIX=prefix,
            ),
        ):
            test_client = compare(
                "Saleor webhook in process (test client, no HTTP server), Redis inbox "
                "/ no-op view in process",
                in_process,
                in_process_baseline,
                rounds=ROUNDS,
                number=NUMBER,
            )
    return [
        deployed,
        kept_alive,
        per_task,
        test_client,
        Figure(
            "Saleor webhook throughput served by gunicorn",
            f"{1 / deployed.ratio:.2f}x the no-op view's; "
            f"{verdict(1 / deployed.ratio, 1 / TIME_TARGET, at_most=False)} "
            f"(kept alive: {1 / kept_alive.ratio:.2f}x; "
            f"without the inbox: {1 / per_task.ratio:.2f}x; "
            f"in process, no HTTP server: {1 / test_client.ratio:.2f}x); calls that timed out "
            f"after {CALL_TIMEOUT} s or failed: "
            + (", ".join(f"{n} {side}" for side, n in failures.items() if n) or "none"),
        ),
        Figure(
            "One round trip to the inbox's Redis (PING, of 400)",
            f"median {round_trip[0]:.3f} ms, 90th percentile {round_trip[1]:.3f} ms; the "
            f"webhook's own work (signature, event, sealing; median of 400): {work:.3f} ms. What "
            "the webhook adds to the no-op view is these two.",
        ),
    ]
