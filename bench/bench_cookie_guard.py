"""The consent middleware's guard on ``Set-Cookie``, against the same middleware without it.

A bare view sets two cookies on every response: ``recently_viewed`` (undeclared, like
django-oscar's ``oscar_history``) and ``_sa_id`` (declared for analytics). Both variants run the
whole middleware stack of the shop; the baseline's ConsentMiddleware skips the guard. Two visitors:
one who has not chosen (both cookies held back) and one who accepted all (both go out). The first
sighting of the undeclared name writes its row during the warm-up; the timed rounds measure the
steady state, where a sighting is a counter in memory.

This module is also the benchmark's URLconf: the view, then bench.urls.
"""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, override_settings
from django.urls import include, path

from bench.bench_consent import CONSENT_MIDDLEWARE, decided_visitor
from bench.runner import Result, compare
from jsg_privacy.consent.middleware import ConsentMiddleware

TARGET = 1.10
URL = "/__bench__/sets-cookies/"


def sets_cookies(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(b"<p>recently viewed</p>")
    response.set_cookie("recently_viewed", "12,7", max_age=7 * 24 * 3600)
    response.set_cookie("_sa_id", "1234-5678", max_age=365 * 24 * 3600)
    return response


urlpatterns = [path(URL.lstrip("/"), sets_cookies), path("", include("bench.urls"))]


class UnguardedConsentMiddleware(ConsentMiddleware):
    """ConsentMiddleware as it was before the guard: GPC and deleting refused cookies only."""

    def guard_cookies(self, request: HttpRequest, response: HttpResponseBase) -> None:
        return None


def run() -> list[Result]:
    unguarded = f"{__name__}.{UnguardedConsentMiddleware.__name__}"
    middleware = [unguarded if m == CONSENT_MIDDLEWARE else m for m in settings.MIDDLEWARE]
    results = []
    # Usage logging writes a row per page view of a consenting visitor: it would drown the guard.
    with override_settings(ROOT_URLCONF=__name__, JSG_PRIVACY_USAGE_LOGGING=False):
        for choice, label, expected in (
            (None, "not chosen yet", set()),
            ("accept", "accepted all", {"recently_viewed", "_sa_id"}),
        ):
            on_client = decided_visitor(choice)
            off_client = Client()
            off_client.cookies = copy.deepcopy(on_client.cookies)

            def subject(client: Client = on_client) -> Any:
                return client.get(URL)

            def baseline(client: Client = off_client) -> Any:
                return client.get(URL)

            with override_settings(MIDDLEWARE=middleware):
                off_page = baseline()  # the client keeps the middleware it loaded first
            on_page = subject()
            assert on_page.status_code == off_page.status_code == 200
            assert set(on_page.cookies) == expected, set(on_page.cookies)
            assert {"recently_viewed", "_sa_id"} <= set(off_page.cookies)
            results.append(
                compare(
                    f"a response setting an undeclared and an analytics cookie, visitor {label}: "
                    "consent middleware with the Set-Cookie guard / without it",
                    subject,
                    baseline,
                    target=TARGET,
                )
            )
    return results
