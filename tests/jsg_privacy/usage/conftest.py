import pytest

from bench.bench_consent import decided_visitor


@pytest.fixture
def visitor():
    """A test client for a visitor who accepted (``"accept"``), refused or has not chosen (None)."""
    return decided_visitor
