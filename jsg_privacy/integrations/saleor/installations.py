"""Which installation a webhook delivery is for, without a database query on every delivery."""

from __future__ import annotations

import time

from jsg_privacy.integrations.saleor.models import Installation

#: Seconds an active installation is remembered by a process between webhook deliveries. Only
#: active ones are: an unknown or removed store is looked up every time, so a store that has just
#: installed (or reinstalled) the app is never refused (a 4xx would lose the event for good). A
#: store removed meanwhile is still accepted for at most this long; its queued work is then dropped
#: by the task, which checks the installation again.
CACHE_SECONDS = 30
_remembered: dict[str, tuple[float, Installation]] = {}


def installation_for(api_url: str) -> Installation | None:
    """The installation for a webhook: from this process's memory while recent and active."""
    now = time.monotonic()
    cached = _remembered.get(api_url)
    if cached is not None and cached[0] > now:
        return cached[1]
    # The token is not needed to verify (nor decrypted): removal sets removed_at and wipes it.
    found = Installation.objects.filter(api_url=api_url).defer("token").first()
    if found is not None and found.removed_at is None:
        _remembered[api_url] = (now + CACHE_SECONDS, found)
    else:
        _remembered.pop(api_url, None)
    return found


def forget_installations() -> None:
    """Drop this process's remembered installations (after one was installed, changed or removed)."""
    _remembered.clear()
