"""What several rules share: reading cookies and storage the way the consent layer does, and
looking at pages in chromium."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from jsg_privacy.consent import state
from jsg_privacy.consent.cookies import classify

if TYPE_CHECKING:
    from jsg_privacy.testing.audit import Audit

#: After the load event (deferred scripts and the tags consent.js starts have run), how long a
#: page is left for late requests, cookies and storage before it is read.
SETTLE_MS = 300


def needs_consent(name: str) -> str:
    """Why a cookie (or storage key) must wait for a choice, or "" when it need not."""
    verdict = classify(name)
    if verdict.reported:
        return "declared nowhere"
    if verdict.group:
        return f"needs consent: {verdict.group}"
    return ""


def consent_state(value: str | None) -> state.ConsentState:
    """The choices a consent cookie value proves, read as the server reads them."""
    request = HttpRequest()
    if value:
        request.COOKIES[state.cookie_name()] = value
    return state.read(request)


@dataclass
class Seen:
    """What chromium saw on the pages of one browser context."""

    other_hosts: list[str] = field(default_factory=list)
    #: Cookies and storage keys already reported: each is named on the page it first appeared on.
    reported: set[str] = field(default_factory=set)


@contextmanager
def browser_context(audit: Audit, **options: Any) -> Iterator[tuple[Any, Seen]]:
    """A fresh context (no cookies) whose requests to other hosts are never sent; those to hosts the
    shop did not allow (``third_parties``) are recorded."""
    seen = Seen()
    context = audit.browser.new_context(base_url=audit.base_url, locale="en-GB", **options)
    allowed = set(audit.config.third_parties)

    def route(route: Any) -> None:
        url = route.request.url
        netloc = urllib.parse.urlsplit(url).netloc
        if netloc not in ("", audit.host) and url.startswith("http"):
            if netloc not in allowed:
                seen.other_hosts.append(url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    try:
        yield context, seen
    finally:
        context.close()


def open_page(context: Any, path: str) -> tuple[Any, str]:
    """Go to ``path`` in a new tab of ``context`` and let its scripts run; the page, and "" or
    what went wrong (a status of 400 or more, a timeout)."""
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        response = page.goto(path, wait_until="load")
    except Exception as error:
        return page, f"{path} did not load in chromium ({type(error).__name__})"
    page.wait_for_timeout(SETTLE_MS)
    if response is not None and response.status >= 400:
        return page, f"{path} answered {response.status} in chromium"
    return page, ""


def storage_keys(page: Any) -> list[str]:
    try:
        return list(
            page.evaluate("() => [...Object.keys(localStorage), ...Object.keys(sessionStorage)]")
        )
    except Exception:
        return []


def tracking_in_browser(context: Any, page: Any, seen: Seen, where: str) -> list[str]:
    """Non-essential or undeclared cookies and storage keys the context holds, and requests made
    to other hosts, each as a problem naming ``where``."""
    problems = []
    held = [("cookie", cookie["name"]) for cookie in context.cookies()]
    held += [("storage key", key) for key in storage_keys(page)]
    for kind, name in held:
        why = needs_consent(name)
        if why and f"{kind} {name}" not in seen.reported:
            seen.reported.add(f"{kind} {name}")
            problems.append(f"{where}: {kind} {name} ({why})")
    for url in dict.fromkeys(seen.other_hosts):
        problems.append(f"{where}: request to another site: {url[:120]}")
    seen.other_hosts.clear()
    return problems


def screenshot(page: Any) -> bytes:
    try:
        return bytes(page.screenshot(full_page=False))
    except Exception:
        return b""
