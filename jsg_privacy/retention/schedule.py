"""The daily retention run on Celery beat.

Add the entry to the project's beat schedule when Celery is configured::

    from jsg_privacy.retention.schedule import beat_schedule

    app.conf.beat_schedule = {**app.conf.beat_schedule, **beat_schedule()}

Without Celery, run ``manage.py privacy_enforce_retention`` daily from cron instead.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

TASK = "jsg_privacy.enforce_retention"
ENTRY = "jsg-privacy-enforce-retention"


def beat_schedule(hour: int = 3, minute: int = 17) -> dict[str, dict[str, Any]]:
    """One entry running :data:`TASK` daily at ``hour:minute`` (every 24 hours without crontab)."""
    try:
        from celery.schedules import crontab
    except ImportError:
        schedule: Any = timedelta(days=1)
    else:
        schedule = crontab(hour=hour, minute=minute)
    return {ENTRY: {"task": TASK, "schedule": schedule, "options": {"expires": 12 * 3600}}}
