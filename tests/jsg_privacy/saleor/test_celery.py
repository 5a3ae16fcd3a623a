"""On Celery, the webhook request only publishes; a worker does the deduplicated work."""

import pytest

from jsg_privacy.integrations.saleor import tasks
from jsg_privacy.integrations.saleor.models import Delivery, Order
from tests.jsg_privacy.saleor.conftest import event, published

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


def test_the_request_publishes_json_work_that_a_worker_handles_once(installation, deliver, broker):
    payload = event(
        "OrderCreated",
        order={
            "id": "T3JkZXI6MQ==",
            "number": "1001",
            "created": "2026-03-01T09:00:00+00:00",
            "userEmail": "ann@example.com",
            "user": None,
        },
    )

    assert deliver(payload).status_code == 200
    assert deliver(payload).status_code == 200  # Saleor's retry
    assert not Order.objects.exists()  # nothing done in the request

    (first, second) = published(broker)
    assert first[0] == second[0] == "jsg_privacy.saleor.process_event"
    assert tasks.process_event(*first[1]) is True  # what the worker runs
    assert tasks.process_event(*second[1]) is False
    assert Order.objects.count() == 1
    assert Delivery.objects.count() == 1
