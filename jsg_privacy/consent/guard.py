"""Hold back ``Set-Cookie`` until the visitor's consent allows the cookie.

:class:`~jsg_privacy.consent.middleware.ConsentMiddleware` calls :func:`guard` on every response. A
response that sets no cookie costs one truth test. For each cookie a response sets (a deletion is
not setting one):

- cookies Django, django-cookie-consent and jsg_privacy set themselves, and declared cookies whose
  purpose needs no consent (``necessary``), go out as set;
- a declared cookie of a consent group goes out once the visitor has accepted that group;
- an undeclared cookie goes out only to a visitor who has accepted every cookie group. Nobody said
  what it is for, so it counts as non-essential and as belonging to every group at once: refusing or
  not yet answering any group holds it back. A shop with no cookie group asks nobody, so there it
  never goes out. It is also logged once and recorded (:mod:`jsg_privacy.consent.sightings`).

A cookie that is held back is removed from the response and logged once per name and process, so
the developer sees why it never arrives. The names the guard looked at are left on the response
(``REPORT_ATTRIBUTE``) for ``privacy_scan_cookies``.
"""

from __future__ import annotations

import logging
from http.cookies import Morsel

from django.http import HttpRequest, HttpResponseBase

from jsg_privacy.consent import groups, sightings, state
from jsg_privacy.consent.cookies import EVERY_GROUP, Verdict, classify
from jsg_privacy.consent.state import ConsentState

#: ``{cookie name: removed?}`` for the cookies that needed consent or were undeclared.
REPORT_ATTRIBUTE = "_jsg_privacy_cookies"
RAW_HEADER = "Set-Cookie"


def guard(request: HttpRequest, response: HttpResponseBase) -> None:
    """Remove the cookies ``response`` sets that the visitor's consent does not allow."""
    report: dict[str, bool] = {}
    for name, morsel in list(response.cookies.items()):
        if not is_deletion(morsel) and not _keep(request, classify(name), report):
            del response.cookies[name]
    if RAW_HEADER in response.headers:  # set by hand, not through set_cookie()
        raw = response.headers[RAW_HEADER]
        name = raw.split("=", 1)[0].strip()
        if "max-age=0" not in raw.lower() and not _keep(request, classify(name), report):
            del response.headers[RAW_HEADER]
    if report:
        setattr(response, REPORT_ATTRIBUTE, report)


def is_deletion(morsel: Morsel[str]) -> bool:
    """True for ``response.delete_cookie()``'s morsel: max-age 0, expired in 1970."""
    return str(morsel["max-age"]) == "0" or morsel["expires"].startswith("Thu, 01 Jan 1970")


def allows(current: ConsentState, verdict: Verdict) -> bool:
    """Whether a visitor in ``current`` may get the cookie."""
    if not verdict.group:
        return True
    if verdict.group == EVERY_GROUP:
        keys = groups.versions()
        return bool(keys) and all(current.accepted(key) is True for key in keys)
    return current.accepted(verdict.group) is True


def _keep(request: HttpRequest, verdict: Verdict, report: dict[str, bool]) -> bool:
    if not verdict.group:
        return True
    kept = allows(state.read(request), verdict)
    report[verdict.name] = not kept
    if verdict.reported:
        sightings.note(verdict.name, request, stripped=not kept)
    elif not kept:
        sightings.log_once(
            f"held:{verdict.name}",
            logging.INFO,
            "Cookie %r (declared for %r) was set before the visitor accepted that group; it was "
            "removed from the response. Set it only after consent ({%% ifconsent %%}, or a "
            'script with type="text/plain" data-consent).',
            verdict.name,
            verdict.cookie.purpose if verdict.cookie else "",
        )
    return kept
