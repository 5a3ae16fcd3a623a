"""W020: cookies were set at run time that no declaration covers.

A database check: Django runs it with ``migrate``, ``check --database default`` and the test runner,
never with ``runserver``'s plain ``check``. It reads the undeclared cookies the consent middleware
recorded and names those no declaration covers yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Tags, Warning, register
from django.db import DatabaseError, router, transaction

from jsg_privacy.consent.cookies import classify

SHOWN = 10


@register(Tags.database, "jsg_privacy")
def check_undeclared_cookies(
    app_configs: Sequence[Any] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from jsg_privacy.consent.models import UndeclaredCookie

    alias = router.db_for_read(UndeclaredCookie)
    if not databases or alias not in databases:
        return []
    try:
        with transaction.atomic(using=alias):
            seen = list(UndeclaredCookie.objects.using(alias).values_list("name", "path"))
    except DatabaseError:  # not migrated yet
        return []
    missing = [f"{name} (on {path or '?'})" for name, path in seen if classify(name).reported]
    if not missing:
        return []
    more = f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
    return [
        Warning(
            f"The shop set cookies that no declaration covers: {', '.join(missing[:SHOWN])}{more}.",
            hint="Declare each in an app's privacy.py (docs/consent.md, \"Cookies you did not "
            'declare"). Until then they are held back from visitors who have not accepted every '
            "cookie group, and the notice does not list them. The admin lists them under "
            "Privacy > Undeclared cookies.",
            id="jsg_privacy.W020",
        )
    ]
