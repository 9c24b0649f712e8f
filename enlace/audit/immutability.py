"""Audit rows are written once and never changed: the database refuses it.

A migration (0006_immutable) installs triggers on the two audit tables (AccessEvent,
ChangeEvent). On PostgreSQL, a BEFORE UPDATE OR DELETE row trigger and a BEFORE TRUNCATE
statement trigger raise an error (SQLSTATE 42501); on SQLite, BEFORE UPDATE and BEFORE DELETE
triggers RAISE(ABORT). So a bug, a hand-written query or an injected statement running as the
application's database role cannot rewrite the history.

The one deliberate way through is `audit_purge()`: inside it, the current transaction may
delete or rewrite audit rows (a retention purge, the anonymisation of a record's history after
a deletion request). On PostgreSQL it sets the transaction-local setting `enlace.audit_purge`
that the trigger reads (`set_config(…, true)`: it ends with the transaction); on SQLite it sets
a flag on the connection that the triggers read through the SQL function enlace_audit_purge().

The triggers guard against a bug or an injected statement. Against someone holding the
application's password they are not enough on their own: any role may set `enlace.audit_purge`.
So on PostgreSQL a separate role owns the tables (it runs `migrate`) and `enlace db_roles`
grants the application's role only SELECT and INSERT on the audit tables: its UPDATE, DELETE or
TRUNCATE fails on the privilege check, before any trigger, whatever it sets (docs/security.en.md).
`audit_purge()` then works only for the owner (retention purges, the test suite's flush).

The application's one door is `enlace.audit.services.changes_redact()`: on PostgreSQL it calls
the function enlace_audit_redact() (audit migration 0007), SECURITY DEFINER and owned by the
owner, which does exactly one thing: replace the values of named fields in one record's change
history with "…" (privacy's anonymisation). It deletes no row and changes no actor, time,
action or record. On SQLite (no roles) it is audit_purge() around the same rewrite, as before."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

AUDIT_TABLES = ("audit_accessevent", "audit_changeevent")
PURGE_SETTING = "enlace.audit_purge"
SQLITE_FUNCTION = "enlace_audit_purge"
_FLAG = "_enlace_audit_purge"
REDACT_FUNCTION = "enlace_audit_redact"
REDACT_SIGNATURE = f"{REDACT_FUNCTION}(text, text, text[])"


def register_sqlite_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created: give every SQLite connection the function its triggers call."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: 1 if getattr(connection, _FLAG, False) else 0
    )


@contextmanager
def audit_purge(using: str = "default") -> Iterator[None]:
    """The only way to delete or rewrite audit rows: a transaction of its own, in which the
    database's triggers let them through. Use it for retention purges and anonymisation only,
    and write what was purged to the ChangeEvent log inside it."""
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting(%s, true)", [PURGE_SETTING])
                before = cursor.fetchone()[0] or ""
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
            yield
            # Inside an outer transaction the setting would last until that one ends: put it
            # back now. (On an exception the savepoint's rollback puts it back.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [PURGE_SETTING, before])
        else:
            setattr(connection, _FLAG, True)
            try:
                yield
            finally:
                setattr(connection, _FLAG, False)


def _pg_redact_sql(schema: str) -> list[str]:
    """The SECURITY DEFINER function behind changes_redact(): it runs as its owner (the role
    that ran the migration), with `enlace.audit_purge` set for its own duration only, a fixed
    search_path and schema-qualified names (a caller's objects cannot stand in for ours); its
    execution is revoked from PUBLIC and granted to the application's role by `db_roles`."""
    table = f'"{schema}".audit_changeevent'
    return [
        f"""
        CREATE OR REPLACE FUNCTION "{schema}".{REDACT_FUNCTION}(
            p_record_type text, p_record_id text, p_keys text[]
        ) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        SET {PURGE_SETTING} = 'on'
        AS $$
        DECLARE
            changed integer;
        BEGIN
            UPDATE {table} AS e
               SET changes = e.changes || (
                   SELECT jsonb_object_agg(k, jsonb_build_array(chr(8230), chr(8230)))
                     FROM unnest(p_keys) AS k
                    WHERE e.changes ? k)
             WHERE e.record_type = p_record_type
               AND e.record_id = p_record_id
               AND jsonb_typeof(e.changes) = 'object'
               AND e.changes ?| p_keys;
            GET DIAGNOSTICS changed = ROW_COUNT;
            RETURN changed;
        END
        $$
        """,  # noqa: S608  # nosec B608 # the schema's name from current_schema(), no input
        f'REVOKE ALL ON FUNCTION "{schema}".{REDACT_SIGNATURE} FROM PUBLIC',
    ]


def install_redact(schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
    for statement in _pg_redact_sql(schema):
        schema_editor.execute(statement, params=None)


def uninstall_redact(schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {REDACT_SIGNATURE}", params=None)


def _pg_sql() -> list[str]:
    statements = [
        f"""
        CREATE OR REPLACE FUNCTION enlace_audit_immutable() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF current_setting('{PURGE_SETTING}', true) = 'on' THEN
                IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit rows are never changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Retention purges go through enlace.audit.immutability.audit_purge().';
        END
        $$
        """
    ]
    for table in AUDIT_TABLES:
        statements += [
            f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION enlace_audit_immutable()""",
            f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION enlace_audit_immutable()""",
        ]
    return statements


def _pg_reverse_sql() -> list[str]:
    statements = []
    for table in AUDIT_TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS enlace_audit_immutable()"]


def _sqlite_sql() -> list[str]:
    statements = []
    for table in AUDIT_TABLES:
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                    WHEN {SQLITE_FUNCTION}() IS NOT 1
                    BEGIN SELECT RAISE(ABORT, 'audit rows are never changed or deleted'); END"""
            )
    return statements


def _sqlite_reverse_sql() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_{op}"
        for table in AUDIT_TABLES
        for op in ("update", "delete")
    ]


def install(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _pg_sql, "sqlite": _sqlite_sql}.get(vendor, list)()
    for statement in statements:
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _pg_reverse_sql, "sqlite": _sqlite_reverse_sql}.get(vendor, list)()
    for statement in statements:
        schema_editor.execute(statement, params=None)
