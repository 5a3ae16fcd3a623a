"""Marketing fixtures: the registry with marketing installed, a customer, and ledger look-ups."""

import re

import pytest
from django.test import Client

from jsg_privacy.consent.models import ConsentRecord
from jsg_privacy.marketing import mechanisms
from jsg_privacy.registry import registry

TOKEN = re.compile(r'name="marketing_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def marketing_installed():
    """What JsgPrivacyConfig.ready() is to do: install marketing's mechanisms and sources."""
    with registry.temporarily():
        mechanisms.install(registry)
        yield registry


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user(
        "priya.shah@example.co.uk", "priya.shah@example.co.uk", "a long passphrase 42"
    )


@pytest.fixture
def customer_client(customer) -> Client:
    client = Client()
    client.force_login(customer)
    return client


def marketing_records(**filters) -> list[ConsentRecord]:
    """Ledger records of marketing choices (the cookie banner's have no medium)."""
    return list(
        ConsentRecord.objects.filter(
            purpose__in=["marketing", "partner_marketing", "testimonials"], **filters
        ).exclude(purpose="marketing", medium="")
    )


@pytest.fixture
def records(db):
    return marketing_records


@pytest.fixture
def token_in():
    def find(html: str) -> str:
        found = TOKEN.search(html)
        assert found, "the page has no marketing token"
        return found.group(1)

    return find
