"""Upgrading to the keyed ledger (migration 0014): records written before it still verify, and the
table stays append-only (SQLite rebuilding the table would have dropped its trigger)."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jsg_privacy.consent import ledger
from jsg_privacy.consent.models import GENESIS, ConsentRecord, lane_genesis
from jsg_privacy.crypto import subjects

BEFORE = ("jsg_privacy", "0013_undeclared_cookies")
ADVISORY_LOCK_ID = 0x6A73_6701


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def append_as_before(purpose, action):
    """One record as jsg_privacy appended them before 0014: an unkeyed SHA-256 chain."""
    record = ConsentRecord(
        created_at=timezone.now(),
        subject_key=subjects.for_consent_id("before-the-upgrade"),
        purpose=purpose,
        action=action,
        channel="banner",
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT r_hash FROM jsg_privacy_ledger_append("
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    ADVISORY_LOCK_ID,
                    record.created_at,
                    record.subject_key,
                    purpose,
                    action,
                    "banner",
                    "",
                    "",
                    "",
                    "",
                    record.canonical(),
                ],
            )
            return cursor.fetchone()[0]
        cursor.execute("SELECT hash FROM jsg_privacy_consentrecord ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        record.prev_hash = row[0] if row else GENESIS
        record.hash = record.compute_hash()
        cursor.execute(
            "INSERT INTO jsg_privacy_consentrecord (created_at, subject_key, purpose, action, "
            "channel, medium, version, notice_version, linked_key, prev_hash, hash) "
            "VALUES (%s, %s, %s, %s, %s, '', '', '', '', %s, %s)",
            [
                connection.ops.adapt_datetimefield_value(record.created_at),
                record.subject_key,
                purpose,
                action,
                "banner",
                record.prev_hash,
                record.hash,
            ],
        )
        return record.hash


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_records_written_before_the_upgrade_still_verify_after_it():
    migrate([BEFORE])
    try:
        append_as_before("analytics", "given")
        head = append_as_before("analytics", "withdrawn")
    finally:
        migrate(None)
    (keyed,) = [
        ledger.append(subject_key="k", purpose="marketing", action="refused", channel="banner")
    ]
    assert keyed.prev_hash == lane_genesis(0, head)
    result = ledger.verify()
    assert result.ok, result
    assert result.checked == 3
    assert list(ConsentRecord.objects.values_list("lane", flat=True)) == [None, None, 0]
    # Still append-only in the database.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE jsg_privacy_consentrecord SET action = 'given' WHERE lane IS NULL")
