"""Enforcing retention over many expired enquiries against one hand-written SQL DELETE of the same rows.

The rows are enquiries answered two years ago (the rule deletes them 30 days after the answer),
bulk-inserted (COPY on PostgreSQL, executemany on SQLite). The engine deletes them in batches of
``engine.BATCH`` primary keys, one transaction each, logging every batch in its run; the baseline
is ``DELETE FROM enquiries_enquiry WHERE answered_at <= %s`` in one statement. Both sides start
from the same rows in the same run (engine first, then the baseline on a fresh copy). Memory: the
engine runs again over a fifth of the rows under ``tracemalloc``; its peak does not grow with the
table because only one batch of primary keys is held at a time.

SQLite runs in this process with ``JSG_BENCH_RETENTION_ROWS`` rows (default 200,000); PostgreSQL
runs in a process of its own on ``BENCH_DATABASE_URL`` with ``JSG_BENCH_RETENTION_PG_ROWS`` rows
(default 1,000,000); ``JSG_BENCH_RETENTION_ROUNDS`` rounds (default 3). ``python -m bench.bench_retention`` alone measures the database configured.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.runner import Figure, verdict

TARGET = 1.2
SQLITE_ROWS = int(os.environ.get("JSG_BENCH_RETENTION_ROWS", "200000"))
POSTGRES_ROWS = int(os.environ.get("JSG_BENCH_RETENTION_PG_ROWS", "1000000"))
MB = 1024 * 1024
CHUNK = 50_000
INSERT_SQL = (
    "INSERT INTO enquiries_enquiry "
    "(name, name_digest, email, email_digest, phone, subject, message, created_at, answered_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
ROUNDS = int(os.environ.get("JSG_BENCH_RETENTION_ROUNDS", "3"))
COLUMNS = (
    "name",
    "name_digest",
    "email",
    "email_digest",
    "phone",
    "subject",
    "message",
    "created_at",
    "answered_at",
)


def run() -> list[Figure]:
    figures = measure(SQLITE_ROWS) if os.environ.get("JSG_BENCH_POSTGRES") != "1" else []
    return figures + on_postgres()


def on_postgres() -> list[Figure]:
    env = {**os.environ, "JSG_BENCH_POSTGRES": "1", "DJANGO_SETTINGS_MODULE": "bench.settings"}
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_retention"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    if completed.returncode:
        raise RuntimeError(f"bench_retention failed:\n{completed.stdout}{completed.stderr}")
    return [Figure(*line.split(": ", 1)) for line in completed.stdout.splitlines() if ": " in line]


def insert_expired(count: int) -> Any:
    """``count`` enquiries answered two years ago; returns the cutoff the rule deletes them by."""
    from django.db import connection, transaction
    from django.utils import timezone

    from jsg_privacy.crypto.fields import digest
    from jsg_privacy.crypto.keys import encrypt

    answered = timezone.now() - timedelta(days=730)
    created = answered - timedelta(hours=5)
    # Encrypted columns hold tokens as the shop writes them (one token per constant, so that
    # encrypting a million values does not dominate the set-up).
    email, phone = encrypt("bench@example.net"), encrypt("01632 960001")
    email_digest = digest("email", "bench@example.net")
    name, name_digest = encrypt("Bench Enquirer"), digest("name", "Bench Enquirer")
    message = encrypt("We have 25 mm tails into the board. Would a 100/5 A split-core CT fit?")
    rows = (
        (
            name,
            name_digest,
            email,
            email_digest,
            phone,
            "Which CT do I need for a 100 A supply?",
            message,
            created,
            answered + timedelta(seconds=n % 86400),
        )
        for n in range(count)
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(
                f"COPY enquiries_enquiry ({', '.join(COLUMNS)}) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            # Fixed column names; the values are parameters.
            sql = INSERT_SQL
            batch: list[tuple[Any, ...]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == CHUNK:
                    cursor.executemany(sql, batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE enquiries_enquiry")  # no dead rows of earlier rounds
        settle()
    return answered + timedelta(days=1)


def settle() -> None:
    """Write PostgreSQL's dirty pages out now (a CHECKPOINT), so that the set-up's million rows of
    WAL do not trigger a checkpoint in the middle of whichever side is timed next. Needs a
    superuser (or pg_checkpoint); without one the run goes on, noisier, and says so."""
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        if not UNSETTLED:
            print("(CHECKPOINT refused: the figures may include checkpoints)", file=sys.stderr)
        UNSETTLED.append(True)


UNSETTLED: list[bool] = []


def hand_written_delete(cutoff: Any) -> int:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM enquiries_enquiry WHERE answered_at <= %s", [cutoff])
        return cursor.rowcount


def enforce(expected: int) -> None:
    from jsg_privacy.retention import engine

    run = engine.enforce(warn=False)
    deleted = run.counts["enquiries.Enquiry"]["deleted"]
    assert not run.errors, run.errors
    assert deleted == expected, deleted


def timed(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def heap_peak(fn: Any) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        fn()
        return (tracemalloc.get_traced_memory()[1] - before) / MB
    finally:
        tracemalloc.stop()


def measure(count: int) -> list[Figure]:
    from django.db import connection

    from example_shop.enquiries.models import Enquiry
    from jsg_privacy.retention import engine

    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite (temporary file)"
    Enquiry.objects.all().delete()  # a database that outlives runs starts empty
    engine_times, sql_times = [], []
    for round_ in range(ROUNDS):  # interleaved, alternating which side goes first
        sides = [("engine", engine_times), ("sql", sql_times)]
        for side, times in sides if round_ % 2 == 0 else reversed(sides):
            cutoff = insert_expired(count)
            if side == "engine":
                times.append(timed(lambda: enforce(count)))
            else:
                times.append(timed(lambda cutoff=cutoff: hand_written_delete(cutoff)))
            assert not Enquiry.objects.exists()
    subject, baseline = statistics.median(engine_times), statistics.median(sql_times)
    small = max(count // 5, 1)
    insert_expired(small)
    peak = heap_peak(lambda: enforce(small))
    ratio = subject / baseline
    name = f"retention over {count:,} expired enquiries on {database} / one SQL DELETE"
    return [
        Figure(
            name,
            f"{ratio:.2f}x (median {subject:.2f} s vs {baseline:.2f} s over {ROUNDS} interleaved "
            f"rounds; batches of {engine.BATCH:,}, one transaction each); {verdict(ratio, TARGET)}",
        ),
        Figure(
            f"retention over {small:,} expired enquiries on {database}, peak memory growth",
            f"{peak:.1f} MB of Python heap (tracemalloc), flat in the row count",
        ),
    ]


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if os.environ.get("JSG_BENCH_POSTGRES") == "1":
        from bench.bench_ledger import ensure_database

        problem = ensure_database(
            os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jsg_bench")
        )
        if problem:
            print(f"retention on PostgreSQL: not measured, {problem}")
            sys.exit(0)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    rows = POSTGRES_ROWS if os.environ.get("JSG_BENCH_POSTGRES") == "1" else SQLITE_ROWS
    for figure in measure(rows):
        print(figure, flush=True)
