"""End to end on a real Celery worker: signed deliveries through the Redis inbox, handled once.

The worker is test_tasks_celery's (a ``celery -A example_shop worker`` process on Redis, PostgreSQL
only); it drains the inbox under the key prefix it was started with.
"""

import re
import time

import pytest

from jsg_privacy.integrations.saleor import inbox, tasks
from jsg_privacy.integrations.saleor.models import Delivery, Order
from tests.jsg_privacy.requests.test_tasks_celery import (  # noqa: F401 -- fixtures used below
    INBOX_PREFIX,
    INBOX_URL,
    TIMEOUT,
    celery_worker,
    export_dir,
    on_celery,
    shared_storage,
)
from tests.jsg_privacy.saleor.test_webhooks import order_created

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the worker sees committed rows only
    pytest.mark.urls("tests.jsg_privacy.saleor.urls"),
]


@pytest.fixture
def worker_inbox(request, settings):
    """The inbox the worker drains; emptied afterwards."""
    import redis

    runner = request.getfixturevalue("on_celery")
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = INBOX_URL
    settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX = INBOX_PREFIX
    yield runner
    client = redis.Redis.from_url(INBOX_URL)
    for key in client.scan_iter(match=f"{INBOX_PREFIX}:*"):
        client.delete(key)


def test_a_burst_of_deliveries_is_drained_and_handled_once_by_the_worker(
    installation, deliver, worker_inbox
):
    bodies = [order_created(str(number)) for number in (2001, 2002, 2003)]

    answers = [deliver(body).content for body in [*bodies, bodies[1]]]

    assert answers == [b"Accepted."] * 3 + [b"Already received."]
    deadline = time.monotonic() + TIMEOUT
    while Order.objects.count() < 3 or inbox.pending():
        worker_inbox.worker.check()
        if time.monotonic() > deadline:
            pytest.fail(f"not handled in {TIMEOUT} s:\n{worker_inbox.worker.output()}")
        time.sleep(0.1)
    assert sorted(Order.objects.values_list("number", flat=True)) == ["2001", "2002", "2003"]
    assert Delivery.objects.count() == 3
    log = worker_inbox.worker.output(worker_inbox.log_start)
    drains = len(re.findall(rf"Task {re.escape(tasks.drain_inbox.name)}\[[\w-]+\] succeeded", log))
    assert 1 <= drains < 3  # one per burst (two if the burst outlasted the drain's 1 s delay)
    assert "ann@example.com" not in log  # the events' e-mail addresses stay out of the log
