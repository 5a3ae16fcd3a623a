"""Cross-site request protection for the consent forms without a CSRF cookie.

Django's CSRF protection needs a ``csrftoken`` cookie set on the page that shows the form, so every
page carrying the banner would set a cookie on a first visit, and no shared cache could store it.
The banner's forms carry no token instead; a choice is accepted from a browser that says it was
sent by this site's own pages:

1. ``Sec-Fetch-Site`` (every current browser sends it): ``same-origin`` (or ``none``, typed by the
   visitor) passes; ``same-site`` and ``cross-site`` pass only from an origin in
   ``CSRF_TRUSTED_ORIGINS``.
2. Without it, ``Origin``: this site's own origin, or one in ``CSRF_TRUSTED_ORIGINS``.
3. Without either (an old browser, a script): Django's own check, token and cookie — the banner
   script then fetches a token from the status endpoint and sends the choice again.

This is the Fetch-Metadata check that OWASP recommends and Go's ``http.CrossOriginProtection``
makes, with Django's token check, not a free pass, as the fallback.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import get_callable
from django.utils.http import is_same_domain

SAME_SITE_VALUES = frozenset({"same-origin", "none"})
REASON = "the browser says this request comes from another site (Sec-Fetch-Site, Origin)."
logger = logging.getLogger("django.security.csrf")  # where Django logs its own CSRF refusals


def verdict(request: HttpRequest) -> bool | None:
    """True if the browser says the request comes from this site, False if it says it does not,
    None if it says nothing (no ``Sec-Fetch-Site``, no ``Origin``)."""
    origin = request.META.get("HTTP_ORIGIN")
    site = request.META.get("HTTP_SEC_FETCH_SITE")
    if site is not None:
        if site in SAME_SITE_VALUES:
            return True
        return origin is not None and _trusted(origin)
    if origin is None:
        return None
    return _own(request, origin) or _trusted(origin)


def _own(request: HttpRequest, origin: str) -> bool:
    try:
        host = request.get_host()
    except DisallowedHost:
        return False
    return origin == f"{'https' if request.is_secure() else 'http'}://{host}"


def _trusted(origin: str) -> bool:
    """``origin`` is in ``CSRF_TRUSTED_ORIGINS`` (exactly, or by a ``*.`` subdomain entry)."""
    try:
        parsed = urlsplit(origin)
    except ValueError:
        return False
    for entry in getattr(settings, "CSRF_TRUSTED_ORIGINS", []):
        if entry == origin:
            return True
        if "://*." in entry:
            scheme, _, host = entry.partition("://")
            if scheme == parsed.scheme and is_same_domain(parsed.netloc, host[1:]):
                return True
    return False


def _accept(request: HttpRequest) -> HttpResponse:
    return HttpResponse()


def check(request: HttpRequest) -> HttpResponseBase | None:
    """None if ``request`` may change the visitor's choices; otherwise the 403 response to send."""
    said = verdict(request)
    if said is True:
        return None
    if said is False:
        failure = get_callable(settings.CSRF_FAILURE_VIEW)
        response: HttpResponseBase = failure(request, reason=REASON)
        logger.warning("Forbidden (%s): %s", REASON, request.path, extra={"status_code": 403})
        return response
    middleware = CsrfViewMiddleware(_accept)
    middleware.process_request(request)  # reads the cookie, if the project lacks the middleware
    return middleware.process_view(request, None, (), {})  # type: ignore[arg-type]
