import pytest
from django.test import Client

from bench.bench_consent import decided_visitor
from jsg_privacy.usage import buffer


class WrittenClient(Client):
    """A test client whose page views are written as soon as each response is back, as the writer
    thread would write them a moment later."""

    def request(self, **request):
        response = super().request(**request)
        buffer.flush()
        return response


@pytest.fixture
def visitor():
    """A test client for a visitor who accepted (``"accept"``), refused or has not chosen (None)."""

    def make(choice):
        client = WrittenClient()
        client.cookies = decided_visitor(choice).cookies
        return client

    return make
