"""The keyed ledger's ids on PostgreSQL: time-ordered and computed under the lane's lock, so a writer
that still holds its lane's head appends in one statement.

``jsg_privacy_ledger_reserve`` keeps its signature (a web process still running the previous release
keeps appending through it during a deploy) but returns a time-ordered id instead of the table's
sequence value: the time in units of 100 microseconds, times 64, plus the lane, and always above the
lane's newest id. Ids thus stay in time order across lanes (the newest choice is the highest id) and
in position order within a lane (which verification walks), whether Python or the database computed
them. ``jsg_privacy_ledger_claim`` takes a named lane's lock, without waiting, and says whether that
lane's newest record is still the one a writer expects: ``INSERT ... SELECT ... WHERE claim(...)``
then inserts the record the writer signed against that head, or nothing.

Existing records keep their ids; the new ones are larger. The HMAC is still computed in Python, so
the key never reaches the database.
"""

from collections.abc import Callable
from typing import Any

from django.db import migrations

#: ``jsg_privacy_ledger_reserve``, with ``{id}`` the new record's id and ``{head}`` the head's columns.
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
        SELECT v_lane, {id}, head.position::bigint, head.hash
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (
            SELECT {head} FROM jsg_privacy_consentrecord c
            WHERE c.lane = v_lane ORDER BY c.position DESC LIMIT 1
        ) AS head ON true;
END;
$$;
"""
#: The time in 100-microsecond ticks, times 64, plus the lane, above the lane's newest id. Must
#: match jsg_privacy.consent.ledger.TICK_NS, ID_LANES and next_id().
TIME_ORDERED_ID = (
    "greatest(floor(extract(epoch FROM clock_timestamp()) * 10000)::bigint, "
    "coalesce(head.id / 64 + 1, 0)) * 64 + v_lane"
)
CLAIM = """
CREATE OR REPLACE FUNCTION jsg_privacy_ledger_claim(
    p_lock bigint, p_lane integer, p_position bigint, p_hash varchar
) RETURNS boolean
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    IF NOT pg_try_advisory_xact_lock(p_lock + p_lane) THEN
        RETURN false;
    END IF;
    RETURN EXISTS (
        SELECT 1 FROM (
            SELECT c.position, c.hash FROM jsg_privacy_consentrecord c
            WHERE c.lane = p_lane ORDER BY c.position DESC LIMIT 1
        ) AS head
        WHERE head.position = p_position AND head.hash = p_hash
    );
END;
$$;
"""
FUNCTIONS = RESERVE.format(id=TIME_ORDERED_ID, head="c.id, c.position, c.hash") + CLAIM
#: Back to sequence ids, above every id written meanwhile (ids must keep rising).
PREVIOUS = (
    "DROP FUNCTION IF EXISTS jsg_privacy_ledger_claim(bigint, integer, bigint, varchar);\n"  # noqa: S608 (constants)
    + RESERVE.format(
        id="greatest(nextval(pg_get_serial_sequence('jsg_privacy_consentrecord', 'id')), "
        "(SELECT coalesce(max(m.id), 0) + 1 FROM jsg_privacy_consentrecord m))",
        head="c.position, c.hash",
    )
)


def run(sql: str) -> Callable[[Any, Any], None]:
    def apply(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, None)  # None: no placeholders, "%" is literal

    return apply


class Migration(migrations.Migration):
    dependencies = [("jsg_privacy", "0022_retentionrun_run_permission")]

    operations = [migrations.RunPython(run(FUNCTIONS), run(PREVIOUS))]
