"""Visitors: one person's cookie jar, going from page to page, through the test client or HTTP.

:class:`ClientVisitor` uses Django's test client (in the shop's own process, CSRF enforced);
:class:`HttpVisitor` talks HTTP to a running shop (``privacy_audit --url``, pytest's live server).
Both answer :class:`Page`: the status, the HTML, and the cookies the response set or deleted. A
page that cannot be fetched is a :class:`Page` with ``error`` set, never an exception.
"""

from __future__ import annotations

import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from functools import cached_property
from http.cookies import CookieError, SimpleCookie
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.test import Client, override_settings

from jsg_privacy.consent.guard import is_deletion

if TYPE_CHECKING:
    from bs4 import BeautifulSoup

TIMEOUT = 30


@dataclass
class Page:
    path: str
    status: int | None
    html: str = ""
    #: Names of the cookies the response set (deletions not included).
    set_cookies: list[str] = field(default_factory=list)
    deleted_cookies: list[str] = field(default_factory=list)
    location: str = ""
    #: Why the page could not be looked at: "could not be fetched (ConnectionRefusedError)"...
    error: str = ""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def loaded(self) -> bool:
        return not self.error and self.status is not None and self.status < 400

    @property
    def rendered(self) -> bool:
        """Answered 200 with HTML: something to look at."""
        return self.status == 200 and "html" in self.headers.get("content-type", "text/html")

    def describe(self) -> str:
        """``/cart/ answered 500``, ``/x/ could not be fetched (ConnectionRefusedError)``."""
        if self.error:
            return f"{self.path} {self.error}"
        if self.status is not None and 300 <= self.status < 400:
            return f"{self.path} answered {self.status} (a redirect to {self.location or '?'})"
        return f"{self.path} answered {self.status}"

    @cached_property
    def soup(self) -> BeautifulSoup:
        from bs4 import BeautifulSoup

        return BeautifulSoup(self.html, "html.parser")


def _cookie_names(morsels: Any) -> tuple[list[str], list[str]]:
    set_names: list[str] = []
    deleted: list[str] = []
    for name, morsel in morsels.items():
        (deleted if is_deletion(morsel) else set_names).append(name)
    return set_names, deleted


class Visitor:
    """A person with a browser that keeps cookies but runs no JavaScript."""

    def get(self, path: str, *, headers: dict[str, str] | None = None) -> Page:
        raise NotImplementedError

    def post(
        self, path: str, data: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> Page:
        raise NotImplementedError

    def cookie(self, name: str) -> str | None:
        """The value the visitor holds for cookie ``name``, if any."""
        raise NotImplementedError

    def submit(self, page: Page, form: Any, extra: dict[str, Any] | None = None) -> Page:
        """Send ``form`` (a BeautifulSoup ``<form>`` of ``page``) with its hidden fields."""
        data: dict[str, Any] = {}
        for field_ in form.find_all("input"):
            name = field_.get("name")
            if name and field_.get("type", "text").lower() == "hidden":
                data[str(name)] = field_.get("value", "")
        data.update(extra or {})
        if not data.get("csrfmiddlewaretoken"):  # a form whose token a script fills in
            token = self.cookie(settings.CSRF_COOKIE_NAME)
            if token:
                data["csrfmiddlewaretoken"] = token
        action = str(form.get("action") or page.path)
        target = urllib.parse.urljoin(page.path, action)
        # What every current browser says of a form sent from the shop's own page (Fetch Metadata):
        # the consent forms, which carry no CSRF token, rely on it.
        return self.post(
            urllib.parse.urlsplit(target).path or "/",
            data,
            headers={"Sec-Fetch-Site": "same-origin"},
        )


class ClientVisitor(Visitor):
    """Django's test client in the shop's own process (``privacy_audit`` without ``--url``)."""

    def __init__(self) -> None:
        self.client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        self.secure = bool(settings.SECURE_SSL_REDIRECT)

    def _request(self, method: str, path: str, **kwargs: Any) -> Page:
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        # Inside the audit's transaction, a page that fails in the database (on PostgreSQL the
        # transaction is then aborted) is undone on its own, so the next page still loads.
        savepoint = transaction.savepoint() if connection.in_atomic_block else None
        try:
            with override_settings(ALLOWED_HOSTS=hosts):
                response = getattr(self.client, method)(path, secure=self.secure, **kwargs)
        except Exception as error:  # a broken page is reported, the audit goes on
            if savepoint:
                transaction.savepoint_rollback(savepoint)
            return Page(path, None, error=f"could not be fetched ({type(error).__name__})")
        if savepoint:
            if response.status_code >= 500:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
        set_names, deleted = _cookie_names(response.cookies)
        content = b"" if getattr(response, "streaming", False) else response.content
        return Page(
            path,
            response.status_code,
            html=content.decode(response.charset or "utf-8", "replace"),
            set_cookies=set_names,
            deleted_cookies=deleted,
            location=response.headers.get("Location", ""),
            headers={k.lower(): v for k, v in response.headers.items()},
        )

    def get(self, path: str, *, headers: dict[str, str] | None = None) -> Page:
        return self._request("get", path, headers=headers or {})

    def post(
        self, path: str, data: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> Page:
        return self._request("post", path, data=data, headers=headers or {})

    def cookie(self, name: str) -> str | None:
        morsel = self.client.cookies.get(name)
        return None if morsel is None or is_deletion(morsel) else morsel.value


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer of its own: the rules decide what it means


class HttpVisitor(Visitor):
    """HTTP to a running shop at ``base_url`` (``privacy_audit --url``, pytest's live server)."""

    def __init__(self, base_url: str, unreachable: dict[str, str] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        #: Shared by an audit's visitors: when the shop cannot be reached at all (refused, timed
        #: out before it ever answered), the other requests fail at once with the same reason
        #: instead of each waiting; a shop that answered once is asked every time.
        self.unreachable = unreachable if unreachable is not None else {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def _request(
        self, path: str, data: dict[str, Any] | None, headers: dict[str, str] | None
    ) -> Page:
        if "reason" in self.unreachable:
            return Page(path, None, error=f"could not be fetched ({self.unreachable['reason']})")
        url = self.base_url + path
        body = None
        sent = {"User-Agent": "jsg-privacy-kit", **(headers or {})}
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
            sent.setdefault("Referer", url)  # Django's CSRF check wants one over HTTPS
        request = urllib.request.Request(url, data=body, headers=sent)  # noqa: S310 -- the shop's own URL
        try:
            response = self.opener.open(request, timeout=TIMEOUT)
        except urllib.error.HTTPError as error:
            response = error  # 3xx (not followed), 4xx and 5xx: an answer with a status
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = f"{type(error).__name__}: {getattr(error, 'reason', None) or error}"
            if not isinstance(error, ValueError) and "answered" not in self.unreachable:
                self.unreachable["reason"] = reason  # it never answered: it is not there
            return Page(path, None, error=f"could not be fetched ({reason})")
        self.unreachable["answered"] = "yes"
        with response:
            raw = response.read()
            header_items = response.headers
            cookies = SimpleCookie()
            for value in header_items.get_all("Set-Cookie") or []:
                try:
                    cookies.load(value)
                except CookieError:
                    continue
            set_names, deleted = _cookie_names(cookies)
            charset = header_items.get_content_charset() or "utf-8"
            return Page(
                path,
                response.status,
                html=raw.decode(charset, "replace"),
                set_cookies=set_names,
                deleted_cookies=deleted,
                location=header_items.get("Location", ""),
                headers={k.lower(): v for k, v in header_items.items()},
            )

    def get(self, path: str, *, headers: dict[str, str] | None = None) -> Page:
        return self._request(path, None, headers)

    def post(
        self, path: str, data: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> Page:
        return self._request(path, data, headers)

    def cookie(self, name: str) -> str | None:
        for cookie in self.jar:
            if cookie.name == name:
                return cookie.value
        return None
