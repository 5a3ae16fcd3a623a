"""A customer's usage events are in their export and go with their erasure; retention is declared."""

import json
import zipfile

import pytest

from example_shop.factories import UserFactory
from jsg_privacy.flows import erase, export
from jsg_privacy.registry import Subject, registry
from jsg_privacy.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

KEY = "jsg_privacy.UsageEvent"


@pytest.fixture
def customer(visitor):
    user, other = UserFactory(), UserFactory()
    client = visitor("accept")
    client.force_login(user)
    client.get("/", REMOTE_ADDR="203.0.113.77")
    client.get("/", {"q": "ct clamp"}, REMOTE_ADDR="203.0.113.77")
    someone = visitor("accept")
    someone.force_login(other)
    someone.get("/")
    return user


def test_usage_events_appear_in_the_export(customer, tmp_path):
    path = tmp_path / "export.zip"
    summary = export.export(Subject(user_id=customer.pk), path)

    assert summary.rows[KEY] == 2
    data = json.loads(zipfile.ZipFile(path).read("data.json"))
    rows = next(s["records"] for s in data["sources"] if s["key"] == KEY)
    assert {row["search_terms"] for row in rows} == {"", "ct clamp"}
    assert {row["ip_address"] for row in rows} == {"203.0.113.0"}
    assert "visitor_key" not in json.dumps(rows)


def test_usage_events_are_erased_with_the_customer(customer):
    erase.erase(Subject(user_id=customer.pk, email=customer.email))
    assert not UsageEvent.objects.filter(user_id=customer.pk).exists()
    assert UsageEvent.objects.count() == 1  # the other customer's visit stays


def test_retention_removes_them_after_90_days():
    source = registry.source_for(UsageEvent)
    assert source.retention.anchor == "created_at"
    assert source.retention.period.days == 90
