"""The Redis inbox (JSG_PRIVACY_SALEOR_INBOX_URL), on the real Redis: deliveries deduplicated and
handed over in one round trip, one drain per burst, nothing lost when a drain or Redis fails."""

import logging
from io import StringIO

import pytest
from celery import Celery
from cryptography.fernet import Fernet
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from jsg_privacy.integrations.saleor import inbox as app_inbox
from jsg_privacy.integrations.saleor import tasks
from jsg_privacy.integrations.saleor.models import Delivery, Order
from tests.jsg_privacy.saleor.conftest import REDIS_URL, published
from tests.jsg_privacy.saleor.test_webhooks import order_created

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.jsg_privacy.saleor.urls")]


def test_inline_the_inbox_is_not_used_and_each_delivery_is_handled_in_its_request(
    installation, deliver, inbox, settings
):
    settings.JSG_PRIVACY_TASK_RUNNER = "inline"  # (jsg_privacy_saleor.W003)
    body = order_created("1001")

    assert deliver(body).content == b"Accepted."
    assert deliver(body).content == b"Accepted."  # Saleor's retry: skipped by the task

    assert Order.objects.get().number == "1001"
    assert Delivery.objects.count() == 1
    assert list(inbox.scan_iter(match=settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX + ":*")) == []


def test_on_celery_a_burst_queues_one_drain_and_the_worker_queues_each_event_once(
    installation, deliver, inbox, broker
):
    bodies = [order_created(str(number)) for number in (1001, 1002, 1003)]
    answers = [deliver(body).content for body in [*bodies, bodies[0]]]

    assert answers == [b"Accepted."] * 3 + [b"Already received."]
    assert not Order.objects.exists()  # nothing is done in the requests
    ((name, args, eta),) = published(broker)  # one drain for the burst, due a second later
    assert (name, args) == ("jsg_privacy.saleor.drain_inbox", [])
    assert eta is not None
    assert app_inbox.pending() == 3

    assert tasks.drain_inbox() == 3  # what the worker runs
    work = published(broker)
    assert [name for name, _args, _eta in work] == ["jsg_privacy.saleor.process_sealed_event"] * 3
    for _name, args, _eta in work:
        assert tasks.process_sealed_event(*args) is True
    assert sorted(Order.objects.values_list("number", flat=True)) == ["1001", "1002", "1003"]
    assert app_inbox.pending() == 0

    deliver(order_created("1004"))  # after a drain, the next delivery queues the next one
    assert [name for name, _args, _eta in published(broker)] == ["jsg_privacy.saleor.drain_inbox"]


def test_events_a_dead_drain_had_taken_are_queued_by_the_next(
    installation, deliver, inbox, broker, settings
):
    deliver(order_created("1001"))
    published(broker)
    prefix = settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX + ":"
    # A drain's worker dies after taking the event and before queueing it.
    assert inbox.lmove(prefix + "inbox", prefix + "taking", "RIGHT", "LEFT") is not None
    assert app_inbox.pending() == 1

    assert tasks.drain_inbox() == 1
    ((_name, args, _eta),) = published(broker)
    assert tasks.process_sealed_event(*args) is True
    assert Order.objects.get().number == "1001"
    assert app_inbox.pending() == 0


def test_events_wait_in_redis_encrypted(installation, deliver, inbox, broker, settings):
    deliver(order_created("1001", email="ann.jones@example.com"))

    (item,) = inbox.lrange(settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX + ":inbox", 0, -1)
    assert b"ann.jones" not in item
    assert b"1001" not in item
    assert item.startswith(b"gAAAAA")  # a Fernet token


def test_an_event_no_key_can_read_is_set_aside_until_the_keys_are_back(
    installation, deliver, inbox, broker, settings, caplog
):
    keys = settings.JSG_PRIVACY_ENCRYPTION_KEYS
    deliver(order_created("1001", email="ann.jones@example.com"))
    published(broker)  # the drain
    settings.JSG_PRIVACY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # a worker without it

    with caplog.at_level(logging.ERROR, logger="jsg_privacy.integrations.saleor"):
        assert tasks.drain_inbox() == 0

    assert "Set aside an inbox event this worker cannot read" in caplog.text
    assert "ann.jones" not in caplog.text
    assert (app_inbox.pending(), app_inbox.unreadable()) == (0, 1)  # kept, not lost
    assert published(broker) == []

    settings.JSG_PRIVACY_ENCRYPTION_KEYS = keys  # the worker has the key again
    out = StringIO()
    call_command("privacy_saleor_inbox", "--retry-unreadable", "--drain", stdout=out)

    assert "Put 1 event(s) set aside back" in out.getvalue()
    assert "Queued 1 event(s)" in out.getvalue()
    ((_name, args, _eta),) = published(broker)
    assert tasks.process_sealed_event(*args) is True
    assert Order.objects.get().number == "1001"
    assert (app_inbox.pending(), app_inbox.unreadable()) == (0, 0)


def test_events_of_an_unknown_shape_are_set_aside_and_the_others_queued(
    installation, deliver, inbox, broker, settings, caplog
):
    from jsg_privacy.crypto import keys

    deliver(order_created("1001"))
    published(broker)  # the drain
    prefix = settings.JSG_PRIVACY_SALEOR_INBOX_PREFIX
    inbox.lpush(f"{prefix}:inbox", keys.encrypt('["left by another version"]'))  # newest
    inbox.rpush(f"{prefix}:inbox", keys.encrypt('{"installation": 1}'))  # oldest

    with caplog.at_level(logging.ERROR, logger="jsg_privacy.integrations.saleor"):
        assert tasks.drain_inbox() == 1

    assert caplog.text.count("Set aside an inbox event") == 2
    ((_name, args, _eta),) = published(broker)
    assert tasks.process_sealed_event(*args) is True
    assert (app_inbox.pending(), app_inbox.unreadable()) == (0, 2)

    out = StringIO()
    call_command("privacy_saleor_inbox", "--discard-unreadable", stdout=out)
    assert "Deleted 2 event(s) set aside" in out.getvalue()
    assert app_inbox.unreadable() == 0


def test_redis_out_of_reach_is_a_503_that_records_nothing_and_the_retry_is_handled(
    installation, deliver, inbox, broker, settings
):
    body = order_created("1001")
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = "redis://127.0.0.1:1/0"  # nothing listens there

    response = deliver(body)

    assert response.status_code == 503
    assert b"try again" in response.content
    assert not Order.objects.exists()
    assert not Delivery.objects.exists()

    settings.JSG_PRIVACY_SALEOR_INBOX_URL = REDIS_URL
    assert deliver(body).content == b"Accepted."  # Saleor's retry
    assert app_inbox.pending() == 1


def test_a_connection_redis_dropped_is_replaced_and_the_delivery_accepted(
    installation, deliver, inbox, broker
):
    assert deliver(order_created("1001")).content == b"Accepted."
    own = app_inbox._own_connection(REDIS_URL)  # this thread's, kept between deliveries
    own.send_command("CLIENT", "ID")
    inbox.client_kill_filter(_id=own.read_response())  # Redis restarted, or dropped an idle client

    body = order_created("1002")
    assert deliver(body).content == b"Accepted."
    assert deliver(body).content == b"Already received."  # Saleor's retry
    assert app_inbox.pending() == 2


def test_a_script_redis_forgot_is_sent_whole(installation, deliver, inbox, broker):
    inbox.script_flush()  # as after a restart without persistence
    body = order_created("1001")

    assert deliver(body).content == b"Accepted."
    assert deliver(body).content == b"Already received."
    assert app_inbox.pending() == 1


@pytest.mark.slow
def test_a_broker_out_of_reach_loses_nothing_and_the_next_delivery_queues_the_drain(
    installation, deliver, inbox, broker, caplog
):
    away = Celery("away", broker="redis://127.0.0.1:1/0", set_as_current=True)  # nothing there
    away.conf.task_publish_retry = False
    try:
        with caplog.at_level(logging.WARNING, logger="jsg_privacy.integrations.saleor"):
            response = deliver(order_created("1001"))
    finally:
        broker.set_current()

    assert response.content == b"Accepted."  # the event is safe in Redis
    assert "Queueing the inbox's drain failed (OperationalError)" in caplog.text
    assert app_inbox.pending() == 1

    deliver(order_created("1002"))  # the broker is back

    assert [name for name, _args, _eta in published(broker)] == ["jsg_privacy.saleor.drain_inbox"]
    assert tasks.drain_inbox() == 2
    assert [tasks.unseal(args[0])[2] for _name, args, _eta in published(broker)] == [
        "ORDER_CREATED"
    ] * 2


def test_without_an_inbox_the_drain_does_nothing(settings):
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = ""
    assert tasks.drain_inbox() == 0


def test_the_beat_entry_runs_the_drain():
    ((_name, entry),) = app_inbox.beat_schedule(minutes=5).items()
    assert entry["task"] == tasks.drain_inbox.name == app_inbox.TASK
    assert entry["schedule"].total_seconds() == 300


@pytest.mark.parametrize(
    ("url", "runner", "expected"),
    [
        ("", "inline", []),
        ("redis://127.0.0.1:6379/0", "celery", []),
        ("rediss://cache.example.com:6380/0", "celery", []),
        ("redis://127.0.0.1:6379/0", "inline", ["jsg_privacy_saleor.W003"]),
        ("http://127.0.0.1:6379/0", "celery", ["jsg_privacy_saleor.E003"]),
    ],
)
def test_the_inbox_settings_are_checked(settings, url, runner, expected):
    settings.JSG_PRIVACY_SALEOR_API_URLS = ["https://store.example.com/graphql/"]
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = url
    settings.JSG_PRIVACY_TASK_RUNNER = runner
    assert sorted(m.id for m in run_checks(tags=["jsg_privacy_saleor"], databases=[])) == expected


def test_the_command_says_what_waits_and_drains_it(installation, deliver, inbox, broker, settings):
    for number in ("1001", "1002"):
        deliver(order_created(number))
    published(broker)  # the drain, as if its message were lost
    out = StringIO()

    call_command("privacy_saleor_inbox", stdout=out)
    assert "2 event(s) waiting" in out.getvalue()
    assert app_inbox.pending() == 2

    call_command("privacy_saleor_inbox", "--drain", stdout=out)
    assert "Queued 2 event(s)" in out.getvalue()
    assert [tasks.unseal(args[0])[2] for _name, args, _eta in published(broker)] == [
        "ORDER_CREATED"
    ] * 2
    assert app_inbox.pending() == 0


def test_the_command_refuses_without_an_inbox_or_a_redis(settings):
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = ""
    with pytest.raises(CommandError, match="not set"):
        call_command("privacy_saleor_inbox")
    settings.JSG_PRIVACY_SALEOR_INBOX_URL = "redis://127.0.0.1:1/0"
    with pytest.raises(CommandError, match="Redis cannot be reached"):
        call_command("privacy_saleor_inbox", "--drain")
