"""A provider's JSON REST API, for gateways without a client library of their own (PayPal, Opayo).

Every request is told to :mod:`jsg_privacy.payments.transport` first (tests record the bodies for
the leak scan). A provider that cannot be reached, or answers 5xx, raises
:class:`~jsg_privacy.payments.base.PaymentError` (the customer is asked to try again); a 4xx
answer raises :class:`ProviderRefused` with the provider's own code for the problem.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

import requests

from jsg_privacy.payments import transport
from jsg_privacy.payments.base import PaymentError

TIMEOUT = 20


class ProviderRefused(PaymentError):
    """The provider answered 4xx: ``status`` is the HTTP status, ``issue`` the provider's code."""

    def __init__(self, provider: str, status: int, issue: str) -> None:
        super().__init__(f"{provider} refused the request: {status} {issue}")
        self.status = status
        self.issue = issue


class JsonApi:
    def __init__(
        self, provider: str, base_url: str, issue_of: Callable[[Any], str] = lambda answer: ""
    ) -> None:
        self.provider = provider
        self.base_url = base_url.rstrip("/")
        self.issue_of = issue_of
        self.session = requests.Session()

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Any:
        url = self.base_url + path
        body = json.dumps(json_body) if json_body is not None else None
        sent = body if body is not None else "&".join(f"{k}={v}" for k, v in (form or {}).items())
        transport.notify(method, url, sent)
        all_headers = dict(headers or {})
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        try:
            response = self.session.request(
                method,
                url,
                data=body if body is not None else form,
                headers=all_headers,
                auth=auth,
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            raise PaymentError(
                f"{self.provider} could not be reached: {type(error).__name__}"
            ) from error
        if response.status_code >= 500:
            raise PaymentError(f"{self.provider} failed: {response.status_code}")
        try:
            answer = response.json() if response.content else {}
        except ValueError as error:
            raise PaymentError(f"{self.provider} answered something that is not JSON") from error
        if response.status_code >= 400:
            raise ProviderRefused(self.provider, response.status_code, self.issue_of(answer))
        return answer
