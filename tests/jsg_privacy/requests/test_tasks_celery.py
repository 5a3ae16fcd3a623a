"""Exports and erasures run as tasks: by a Celery worker through Redis, or inline, to the same end.

Each test runs twice, with ``JSG_PRIVACY_TASK_RUNNER = "inline"`` and ``"celery"``: the same code
queues the task with ``tasks.enqueue()`` when the request is committed, and checks what the
requester and staff would see afterwards.

The Celery runs start a real worker process, ``celery -A example_shop worker --pool=solo``, on a
Redis database of its own (``JSG_TEST_CELERY_BROKER_URL``, default ``redis://127.0.0.1:6379/15``),
on a queue named after this process, so that two runs on one machine never take each other's
tasks. The worker reads and writes the test's rows, so both processes need the
same database: the worker gets a settings module written for it here (``tests.settings`` with the
test database, and export files in a directory both processes use instead of memory). SQLite's test
database lives in this process's memory, so on SQLite the Celery runs are skipped and only the
inline runs take place; CI runs the whole suite twice on PostgreSQL, where the Celery runs take
place too. Without Redis they are skipped, except in CI (``CI`` set), where that is a failure.
"""

import json
import os
import re
import secrets
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from example_shop.factories import OrderFactory, UserFactory
from example_shop.orders.models import Order
from jsg_privacy import tasks
from jsg_privacy.consent import ledger
from jsg_privacy.crypto import subjects
from jsg_privacy.requests import cases, identity, service
from jsg_privacy.requests.models import Case, Status

celery_app = pytest.importorskip("example_shop.celery").app
redis = pytest.importorskip("redis")

pytestmark = pytest.mark.django_db(transaction=True)  # the worker sees only committed rows

ROOT = Path(__file__).resolve().parents[3]
BROKER_URL = os.environ.get("JSG_TEST_CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
TIMEOUT = 60
#: A queue of this test run's own: two runs on one machine (or one Redis) never take each other's tasks.
# Unique per run, not just per process: a worker left over from an earlier run whose process id
# the system reused must never take this run's tasks.
RUN = f"{os.getpid()}-{secrets.token_hex(4)}"
QUEUE = f"jsg-tests-{RUN}"
WORKER_SETTINGS = '''"""Written by test_tasks_celery for its Celery worker: the test database, shared files."""
import json
import os

from tests.settings import *  # noqa: F403

DATABASES = {"default": json.loads(os.environ["JSG_TEST_WORKER_DATABASE"])}
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ["JSG_TEST_WORKER_MEDIA"]},
    },
}
JSG_PRIVACY_TASK_RUNNER = "celery"
CELERY_TASK_DEFAULT_QUEUE = os.environ["JSG_TEST_WORKER_QUEUE"]  # for tasks queued by tasks
JSG_PRIVACY_SALEOR_INBOX_URL = os.environ["JSG_TEST_WORKER_INBOX_URL"]
JSG_PRIVACY_SALEOR_INBOX_PREFIX = os.environ["JSG_TEST_WORKER_INBOX_PREFIX"]
'''
#: The Saleor App's Redis inbox the worker drains (tests/jsg_privacy/saleor/test_inbox_worker.py).
INBOX_URL = os.environ.get("JSG_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
INBOX_PREFIX = f"jsg_tests_worker_{RUN}"


class Worker:
    """A Celery worker process, and where its log goes."""

    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def output(self, since: int = 0) -> str:
        with self.log.open("rb") as log:
            log.seek(since)
            return log.read().decode(errors="replace")

    def ran(self, task, since: int) -> bool:
        """Whether the log shows ``task`` run to its end after offset ``since`` of the log."""
        pattern = rf"Task {re.escape(task.name)}\[[\w-]+\] succeeded"
        return re.search(pattern, self.output(since)) is not None

    def check(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"the Celery worker exited ({self.process.returncode}):\n{self.output()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def unavailable(reason: str) -> None:
    if os.environ.get("CI"):  # CI has Redis: a skipped Celery run there is a failure
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def export_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("exports")


@pytest.fixture(scope="module")
def celery_worker(django_db_setup, export_dir, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the Celery worker is another process and SQLite's test database is in this one's "
            "memory: run with DATABASE_URL=postgres://... (CI does)"
        )
    broker = redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3)
    try:
        broker.delete(QUEUE)
    except redis.RedisError as error:
        unavailable(f"Redis is unreachable at {BROKER_URL}: {error}")
    here = tmp_path_factory.mktemp("worker")
    (here / "celery_worker_settings.py").write_text(WORKER_SETTINGS)
    keys = ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT", "OPTIONS")
    database = {key: connection.settings_dict[key] for key in keys} | {"CONN_MAX_AGE": 0}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "celery_worker_settings",
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(here), str(ROOT), os.getenv("PYTHONPATH")])
        ),
        "CELERY_BROKER_URL": BROKER_URL,
        "PYTHONUNBUFFERED": "1",  # its log is read while it runs
        "JSG_TEST_WORKER_DATABASE": json.dumps(database),  # NAME is the test database's
        "JSG_TEST_WORKER_MEDIA": str(export_dir),
        "JSG_TEST_WORKER_QUEUE": QUEUE,
        "JSG_TEST_WORKER_INBOX_URL": INBOX_URL,
        "JSG_TEST_WORKER_INBOX_PREFIX": INBOX_PREFIX,
    }
    log = here / "worker.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
            [
                *(sys.executable, "-m", "celery", "-A", "example_shop", "worker"),
                *("--pool=solo", "--loglevel=INFO", f"--hostname={QUEUE}@%h", "-Q", QUEUE),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    worker = Worker(process, log)
    try:
        yield worker
    finally:
        worker.stop()
        broker.delete(QUEUE, *broker.keys(f"_kombu.binding*{QUEUE}"))
        broker.close()


class Runner:
    """Waits for a queued task: on the Celery ``worker``, or (without one) not at all: inline."""

    def __init__(self, worker: Worker | None = None) -> None:
        self.worker = worker
        self.log_start = worker.log.stat().st_size if worker else 0

    def finished(self, case: Case, task) -> Case:
        """The case once ``task`` has finished: at once inline, within TIMEOUT seconds on Celery.

        On Celery, the worker's log must also show that it ran the task.
        """
        deadline = time.monotonic() + TIMEOUT
        while True:
            case.refresh_from_db()
            if self.worker is None:
                return case
            done = case.status in (Status.COMPLETED, Status.FAILED)
            if done and self.worker.ran(task, since=self.log_start):
                return case
            self.worker.check()
            if time.monotonic() > deadline:
                pytest.fail(
                    f"{case.reference} is {case.status} after {TIMEOUT} s; worker log:\n"
                    f"{self.worker.output(self.log_start)}"
                )
            time.sleep(0.1)


@pytest.fixture
def shared_storage(settings, export_dir):
    """Export files on disk, where the worker process finds them too."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(export_dir)},
        },
    }


@pytest.fixture
def on_celery(request, settings, shared_storage, monkeypatch):
    worker = request.getfixturevalue("celery_worker")
    settings.JSG_PRIVACY_TASK_RUNNER = "celery"
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER_URL)  # Celery reads it before its settings
    monkeypatch.setitem(celery_app.conf, "task_default_queue", QUEUE)
    celery_app.close()  # no connection to another broker left in the pool
    yield Runner(worker)
    celery_app.close()


@pytest.fixture
def inline(settings, shared_storage):
    settings.JSG_PRIVACY_TASK_RUNNER = "inline"
    return Runner()


@pytest.fixture(params=["inline", "celery"])
def runner(request):
    return request.getfixturevalue("on_celery" if request.param == "celery" else "inline")


def customer_with_orders(count=2):
    user = UserFactory()
    orders = OrderFactory.create_batch(
        count, user=user, email=user.email, invoiced_at=timezone.now()
    )
    ledger.append(
        subject_key=subjects.for_user(user), purpose="marketing", action="given", channel="signup"
    )
    identity.record_proof(user, user.email, identity.BY_LINK)  # their address is proven
    return user, orders


def verified_case(kind, user):
    return cases.open_case(
        kind=kind, email=user.email, user=user, channel="account", identity_check="test"
    )


def queue(task, case):
    """Queue ``task`` for ``case`` as a request view would: inside the transaction that commits it."""
    with transaction.atomic():
        tasks.enqueue(task, case.pk)
        assert Case.objects.get(pk=case.pk).status == Status.OPEN  # nothing runs before commit


def exported(case):
    """The ``data.json`` of the case's stored export file."""
    file = case.exports.get()
    with service.storage().open(file.name) as handle, zipfile.ZipFile(handle) as archive:
        return json.loads(archive.read("data.json"))


def records(data, key):
    return next(s["records"] for s in data["sources"] if s["key"] == key)


def test_an_access_request_is_exported_by_the_task(runner):
    user, orders = customer_with_orders()
    other, _ = customer_with_orders()
    case = verified_case("access", user)

    queue(tasks.export_case, case)

    case = runner.finished(case, tasks.export_case)
    assert case.status == Status.COMPLETED, case.failure_reason
    assert case.outcome["rows"]["orders.Order"] == 2
    assert case.outcome["consent_records"] == 1
    assert case.exports.get().available
    data = exported(case)
    assert data["subject"] == {"user_id": user.pk, "email": user.email}
    assert sorted(r["mpan"] for r in records(data, "orders.Order")) == sorted(
        o.mpan for o in orders
    )
    assert [r["purpose"] for r in data["consent_history"]] == ["marketing"]
    assert other.email not in json.dumps(data)
    assert list(case.events.values_list("action", flat=True))[-1] == "completed"


def test_an_erasure_request_is_carried_out_by_the_task(runner):
    user, orders = customer_with_orders(1)
    case = verified_case("erasure", user)

    queue(tasks.erase_case, case)

    case = runner.finished(case, tasks.erase_case)
    assert case.status == Status.COMPLETED, case.failure_reason
    steps = {step["source"]: step for step in case.outcome["steps"]}
    assert steps["auth.User"]["deleted"] == 1
    assert steps["orders.Order"]["held"] == 1
    assert not get_user_model().objects.filter(pk=user.pk).exists()
    held = Order.objects.get(pk=orders[0].pk)
    assert held.full_name == orders[0].full_name  # kept for the VAT invoice
    assert held.mpan == ""
    assert case.email == user.email  # the request's own record stays as proof


def test_the_worker_and_an_inline_run_export_the_same_data(on_celery, settings):
    user, _ = customer_with_orders(3)
    by_worker, by_inline = verified_case("access", user), verified_case("portability", user)

    queue(tasks.export_case, by_worker)
    by_worker = on_celery.finished(by_worker, tasks.export_case)
    settings.JSG_PRIVACY_TASK_RUNNER = "inline"
    queue(tasks.export_case, by_inline)
    by_inline.refresh_from_db()

    assert by_worker.status == by_inline.status == Status.COMPLETED
    assert by_worker.outcome == by_inline.outcome
    worker_data, inline_data = exported(by_worker), exported(by_inline)
    del worker_data["generated_at"], inline_data["generated_at"]
    worker_sources = {source["key"] for source in worker_data["sources"]}
    inline_sources = {source["key"] for source in inline_data["sources"]}
    assert worker_sources == inline_sources, (
        f"only the worker: {worker_sources - inline_sources}; "
        f"only inline: {inline_sources - worker_sources}"
    )
    assert worker_data == inline_data


def test_a_queued_message_shows_ids_but_never_the_personal_data_in_its_arguments(settings):
    """``argsrepr`` is what Flower and worker logs print: e-mail addresses must not be in it."""
    from celery import Celery

    app = Celery("jsg_argsrepr", broker="memory://", set_as_current=False)

    @app.task(name="jsg_privacy.tests.handle")
    def handle(case_id, data):
        return case_id

    settings.JSG_PRIVACY_TASK_RUNNER = "celery"
    tasks.enqueue(handle, 42, {"email": "ann@example.org"})
    with app.connection_for_write() as connection:
        message = connection.SimpleQueue("celery").get(timeout=2)
    assert message.headers["argsrepr"] == "(42, '…')"
    assert "ann@example.org" not in str(message.headers)
    assert message.decode()[0] == [42, {"email": "ann@example.org"}]  # the worker still gets it
    message.ack()
