"""The keyed consent ledger: lanes, positions and key ids, and PostgreSQL's lane reservation.

Existing records keep their unkeyed SHA-256 chain (NULL lane, position and key id) and still verify:
they are the legacy chain, which every lane's first record binds. The columns are nullable and have
no default, so SQLite adds them with ALTER TABLE instead of rebuilding the table (which would drop
its append-only trigger); the unique (lane, position) constraint is partial for the same reason.

On PostgreSQL, ``jsg_privacy_ledger_append`` (migration 0005) is replaced by
``jsg_privacy_ledger_reserve``: it takes the first free lane's advisory lock (waiting only when all
lanes are busy), and returns the lane, the next id and the lane's newest position and hash, all read
after the lock. The record's HMAC is computed in Python, so the key never reaches the database.
"""

import importlib
from collections.abc import Callable
from typing import Any

from django.db import migrations, models

APPEND_FUNCTION = importlib.import_module(
    "jsg_privacy.migrations.0005_consent_ledger_append_function"
).UP

RESERVE = """
CREATE OR REPLACE FUNCTION jsg_privacy_ledger_reserve(p_lock bigint, p_lanes integer)
RETURNS TABLE (r_lane integer, r_id bigint, r_position bigint, r_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_lane integer := -1;
BEGIN
    FOR i IN 0 .. p_lanes - 1 LOOP
        IF pg_try_advisory_xact_lock(p_lock + i) THEN
            v_lane := i;
            EXIT;
        END IF;
    END LOOP;
    IF v_lane < 0 THEN
        v_lane := pg_backend_pid() % p_lanes;
        PERFORM pg_advisory_xact_lock(p_lock + v_lane);
    END IF;
    RETURN QUERY
        SELECT v_lane,
               nextval(pg_get_serial_sequence('jsg_privacy_consentrecord', 'id')),
               head.position::bigint,
               head.hash
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (
            SELECT c.position, c.hash FROM jsg_privacy_consentrecord c
            WHERE c.lane = v_lane ORDER BY c.position DESC LIMIT 1
        ) AS head ON true;
END;
$$;
DROP FUNCTION IF EXISTS jsg_privacy_ledger_append(bigint, timestamptz, text, text, text, text, text, text, text, text, text);
"""
UNRESERVE = (
    "DROP FUNCTION IF EXISTS jsg_privacy_ledger_reserve(bigint, integer);\n" + APPEND_FUNCTION
)


def run(sql: str) -> Callable[[Any, Any], None]:
    def apply(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders, "%" is literal

    return apply


class Migration(migrations.Migration):
    dependencies = [("jsg_privacy", "0013_undeclared_cookies")]

    operations = [
        migrations.AddField(
            model_name="consentrecord",
            name="lane",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="lane"),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="position",
            field=models.PositiveBigIntegerField(
                editable=False, null=True, verbose_name="position in lane"
            ),
        ),
        migrations.AddField(
            model_name="consentrecord",
            name="key_id",
            field=models.CharField(editable=False, max_length=16, null=True, verbose_name="key id"),
        ),
        migrations.AddIndex(
            model_name="consentrecord",
            index=models.Index(
                condition=models.Q(("lane__isnull", True)),
                fields=["id"],
                name="jsg_consent_legacy_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="consentrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("lane__isnull", False)),
                fields=("lane", "position"),
                name="jsg_consent_lane_position",
            ),
        ),
        migrations.RunPython(run(RESERVE), run(UNRESERVE)),
    ]
