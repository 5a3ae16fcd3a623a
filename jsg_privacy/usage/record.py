"""Writing usage events, the address truncated before it is stored: page views and searches through
the buffer (:mod:`jsg_privacy.usage.buffer`, no query on the request path), security events at once.

The module constants below stand in for settings until ``JSG_PRIVACY_USAGE_*`` settings are declared
in :mod:`jsg_privacy.conf` (see docs/usage.md); tests and projects may patch them meanwhile.
"""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest

from jsg_privacy import features, inventory
from jsg_privacy.conf import app_settings
from jsg_privacy.registry import registry
from jsg_privacy.usage import ip
from jsg_privacy.usage.models import UsageEvent


def enabled() -> bool:
    """Usage logging is switched on: the middleware is installed and ``JSG_PRIVACY_USAGE_LOGGING``
    is not ``False`` (:func:`jsg_privacy.features.usage_logging`). Off, nothing is recorded, failed
    log-ins neither, and the privacy notice does not mention the log."""
    return features.usage_logging()


def search_parameter() -> str:
    """``JSG_PRIVACY_USAGE_SEARCH_PARAMETER``: the query parameter recorded as search terms."""
    return app_settings.USAGE_SEARCH_PARAMETER


def full_ip_days() -> int:
    """``JSG_PRIVACY_USAGE_FULL_IP_DAYS``: days full addresses are kept (0: truncate at write time)."""
    return app_settings.USAGE_FULL_IP_DAYS


PATH_MAX = UsageEvent._meta.get_field("path").max_length or 500
TERMS_MAX = UsageEvent._meta.get_field("search_terms").max_length or 200


def stored_address(request: HttpRequest | None) -> str | None:
    """The address as it is written: truncated unless full addresses are kept for a while."""
    if request is None:
        return None
    address = ip.client_address(request)
    return address if full_ip_days() > 0 else ip.truncate(address)


def security_in_use() -> bool:
    """True when the shop declares the security purpose (legitimate interests), so logs it."""
    return inventory.SECURITY in registry.purposes_in_use


def search_terms(request: HttpRequest) -> str:
    """The search parameter's value, stripped and cut to the field's length; "" when absent."""
    parameter = search_parameter()
    if not parameter:
        return ""
    return " ".join(request.GET.get(parameter, "").split())[:TERMS_MAX]


def printable(text: str) -> str:
    """``text`` without control characters (a probe's ``%00`` must not fail the INSERT)."""
    return "".join(ch for ch in text if ch.isprintable())


def write(
    request: HttpRequest | None,
    kind: str,
    *,
    path: str = "",
    search_terms: str = "",
    status_code: int | None = None,
    user: Any = None,
    visitor_key: str = "",
) -> UsageEvent:
    """Insert one event. Never stores a user agent, a query string or a request body."""
    if request is not None and not path:
        path = request.path
    return UsageEvent.objects.create(
        kind=kind,
        path=printable(path)[:PATH_MAX],
        search_terms=printable(search_terms),
        status_code=status_code,
        ip_address=stored_address(request),
        user=user if getattr(user, "is_authenticated", False) else None,
        visitor_key=visitor_key,
    )


def buffer_page_view(
    request: HttpRequest, kind: str, *, search_terms: str, status_code: int, visitor_key: str
) -> None:
    """Hand a page view (or search) to the buffer: no query, written in a batch later."""
    from jsg_privacy.usage import buffer

    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    buffer.add(
        {
            "created_at": time.time(),
            "kind": kind,
            "path": printable(request.path)[:PATH_MAX],
            "search_terms": printable(search_terms),
            "status_code": status_code,
            "ip_address": stored_address(request),
            "user_id": user_id if user_id is None or isinstance(user_id, int) else str(user_id),
            "visitor_key": visitor_key,
        }
    )
