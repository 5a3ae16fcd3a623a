"""Consent middleware: honour Global Privacy Control, delete cookies nobody consented to, and hold
back cookies the response sets before consent allows them.

It extends django-cookie-consent's ``CleanCookiesMiddleware`` with what that one cannot do: wildcard
cookie names (``_ga_*``), signed choices tied to group versions, GPC, and a guard on ``Set-Cookie``
(:mod:`jsg_privacy.consent.guard`) that also reports cookies nobody declared. For a visitor who carries
no cookie of a consent group, sends no GPC signal and gets no cookie it does nothing at all: no
parsing, no query.

The guard sees the cookies set by views and by middleware listed after this one. List it right after
``AuthenticationMiddleware``, before any middleware of the shop's that sets cookies.
"""

from __future__ import annotations

from dataclasses import replace

from cookie_consent.middleware import CleanCookiesMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from jsg_privacy.consent import choices, groups, guard, state

VARY_ATTRIBUTE = "_jsg_privacy_consent_gated"
STARTED_ATTRIBUTE = "_jsg_privacy_started"


class ConsentMiddleware(CleanCookiesMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.META.get("HTTP_SEC_GPC") == "1":  # a choice made in this request stands
            setattr(request, STARTED_ATTRIBUTE, timezone.now())
        response = self.get_response(request)
        return self.process_response(request, response)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.META.get("HTTP_SEC_GPC") == "1":  # META: request.headers parses every header
            honour_gpc(request, response)
            honour_gpc_for_account(request)
        if request.COOKIES:
            choices.delete_refused_cookies(request, response)
        if response.cookies or guard.RAW_HEADER in response.headers:
            self.guard_cookies(request, response)
        if getattr(request, VARY_ATTRIBUTE, False):
            patch_vary_headers(response, ["Cookie"])
        return response

    def guard_cookies(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """Hold back the cookies the response sets that consent does not allow (only called for a
        response that sets one)."""
        guard.guard(request, response)


def honour_gpc(request: HttpRequest, response: HttpResponseBase) -> None:
    """Count a GPC signal as refusal of marketing (and sharing) groups, once per visitor.

    A choice the visitor makes after the signal was honoured stands: the signal is applied only
    while the cookie does not say it was honoured already. The ledger row is written when the
    visitor's stored choices change: at once for a visitor whose browser holds the consent cookie
    (or a signed-in customer), and for a first request on the next request that brings the cookie
    back. A client that keeps no cookies is a stranger on every request and adds no rows.
    """
    if response.cookies.get(state.cookie_name()):
        return  # an explicit choice in this very request stands (it records a pending signal)
    current = state.read(request)
    if current.gpc:
        if current.gpc_pending:  # the browser kept the cookie: record the signal now
            choices.record_gpc(request, current)
            state.write(request, response, replace(current, gpc_pending=False))
        return
    targets = [g.key for g in groups.current() if g.key in groups.GPC_PURPOSES]
    after = current.with_choices(dict.fromkeys(targets, False))
    user = getattr(request, "user", None)
    known_visitor = bool(current.consent_id) or (user is not None and user.is_authenticated)
    after = replace(after, gpc=True, gpc_pending=not known_visitor)
    if known_visitor:
        choices.record_gpc(request, after)
    state.write(request, response, after)


def honour_gpc_for_account(request: HttpRequest) -> None:
    """A signed-in customer's GPC signal also withdraws their consent to partner marketing (an
    objection to the partners' direct marketing): :func:`jsg_privacy.marketing.gpc.honour`."""
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return
    from jsg_privacy.marketing import gpc

    gpc.honour(request, since=getattr(request, STARTED_ATTRIBUTE, timezone.now()))
