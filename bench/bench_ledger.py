"""Consent ledger appends from 4 concurrent writers against plain INSERTs of the same rows, on PostgreSQL.

An append reserves a lane (its advisory lock, its newest position and hash, the next id), signs the
record with the ledger key (HMAC-SHA256, in Python) and inserts it, in its own transaction; every
``JSG_PRIVACY_LEDGER_CHECKPOINT_EVERY`` records of a lane the appending writer then checks the lane
heads and writes a signed checkpoint file, inside the timed rounds. The baseline inserts the same
rows, one ORM ``create()`` each (autocommit), into a copy of the ledger's table (same columns,
unique constraints and indexes) with precomputed unique hashes. Throughput is rows per second from
the moment all writers are connected and released together until the last one finishes; the rounds
alternate which side goes first. The first checkpoint (which verifies the whole ledger) is taken
before the rounds, as a shop takes it once after upgrading. Afterwards the whole ledger must verify
against the latest checkpoint.

Two more figures are what a checkpoint costs against the 1,000 appends (4 writers) before it: the
one the writers take (each lane's newest record, a few indexed reads) and ``privacy_ledger_checkpoint``
(which verifies every new record).

SQLite has no concurrent writers, so this runs in a process of its own on the dedicated database
``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/jsg_bench``), created if missing
and migrated; without a reachable PostgreSQL it prints why and measures nothing.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.runner import Figure, quartiles, verdict

WRITERS = 4
ROUNDS = 15
ROWS_PER_WRITER = 100
TARGET = 0.8
CHECKPOINT_ROUNDS = 3
PLAIN_TABLE = "bench_plain_consentrecord"
NAME = f"consent ledger appends, {WRITERS} concurrent writers on PostgreSQL / plain INSERTs"


def run() -> list[Figure]:
    env = {**os.environ, "JSG_BENCH_POSTGRES": "1"}
    env.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_ledger"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"bench_ledger failed:\n{completed.stdout}{completed.stderr}")
    return [Figure(*line.split(": ", 1)) for line in completed.stdout.splitlines() if ": " in line]


# In the PostgreSQL process ----------------------------------------------------------------------


def ensure_database(url: str) -> str | None:
    """Create the database named in ``url`` if missing; the reason it cannot be reached, or None."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    db = dj_database_url.parse(url)
    if db["ENGINE"] != "django.db.backends.postgresql":
        return f"BENCH_DATABASE_URL is not a PostgreSQL URL ({db['ENGINE']})"
    where = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    try:
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            connect_timeout=5,
            autocommit=True,
        ) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
            ).fetchone()
            if not exists:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
    except psycopg.Error as error:
        return f"PostgreSQL is unreachable at {where} ({str(error).strip().splitlines()[0]})"
    return None


def plain_model() -> Any:
    """A model with the ledger's columns, unique constraints and indexes, and none of its logic."""
    from django.db import models

    from jsg_privacy.consent.models import ConsentRecord

    meta = type(
        "Meta",
        (),
        {
            "app_label": "jsg_privacy",
            "db_table": PLAIN_TABLE,
            "indexes": [
                models.Index(
                    fields=["subject_key", "purpose", "id"], name="bench_plain_subject_idx"
                )
            ],
        },
    )
    fields = {f.name: f.clone() for f in ConsentRecord._meta.local_fields if not f.primary_key}
    return type(
        "BenchPlainRecord", (models.Model,), {"__module__": __name__, "Meta": meta, **fields}
    )


def rows(count: int, notice_version: str) -> list[dict[str, Any]]:
    from jsg_privacy.crypto import subjects

    return [
        {
            "subject_key": subjects.for_consent_id(secrets.token_urlsafe(16)),
            "purpose": ("analytics", "marketing")[i % 2],
            "action": ("given", "refused")[i % 3 == 0],
            "channel": "banner",
            "version": secrets.token_hex(6),
            "notice_version": notice_version,
        }
        for i in range(count)
    ]


def writers(write: Callable[[dict[str, Any]], object], work: list[list[dict[str, Any]]]) -> float:
    """Rows per second for ``len(work)`` threads, each writing its list of rows with ``write``."""
    from django.db import connection, connections

    ready = threading.Barrier(len(work) + 1, timeout=60)
    finished: list[float] = []
    errors: list[BaseException] = []

    def writer(mine: list[dict[str, Any]]) -> None:
        try:
            connection.ensure_connection()
            ready.wait()
            for row in mine:
                write(row)
            finished.append(time.perf_counter())
        except BaseException as error:
            errors.append(error)
            ready.abort()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(mine,)) for mine in work]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return sum(map(len, work)) / (max(finished) - start)


def measure() -> list[str]:
    from django.conf import settings

    reason = ensure_database(settings.BENCH_DATABASE_URL)
    if reason:
        return [f"{NAME}: skipped: {reason}"]

    import django
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    django.setup()
    call_command("migrate", verbosity=0)
    from jsg_privacy.consent import checkpointing, checkpoints, ledger
    from jsg_privacy.consent.models import ConsentRecord
    from jsg_privacy.notice.versions import built

    notice_version = built()[1]
    plain = plain_model()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN_TABLE}")
    with connection.schema_editor() as editor:
        editor.create_model(plain)

    def append(row: dict[str, Any]) -> object:
        return ledger.append(**row)

    def insert(row: dict[str, Any]) -> object:
        return plain.objects.create(**row)

    def batch() -> list[list[dict[str, Any]]]:
        return [rows(ROWS_PER_WRITER, notice_version) for _ in range(WRITERS)]

    def precomputed(work: list[list[dict[str, Any]]]) -> list[list[dict[str, Any]]]:
        now = timezone.now()
        return [
            [
                {
                    **row,
                    "created_at": now,
                    "prev_hash": secrets.token_hex(32),
                    "hash": secrets.token_hex(32),
                }
                for row in mine
            ]
            for mine in work
        ]

    writers(append, batch())  # warm up both
    writers(insert, precomputed(batch()))
    first = checkpointing.take()  # verifies the whole ledger, as after an upgrade
    if not first.verification.ok:
        return [
            f"{NAME}: skipped: the bench database's ledger does not verify: {first.verification}"
        ]
    before = ConsentRecord.objects.count()
    checkpoints_before = len(checkpoints.names())
    ledger_rates, plain_rates, ratios, self_checks = [], [], [], []
    for round_ in range(ROUNDS):
        work = batch()
        baseline_work = precomputed(work)
        copy_work = precomputed(batch())
        if round_ % 2:
            ledger_rate = writers(append, work)
            plain_rate = writers(insert, baseline_work)
            copy_rate = writers(insert, copy_work)
        else:
            copy_rate = writers(insert, copy_work)
            plain_rate = writers(insert, baseline_work)
            ledger_rate = writers(append, work)
        ledger_rates.append(ledger_rate)
        plain_rates.append(plain_rate)
        ratios.append(ledger_rate / plain_rate)
        self_checks.append(copy_rate / plain_rate)
    appended = ConsentRecord.objects.count() - before
    taken_in_rounds = len(checkpoints.names()) - checkpoints_before
    expected = ROUNDS * WRITERS * ROWS_PER_WRITER
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {PLAIN_TABLE}")

    # What a checkpoint costs against the 1,000 appends before it: the writers' (lane heads only)
    # and privacy_ledger_checkpoint's (verifies each new record).
    costs: dict[bool, list[tuple[float, float]]] = {False: [], True: []}
    for _ in range(CHECKPOINT_ROUNDS):
        for thorough in (False, True):
            checkpointing.take()
            work = [rows(1000 // WRITERS, notice_version) for _ in range(WRITERS)]
            started = time.perf_counter()
            writers(append, work)
            appending = time.perf_counter() - started
            started = time.perf_counter()
            taken = checkpointing.take(thorough=thorough)
            spent = time.perf_counter() - started
            if taken.written and taken.verification.ok:
                costs[thorough].append((spent / appending, spent * 1000))

    ratio = statistics.median(ratios)
    verification = ledger.verify()
    chain = (
        f"the ledger verifies against {verification.checkpoint or 'no checkpoint'}: "
        f"{verification.checked} records checked, "
        f"{appended} appended by this run (expected {expected})"
        if verification.ok and appended == expected
        else f"BROKEN: {appended} of {expected} appended; first bad record "
        f"#{verification.first_broken}: {verification.reason}"
    )
    low, high = quartiles(ratios)
    lines = [
        f"{NAME}: {ratio:.2f}x the throughput (median {statistics.median(ledger_rates):.0f} vs "
        f"{statistics.median(plain_rates):.0f} rows/s; middle half of rounds {low:.2f}-{high:.2f}x, "
        f"all {min(ratios):.2f}-{max(ratios):.2f}x; self-check plain/plain "
        f"{statistics.median(self_checks):.2f}x; {ROUNDS} interleaved rounds x {WRITERS} writers "
        f"x {ROWS_PER_WRITER} rows; keyed chain, {taken_in_rounds} checkpoints taken by the "
        f"writers); {verdict(ratio, TARGET, at_most=False)}",
        f"consent ledger after the concurrent appends: {chain}",
    ]
    for thorough, label in (
        (False, "consent ledger checkpoint after appends (lane heads, as the writers take it)"),
        (True, "privacy_ledger_checkpoint (verifies each new record)"),
    ):
        measured = costs[thorough]
        if not measured:
            lines.append(f"{label}: not measured (no checkpoint written)")
            continue
        lines.append(
            f"{label} / the 1000 appends before it: "
            f"{statistics.median(r for r, _ in measured):.3f}x the time (median "
            f"{statistics.median(ms for _, ms in measured):.1f} ms, {len(measured)} rounds)"
        )
    return lines


if __name__ == "__main__":
    os.environ["JSG_BENCH_POSTGRES"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    for line in measure():
        print(line, flush=True)
