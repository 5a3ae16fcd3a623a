"""IP addresses as usage data keeps them: truncated to a network (IPv4 /24, IPv6 /48).

Only ``REMOTE_ADDR`` is read. Behind a reverse proxy it is the proxy's address: put a trusted-proxy
middleware (one that rewrites ``REMOTE_ADDR`` from a header your proxy sets) before the usage
middleware. ``X-Forwarded-For`` is never parsed here, because any client can send it.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

IPV4_PREFIX = 24
IPV6_PREFIX = 48


def truncate(address: str | None) -> str | None:
    """``a.b.c.0`` for IPv4, the /48 network address for IPv6, ``None`` for anything else.

    An IPv4-mapped IPv6 address (``::ffff:a.b.c.d``) is truncated as the IPv4 address it carries.
    """
    parsed = _parse(address)
    if parsed is None:
        return None
    prefix = IPV4_PREFIX if parsed.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{parsed}/{prefix}", strict=False).network_address)


def normalise(address: str | None) -> str | None:
    """The address in its canonical form (no scope, IPv4-mapped unwrapped), or ``None`` if invalid."""
    parsed = _parse(address)
    return None if parsed is None else str(parsed)


def is_truncated(address: str | None) -> bool:
    """True if ``address`` is empty or already a truncated network address."""
    return not address or truncate(address) == normalise(address)


def client_address(request: HttpRequest) -> str | None:
    """The request's ``REMOTE_ADDR``, canonical, or ``None``; never a forwarded header."""
    return normalise(request.META.get("REMOTE_ADDR"))


def _parse(address: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not address or not isinstance(address, str):
        return None
    try:
        parsed = ipaddress.ip_address(address.strip().split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed
