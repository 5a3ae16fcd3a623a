"""PayPal's REST API as the PayPal gateway uses it: settings, an OAuth token, observed requests.

- :class:`PayPalSettings` reads ``JSG_PRIVACY_PAYPAL``: PayPal (``https://api-m.paypal.com``, or the
  sandbox's ``api_base``) when a ``client_secret`` is given; else the local stand-in on
  ``http://127.0.0.1:8430`` with its public credentials — only with ``DEBUG`` on, or in a test suite
  that says ``"local_for_tests": True``. Anything else with ``DEBUG`` off raises
  :class:`~jsg_privacy.payments.base.NotConfigured` (check ``jsg_privacy.E066``).
- :class:`PayPalClient` gets the app's OAuth token and sends JSON through
  :class:`jsg_privacy.payments.http.JsonApi` (observed by the transport; PayPal's errors become
  :class:`PayPalError` with PayPal's ``issue``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings

from jsg_privacy.conf import Setting, SettingsGroup
from jsg_privacy.payments.base import NotConfigured
from jsg_privacy.payments.gateways.paypal import standin
from jsg_privacy.payments.http import JsonApi, ProviderRefused

LIVE_API = "https://api-m.paypal.com"
SDK_JS = "https://www.paypal.com/sdk/js"
LOCAL_API = f"http://{standin.HOST}:{standin.DEFAULT_PORT}"
LOCAL_FOR_TESTS = "local_for_tests"


class PayPalConf(SettingsGroup):
    PAYPAL = Setting[Mapping[str, Any]](
        {},
        types=Mapping,
        help="PayPal's REST app credentials and endpoints: client_id, client_secret, webhook_id "
        "(the id PayPal gave your webhook), and api_base (https://api-m.sandbox.paypal.com for the "
        "sandbox) and js_url. With no client_secret and DEBUG on, the local stand-in is used; with "
        "DEBUG off, client_secret and webhook_id are required (checks jsg_privacy.E066, E067) "
        "unless a test suite sets local_for_tests (refused by check --deploy, E068).",
    )


paypal_conf = PayPalConf()


@dataclass(frozen=True)
class PayPalSettings:
    client_id: str
    client_secret: str
    webhook_id: str
    api_base: str
    js_url: str
    local: bool

    @classmethod
    def load(cls) -> PayPalSettings:
        given = {key: value for key, value in paypal_conf.PAYPAL.items() if value}
        if given.get("client_secret"):
            return cls(
                client_id=given.get("client_id", ""),
                client_secret=given["client_secret"],
                webhook_id=given.get("webhook_id", ""),
                api_base=given.get("api_base", LIVE_API).rstrip("/"),
                js_url=given.get("js_url", SDK_JS),
                local=False,
            )
        if not (django_settings.DEBUG or given.get(LOCAL_FOR_TESTS)):
            raise NotConfigured(
                "JSG_PRIVACY_PAYPAL has no client_secret while DEBUG is off: PayPal payments are "
                "refused rather than sent to the local stand-in with its public credentials."
            )
        api_base = given.get("api_base", LOCAL_API).rstrip("/")
        return cls(
            client_id=standin.CLIENT_ID,
            client_secret=standin.CLIENT_SECRET,
            webhook_id=given.get("webhook_id", standin.WEBHOOK_ID),
            api_base=api_base,
            js_url=given.get("js_url", f"{api_base}/sdk/js"),
            local=True,
        )

    def webhook_refusal(self) -> str:
        if not self.webhook_id:
            return "JSG_PRIVACY_PAYPAL has no webhook_id: PayPal's events cannot be verified."
        return ""


def _issue(answer: Any) -> str:
    """PayPal's name for what went wrong: ``details[0].issue``, else its ``name`` or ``error``."""
    details = answer.get("details") or [{}] if isinstance(answer, dict) else [{}]
    named = answer.get("name") or answer.get("error", "") if isinstance(answer, dict) else ""
    return str(details[0].get("issue") or named)


#: PayPal's 4xx answers (``issue``: ``INSTRUMENT_DECLINED``, ``ORDER_NOT_APPROVED``…).
PayPalError = ProviderRefused


class PayPalClient:
    def __init__(self, settings: PayPalSettings) -> None:
        self.settings = settings
        self.api = JsonApi("PayPal", settings.api_base, _issue)
        self._token = ""

    def _token_now(self) -> str:
        if not self._token:
            answer = self.api.request(
                "POST",
                "/v1/oauth2/token",
                form={"grant_type": "client_credentials"},
                auth=(self.settings.client_id, self.settings.client_secret),
            )
            self._token = str(answer["access_token"])
        return self._token

    def call(
        self, method: str, path: str, body: Mapping[str, Any] | None = None, request_id: str = ""
    ) -> Any:
        """A JSON call to PayPal's REST API with the app's OAuth token."""
        headers = {"Authorization": f"Bearer {self._token_now()}"}
        if request_id:
            headers["PayPal-Request-Id"] = request_id  # PayPal's idempotency key
        return self.api.request(method, path, json_body=body, headers=headers)
