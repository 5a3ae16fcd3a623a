"""On Celery, the webhook request only publishes, sealed; a worker does the deduplicated work."""

import pytest

from jsg_privacy.integrations.saleor import tasks
from jsg_privacy.integrations.saleor.models import Delivery, Order
from tests.jsg_privacy.saleor.conftest import event, published

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]

ORDER = {
    "id": "T3JkZXI6MQ==",
    "number": "1001",
    "created": "2026-03-01T09:00:00+00:00",
    "userEmail": "ann@example.com",
    "user": None,
}


def test_the_request_publishes_sealed_work_that_a_worker_handles_once(
    installation, deliver, broker
):
    payload = event("OrderCreated", order=ORDER)

    assert deliver(payload).status_code == 200
    assert deliver(payload).status_code == 200  # Saleor's retry
    assert not Order.objects.exists()  # nothing done in the request

    (first, second) = published(broker)
    assert first[0] == second[0] == "jsg_privacy.saleor.process_sealed_event"
    assert "ann@example.com" not in repr(first)  # the broker holds no e-mail address in clear
    assert tasks.process_sealed_event(*first[1]) is True  # what the worker runs
    assert tasks.process_sealed_event(*second[1]) is False
    assert Order.objects.count() == 1
    assert Delivery.objects.count() == 1


def test_a_database_away_in_the_worker_is_retried_not_lost(
    installation, deliver, broker, monkeypatch
):
    """Saleor had its 200: the worker's passing failures must not drop the event."""
    from django.db import OperationalError

    from jsg_privacy.integrations.saleor import handlers

    deliver(event("OrderCreated", order=ORDER))
    ((_name, args, _eta),) = published(broker)
    real, failures = handlers.handle, []

    def database_away_once(*arguments):
        if not failures:
            failures.append(1)
            raise OperationalError("the database server closed the connection")
        return real(*arguments)

    monkeypatch.setattr(handlers, "handle", database_away_once)
    result = tasks.process_sealed_event.apply(args=args)  # as a worker runs it, retries included

    assert result.successful()
    assert failures == [1]
    assert Order.objects.get().number == "1001"
    assert Delivery.objects.count() == 1
