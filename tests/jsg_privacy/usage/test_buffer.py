"""Page views wait in a buffer (memory or Redis) and are written in batches, off the request path;
nothing waiting is lost on a clean shutdown, and Redis down drops events, never pages."""

import logging
import secrets
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from example_shop.factories import UserFactory
from jsg_privacy.usage import buffer
from jsg_privacy.usage.models import UsageEvent

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/0"


def accepted(visitor) -> Client:
    """An accepted visitor whose page views are not written after each response."""
    client = Client()
    client.cookies = visitor("accept").cookies
    return client


@pytest.fixture
def redis_buffer(settings, monkeypatch):
    redis = pytest.importorskip("redis")
    # A page view waits 50 ms for Redis at most, then drops the event: on a CI machine running
    # three suites at once a command can take longer, and these tests are about what happens when
    # Redis answers (Redis down has its own test).
    monkeypatch.setattr(buffer, "REDIS_TIMEOUT_SECONDS", 2.0)
    key = f"jsg_privacy_test:usage:{secrets.token_hex(6)}"
    connection_ = redis.Redis.from_url(REDIS)
    try:
        connection_.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    settings.JSG_PRIVACY_USAGE_BUFFER = REDIS
    settings.JSG_PRIVACY_USAGE_REDIS_KEY = key
    yield connection_, key
    connection_.delete(key)


def test_a_clean_shutdown_writes_what_waits(visitor):
    client = accepted(visitor)
    for _ in range(7):
        client.get("/")
    assert not UsageEvent.objects.exists()
    try:
        buffer.writer.shutdown()  # what atexit calls as gunicorn, uwsgi or runserver stop
    finally:
        buffer.writer.stopping = False
    assert UsageEvent.objects.count() == 7


def test_a_full_memory_buffer_drops_and_counts(visitor, settings):
    settings.JSG_PRIVACY_USAGE_BATCH_SIZE = 2  # 10 batches wait at most: 20 events
    client = accepted(visitor)
    for _ in range(25):
        assert client.get("/").status_code == 200
    assert buffer.stats() == {"pending": 20, "written": 0, "dropped": 5}
    assert buffer.flush() == 20
    assert buffer.stats()["written"] == 20


@pytest.mark.django_db(transaction=True)
def test_the_writer_thread_writes_within_its_period(visitor, settings):
    settings.JSG_PRIVACY_USAGE_FLUSH_SECONDS = 0.05
    client = accepted(visitor)
    try:
        for _ in range(3):
            client.get("/")
        deadline = time.monotonic() + 10
        while UsageEvent.objects.count() < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert UsageEvent.objects.count() == 3
    finally:
        thread = buffer.writer.thread
        buffer.writer.stopping = True
        buffer.writer.wake.set()
        if thread is not None:
            thread.join(5)
        buffer.writer.thread, buffer.writer.stopping = None, False


def test_an_event_of_a_deleted_user_is_kept_unlinked(visitor):
    client = accepted(visitor)
    user = UserFactory()
    client.force_login(user)
    client.get("/")
    user.delete()
    assert buffer.flush() == 1
    assert UsageEvent.objects.get().user is None


def test_the_command_writes_what_waits(visitor):
    accepted(visitor).get("/")
    call_command("privacy_flush_usage")
    assert UsageEvent.objects.count() == 1


# -- Redis -------------------------------------------------------------------------------------


def test_page_views_wait_in_redis_and_are_written_in_one_insert(visitor, redis_buffer):
    redis, key = redis_buffer
    client = accepted(visitor)
    for page in range(4):
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/", {"q": "meter"} if page == 3 else {}).status_code == 200
        assert not [q for q in captured.captured_queries if "usage" in q["sql"]]
    assert redis.llen(key) == 4
    assert not UsageEvent.objects.exists()
    with CaptureQueriesContext(connection) as captured:
        assert buffer.flush() == 4
    assert len(captured.captured_queries) == 1
    assert redis.llen(key) == 0
    assert UsageEvent.objects.filter(kind=UsageEvent.Kind.SEARCH).count() == 1
    assert set(UsageEvent.objects.values_list("ip_address", flat=True)) == {"127.0.0.0"}


def test_redis_down_drops_and_counts_events_and_pages_never_wait(visitor, settings, caplog):
    settings.JSG_PRIVACY_USAGE_BUFFER = "redis://127.0.0.1:9/0"  # nothing listens there
    client = accepted(visitor)
    redis_buffer = buffer.writer.get_buffer()
    attempts = []
    rpush = redis_buffer.client.rpush

    def counted(*args):
        attempts.append(args[0])
        return rpush(*args)

    redis_buffer.client.rpush = counted
    with caplog.at_level(logging.WARNING, logger="jsg_privacy.usage"):
        for _ in range(50):
            assert client.get("/").status_code == 200
    assert buffer.stats()["dropped"] == 50
    assert len(attempts) == 1, "Redis is not asked again while it is down"
    warnings = [r for r in caplog.records if r.name == "jsg_privacy.usage"]
    assert len(warnings) == 1
    assert "127.0.0.1" not in warnings[0].getMessage()  # counts only, no address of anyone
    assert buffer.flush() == 0
    assert not UsageEvent.objects.exists()


@pytest.mark.parametrize("value", ["mem", "postgres://127.0.0.1/x", ""])
def test_a_buffer_that_cannot_be_used_fails_the_check(settings, value):
    from jsg_privacy.usage.checks import check_usage_buffer

    assert check_usage_buffer() == []
    settings.JSG_PRIVACY_USAGE_BUFFER = value
    assert [m.id for m in check_usage_buffer()] == ["jsg_privacy.E050"]
    settings.JSG_PRIVACY_USAGE_BUFFER = REDIS
    assert check_usage_buffer() == []


def test_items_in_redis_that_are_not_events_are_dropped_and_counted(visitor, redis_buffer):
    redis, key = redis_buffer
    accepted(visitor).get("/")
    redis.rpush(key, b"\xff not json", b'{"kind": "page_view"}', b'["a list"]')
    accepted(visitor).get("/")
    assert buffer.flush() == 2
    assert buffer.stats()["dropped"] == 3
    assert UsageEvent.objects.count() == 2
    assert redis.llen(key) == 0


def test_a_buffer_that_cannot_be_made_drops_page_views_never_pages(visitor, settings, caplog):
    settings.JSG_PRIVACY_USAGE_BUFFER = "not a url"
    client = accepted(visitor)
    with caplog.at_level(logging.ERROR, logger="jsg_privacy.usage"):
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert buffer.writer.unusable == 3
    assert len([r for r in caplog.records if r.name == "jsg_privacy.usage"]) == 1
    buffer.writer.unusable = 0


def test_a_forked_worker_starts_with_no_thread_and_none_of_the_parents_events(visitor):
    client = accepted(visitor)
    client.get("/")
    parent = buffer.writer.buffer
    buffer.writer.after_fork()
    try:
        assert buffer.writer.thread is None
        assert buffer.stats()["pending"] == 0
    finally:
        buffer.writer.buffer = parent
    assert buffer.flush() == 1
