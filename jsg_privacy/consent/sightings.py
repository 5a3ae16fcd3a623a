"""Undeclared cookies seen at run time: logged once per name and process, recorded for the admin.

A name costs the request path a write only once per process. Its first sighting logs a warning and
writes one row (an UPDATE, plus an INSERT the first time any process sees the name). After that a
sighting is a dictionary lookup and a counter in memory. The counter and the last-seen time are
written at most once every ``FLUSH_SECONDS`` per name, on a later sighting, so the admin's counts
can trail the real ones by what a process saw since its last write.

Nothing about the visitor is kept or logged: the cookie's name, and for the admin the path (never
the query string) and the view of the first page the cookie was seen on. Never the cookie's value.
A database error is logged and the response goes out as usual: recording never breaks the shop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

logger = logging.getLogger("jsg_privacy.consent")

FLUSH_SECONDS = 60.0
#: Names one process records at most: cookie names that carry ids must not fill the table.
NAMES_MAX = 200


@dataclass
class _Seen:
    pending: int = 0
    written_at: float = 0.0


_seen: dict[str, _Seen] = {}
_lock = threading.Lock()
_said: set[str] = set()  # one-off warnings already logged by this process
_paused: ContextVar[bool] = ContextVar("jsg_privacy_cookie_sightings_paused", default=False)


def note(name: str, request: HttpRequest, *, stripped: bool) -> None:
    """Count a response that sets the undeclared cookie ``name``; log and record it the first time."""
    if _paused.get():
        return
    now = time.monotonic()
    with _lock:
        seen = _seen.get(name)
        if seen is None:
            if len(_seen) >= NAMES_MAX:
                log_once(
                    "full",
                    logging.WARNING,
                    "More than %d undeclared cookie names: %r is not recorded.",
                    NAMES_MAX,
                    name,
                )
                return
            _seen[name] = _Seen(written_at=now)
            count, first = 1, True
        else:
            seen.pending += 1
            if now - seen.written_at < FLUSH_SECONDS:
                return
            count, seen.pending, seen.written_at = seen.pending, 0, now
            first = False
    view = _view(request)
    if first:
        logger.warning(
            "Cookie %r was set while serving %s, but no declaration covers it. Until it is "
            "declared it is removed from responses to visitors who have not accepted every cookie "
            "group%s. Declare it in an app's privacy.py: privacy.add(privacy.Cookie(%r, provider, "
            "purpose, lifetime, description)), with purpose 'necessary' only if the shop cannot "
            'work without it; see docs/consent.md, "Cookies you did not declare".',
            name,
            view or "a URL that did not resolve",
            " (this response's was)" if stripped else "",
            name,
        )
    _write(name, request.path[:255], view, count)


def _view(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return (match.view_name if match is not None else "")[:255]


def _write(name: str, path: str, view: str, count: int) -> None:
    from jsg_privacy.consent.models import UndeclaredCookie

    now = timezone.now()
    name = name[:255]

    def add() -> int:
        rows = UndeclaredCookie.objects.filter(name=name)
        return rows.update(seen_count=F("seen_count") + count, last_seen=now)

    try:
        try:
            with transaction.atomic():
                if not add():
                    UndeclaredCookie.objects.create(
                        name=name,
                        path=path,
                        view=view,
                        first_seen=now,
                        last_seen=now,
                        seen_count=count,
                    )
        except IntegrityError:  # another process recorded it first
            with transaction.atomic():
                add()
    except DatabaseError as error:  # e.g. migrations not applied yet
        log_once(
            "db", logging.WARNING, "Could not record undeclared cookies: %s", type(error).__name__
        )


def log_once(key: str, level: int, message: str, *args: object) -> None:
    """Log ``message`` the first time this process is asked to under ``key`` (and not paused)."""
    if key not in _said and not _paused.get():
        _said.add(key)
        logger.log(level, message, *args)


@contextmanager
def paused() -> Iterator[None]:
    """Record and log nothing inside (``privacy_scan_cookies`` reports what it finds itself)."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def forget() -> None:
    """Forget what this process has seen and said (tests; the table is not touched)."""
    with _lock:
        _seen.clear()
        _said.clear()
