"""Checks of the cookie groups' legal routes (PECR Sch. A1): E070, E071; and W070, a refusal
cooldown longer than the consent cookie lasts.

A group may rest on the statistical or appearance exception only if nothing in it needs consent:

- E070: a cookie of the group is declared ``third_party=True`` (set by or sent to someone else:
  an advertising network, an analytics vendor); the exceptions cover the shop's own storage only.
- E071: a cookie of the group also matches a cookie of a consent group (``_ga*`` beside ``_ga_ads``):
  the same storage serves a purpose that needs consent, so it needs consent (the ICO's 2026
  guidance on storage and access technologies).
"""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register

from jsg_privacy.conf import app_settings
from jsg_privacy.registry import Cookie, Registry, StorageRoute, registry


def _overlap(a: Cookie, b: Cookie) -> bool:
    return fnmatchcase(a.name, b.name) or fnmatchcase(b.name, a.name)


def route_problems(registry: Registry = registry) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    consent_cookies = [
        c
        for c in registry.cookies.values()
        if (p := registry.purposes.get(c.purpose)) is not None and p.route == StorageRoute.CONSENT
    ]
    for purpose in registry.purposes.values():
        if not purpose.route.is_exception:
            continue
        for cookie in registry.cookies_for(purpose.key):
            if cookie.third_party:
                found.append(
                    Error(
                        f"Cookie {cookie.name} ({cookie.provider}) is a third party's, but its "
                        f"group {purpose.key} rests on the {purpose.route.value} exception.",
                        hint="The Sch. A1 exceptions cover the shop's own first-party storage only: "
                        f"declare {purpose.key} with storage_route=StorageRoute.CONSENT, or move "
                        "the cookie to a consent group.",
                        id="jsg_privacy.E070",
                    )
                )
            shared = [c.name for c in consent_cookies if _overlap(cookie, c)]
            if shared:
                found.append(
                    Error(
                        f"Cookie {cookie.name} of group {purpose.key} ({purpose.route.value} "
                        f"exception) is also a cookie of a consent group: {', '.join(shared)}.",
                        hint="Storage that also serves a purpose needing consent (advertising, "
                        "profiling) needs consent: give each purpose its own cookie names, or "
                        f"declare {purpose.key} with storage_route=StorageRoute.CONSENT.",
                        id="jsg_privacy.E071",
                    )
                )
    return found


@register(Tags.compatibility, "jsg_privacy")
def check_storage_routes(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    return route_problems()


@register(Tags.compatibility, "jsg_privacy")
def check_refusal_cooldown(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    cooldown, lasts = app_settings.CONSENT_REFUSAL_COOLDOWN, app_settings.CONSENT_MAX_AGE
    if not isinstance(cooldown, int) or not isinstance(lasts, int) or cooldown <= lasts:
        return []
    return [
        Warning(
            f"JSG_PRIVACY_CONSENT_REFUSAL_COOLDOWN ({cooldown} days) is longer than "
            f"JSG_PRIVACY_CONSENT_MAX_AGE ({lasts} days): the choice cookie expires first, so "
            "visitors who refused are asked again sooner.",
            hint="Make the cooldown at most CONSENT_MAX_AGE.",
            id="jsg_privacy.W070",
        )
    ]
