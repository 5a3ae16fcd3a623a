"""Usage middleware: page views and searches with analytics consent, security events by declaration.

A page view is a successful (200) GET of an HTML page. Static and media files, the admin (staff
access has its own audit) and jsg_privacy's own endpoints (banner, notice, requests) are skipped,
and nothing of a POST is ever recorded but a security event's path. A request whose visitor has not
accepted the analytics group costs no query: the signed consent cookie is read from memory, and
``request.user`` is only touched for a request that is recorded. A recorded page view costs no
query either: it waits in a buffer and is written in a batch (:mod:`jsg_privacy.usage.buffer`).

Security events (a 400 or 403 response; failed log-ins, in :mod:`jsg_privacy.usage.receivers`) are
kept on legitimate interests, so only while the registry has the ``security`` purpose in use.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from jsg_privacy import inventory
from jsg_privacy.consent import state
from jsg_privacy.crypto import subjects
from jsg_privacy.usage import receivers, record  # noqa: F401  (receivers: failed log-ins)
from jsg_privacy.usage.models import UsageEvent

#: URL namespaces (app names) whose pages are never page views.
SKIPPED_APPS = frozenset({"admin", "jsg_privacy"})
#: Response codes recorded as security events.
SECURITY_STATUS = frozenset({400, 403})


class UsageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if record.enabled():
            self.process(request, response)
        return response

    def process(self, request: HttpRequest, response: HttpResponseBase) -> None:
        status = response.status_code
        if status in SECURITY_STATUS:
            if record.security_in_use():
                record.write(
                    request,
                    UsageEvent.Kind.SECURITY,
                    status_code=status,
                    user=_user(request),
                )
            return
        if state.cookie_name() not in request.COOKIES:
            return  # no consent cookie, no analytics consent: nothing more to look at
        if not is_page_view(request, response):
            return
        consent = state.read(request)
        if consent.accepted(inventory.ANALYTICS) is not True:
            return
        terms = record.search_terms(request)
        record.buffer_page_view(
            request,
            UsageEvent.Kind.SEARCH if terms else UsageEvent.Kind.PAGE_VIEW,
            search_terms=terms,
            status_code=status,
            visitor_key=subjects.for_consent_id(consent.consent_id) if consent.consent_id else "",
        )


def is_page_view(request: HttpRequest, response: HttpResponseBase) -> bool:
    """A successful GET of an HTML page outside static/media files, the admin and jsg_privacy."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    if _under(request.path, settings.STATIC_URL) or _under(request.path, settings.MEDIA_URL):
        return False
    match = getattr(request, "resolver_match", None)
    return not (match is not None and SKIPPED_APPS.intersection(match.app_names))


def _under(path: str, prefix: str | None) -> bool:
    """True if ``path`` is under a local URL prefix; an unset MEDIA_URL reads as "/", not a prefix."""
    prefix = (prefix or "").strip("/")
    if not prefix or "://" in prefix:
        return False
    return path.startswith(f"/{prefix}/")


def _user(request: HttpRequest) -> object | None:
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None
