"""Checks of consent: W020, cookies set at run time that no declaration covers; E035-E036,
W035-W037, the consent ledger's key and checkpoints.

W020 and W037 are database checks: Django runs them with ``migrate``, ``check --database default``
and the test runner, never with ``runserver``'s plain ``check``. W020 reads the undeclared cookies
the consent middleware recorded and names those no declaration covers yet.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.db import DatabaseError, router, transaction

from jsg_privacy.conf import app_settings
from jsg_privacy.consent.cookies import classify
from jsg_privacy.crypto import ledger_keys

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


@register(Tags.security, "jsg_privacy")
def check_ledger_keys(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E035: no ledger key with DEBUG off, or one too short; W035: the public demo key (DEBUG on)."""
    if not isinstance(app_settings.LEDGER_KEYS, list | tuple | str):
        return []  # a wrong type is E001's
    short = ledger_keys.too_short()
    if short:
        return [
            Error(
                f"{ledger_keys.SETTING}: key {', '.join(map(str, short))} is shorter than "
                f"{ledger_keys.MIN_LENGTH} characters.",
                hint=ledger_keys.GENERATE,
                id="jsg_privacy.E035",
            )
        ]
    if not ledger_keys.uses_demo_key():
        return []
    if not settings.DEBUG:
        return [
            Error(
                f"{ledger_keys.SETTING} is empty while DEBUG is off: the consent ledger could not "
                "be signed, so consent could not be recorded.",
                hint=ledger_keys.GENERATE,
                id="jsg_privacy.E035",
            )
        ]
    return [
        Warning(
            f"{ledger_keys.SETTING} is empty: the consent ledger is signed with a public demo key, "
            "so anyone with database access could rewrite it.",
            hint="Fine for a local demo. " + ledger_keys.GENERATE,
            id="jsg_privacy.W035",
        )
    ]


@register(Tags.security, "jsg_privacy")
def check_ledger_checkpoint_storage(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """E036: the checkpoint storage is not in STORAGES; W036: it is the server's working folder."""
    from jsg_privacy.consent import checkpoints

    if not isinstance(app_settings.LEDGER_CHECKPOINT_STORAGE, str):
        return []
    fix = (
        "Checkpoints belong where a database writer cannot reach them: e.g. STORAGES["
        "'jsg_privacy_ledger'] = {'BACKEND': 'django.core.files.storage.FileSystemStorage', "
        "'OPTIONS': {'location': '/var/lib/shop/ledger'}} (or a bucket with object lock) and "
        f"{checkpoints.SETTING} = 'jsg_privacy_ledger'."
    )
    found = checkpoints.problem()
    if found:
        return [Error(found, hint=fix, id="jsg_privacy.E036")]
    if checkpoints.in_working_directory():
        return [
            Warning(
                f"The {app_settings.LEDGER_CHECKPOINT_STORAGE!r} storage writes to MEDIA_ROOT, "
                "which is unset: ledger checkpoints would be written into the folder the server "
                "runs in.",
                hint=fix,
                id="jsg_privacy.W036",
            )
        ]
    return []


@register(Tags.database, "jsg_privacy")
def check_ledger_checkpoint(
    app_configs: Sequence[Any] | None = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """W037: the ledger has records and no checkpoint pins them yet."""
    from jsg_privacy.consent import checkpoints
    from jsg_privacy.consent.models import ConsentRecord

    alias = router.db_for_read(ConsentRecord)
    if not databases or alias not in databases or checkpoints.problem():
        return []
    try:
        with transaction.atomic(using=alias):
            empty = not ConsentRecord.objects.using(alias).exists()
    except DatabaseError:  # not migrated yet
        return []
    if empty or checkpoints.names():
        return []
    return [
        Warning(
            "The consent ledger has records but no signed checkpoint: records deleted from its "
            "end would go unnoticed.",
            hint="Run `manage.py privacy_ledger_checkpoint` now and from cron (e.g. hourly); one "
            f"is also taken every {app_settings.LEDGER_CHECKPOINT_EVERY} records of a lane.",
            id="jsg_privacy.W037",
        )
    ]
