"""Background work: exports, erasures. On Celery when ``JSG_PRIVACY_TASK_RUNNER = "celery"``,
inline otherwise — the same functions either way, so both paths are tested with the same code.

Celery workers must import this module (``app.autodiscover_tasks()`` finds it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from jsg_privacy.conf import app_settings

try:
    from celery import shared_task
except ImportError:  # the celery extra is not installed: tasks run inline
    shared_task = None


def _task(func: Callable[..., Any]) -> Callable[..., Any]:
    if shared_task is None:
        return func
    return shared_task(name=f"jsg_privacy.{func.__name__}", acks_late=True)(func)


@_task
def export_case(case_id: int, base_url: str = "") -> None:
    from jsg_privacy.requests import service

    service.run_export(case_id, base_url=base_url)


@_task
def erase_case(case_id: int, actor_id: int | None = None) -> None:
    from jsg_privacy.requests import service

    service.run_erasure(case_id, actor_id)


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
