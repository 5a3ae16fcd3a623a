"""Checks of usage logging: E050, a usage buffer that cannot be used."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, register

from jsg_privacy import features
from jsg_privacy.conf import app_settings

REDIS_SCHEMES = ("redis://", "rediss://", "unix://")


@register("jsg_privacy")
def check_usage_buffer(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    if not features.usage_logging():
        return []
    where = app_settings.USAGE_BUFFER
    problem = ""
    if where != "memory" and not (isinstance(where, str) and where.startswith(REDIS_SCHEMES)):
        problem = f'is {where!r}: give "memory" or a Redis URL ({", ".join(REDIS_SCHEMES)}...)'
    elif where != "memory":
        try:
            import redis  # noqa: F401
        except ImportError:
            problem = "names Redis, but the redis package is not installed (pip install redis)"
    if not problem:
        return []
    return [
        Error(
            f"JSG_PRIVACY_USAGE_BUFFER {problem}.",
            hint="Page views would be dropped, never written. See docs/usage.md.",
            id="jsg_privacy.E050",
        )
    ]
