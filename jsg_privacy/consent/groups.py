"""Cookie groups, derived from the registry: one per purpose with cookies whose storage rests on
consent or on a Sch. A1 exception (statistical, appearance: on without a prompt where the exceptions
apply, with a one-click objection; see :mod:`jsg_privacy.consent.region`).

"Strictly necessary" cookies are listed in the banner and the notice but never asked about. A group's
version is a hash of its wording and of its cookies, so a new cookie or changed text asks again.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase, translate

from django.conf import settings
from django.utils.translation import get_language, override

from jsg_privacy.registry import Basis, Cookie, Purpose, Registry, StorageRoute, on_change, registry

#: Purposes that count as "sale or sharing" for Global Privacy Control, besides marketing.
GPC_PURPOSES = frozenset({"marketing", "partner_marketing"})


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    description: str
    cookies: tuple[Cookie, ...]
    version: str
    route: StorageRoute = StorageRoute.CONSENT

    @property
    def is_exception(self) -> bool:
        """On without a prompt where the Sch. A1 exceptions apply; the visitor may object."""
        return self.route.is_exception

    def matches(self, cookie_name: str) -> bool:
        """True if ``cookie_name`` is one of this group's cookies (wildcards such as ``_ga_*``)."""
        return any(fnmatchcase(cookie_name, c.name) for c in self.cookies if c.is_cookie)

    def storage_keys(self) -> dict[str, list[str]]:
        """``{"local_storage": [...], "session_storage": [...]}``: the keys the banner's script
        removes while the group is refused (wildcards such as ``_sa_*``)."""
        found: dict[str, list[str]] = {}
        for c in self.cookies:
            if str(c.storage) in ("local_storage", "session_storage"):
                found.setdefault(str(c.storage), []).append(c.name)
        return found


def _version(label: str, description: str, cookies: tuple[Cookie, ...], route: StorageRoute) -> str:
    payload: list[object] = [
        label,
        description,
        sorted((c.name, str(c.provider), str(c.lifetime), str(c.description)) for c in cookies),
    ]
    if route.is_exception:  # a group moved to (or from) an exception is a new question
        payload.append(route.value)
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()[:12]


def group_wording(purpose: Purpose) -> tuple[str, str]:
    """A group's name and description: the purpose's cookie wording, else its own."""
    return (
        str(purpose.cookie_label or purpose.label),
        str(purpose.cookie_description or purpose.description),
    )


def chosen_purposes(registry: Registry) -> list[Purpose]:
    """Purposes whose storage a visitor decides on: consent, or an exception they may object to."""
    return [
        p
        for p in registry.purposes.values()
        if p.route.is_exception or (p.route == StorageRoute.CONSENT and p.basis == Basis.CONSENT)
    ]


def build(registry: Registry) -> tuple[Group, ...]:
    found = versions()
    groups = []
    for purpose in chosen_purposes(registry):
        if purpose.key in found:
            cookies = tuple(registry.cookies_for(purpose.key))
            label, description = group_wording(purpose)
            groups.append(
                Group(purpose.key, label, description, cookies, found[purpose.key], purpose.route)
            )
    return tuple(groups)


def _build_versions(registry: Registry) -> dict[str, str]:
    """Versions hash the wording in the project's language, so they do not change with the
    visitor's language: a choice made in English stands when the site is read in Welsh."""
    with override(settings.LANGUAGE_CODE):
        return {
            purpose.key: _version(*group_wording(purpose), cookies, purpose.route)
            for purpose in chosen_purposes(registry)
            if (cookies := tuple(registry.cookies_for(purpose.key)))
        }


def necessary(registry: Registry = registry) -> tuple[Cookie, ...]:
    """Cookies never asked about: their purpose needs neither consent nor a way to object."""
    chosen = {p.key for p in chosen_purposes(registry)}
    return tuple(c for c in registry.cookies.values() if c.purpose not in chosen)


_cache: dict[str, tuple[Group, ...]] = {}
_by_key: dict[str, dict[str, Group]] = {}
_pattern: list[re.Pattern[str]] = []
_versions: list[dict[str, str]] = []  # one entry once computed (possibly an empty dict)


@on_change
def _forget(*args: object) -> None:
    _cache.clear()
    _by_key.clear()
    _pattern.clear()
    _versions.clear()


def versions() -> dict[str, str]:
    """``{group key: version}``, computed once per process."""
    if not _versions:
        _versions.append(_build_versions(registry))
    return _versions[0]


def current() -> tuple[Group, ...]:
    """The groups people are asked about, built once per process and language."""
    language = get_language() or ""
    if language not in _cache:
        _cache[language] = build(registry)
    return _cache[language]


def by_key() -> dict[str, Group]:
    language = get_language() or ""
    if language not in _by_key:
        _by_key[language] = {group.key: group for group in current()}
    return _by_key[language]


def cookie_pattern() -> re.Pattern[str]:
    """One compiled pattern matching any cookie of any group (names do not depend on language)."""
    if not _pattern:
        names = [c.name for group in current() for c in group.cookies if c.is_cookie]
        _pattern.append(re.compile("|".join(translate(n) for n in names) if names else r"(?!)"))
    return _pattern[0]


def is_consent_based(purpose: str) -> bool:
    """Whether ``purpose``'s cookies form a group visitors decide on (consent or an exception)."""
    found = registry.purposes.get(purpose)
    return found is not None and found in chosen_purposes(registry)
