"""What a cookie name is: declared (necessary, or in a consent group), the framework's own, or unknown.

The consent middleware asks this for every ``Set-Cookie`` name, and ``privacy_scan_cookies`` for every
name it sees. Answers are computed once per name and process, and forgotten when a declaration or a
setting that names a cookie changes.

- **Declared** names are the registry's cookies, wildcards included (``_ga_*``). A declared cookie
  whose purpose rests on consent needs its group accepted; one whose purpose does not (``necessary``)
  needs nothing.
- **Built-in** names are cookies Django, django-cookie-consent and jsg_privacy set themselves, under
  the names the settings give them (``SESSION_COOKIE_NAME``, ``CSRF_COOKIE_NAME``, …). The shop cannot
  work without them, so they are never held back, declared or not; the built-in inventory declares
  them for the notice.
- Anything else is **undeclared**: nobody said what it is for, so it is treated as non-essential and
  needs every consent group accepted (:mod:`jsg_privacy.consent.guard`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from jsg_privacy.conf import app_settings
from jsg_privacy.consent import groups
from jsg_privacy.consent.state import UI_SUFFIX
from jsg_privacy.registry import Cookie, on_change, registry

#: ``Verdict.group`` of a cookie that needs every consent group accepted: undeclared, or declared
#: under a purpose the registry does not know (check jsg_privacy.E005).
EVERY_GROUP = "*"


@dataclass(frozen=True)
class Verdict:
    name: str
    #: The declaration that covers the name (``_ga_*`` covers ``_ga_X1``), or ``None``.
    cookie: Cookie | None = None
    #: What the cookie is when Django, django-cookie-consent or jsg_privacy sets it; else "".
    builtin: str = ""
    #: The consent group that must be accepted before it is set: a group key, ``EVERY_GROUP``, or
    #: "" when it needs no consent.
    group: str = ""

    @property
    def declared(self) -> bool:
        return self.cookie is not None

    @property
    def reported(self) -> bool:
        """True for a name the shop set that nobody declared: logged, listed, failed by the scan."""
        return self.cookie is None and not self.builtin


def builtin_names() -> dict[str, str]:
    """``{cookie name: what it is}`` for the cookies the framework sets, by their current names."""
    from django.contrib.messages.storage.cookie import CookieStorage

    consent = app_settings.CONSENT_COOKIE_NAME
    return {
        settings.SESSION_COOKIE_NAME: "Django's session cookie",
        settings.CSRF_COOKIE_NAME: "Django's CSRF cookie",
        settings.LANGUAGE_COOKIE_NAME: "Django's language cookie",
        CookieStorage.cookie_name: "Django's messages cookie",
        getattr(
            settings, "COOKIE_CONSENT_NAME", "cookie_consent"
        ): "django-cookie-consent's cookie",
        consent: "jsg_privacy's consent cookie",
        consent + UI_SUFFIX: "jsg_privacy's consent cookie (readable copy)",
    }


def covering(name: str) -> Cookie | None:
    """The declaration that covers ``name``: the same name first, then a wildcard."""
    exact = registry.cookies.get(name)
    if exact is not None and exact.is_cookie:
        return exact
    return next(
        (
            c
            for key, c in registry.cookies.items()
            if c.is_cookie and _is_wildcard(key) and fnmatchcase(name, key)
        ),
        None,
    )


def _is_wildcard(name: str) -> bool:
    return any(ch in name for ch in "*?[")


def _classify(name: str) -> Verdict:
    cookie = covering(name)
    builtin = _builtins().get(name, "")
    if builtin:
        group = ""
    elif cookie is None or cookie.purpose not in registry.purposes:
        group = EVERY_GROUP
    elif groups.is_consent_based(cookie.purpose):
        group = cookie.purpose
    else:
        group = ""
    return Verdict(name, cookie, builtin, group)


#: Verdicts by name. Bounded: a shop that puts ids in cookie names must not grow it without end.
_verdicts: dict[str, Verdict] = {}
VERDICTS_MAX = 2048
_builtin: list[dict[str, str]] = []


def _builtins() -> dict[str, str]:
    if not _builtin:
        _builtin.append(builtin_names())
    return _builtin[0]


def classify(name: str) -> Verdict:
    """The verdict on a cookie name; computed once per process."""
    found = _verdicts.get(name)
    if found is None:
        found = _classify(name)
        if len(_verdicts) < VERDICTS_MAX:
            _verdicts[name] = found
    return found


@on_change
def _forget(*args: object) -> None:
    _verdicts.clear()
    _builtin.clear()


@receiver(setting_changed)
def _forget_on_setting(*, setting: str, **kwargs: Any) -> None:
    if setting.endswith("COOKIE_NAME") or setting == "COOKIE_CONSENT_NAME":
        _forget()


def declaration_example(name: str) -> str:
    """The line that declares ``name``, for hints: the purpose and lifetime are the shop's to fill in."""
    return (
        f'privacy.add(privacy.Cookie("{name}", "this website", inventory.NECESSARY, '
        'timedelta(days=30), "What it does."))'
    )
