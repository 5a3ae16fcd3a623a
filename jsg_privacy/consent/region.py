"""Where a visitor is treated as being, for the Sch. A1 cookie exceptions (PECR, UK).

The statistical and appearance exceptions are UK law: they apply to visitors the shop treats as in
a country of ``JSG_PRIVACY_EXCEPTION_COUNTRIES`` (default ``["GB"]``); everyone else is asked for
opt-in consent, as EU law requires. The country is the shop's default
(``JSG_PRIVACY_DEFAULT_COUNTRY``), unless ``JSG_PRIVACY_COUNTRY_HEADER`` names a header the shop's
CDN or proxy sets (``CF-IPCountry``, ``CloudFront-Viewer-Country``) and the request carries a
two-letter code in it. No IP database is shipped or consulted.

Only per-visitor responses (the consent state stylesheet and endpoints) depend on it and vary on
that header; pages stay the same for everyone.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from jsg_privacy.conf import app_settings


def header_meta_key() -> str:
    """The ``request.META`` key of ``JSG_PRIVACY_COUNTRY_HEADER``; "" when none is set."""
    name = app_settings.COUNTRY_HEADER.strip()
    return "HTTP_" + name.upper().replace("-", "_") if name else ""


def country(request: HttpRequest | None) -> str:
    """The visitor's two-letter country code, upper case."""
    key = header_meta_key()
    if request is not None and key:
        sent = str(request.META.get(key, "")).strip().upper()
        if len(sent) == 2 and sent.isalpha():
            return sent
    return app_settings.DEFAULT_COUNTRY.strip().upper()


def exceptions_apply(request: HttpRequest | None) -> bool:
    """Whether the Sch. A1 exceptions cover this visitor (else exception groups need opt-in)."""
    allowed = {code.strip().upper() for code in app_settings.EXCEPTION_COUNTRIES}
    return country(request) in allowed


def vary(response: HttpResponseBase) -> None:
    """Mark a per-visitor response as depending on the country header, when one is set."""
    name = app_settings.COUNTRY_HEADER.strip()
    if name:
        patch_vary_headers(response, [name])
