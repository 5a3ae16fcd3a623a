"""The Stripe client of the Stripe backend: its settings, its observed HTTP client, its parameters.

- :class:`StripeSettings` reads ``JSG_PRIVACY_STRIPE``: real Stripe when a ``secret_key`` is given,
  else localstripe, the local stand-in, on ``http://127.0.0.1:8420`` with its own public keys —
  only with ``DEBUG`` on, or in a test suite that says so with ``"local_for_tests": True``. Anything
  else with ``DEBUG`` off raises :class:`~jsg_privacy.payments.base.NotConfigured` (and fails check
  ``jsg_privacy.E017``): a charge is never sent to whatever listens on 127.0.0.1:8420.
- :class:`ObservedHTTPClient` is Stripe's default HTTP client, telling
  :mod:`jsg_privacy.payments.transport` every request it sends (tests record the bodies).
- :func:`to_params` turns declared fields into Stripe's parameters: the only way data gets into them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import stripe
from django.conf import settings as django_settings

from jsg_privacy.payments import transport
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.stripe import localstripe
from jsg_privacy.payments.gateways.stripe.conf import stripe_conf

STRIPE_JS = "https://js.stripe.com/v3/"
LOCAL_API_BASE = f"http://{localstripe.HOST}:{localstripe.DEFAULT_PORT}"
#: Declared fields that are parameters of Stripe's API; any other declared field goes in metadata.
NATIVE_FIELDS = ("amount", "currency", "email")


@dataclass(frozen=True)
class StripeSettings:
    """``JSG_PRIVACY_STRIPE`` with its defaults: real Stripe with a secret key, else localstripe."""

    secret_key: str
    publishable_key: str
    webhook_secret: str
    api_base: str
    js_url: str
    local: bool

    @classmethod
    def load(cls) -> StripeSettings:
        """The settings in force; :class:`NotConfigured` when the stand-in is not allowed here."""
        given = {key: value for key, value in stripe_conf.STRIPE.items() if value}
        if given.get("secret_key"):
            api_base = given.get("api_base", stripe.DEFAULT_API_BASE)
            return cls(
                secret_key=given["secret_key"],
                publishable_key=given.get("publishable_key", ""),
                webhook_secret=given.get("webhook_secret", ""),
                api_base=api_base,
                js_url=given.get("js_url", STRIPE_JS),
                local=False,
            )
        if not (django_settings.DEBUG or given.get(localstripe.LOCAL_FOR_TESTS)):
            raise NotConfigured(
                "JSG_PRIVACY_STRIPE has no secret_key while DEBUG is off: card payments are "
                "refused rather than sent to the local stand-in with its public keys."
            )
        api_base = given.get("api_base", LOCAL_API_BASE).rstrip("/")
        public_secret = localstripe.WEBHOOK_SECRET if django_settings.DEBUG else ""
        return cls(
            secret_key=localstripe.SECRET_KEY,
            publishable_key=given.get("publishable_key", localstripe.PUBLISHABLE_KEY),
            webhook_secret=given.get("webhook_secret", public_secret),
            api_base=api_base,
            js_url=given.get("js_url", f"{api_base}/js.stripe.com/v3/"),
            local=True,
        )

    def webhook_refusal(self) -> str:
        """Why a webhook cannot be believed with these settings; ``""`` when it can.

        localstripe's webhook secret is public: it verifies events only for the stand-in with DEBUG
        on (the demo), never for real Stripe and never with DEBUG off.
        """
        if not self.webhook_secret:
            return "JSG_PRIVACY_STRIPE has no webhook_secret: events cannot be verified."
        if self.webhook_secret == localstripe.WEBHOOK_SECRET and not (
            self.local and django_settings.DEBUG
        ):
            return (
                "JSG_PRIVACY_STRIPE's webhook_secret is localstripe's public one, which anyone "
                "can sign with: it is accepted only by the local stand-in with DEBUG on."
            )
        return ""


class ObservedHTTPClient(stripe.HTTPClient):
    """Stripe's default HTTP client, telling :mod:`~jsg_privacy.payments.transport` what it sends."""

    name = "jsg_privacy-observed"

    def __init__(self, inner: stripe.HTTPClient | None = None) -> None:
        super().__init__()
        self._inner = inner or stripe.new_default_http_client()

    # ``_usage``: in the base class's signature, never passed by Stripe's retry loop, and not
    # accepted by Stripe's own clients (the inner one).
    def request(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[str, int, Mapping[str, str]]:
        transport.notify(method, url, post_data)
        return self._inner.request(method, url, headers, post_data)

    def request_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str] | None,
        post_data: Any = None,
        *,
        _usage: list[str] | None = None,
    ) -> tuple[Any, int, Mapping[str, str]]:
        transport.notify(method, url, post_data)
        return self._inner.request_stream(method, url, headers, post_data)

    def close(self) -> None:
        self._inner.close()  # type: ignore[no-untyped-call]  # stripe leaves close() unannotated


def to_params(fields: Mapping[str, Any], payment_method: str = "payment_method") -> dict[str, Any]:
    """Stripe parameters for declared fields: native ones as they are, the others as metadata."""
    params: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    for name, value in fields.items():
        if name == "payment_method":
            params[payment_method] = value
        elif name in NATIVE_FIELDS:
            params[name] = value
        else:
            metadata[name] = value
    if metadata:
        params["metadata"] = metadata
    return params


def make_client(settings: StripeSettings) -> stripe.StripeClient:
    """A ``StripeClient`` for these settings; retries (with idempotency keys) only on real Stripe."""
    return stripe.StripeClient(
        settings.secret_key,
        base_addresses={"api": settings.api_base},
        http_client=ObservedHTTPClient(),
        max_network_retries=0 if settings.local else 2,
    )
