"""Make the consent ledger append-only in the database too, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE of ledger rows (TRUNCATE, used by test teardown and by a
deliberate reset, stays possible). SQLite refuses UPDATE; DELETE stays refused by the ORM only,
because Django's test flush deletes rows on SQLite.
"""

from collections.abc import Callable

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

#: A RunPython function.
Operation = Callable[[StateApps, BaseDatabaseSchemaEditor], None]

TABLE = "jsg_privacy_consentrecord"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION jsg_privacy_ledger_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'jsg_privacy: consent records are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER jsg_privacy_ledger_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION jsg_privacy_ledger_refuse();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS jsg_privacy_ledger_append_only ON {TABLE};
DROP FUNCTION IF EXISTS jsg_privacy_ledger_refuse();
"""
SQLITE_UP = f"""
CREATE TRIGGER jsg_privacy_ledger_no_update BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'jsg_privacy: consent records are append-only (UPDATE refused)'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS jsg_privacy_ledger_no_update;"


def run(sql_by_vendor: dict[str, str]) -> Operation:
    def apply(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql, None)  # None: no placeholders, "%" is literal

    return apply


class Migration(migrations.Migration):
    dependencies = [("jsg_privacy", "0002_consent_ledger")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        )
    ]
