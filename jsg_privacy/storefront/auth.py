"""Who calls the storefront API: an allowed origin, and a visitor or a customer, or nobody."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.module_loading import import_string

from jsg_privacy.crypto import subjects
from jsg_privacy.storefront import tokens
from jsg_privacy.storefront.conf import storefront_settings


class Refused(Exception):
    """The call is refused (403); the message says why, naming nobody."""


@dataclass(frozen=True)
class Caller:
    """A visitor (``email`` empty) or a customer whose token proved their address."""

    subject_key: str
    email: str = ""

    @property
    def is_customer(self) -> bool:
        return bool(self.email)


def allowed_origin(request: HttpRequest) -> str | None:
    """The request's ``Origin`` if it is on the allowlist (exactly, a trailing slash aside)."""
    origin = request.headers.get("Origin", "").rstrip("/")
    allowed = {url.rstrip("/") for url in storefront_settings.ORIGINS}
    return origin if origin and origin in allowed else None


def caller(request: HttpRequest) -> Caller:
    """The caller named by ``Authorization: Visitor <token>`` or ``Bearer <customer token>``."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme == "Visitor" and token:
        try:
            return Caller(subjects.for_consent_id(tokens.visitor_id(token)))
        except tokens.InvalidToken as error:
            raise Refused(str(error)) from None
    if scheme == "Bearer" and token:
        if not storefront_settings.CUSTOMER_AUTH:
            raise Refused("Customer tokens are not accepted here.")
        verify = import_string(storefront_settings.CUSTOMER_AUTH)
        try:
            email = str(verify(token))
        except ValueError as error:
            raise Refused(str(error) or "The customer token is not valid.") from None
        return Caller(subjects.for_email(email), email)
    raise Refused("A visitor token or a customer token is required.")
