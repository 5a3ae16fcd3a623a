"""A small client for a Saleor store's GraphQL API and signing keys, over ``urllib`` with timeouts.

Every call has a timeout (``JSG_PRIVACY_SALEOR_TIMEOUT``) and never follows a redirect (the token
must not travel to another host). With ``DEBUG`` off, nothing is sent in clear to another machine
(:func:`in_clear`): the token and the store's signing keys would be readable and replaceable on the
way. :class:`SaleorUnavailable` means "try again later" (a timeout, a refused connection, a 5xx);
:class:`SaleorError` means Saleor answered and refused.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from jsg_privacy.integrations.saleor.conf import saleor_settings

#: Largest response read from Saleor, in bytes (a page of 100 orders is far smaller).
MAX_RESPONSE = 16 * 1024 * 1024
PAGE_SIZE = 100
USER_AGENT = "jsg_privacy-saleor-app"


class SaleorError(Exception):
    """Saleor answered, but with an error (GraphQL errors, a mutation's errors, a 4xx).

    ``codes`` are Saleor's error codes (``GraphQLError`` for a query the schema does not know).
    """

    def __init__(self, message: str, codes: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.codes = codes


class SaleorUnavailable(SaleorError):
    """Saleor did not answer in time or answered 5xx: the call may be retried later."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is then raised as an HTTPError


_opener = urllib.request.build_opener(_NoRedirects)


def origin(api_url: str) -> str:
    """``https://store.example.com`` for ``https://store.example.com/graphql/``."""
    parts = urlsplit(api_url)
    return f"{parts.scheme}://{parts.netloc}"


def in_clear(url: str) -> bool:
    """True if calling ``url`` crosses a network unencrypted: plain http to another machine."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return False
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return not ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True  # a host name other than localhost


def trusted(url: str) -> bool:
    """Whether a store at ``url`` may be called and believed: over https or on this machine, or
    anything with ``DEBUG`` on (check ``jsg_privacy_saleor.E005`` refuses the rest at start-up)."""
    return settings.DEBUG or not in_clear(url)


def _request(
    url: str, *, data: bytes | None = None, headers: Mapping[str, str] | None = None
) -> Any:
    if urlsplit(url).scheme not in ("http", "https"):
        raise SaleorError("Only http and https URLs are called.")
    if not trusted(url):
        raise SaleorError("Plain http to another machine is refused while DEBUG is off.")
    request = urllib.request.Request(  # noqa: S310 -- the scheme is checked above
        url, data=data, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with _opener.open(request, timeout=saleor_settings.TIMEOUT) as response:
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as error:
        if error.code == 400:  # a document the schema rejects: the body says why, with codes
            with contextlib.suppress(ValueError, OSError):
                answer = json.loads(error.read(MAX_RESPONSE))
                if isinstance(answer, dict) and answer.get("errors"):
                    return answer
        kind = SaleorUnavailable if error.code >= 500 else SaleorError
        raise kind(f"Saleor answered HTTP {error.code}.") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise SaleorUnavailable(f"Saleor could not be reached: {type(reason).__name__}.") from None
    if len(body) > MAX_RESPONSE:
        raise SaleorError("Saleor's answer is too large.")
    try:
        return json.loads(body)
    except ValueError:
        raise SaleorError("Saleor's answer is not JSON.") from None


def fetch_jwks(api_url: str) -> dict[str, Any]:
    """The store's signing keys, from its origin's ``/.well-known/jwks.json``."""
    keys = _request(origin(api_url) + "/.well-known/jwks.json")
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        raise SaleorError("The store's JWKS is not a key set.")
    return keys


class Client:
    """Calls one store's GraphQL API with the app's token."""

    def __init__(
        self,
        api_url: str,
        token: str,
        version: tuple[int, int] | None = None,
        installation_id: int | None = None,
    ) -> None:
        self.api_url = api_url
        self.token = token
        #: The app's :class:`~.models.Installation` in the store: where its index is kept.
        self.installation_id = installation_id
        #: The store's schema version, when known: some queries differ between 3.22 and 3.23.
        self.version = version

    def execute(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of a query or mutation; :class:`SaleorError` if Saleor reports errors.

        The operation's name is sent as ``operationName`` (documents hold one named operation).
        """
        name = document.split("(", 1)[0].split("{", 1)[0].split()[1]
        payload = {"query": document, "variables": dict(variables or {}), "operationName": name}
        answer = _request(
            self.api_url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        if not isinstance(answer, dict):
            raise SaleorError("Saleor's answer is not a GraphQL response.")
        if answer.get("errors"):
            codes = tuple(
                sorted(
                    {
                        str(
                            (error.get("extensions") or {})
                            .get("exception", {})
                            .get("code", "error")
                        )
                        for error in answer["errors"]
                        if isinstance(error, dict)
                    }
                )
            )
            raise SaleorError(f"{name} failed: {', '.join(codes) or 'error'}.", codes)
        data = answer.get("data")
        if not isinstance(data, dict):
            raise SaleorError(f"{name} returned no data.")
        return data

    def mutate(self, document: str, variables: Mapping[str, Any]) -> dict[str, Any]:
        """The payload of a document's one mutation; :class:`SaleorError` on its ``errors``."""
        data = self.execute(document, variables)
        ((field, result),) = data.items()
        errors = (result or {}).get("errors") or []
        if errors:
            codes = tuple(sorted({str(error.get("code", "error")) for error in errors}))
            raise SaleorError(f"{field} refused: {', '.join(codes)}.", codes)
        return result or {}

    def nodes(self, document: str, variables: Mapping[str, Any], field: str) -> Iterator[Any]:
        """The nodes of a connection ``field``, page by page (``$after`` in the document).

        ``field`` may be a dotted path (``"user.checkouts"``); a missing object has no nodes.
        """
        after = None
        while True:
            connection: Any = self.execute(document, {**variables, "after": after})
            for name in field.split("."):
                connection = (connection or {}).get(name)
            connection = connection or {}
            for edge in connection.get("edges") or ():
                yield edge["node"]
            page = connection.get("pageInfo") or {}
            if not page.get("hasNextPage") or not page.get("endCursor"):
                return
            after = page["endCursor"]
