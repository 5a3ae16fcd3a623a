"""On Celery, the webhook request only publishes; a worker does the deduplicated work."""

import pytest
from celery import Celery

from jsg_privacy.integrations.saleor import tasks
from jsg_privacy.integrations.saleor.models import Delivery, Order
from tests.jsg_privacy.saleor.conftest import event

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


@pytest.fixture
def broker(settings):
    """A Celery app on an in-memory broker, current for the test; the previous one afterwards."""
    from celery import _state

    previous_current, previous_default = _state._tls.current_app, _state.default_app
    settings.JSG_PRIVACY_TASK_RUNNER = "celery"
    app = Celery("saleor_tests", broker="memory://", set_as_current=True)
    yield app
    _state._set_current_app(previous_current)
    _state.set_default_app(previous_default)


def published(app):
    """The messages on the default queue, as a worker receives them (JSON, by task name)."""
    messages = []
    with app.connection_for_read() as connection:
        queue = connection.SimpleQueue("celery")
        while queue.qsize():
            message = queue.get(timeout=1)
            messages.append((message.headers["task"], message.decode()[0]))
            message.ack()
        queue.close()
    return messages


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
