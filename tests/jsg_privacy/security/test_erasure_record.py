"""No erasure without its record: a process killed mid-erasure never leaves a subject erased with
nothing for ``privacy_replay_erasures`` to re-apply after a restore from backup.

Each test runs a verified erasure case (``service.run_erasure``) in a child process against a real
database — a SQLite file, or a PostgreSQL database of its own when the suite runs on PostgreSQL —
and the child SIGKILLs itself at one point. The kill points live in the child script below, which
wraps the function it is told to die around: nothing in jsg_privacy can be made to crash from
outside. The test then reads what the killed process left in the database, lets a retry finish an
erasure that did not happen, restores the subject's rows from a backup taken before, and runs the
replay command: the subject is erased again.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg
import pytest
from django.conf import settings
from django.utils import timezone
from psycopg import sql

ROOT = Path(__file__).resolve().parents[3]

#: Where the child dies: (module, function, "before" or "after" the call).
KILL_POINTS = {
    "after the erasure's SQL": ("jsg_privacy.flows.erase", "erase", "after"),
    "before the record is written": ("jsg_privacy.audit.replay", "record_erasure", "before"),
    "after the record is written": ("jsg_privacy.audit.replay", "record_erasure", "after"),
    # The case's last step in the erasure's transaction: completed, or waiting for recipients.
    "after the case is settled": ("jsg_privacy.requests.recipients", "settle", "after"),
}

CHILD = r"""
import importlib, json, os, signal, sys
from pathlib import Path

import django

django.setup()

from django.core import serializers

from example_shop.factories import OrderFactory, QuoteRequestFactory, UserFactory
from jsg_privacy.audit.models import ErasureRecord
from jsg_privacy.requests import cases, service

command, *args = sys.argv[1:]

if command == "prepare":  # args: backup folder, then one name per test
    folder, names = Path(args[0]), args[1:]
    made = {}
    for name in names:
        ann = UserFactory(email=f"{name}@example.org")
        OrderFactory(user=ann, invoiced_at=None)
        # Found through the account (an e-mail-matched row may need the address proven first),
        # and deleted by the erasure itself, not by a cascade from the account.
        quote = QuoteRequestFactory(user=ann, email=ann.email)
        bob = UserFactory(email=f"{name}.bob@example.org")
        QuoteRequestFactory(user=bob, email=bob.email)
        case = cases.open_case(
            kind="erasure", email=ann.email, user=ann, channel="account", identity_check="logged in"
        )
        rows = [ann, ann.customer_profile, *ann.orders.all(), quote]
        rows += [line for order in ann.orders.all() for line in order.lines.all()]
        (folder / f"{name}.json").write_text(serializers.serialize("json", rows))
        made[name] = {
            "case": case.pk, "reference": case.reference, "ann": ann.pk, "bob": bob.pk,
            "quote": quote.pk,
        }
    tables = {
        "user": ann._meta.db_table, "quote": quote._meta.db_table,
        "case": case._meta.db_table, "record": ErasureRecord._meta.db_table,
    }
    print(json.dumps({"subjects": made, "tables": tables}))

elif command == "erase":  # args: case id, then optionally module, function, before|after
    if len(args) > 1:
        module, name, when = importlib.import_module(args[1]), args[2], args[3]
        original = getattr(module, name)

        def dying(*a, **kw):
            if when == "before":
                os.kill(os.getpid(), signal.SIGKILL)
            result = original(*a, **kw)
            os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(module, name, dying)
    service.run_erasure(int(args[0]))
"""


def child(url, *args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": url}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def django_admin(url, *args):
    done = child(url, "-m", "django", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Database:
    """A database of the suite's engine, outside pytest-django's, for the child processes."""

    def __init__(self, tmp, suffix="_kill"):
        self.postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
        if self.postgres:
            # Named after the suite's database, so runs on different databases of one server
            # do not collide.
            suite = dj_database_url.parse(os.environ["DATABASE_URL"])
            self.name = f"{suite['NAME']}{suffix}"
            self.server = {
                "host": suite["HOST"] or "localhost",
                "port": suite["PORT"] or 5432,
                "user": suite["USER"] or None,
                "password": suite["PASSWORD"] or None,
            }
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._admin("CREATE DATABASE {}")
            self.url = urlunsplit(urlsplit(os.environ["DATABASE_URL"])._replace(path=self.name))
        else:
            self.path = tmp / "shop.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def _admin(self, statement):
        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as conn:
            conn.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def drop(self):
        if self.postgres:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def value(self, select, table, column, value):
        """Read ``select`` (a column, or COUNT(*)) of ``table`` where ``column`` is ``value``."""
        query = f"SELECT {select} FROM {table} WHERE {column} = %s"  # noqa: S608 - models' own names
        if self.postgres:
            with psycopg.connect(dbname=self.name, **self.server) as conn:
                return conn.execute(query, (value,)).fetchone()[0]
        with closing(sqlite3.connect(self.path)) as conn:  # rolls back what a killed writer left
            return conn.execute(query.replace("%s", "?"), (value,)).fetchone()[0]


@pytest.fixture(scope="module")
def shop(tmp_path_factory):
    """A migrated database with one subject to erase (and a bystander) per kill point."""
    tmp = tmp_path_factory.mktemp("killed-erasure")
    database = Database(tmp)
    try:
        django_admin(database.url, "migrate", "--skip-checks", "-v0")
        names = [f"ann{i}" for i in range(len(KILL_POINTS) + 1)]
        made = child(database.url, "-c", CHILD, "prepare", str(tmp), *names)
        assert made.returncode == 0, made.stderr
        yield database, tmp, json.loads(made.stdout)
    finally:
        database.drop()


def state(database, tables, subject):
    """(erased, recorded, completed or waiting for recipients) for ``subject``, as held now."""
    user = database.value("COUNT(*)", tables["user"], "id", subject["ann"])
    quote = database.value("COUNT(*)", tables["quote"], "id", subject["quote"])
    assert user == quote, "half an erasure: the account and the quote request disagree"
    records = database.value("COUNT(*)", tables["record"], "case_reference", subject["reference"])
    status = database.value("status", tables["case"], "id", subject["case"])
    assert database.value("COUNT(*)", tables["user"], "id", subject["bob"]) == 1, "Bob was erased"
    return user == 0, records > 0, status in ("completed", "waiting")


NOTHING = (False, False, False)
EVERYTHING = (True, True, True)


def erase_restore_replay(shop, index, kill_point=None):
    database, tmp, made = shop
    subject, tables = made["subjects"][f"ann{index}"], made["tables"]
    erasing = ["-c", CHILD, "erase", str(subject["case"])]

    done = child(database.url, *erasing, *(KILL_POINTS[kill_point] if kill_point else ()))

    if kill_point:
        assert done.returncode == -signal.SIGKILL, done.stderr
        left = state(database, tables, subject)
        assert left != (True, False, False), f"killed {kill_point}: erased without its record"
        assert left in (NOTHING, EVERYTHING), f"killed {kill_point}: left {left}"
        if left == NOTHING:  # the case is still open: a retry (Celery's acks_late, staff) runs it
            done = child(database.url, *erasing)
    assert done.returncode == 0, done.stderr
    assert state(database, tables, subject) == EVERYTHING

    django_admin(database.url, "loaddata", str(tmp / f"ann{index}.json"))  # the restore
    assert state(database, tables, subject)[0] is False, "the restore brought the subject back"
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    out = django_admin(database.url, "privacy_replay_erasures", "--since", since, "--skip-checks")

    assert subject["reference"] in out
    assert state(database, tables, subject) == EVERYTHING


@pytest.mark.parametrize("kill_point", list(KILL_POINTS))
@pytest.mark.slow
def test_a_killed_erasure_is_all_or_nothing_and_a_restore_is_erased_again(shop, kill_point):
    erase_restore_replay(shop, list(KILL_POINTS).index(kill_point), kill_point)


@pytest.mark.slow
def test_an_erasure_that_is_not_killed_is_recorded_and_replayed(shop):
    erase_restore_replay(shop, len(KILL_POINTS))
