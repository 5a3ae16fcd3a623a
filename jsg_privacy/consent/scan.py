"""Walk the shop's URLs with Django's test client and see which cookies each page sets.

``manage.py privacy_scan_cookies`` is a thin wrapper around :func:`scan`. What it visits:

- every URL pattern of the URLconf that takes no parameter (``path("cart/", ...)``, a regex without
  groups, an ``i18n_patterns`` prefix), the admin only when asked, plus the paths given by hand;
- with GET only, never POST, each as a first-time visitor (no cookie), and optionally again as a
  visitor who accepted every cookie group (a signed consent cookie, and no ledger record);
- inside one database transaction that is rolled back, each URL in a savepoint of its own, so a
  scan leaves no session, order or usage row behind and one failing page cannot spoil the next.

For each cookie it sees it says whether it is declared, under which purpose, where it was set and
whether :mod:`jsg_privacy.consent.guard` held it back. A page that answers an error is reported with
its status; an exception is caught and named.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils.module_loading import import_string

from jsg_privacy.consent import groups, sightings, state
from jsg_privacy.consent.cookies import Verdict, classify
from jsg_privacy.consent.guard import RAW_HEADER, REPORT_ATTRIBUTE, is_deletion
from jsg_privacy.consent.middleware import ConsentMiddleware

FIRST_TIME = "first-time visitor"
ACCEPTED_ALL = "visitor who accepted all"
#: Regex metacharacters left after unescaping: such a pattern matches more than one literal path.
REGEX_SYNTAX = re.compile(r"[.^$*+?{}\[\]\\|()]")


@dataclass(frozen=True)
class Sighting:
    path: str
    visitor: str
    #: Removed from the response by the consent middleware's guard.
    held_back: bool = False
    #: Needs consent but was set where the guard does not look: by a middleware listed before
    #: ConsentMiddleware, or with ConsentMiddleware not installed.
    unguarded: bool = False


@dataclass
class Found:
    verdict: Verdict
    sightings: list[Sighting] = field(default_factory=list)


@dataclass(frozen=True)
class Failure:
    path: str
    visitor: str
    status: int | None
    error: str = ""


@dataclass
class Scan:
    visitors: tuple[str, ...]
    paths: list[str]
    guarded: bool
    cookies: dict[str, Found] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)

    @property
    def undeclared(self) -> list[str]:
        return sorted(name for name, found in self.cookies.items() if found.verdict.reported)


def url_paths(urlconf: str | None = None, *, include_admin: bool = False) -> list[str]:
    """The paths of the URLconf's patterns that take no parameter, in URLconf order."""
    seen: dict[str, None] = {}
    for path in _walk(get_resolver(urlconf).url_patterns, "", include_admin):
        seen.setdefault("/" + path, None)
    return list(seen)


def _walk(
    patterns: Iterable[URLPattern | URLResolver], prefix: str, include_admin: bool
) -> Iterator[str]:
    for entry in patterns:
        literal = _literal(entry.pattern)
        if literal is None:
            continue
        if isinstance(entry, URLResolver):
            if not include_admin and "admin" in (entry.app_name, entry.namespace):
                continue
            yield from _walk(entry.url_patterns, prefix + literal, include_admin)
        else:
            yield prefix + literal


def _literal(pattern: object) -> str | None:
    """The one path a pattern matches, or ``None`` when it takes parameters (or is unknown)."""
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    if isinstance(pattern, RoutePattern):
        return None if pattern.converters else str(pattern)  # its route
    if isinstance(pattern, RegexPattern):
        if pattern.regex.groups:
            return None
        text = str(pattern).removeprefix("^").removesuffix("$").removesuffix(r"\Z")
        text = re.sub(r"\\([./\-_~])", r"\1", text)
        return None if REGEX_SYNTAX.search(text) else text
    return None


def consent_installed() -> bool:
    """True if a ConsentMiddleware (or a subclass) is in MIDDLEWARE."""
    for dotted in settings.MIDDLEWARE:
        try:
            found = import_string(dotted)
        except ImportError:
            continue
        if isinstance(found, type) and issubclass(found, ConsentMiddleware):
            return True
    return False


def accepted_all_cookies() -> SimpleCookie:
    """The signed consent cookies of a visitor who accepted every group (nothing is recorded)."""
    response = HttpResponse()
    choices = dict.fromkeys(groups.versions(), True)
    state.write(HttpRequest(), response, state.ConsentState().with_choices(choices))
    return response.cookies


def scan(paths: Iterable[str], *, accept_all: bool = False) -> Scan:
    """Visit ``paths`` as a first-time visitor (and as one who accepted all) and collect cookies."""
    visitors = (FIRST_TIME, ACCEPTED_ALL) if accept_all else (FIRST_TIME,)
    result = Scan(visitors, list(paths), consent_installed())
    client = Client(raise_request_exception=False)
    secure = bool(settings.SECURE_SSL_REDIRECT)
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    with override_settings(ALLOWED_HOSTS=hosts), sightings.paused(), transaction.atomic():
        for visitor in visitors:
            for path in result.paths:
                client.cookies = (
                    accepted_all_cookies() if visitor == ACCEPTED_ALL else SimpleCookie()
                )
                try:
                    with transaction.atomic():  # a savepoint, rolled back whatever the page did
                        response = client.get(path, secure=secure)
                        transaction.set_rollback(True)
                except Exception as error:  # a broken page is reported, the scan goes on
                    result.failures.append(Failure(path, visitor, None, type(error).__name__))
                    continue
                if response.status_code >= 400:
                    result.failures.append(Failure(path, visitor, response.status_code))
                _collect(result, path, visitor, response)
        transaction.set_rollback(True)
    return result


def _collect(result: Scan, path: str, visitor: str, response: HttpResponseBase) -> None:
    report: dict[str, bool] = getattr(response, REPORT_ATTRIBUTE, {})
    names = [name for name, morsel in response.cookies.items() if not is_deletion(morsel)]
    if RAW_HEADER in response.headers:
        names.append(response.headers[RAW_HEADER].split("=", 1)[0].strip())
    for name in dict.fromkeys([*names, *report]):
        verdict = classify(name)
        sighting = Sighting(
            path,
            visitor,
            held_back=report.get(name, False),
            unguarded=bool(verdict.group) and name not in report,
        )
        result.cookies.setdefault(name, Found(verdict)).sightings.append(sighting)
