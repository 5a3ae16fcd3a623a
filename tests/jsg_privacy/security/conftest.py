"""Each attack starts with empty rate limits: a limit reached by one test must not help another."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()
