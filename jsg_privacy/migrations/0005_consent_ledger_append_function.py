"""A PostgreSQL function that appends one ledger record in a single round trip.

It takes the ledger's advisory lock, reads the newest hash, hashes it with the record's canonical
JSON (computed in Python) and inserts the row, all inside the caller's transaction. Each statement of
a PL/pgSQL function takes a fresh snapshot, so the newest hash read after the lock is the one the
previous writer committed. Other databases append from Python (jsg_privacy.consent.ledger).
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: A RunPython function.
Operation = Callable[[StateApps, BaseDatabaseSchemaEditor], None]

UP = """
CREATE OR REPLACE FUNCTION jsg_privacy_ledger_append(
    p_lock bigint, p_created_at timestamptz, p_subject_key text, p_purpose text, p_action text,
    p_channel text, p_medium text, p_version text, p_notice_version text, p_linked_key text,
    p_canonical text
) RETURNS TABLE (r_id bigint, r_prev_hash varchar, r_hash varchar)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    v_prev varchar(64);
    v_hash varchar(64);
    v_id bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(p_lock);
    SELECT c.hash INTO v_prev FROM jsg_privacy_consentrecord c ORDER BY c.id DESC LIMIT 1;
    v_prev := COALESCE(v_prev, repeat('0', 64));
    v_hash := encode(sha256(convert_to(v_prev || p_canonical, 'UTF8')), 'hex');
    INSERT INTO jsg_privacy_consentrecord (
        created_at, subject_key, purpose, action, channel, medium, version, notice_version,
        linked_key, prev_hash, hash
    ) VALUES (
        p_created_at, p_subject_key, p_purpose, p_action, p_channel, p_medium, p_version,
        p_notice_version, p_linked_key, v_prev, v_hash
    ) RETURNING id INTO v_id;
    RETURN QUERY SELECT v_id, v_prev, v_hash;
END;
$$;
"""
DOWN = "DROP FUNCTION IF EXISTS jsg_privacy_ledger_append(bigint, timestamptz, text, text, text, text, text, text, text, text, text);"


def run(sql: str) -> Operation:
    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders, "%" is literal

    return apply


class Migration(migrations.Migration):
    dependencies = [("jsg_privacy", "0004_marketing_consent_and_suppression")]

    operations = [migrations.RunPython(run(UP), run(DOWN))]
