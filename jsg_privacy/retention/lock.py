"""One retention run at a time: a cron job and Celery beat (or two servers) must not overlap.

On PostgreSQL a session advisory lock makes this exact, and a crashed process releases it with its
connection. Elsewhere the run log is the lock: a real run that started less than
:data:`STALE_AFTER` ago and has not finished blocks the next one.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.db import connections, router

from jsg_privacy.retention.models import RetentionRun

LOCK_ID = zlib.crc32(b"jsg_privacy.retention")
STALE_AFTER = timedelta(hours=6)


class RetentionBusy(Exception):
    """Another retention run holds the lock; this one did nothing."""


@contextmanager
def exclusive(now: datetime) -> Iterator[None]:
    connection = connections[router.db_for_write(RetentionRun)]
    if connection.vendor != "postgresql":
        running = (
            RetentionRun.objects.filter(
                dry_run=False, status=RetentionRun.Status.RUNNING, started_at__gte=now - STALE_AFTER
            )
            .order_by("-started_at")
            .first()
        )
        if running is not None:
            raise RetentionBusy(
                f"Retention run {running.pk} (started {running.started_at:%Y-%m-%d %H:%M}) is "
                "still running; nothing was done. A run that stopped without finishing stops "
                f"blocking after {STALE_AFTER.total_seconds() / 3600:.0f} hours."
            )
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_ID])
        if not cursor.fetchone()[0]:
            raise RetentionBusy("Another retention run is in progress; nothing was done.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_ID])
