"""Mirror the registry's cookie groups into django-cookie-consent's models, after each migrate.

The registry is the source of truth; these rows let django-cookie-consent's admin list the groups
and cookies. Declared groups and cookies are created or updated, undeclared ones removed. Consent
records do not point at these rows, so removing a group never touches the ledger.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jsg_privacy.consent import groups

NECESSARY_KEY = "necessary"


def sync() -> tuple[int, int]:
    """Create, update and remove rows; return (groups, cookies) now declared."""
    from cookie_consent.models import Cookie, CookieGroup

    # Cookies only: django-cookie-consent knows nothing of local storage or pixels.
    wanted = [
        (g.key, g.label, g.description, False, tuple(c for c in g.cookies if c.is_cookie))
        for g in groups.current()
    ]
    wanted.append(
        (
            NECESSARY_KEY,
            "Strictly necessary",
            "Always on: the shop cannot work without them.",
            True,
            tuple(c for c in groups.necessary() if c.is_cookie),
        )
    )
    cookies = 0
    with transaction.atomic():
        CookieGroup.objects.exclude(varname__in=[w[0] for w in wanted]).delete()
        for order, (key, label, description, required, declared) in enumerate(wanted):
            group, _ = CookieGroup.objects.update_or_create(
                varname=key,
                defaults={
                    "name": label[:100],
                    "description": description,
                    "is_required": required,
                    "is_deletable": not required,
                    "ordering": order,
                },
            )
            Cookie.objects.filter(cookiegroup=group).exclude(
                name__in=[c.name for c in declared]
            ).delete()
            for cookie in declared:
                Cookie.objects.update_or_create(
                    cookiegroup=group,
                    name=cookie.name,
                    domain="",
                    defaults={"description": f"{cookie.provider}: {cookie.description}"},
                )
                cookies += 1
    return len(wanted), cookies


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    if kwargs.get("plan") is not None and not kwargs.get("plan"):
        return  # nothing was migrated
    sync()
