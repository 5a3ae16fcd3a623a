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

from cookie_consent.middleware import CleanCookiesMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from jsg_privacy.consent import choices, groups, guard, ledger, state
from jsg_privacy.consent.models import Action, Channel

VARY_ATTRIBUTE = "_jsg_privacy_consent_gated"


class ConsentMiddleware(CleanCookiesMiddleware):
    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        return self.process_response(request, response)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if request.META.get("HTTP_SEC_GPC") == "1":  # META: request.headers parses every header
            honour_gpc(request, response)
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
    while the cookie does not say it was honoured already.
    """
    current = state.read(request)
    if current.gpc or response.cookies.get(state.cookie_name()):
        return  # honoured before, or the visitor is making an explicit choice in this very request
    targets = [g.key for g in groups.current() if g.key in groups.GPC_PURPOSES]
    after = current.with_choices(dict.fromkeys(targets, False))
    after = state.ConsentState(after.consent_id, after.choices, after.versions, gpc=True)
    key = choices.subject_key(request, after)
    known = groups.by_key()
    for purpose in targets or ["marketing"]:
        version = known[purpose].version if purpose in known else ""
        ledger.append(
            subject_key=key,
            purpose=purpose,
            action=Action.SIGNAL,
            channel=Channel.GPC,
            version=version,
        )
    state.write(request, response, after)
