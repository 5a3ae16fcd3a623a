"""Full addresses, where a shop keeps them for a while, are truncated once that while is over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from jsg_privacy.usage import truncation
from jsg_privacy.usage.models import UsageEvent

pytestmark = pytest.mark.django_db


def event(address, days_ago):
    return UsageEvent.objects.create(
        kind=UsageEvent.Kind.SECURITY,
        path="/",
        ip_address=address,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_only_older_full_addresses_are_truncated():
    old_v4 = event("203.0.113.77", 10)
    old_v6 = event("2001:db8:abcd:12::9", 10)
    already = event("198.51.100.0", 10)
    missing = event(None, 10)
    recent = event("192.0.2.55", 1)

    assert truncation.truncate_older_than(7) == 2

    def stored(e):
        return UsageEvent.objects.get(pk=e.pk).ip_address

    assert stored(old_v4) == "203.0.113.0"
    assert stored(old_v6) == "2001:db8:abcd::"
    assert stored(already) == "198.51.100.0"
    assert stored(missing) is None
    assert stored(recent) == "192.0.2.55"
    assert truncation.truncate_older_than(7) == 0


def test_truncate_expired_uses_the_configured_period(settings):
    settings.JSG_PRIVACY_USAGE_FULL_IP_DAYS = 30
    kept = event("203.0.113.77", 29)
    expired = event("203.0.113.78", 31)

    assert truncation.truncate_expired() == 1
    assert UsageEvent.objects.get(pk=kept.pk).ip_address == "203.0.113.77"
    assert UsageEvent.objects.get(pk=expired.pk).ip_address == "203.0.113.0"


def test_many_rows_are_truncated_in_batches(monkeypatch):
    monkeypatch.setattr(truncation, "BATCH", 3)
    for n in range(7):
        event(f"203.0.113.{n + 1}", 10)
    assert truncation.truncate_older_than(1) == 7
    assert set(UsageEvent.objects.values_list("ip_address", flat=True)) == {"203.0.113.0"}
