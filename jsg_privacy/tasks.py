"""Background work: exports, erasures, notices to recipients. On Celery when
``JSG_PRIVACY_TASK_RUNNER = "celery"``, inline otherwise — the same functions either way, so both
paths are tested with the same code.

Celery workers must import this module (``app.autodiscover_tasks()`` finds it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.db import transaction

from jsg_privacy.conf import app_settings

shared_task: Callable[..., Any] | None  # Celery's, or None without the celery extra
try:
    from celery import shared_task
except ImportError:  # the celery extra is not installed: tasks run inline
    shared_task = None


F = TypeVar("F", bound=Callable[..., Any])


def _task(func: F) -> F:
    """``func`` as a Celery task (called like ``func``), or as it is without Celery."""
    if shared_task is None:
        return func
    return cast(F, shared_task(name=f"jsg_privacy.{func.__name__}", acks_late=True)(func))


@_task
def export_case(case_id: int, base_url: str = "") -> None:
    from jsg_privacy.requests import service

    service.run_export(case_id, base_url=base_url)


@_task
def erase_case(case_id: int, actor_id: int | None = None) -> None:
    from jsg_privacy.requests import service

    service.run_erasure(case_id, actor_id)


@_task
def notify_recipients(notice_ids: list[int]) -> None:
    """Send Art. 19 notices (:mod:`jsg_privacy.requests.recipients`); failures wait for a retry."""
    from jsg_privacy.requests import recipients

    recipients.send_notices(notice_ids)


@_task
def retry_recipient_notices() -> int:
    """Retry the Art. 19 notices that are due (Celery beat, e.g. every 15 minutes); how many sent."""
    from jsg_privacy.requests import recipients

    return recipients.send_due()[0]


def enqueue(task: Callable[..., Any], *args: Any, countdown: float | None = None) -> None:
    """Run ``task`` after the current transaction commits: queued on Celery, or inline."""
    _after_commit(lambda: dispatch(task, *args, countdown=countdown))


def dispatch(task: Callable[..., Any], *args: Any, countdown: float | None = None) -> None:
    """Queue ``task`` on Celery now, or run it inline now (:func:`enqueue` waits for the commit).

    On Celery the message's ``argsrepr`` (what monitoring tools and worker logs show) names the
    numbers only: an argument that may hold personal data (an e-mail address in an event) is
    shown as ``…``. Celery also skips formatting the arguments, which it does on every send.
    ``countdown`` makes the task due that many seconds later on Celery; inline it runs at once.
    """
    if app_settings.TASK_RUNNER == "celery" and hasattr(task, "apply_async"):
        shown = repr(
            tuple(a if isinstance(a, int) and not isinstance(a, bool) else "…" for a in args)
        )
        options: dict[str, Any] = {"argsrepr": shown, "kwargsrepr": "{}"}
        if countdown:
            options["countdown"] = countdown
        task.apply_async(args, **options)
    else:
        task(*args)


def _after_commit(func: Callable[[], Any]) -> None:
    connection = transaction.get_connection()
    if connection.connection is None and not connection.in_atomic_block:
        # No connection is open, so no transaction can be waiting: run now, without opening one
        # just to ask whether it autocommits (a webhook that wrote nothing answers sooner).
        func()
    else:
        transaction.on_commit(func)


@_task
def enforce_retention(max_rows: int | None = None) -> int:
    """The daily retention run (Celery beat: ``jsg_privacy.retention.schedule.beat_schedule()``)."""
    from jsg_privacy.retention import engine

    return engine.enforce(max_rows=max_rows).pk


@_task
def ledger_checkpoint() -> None:
    """Sign a checkpoint of the consent ledger (queued every JSG_PRIVACY_LEDGER_CHECKPOINT_EVERY
    records of a lane); it logs, never raises, when the ledger does not verify."""
    from jsg_privacy.consent import checkpointing

    checkpointing.take_quietly()
