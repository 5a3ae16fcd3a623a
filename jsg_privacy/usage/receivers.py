"""Security events from Django's authentication signals, on legitimate interests.

Connected at start-up (``JsgPrivacyConfig.ready()``); it records only while usage logging is switched
on (the middleware is installed, :func:`jsg_privacy.features.usage_logging`). A failed log-in records
the page and the truncated address only: never the username or password tried.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from jsg_privacy.usage import record
from jsg_privacy.usage.models import UsageEvent


@receiver(user_login_failed, dispatch_uid="jsg_privacy.usage.login_failed")
def login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    if request is None or not record.enabled() or not record.security_in_use():
        return
    record.write(request, UsageEvent.Kind.SECURITY)
