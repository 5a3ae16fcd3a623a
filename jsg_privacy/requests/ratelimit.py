"""Rate limits for the request pages: per e-mail address, per client, per account.

Counts live in Django's default cache under keyed hashes (:func:`jsg_privacy.crypto.subjects.keyed_hash`),
so neither an e-mail address nor an IP address is ever stored. Each limit is a fixed window: at most
``count`` hits per ``period`` seconds, the window starting on a multiple of the period. The cache
must be shared by every web process (Redis, Memcached, the database cache) for the limits to hold
across processes; the local-memory cache counts per process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from jsg_privacy.crypto.subjects import keyed_hash

KEY_PREFIX = "jsg_privacy.requests.ratelimit"


@dataclass(frozen=True)
class Limit:
    """At most ``count`` hits per ``period`` seconds for each value (an address, a client...)."""

    scope: str
    count: int
    period: int = 3600


#: Requests from the public form made with one e-mail address.
PER_EMAIL = Limit("email", 3)
#: Requests from the public form sent by one client (IP address).
PER_CLIENT = Limit("client", 10)
#: Requests opened from one account's "Your data" page.
PER_ACCOUNT = Limit("account", 5)
#: Wrong passwords or e-mail addresses given to confirm a download or an erasure.
WRONG_ANSWERS = Limit("wrong-answer", 5, 900)


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    retry_after: int  #: seconds until the current window ends


def _window(limit: Limit, now: float) -> tuple[int, int]:
    window = int(now // limit.period)
    return window, int((window + 1) * limit.period - now) + 1


def _key(limit: Limit, value: str, window: int) -> str:
    return f"{KEY_PREFIX}:{limit.scope}:{keyed_hash('ratelimit-' + limit.scope, value)}:{window}"


def hit(limit: Limit, value: str) -> Outcome:
    """Count one hit for ``value``; ``allowed`` is false once it is over the limit."""
    window, retry_after = _window(limit, time.time())
    key = _key(limit, value, window)
    cache.add(key, 0, timeout=limit.period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=limit.period + 1)
        count = 1
    return Outcome(count <= limit.count, retry_after)


def peek(limit: Limit, value: str) -> Outcome:
    """Whether one more hit for ``value`` would be allowed, without counting one."""
    window, retry_after = _window(limit, time.time())
    count = cache.get(_key(limit, value, window), 0)
    return Outcome(count < limit.count, retry_after)


def email_value(email: str) -> str:
    return email.strip().lower()


def client_value(request: HttpRequest) -> str:
    """The client's address as Django sees it (``REMOTE_ADDR``).

    ``X-Forwarded-For`` is not read: anyone can send it. Behind a reverse proxy, have the proxy or
    a middleware set ``REMOTE_ADDR`` to the client's address, or every visitor shares one limit.
    """
    return request.META.get("REMOTE_ADDR", "") or "unknown"
