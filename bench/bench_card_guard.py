"""The card-data guard: the shop's whole middleware stack with it, against the same stack without it.

Each request goes through Django's WSGI handler (no test client) to a bare view that reads what a
real view would read anyway (the query, the form or the body), so the guard's share of parsing is
not counted twice. The requests are ordinary ones, which the guard lets through, sent the way a
browser sends them (a browser's headers and cookies):

- a page: ``GET`` without a query;
- a search: ``GET`` with a query string;
- the checkout form, posted form-encoded;
- an order as JSON, the way a single-page front end sends it;
- a 10 KB form body full of numbers (meter readings, quantities, prices, dates), the worst ordinary
  case.

As a browser's, each request comes from another page (its Referer) and carries the analytics cookie
with its last hit updated, so no two requests have the same headers.

This module is also the benchmark's URLconf: the view, then bench.urls.
"""

from __future__ import annotations

import io
import itertools
import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from bench.runner import Result, compare

GUARD = "jsg_privacy.payments.guard.CardDataGuardMiddleware"
URL = "/__bench__/reads-the-request/"

#: What Chrome sends to a shop it has visited before (session, CSRF and analytics cookies).
BROWSER_HEADERS = {
    "HTTP_HOST": "testserver",
    "HTTP_CONNECTION": "keep-alive",
    "HTTP_SEC_CH_UA": '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"',
    "HTTP_SEC_CH_UA_MOBILE": "?0",
    "HTTP_SEC_CH_UA_PLATFORM": '"Windows"',
    "HTTP_UPGRADE_INSECURE_REQUESTS": "1",
    "HTTP_USER_AGENT": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36"
    ),
    "HTTP_ACCEPT": (
        "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
        "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
    ),
    "HTTP_SEC_FETCH_SITE": "same-origin",
    "HTTP_SEC_FETCH_MODE": "navigate",
    "HTTP_SEC_FETCH_USER": "?1",
    "HTTP_SEC_FETCH_DEST": "document",
    "HTTP_REFERER": "http://testserver/products/smart-meter-sm{page}/?ref=home&utm_source=newsletter",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd",
    "HTTP_ACCEPT_LANGUAGE": "en-GB,en-US;q=0.9,en;q=0.8",
    "HTTP_X_FORWARDED_FOR": "203.0.113.195, 70.41.3.18",
    "HTTP_COOKIE": (
        "csrftoken=Kq3vT9mXo2bLw8YzR4nP6sJd1fHc5gUa; "
        "sessionid=x1n4b7c0m3v6z9l2k5j8h1g4f7d0s3a6; "
        "_ga=GA1.1.1234567890.1714567890; _ga_ABC123XYZ=GS1.1.1714567890.3.1.{hit}.0.0.0; "
        "_fbp=fb.1.1714567890123.1234567890; recently_viewed=12,7,31"
    ),
}

CHECKOUT_FORM = {
    "csrfmiddlewaretoken": "Kq3vT9mXo2bLw8YzR4nP6sJd1fHc5gUaXcV7bN2mQ9wE4rT6yU1iO3pA8sD5fG0h",
    "full_name": "Amelia Hughes",
    "email": "amelia.hughes@example.co.uk",
    "phone": "01268 773766",
    "billing_line1": "12 Cranes Farm Road",
    "billing_line2": "",
    "billing_town": "Basildon",
    "billing_postcode": "SS14 3AE",
    "installation_same_as_billing": "on",
    "access_notes": "Meter cupboard under the stairs; call 07700 900456 from 2026-12-07 08:00.",
    "mpan": "12 0002 3305 967",
    "meter_serial": "S21004567",
    "ordered_on_behalf": "self",
}

ORDER_JSON = {
    "customer": {"name": "Amelia Hughes", "email": "amelia.hughes@example.co.uk"},
    "phone": "+44 1268 773766",
    "lines": [
        {"sku": f"JSG-{10001 + n}", "quantity": n + 1, "unit_price": "129.00"} for n in range(5)
    ],
    "installation": {"mpan": "1200023305967", "date": "2026-12-07", "slot": "08:00-12:00"},
    "placed_at": 1765094400123,
}


def numbers_form() -> str:
    """About 10 KB of a form full of numbers that are not card numbers."""
    fields = {}
    for n in range(160):
        fields[f"reading_{n}"] = f"{40000 + n * 37}.{n % 10} kWh on 2026-{n % 12 + 1:02d}-07"
        fields[f"qty_{n}"] = str(n % 9 + 1)
        fields[f"price_{n}"] = f"{n * 3}.{n % 100:02d}"
    return urlencode(fields)


@csrf_exempt
def reads_the_request(request: HttpRequest) -> HttpResponse:
    """What a view reads anyway: the query, the form or the body (its parsing is in both variants)."""
    request.GET  # noqa: B018
    if request.content_type == "application/json":
        json.loads(request.body)
    elif request.method == "POST":
        request.POST  # noqa: B018
    return HttpResponse(b"ok")


urlpatterns = [path(URL.lstrip("/"), reads_the_request), path("", include("bench.urls"))]


def environ(method: str, query: str = "", body: bytes = b"", content_type: str = "") -> dict:
    env = {
        **BROWSER_HEADERS,
        "REQUEST_METHOD": method,
        "PATH_INFO": URL,
        "SCRIPT_NAME": "",
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "body": body,
    }
    if body:
        env["CONTENT_TYPE"] = content_type
        env["CONTENT_LENGTH"] = str(len(body))
    return env


def caller(handler: WSGIHandler, env: dict) -> Any:
    """A function sending a request like ``env`` through ``handler``. As a browser does, each one
    comes from another page (Referer) with the analytics cookie's last hit updated."""
    statuses = []
    hits = itertools.count(1714567999)

    def start_response(status: str, headers: list, exc_info: Any = None) -> None:
        statuses.append(status)

    def call() -> str:
        request_env = dict(env)
        hit = next(hits)
        request_env["HTTP_COOKIE"] = env["HTTP_COOKIE"].format(hit=hit)
        request_env["HTTP_REFERER"] = env["HTTP_REFERER"].format(page=hit % 400)
        request_env["wsgi.input"] = io.BytesIO(request_env.pop("body"))
        response = handler(request_env, start_response)
        b"".join(response)
        response.close()
        return statuses.pop()

    return call


def run() -> list[Result]:
    assert GUARD in settings.MIDDLEWARE, "the card-data guard is not installed"
    unguarded = [m for m in settings.MIDDLEWARE if m != GUARD]
    form = "application/x-www-form-urlencoded"
    # Targets: the guard's cost as first measured here (three runs, the highest figure of each).
    requests = [
        ("a page (GET, no query)", environ("GET"), 1.03),
        ("a search (GET with a query)", environ("GET", "q=smart+meter&sort=price&page=2"), 1.03),
        (
            "the checkout form (POST, form-encoded)",
            environ("POST", "", urlencode(CHECKOUT_FORM).encode(), form),
            1.23,
        ),
        (
            "an order as JSON (POST)",
            environ("POST", "", json.dumps(ORDER_JSON).encode(), "application/json"),
            1.38,
        ),
        (
            "a 10 KB form full of numbers (POST)",
            environ("POST", "", numbers_form().encode(), form),
            1.36,
        ),
    ]
    results = []
    # Usage logging writes a row per page view of a consenting visitor: it would drown the guard.
    with override_settings(ROOT_URLCONF=__name__, JSG_PRIVACY_USAGE_LOGGING=False):
        guarded = WSGIHandler()
        with override_settings(MIDDLEWARE=unguarded):
            bare = WSGIHandler()
        for label, env, target in requests:
            subject, baseline = caller(guarded, env), caller(bare, env)
            assert subject() == baseline() == "200 OK", (label, subject(), baseline())
            results.append(
                compare(
                    f"{label}: the shop's middleware with the card-data guard / without it",
                    subject,
                    baseline,
                    rounds=41,
                    number=25,
                    target=target,
                )
            )
    return results
