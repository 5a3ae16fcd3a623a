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


def enqueue(task: Callable[..., Any], *args: Any) -> None:
    """Run ``task`` after the current transaction commits: queued on Celery, or inline."""
    if app_settings.TASK_RUNNER == "celery" and hasattr(task, "delay"):
        transaction.on_commit(lambda: task.delay(*args))
    else:
        transaction.on_commit(lambda: task(*args))


@_task
def enforce_retention(max_rows: int | None = None) -> int:
    """The daily retention run (Celery beat: ``jsg_privacy.retention.schedule.beat_schedule()``)."""
    from jsg_privacy.retention import engine

    return engine.enforce(max_rows=max_rows).pk
