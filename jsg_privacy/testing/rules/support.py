"""What several rules share: reading cookies and storage the way the consent layer does, and
looking at pages in chromium."""

from __future__ import annotations

import contextlib
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

SETTLE_MS = 5_000


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


@contextmanager
def browser_context(audit: Audit, **options: Any) -> Iterator[tuple[Any, Seen]]:
    """A fresh context (no cookies) whose requests to other hosts are recorded and never sent."""
    seen = Seen()
    context = audit.browser.new_context(base_url=audit.base_url, locale="en-GB", **options)
    host = audit.host

    def route(route: Any) -> None:
        url = route.request.url
        if urllib.parse.urlsplit(url).netloc not in ("", host) and url.startswith("http"):
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
    with contextlib.suppress(Exception):  # a page that keeps polling never goes idle
        page.wait_for_load_state("networkidle", timeout=SETTLE_MS)
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
    for cookie in context.cookies():
        why = needs_consent(cookie["name"])
        if why:
            problems.append(f"{where}: cookie {cookie['name']} ({why})")
    for key in storage_keys(page):
        why = needs_consent(key)
        if why:
            problems.append(f"{where}: storage key {key} ({why})")
    for url in dict.fromkeys(seen.other_hosts):
        problems.append(f"{where}: request to another site: {url[:120]}")
    seen.other_hosts.clear()
    return problems


def screenshot(page: Any) -> bytes:
    try:
        return bytes(page.screenshot(full_page=False))
    except Exception:
        return b""
