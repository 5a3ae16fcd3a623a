"""Truncating stored IP addresses after a period, for a shop that keeps full ones for a while.

By default addresses are truncated at write time and there is nothing to do here. A shop that keeps
full addresses for ``JSG_PRIVACY_USAGE_FULL_IP_DAYS`` (abuse investigations) runs :func:`truncate_expired` daily.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from jsg_privacy.usage import ip, record
from jsg_privacy.usage.models import UsageEvent

BATCH = 1000


def truncate_older_than(days: int) -> int:
    """Truncate the full addresses of events older than ``days`` days; returns how many changed."""
    cutoff = timezone.now() - timedelta(days=days)
    rows = (
        UsageEvent.objects.filter(created_at__lt=cutoff, ip_address__isnull=False)
        .only("pk", "ip_address")
        .order_by("pk")
    )
    changed = 0
    batch: list[UsageEvent] = []
    for event in rows.iterator(chunk_size=BATCH):
        if ip.is_truncated(event.ip_address):
            continue
        event.ip_address = ip.truncate(event.ip_address)
        batch.append(event)
        if len(batch) >= BATCH:
            changed += _save(batch)
    return changed + _save(batch)


def truncate_expired() -> int:
    """Truncate addresses kept longer than ``JSG_PRIVACY_USAGE_FULL_IP_DAYS`` (all full ones when it is 0)."""
    return truncate_older_than(max(record.full_ip_days(), 0))


def _save(batch: list[UsageEvent]) -> int:
    with transaction.atomic():
        UsageEvent.objects.bulk_update(batch, ["ip_address"])
    count = len(batch)
    batch.clear()
    return count
