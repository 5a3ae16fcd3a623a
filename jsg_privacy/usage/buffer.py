"""Page views off the request path: events are buffered, then written in batches by a writer thread.

A recorded page view costs the request no query: the middleware hands a small dict to the buffer and
returns. The writer thread of each process wakes every ``JSG_PRIVACY_USAGE_FLUSH_SECONDS`` (or as soon
as ``JSG_PRIVACY_USAGE_BATCH_SIZE`` events wait) and writes them with one ``INSERT`` per batch.

``JSG_PRIVACY_USAGE_BUFFER`` says where events wait:

- ``"memory"`` (default): in the process. A clean shutdown (``atexit``: gunicorn's graceful stop,
  ``runserver``'s reload) writes what waits; a crash (``kill -9``, out of memory) loses what waits, at
  most one flush period's events of that process. Past ``10 * BATCH_SIZE`` waiting events (the
  database is down), new ones are dropped and counted.
- a Redis URL (``"redis://127.0.0.1:6379/0"``): in a Redis list shared by every process; any process's
  writer (or ``privacy_flush_usage``) writes them. A crash of a web process loses nothing that reached
  Redis; a crash of a writer loses at most the one batch it holds. Redis down: the event is dropped and
  counted, and Redis is not asked again for ``REDIS_RETRY_SECONDS``, so a burst of page views never
  waits on it (a warning is logged at most once per period, with counts only, never an event).
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
from collections import deque
from typing import Any

from django.contrib.auth import get_user_model
from django.core.signals import setting_changed
from django.db import DatabaseError, connections
from django.dispatch import receiver

from jsg_privacy.conf import app_settings

logger = logging.getLogger("jsg_privacy.usage")

Event = dict[str, Any]
REDIS_RETRY_SECONDS = 5.0
#: How long a page view waits for Redis at most (connect, then each command) before the event is
#: dropped and counted.
REDIS_TIMEOUT_SECONDS = 0.05
#: A waiting-event cap, in batches, for the memory buffer (the database may be down for a while).
MEMORY_BATCHES = 10


class Buffer:
    """Where events wait: ``add`` on the request path (never raises, never blocks on I/O for long),
    ``take`` for the writer."""

    def __init__(self) -> None:
        self.dropped = 0
        self.written = 0

    def add(self, event: Event) -> bool:
        raise NotImplementedError

    def take(self, count: int) -> list[Event]:
        raise NotImplementedError

    def give_back(self, events: list[Event]) -> None:
        """Put events a failed write took back, to be written next time."""
        raise NotImplementedError

    def pending(self) -> int:
        raise NotImplementedError


class MemoryBuffer(Buffer):
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.events: deque[Event] = deque()
        self.limit = limit
        self.lock = threading.Lock()

    def add(self, event: Event) -> bool:
        with self.lock:
            if len(self.events) >= self.limit:
                self.dropped += 1
                return False
            self.events.append(event)
            return True

    def take(self, count: int) -> list[Event]:
        with self.lock:
            return [self.events.popleft() for _ in range(min(count, len(self.events)))]

    def give_back(self, events: list[Event]) -> None:
        with self.lock:
            self.events.extendleft(reversed(events))

    def pending(self) -> int:
        return len(self.events)


class RedisBuffer(Buffer):
    """A Redis list: ``RPUSH`` on the request path, ``LPOP <count>`` by the writer."""

    def __init__(self, url: str, key: str) -> None:
        super().__init__()
        import redis
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        # Short timeouts, no retries: a page view waits at most this long, once per
        # REDIS_RETRY_SECONDS, while Redis is down.
        self.client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            retry=Retry(NoBackoff(), 0),
            retry_on_timeout=False,
        )
        self.errors: tuple[type[BaseException], ...] = (redis.RedisError, OSError)
        self.key = key
        self.down_until = 0.0
        self.warned_at = 0.0

    def _failed(self, error: BaseException) -> None:
        now = time.monotonic()
        self.down_until = now + REDIS_RETRY_SECONDS
        if now - self.warned_at >= REDIS_RETRY_SECONDS:
            self.warned_at = now
            logger.warning(
                "Usage buffer: Redis unreachable (%s); page-view events are dropped for %.0f s "
                "(%d dropped so far in this process).",
                type(error).__name__,
                REDIS_RETRY_SECONDS,
                self.dropped,
            )

    def add(self, event: Event) -> bool:
        if time.monotonic() < self.down_until:
            self.dropped += 1
            return False
        try:
            self.client.rpush(self.key, json.dumps(event, separators=(",", ":")))
            return True
        except self.errors as error:
            self.dropped += 1
            self._failed(error)
            return False

    def take(self, count: int) -> list[Event]:
        try:
            raw = self.client.lpop(self.key, count)
        except self.errors as error:
            self._failed(error)
            return []
        events = []
        for item in raw or []:
            event = _decoded(item)
            if event is None:  # not ours, or damaged: never a batch that fails for ever
                self.dropped += 1
            else:
                events.append(event)
        return events

    def give_back(self, events: list[Event]) -> None:
        try:
            self.client.lpush(self.key, *[json.dumps(e) for e in reversed(events)])
        except self.errors as error:
            self.dropped += len(events)
            self._failed(error)

    def pending(self) -> int:
        try:
            return int(self.client.llen(self.key))
        except self.errors:
            return 0


REQUIRED = ("created_at", "kind", "path")


def _decoded(item: Any) -> Event | None:
    """An event read back from Redis, or None if the item is not one."""
    try:
        event = json.loads(item)
    except (TypeError, ValueError):
        return None
    if not isinstance(event, dict) or not all(key in event for key in REQUIRED):
        return None
    if not isinstance(event["created_at"], int | float):
        return None
    return event


def write(events: list[Event]) -> int:
    """INSERT ``events`` in one statement; a user deleted meanwhile leaves its events unlinked."""
    from jsg_privacy.usage.models import UsageEvent

    user_ids = {e["user_id"] for e in events if e.get("user_id") is not None}
    if user_ids:
        found = set(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True))
        found_text = {str(pk) for pk in found}
        for event in events:
            if event.get("user_id") is not None and str(event["user_id"]) not in found_text:
                event["user_id"] = None
    rows = [
        UsageEvent(
            created_at=_time(e["created_at"]),
            kind=e["kind"],
            path=e["path"],
            search_terms=e.get("search_terms", ""),
            status_code=e.get("status_code"),
            ip_address=e.get("ip_address"),
            user_id=e.get("user_id"),
            visitor_key=e.get("visitor_key", ""),
        )
        for e in events
    ]
    UsageEvent.objects.bulk_create(rows)
    return len(rows)


def _time(value: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(value, tz=UTC)


class Writer:
    """The process's buffer and its writer thread (started with the first event)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.buffer: Buffer | None = None
        self.thread: threading.Thread | None = None
        self.wake = threading.Event()
        self.stopping = False
        self.flush_lock = threading.Lock()
        #: Events dropped because the configured buffer could not be made.
        self.unusable = 0

    def after_fork(self) -> None:
        """In a forked child (a pre-forking server's worker): no writer thread yet, and none of the
        parent's waiting events, which the parent writes."""
        self.lock, self.flush_lock, self.wake = (
            threading.Lock(),
            threading.Lock(),
            threading.Event(),
        )
        self.thread, self.buffer, self.stopping = None, None, False

    def get_buffer(self) -> Buffer:
        buffer = self.buffer
        if buffer is None:
            with self.lock:
                if self.buffer is None:
                    self.buffer = make_buffer()
                buffer = self.buffer
        return buffer

    def add(self, event: Event) -> None:
        try:
            buffer = self.get_buffer()
        except Exception:  # a buffer that cannot be made (check E050): never fail the page
            self.unusable += 1
            if self.unusable == 1:
                logger.exception("Usage buffer: JSG_PRIVACY_USAGE_BUFFER cannot be used (E050).")
            return
        added = buffer.add(event)
        if added and isinstance(buffer, MemoryBuffer) and len(buffer.events) >= self.batch():
            self.wake.set()
        if self.thread is None and app_settings.USAGE_FLUSH_SECONDS > 0:
            self._start()

    @staticmethod
    def batch() -> int:
        return max(app_settings.USAGE_BATCH_SIZE, 1)

    def _start(self) -> None:
        with self.lock:
            if self.thread is None:
                self.thread = threading.Thread(
                    target=self._run, name="jsg_privacy-usage-writer", daemon=True
                )
                self.thread.start()

    def _run(self) -> None:
        while not self.stopping:
            self.wake.wait(max(app_settings.USAGE_FLUSH_SECONDS, 0.05))
            self.wake.clear()
            try:
                self.flush()
            except Exception:  # the writer must outlive a bad moment of the database
                logger.exception("Usage buffer: writing events failed; they wait for the next try.")
            finally:
                connections.close_all()  # this thread's own connections

    def flush(self) -> int:
        """Write every waiting event (in batches); return how many were written."""
        buffer = self.get_buffer()
        size = self.batch()
        total = 0
        with self.flush_lock:
            while True:
                events = buffer.take(size)
                if not events:
                    return total
                try:
                    total += write(events)
                except DatabaseError:
                    buffer.give_back(events)
                    raise
                buffer.written += len(events)

    def shutdown(self) -> None:
        """Clean shutdown: write what waits (``atexit``)."""
        self.stopping = True
        self.wake.set()
        if self.buffer is None:
            return
        try:
            self.flush()
        except Exception:
            logger.exception(
                "Usage buffer: %d events could not be written at shutdown.", self.buffer.pending()
            )

    def reset(self) -> None:
        """Forget the buffer (a setting changed); what waits in memory is written first."""
        if self.buffer is not None and isinstance(self.buffer, MemoryBuffer):
            try:
                self.flush()
            except Exception:
                logger.exception("Usage buffer: writing events failed on a setting change.")
        self.buffer = None


def make_buffer() -> Buffer:
    where = app_settings.USAGE_BUFFER
    if where == "memory":
        return MemoryBuffer(limit=MEMORY_BATCHES * max(app_settings.USAGE_BATCH_SIZE, 1))
    return RedisBuffer(where, app_settings.USAGE_REDIS_KEY)


writer = Writer()
atexit.register(writer.shutdown)
os.register_at_fork(after_in_child=writer.after_fork)


@receiver(setting_changed)
def _setting_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in ("JSG_PRIVACY_USAGE_BUFFER", "JSG_PRIVACY_USAGE_REDIS_KEY"):
        writer.reset()


def add(event: Event) -> None:
    writer.add(event)


def flush() -> int:
    return writer.flush()


def stats() -> dict[str, int]:
    """Waiting, written and dropped events of this process's buffer (counts only)."""
    buffer = writer.get_buffer()
    return {"pending": buffer.pending(), "written": buffer.written, "dropped": buffer.dropped}
