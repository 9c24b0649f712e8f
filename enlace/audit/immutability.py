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

The triggers guard against the application. An operator who must also guard against someone
holding the application's password should let a separate role own the tables (run `migrate`
as it) and grant the application's role only SELECT and INSERT on the audit tables
(docs/security.en.md)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, transaction

AUDIT_TABLES = ("audit_accessevent", "audit_changeevent")
PURGE_SETTING = "enlace.audit_purge"
SQLITE_FUNCTION = "enlace_audit_purge"
_FLAG = "_enlace_audit_purge"


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
