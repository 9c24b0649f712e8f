"""`enlace db_roles --app-role NAME`: the application's PostgreSQL role, with what it needs and
no more. Run it as the role that owns the tables (the one that runs `migrate`), after `migrate`.

It creates the role if it is missing (LOGIN; the password from the environment variable named
by --password-env, never from the command line), then grants it:
- CONNECT and TEMPORARY on the database, USAGE on the schema;
- SELECT, INSERT, UPDATE, DELETE on every table, and USAGE, SELECT on every sequence;
- on the audit tables only SELECT and INSERT: its UPDATE, DELETE and TRUNCATE fail with
  "permission denied" before any trigger runs, whatever it sets (enlace.audit.immutability);
- EXECUTE on enlace_audit_redact(), the one rewrite of audit rows it may do (privacy's
  anonymisation of a record's change history);
- the same, by default privileges, on the tables and sequences later migrations create.

It then checks, as the database sees it, that the role cannot update, delete or truncate audit
rows and is neither a superuser nor a member of the owner role, and fails otherwise. Safe to run
again (after every `migrate`, or a restore). PostgreSQL only: SQLite has no roles."""

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections, transaction

from enlace.audit.immutability import AUDIT_TABLES, REDACT_SIGNATURE
from enlace.core.dbowner import owner_connection

ORDINARY = "SELECT, INSERT, UPDATE, DELETE"
AUDIT = "SELECT, INSERT"
REFUSED_ON_AUDIT = ("UPDATE", "DELETE", "TRUNCATE")


class Command(BaseCommand):
    help = (
        "PostgreSQL: create (if missing) the application's role and grant it what it needs; "
        "on the audit tables only SELECT and INSERT. Run as the tables' owner, after migrate."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--app-role", required=True, help="The application's role name.")
        parser.add_argument(
            "--password-env",
            default="",
            help="Name of an environment variable holding the password for a role created now.",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        alias = options["database"]
        with owner_connection(alias):
            connection = connections[alias]
            if connection.vendor != "postgresql":
                raise CommandError(
                    "db_roles is for PostgreSQL: SQLite has no roles (one file, one user)."
                )
            try:
                with transaction.atomic(using=alias), connection.cursor() as cursor:
                    lines = grant_app_role(
                        cursor,
                        connection.ops.quote_name,
                        options["app_role"],
                        password=_password(options["password_env"]),
                    )
            except DatabaseError as error:
                raise CommandError(
                    f"{error}\nRun db_roles as the role that owns Enlace's tables (the one "
                    "that runs migrate: ENLACE_OWNER_DATABASE_URL); creating a role needs "
                    "CREATEROLE, or create it beforehand."
                ) from error
        for line in lines:
            self.stdout.write(line)


def _password(variable: str) -> str | None:
    if not variable:
        return None
    value = os.environ.get(variable, "")
    if not value:
        raise CommandError(f"The environment variable {variable} is empty or not set.")
    return value


def grant_app_role(cursor: Any, quote: Any, role: str, *, password: str | None = None) -> list[str]:
    """Create and grant the application's role (see the module's docstring); return what was
    done, one line each. Raises CommandError when the role could still alter audit rows."""
    cursor.execute("SELECT current_user, current_schema(), current_database()")
    owner, schema, database = cursor.fetchone()
    cursor.execute(
        "SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
        "WHERE oid = %s::regclass",
        [f"{quote(schema)}.{quote(AUDIT_TABLES[0])}"],
    )
    if not cursor.fetchone()[0]:
        raise CommandError(
            f"{owner} does not own Enlace's tables: run db_roles as the role that owns them (the "
            "one that runs migrate: ENLACE_OWNER_DATABASE_URL)."
        )
    if role == owner:
        raise CommandError(
            f"{role} is the role running this command, which owns the tables: the application "
            "needs a role of its own."
        )
    name, schema_q, owner_q = quote(role), quote(schema), quote(owner)
    done: list[str] = []
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    if row is None:
        if password:
            cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD %s", [password])
        else:
            cursor.execute(f"CREATE ROLE {name} LOGIN")
        done.append(f"Created the role {role} (LOGIN).")
    elif row[0]:
        raise CommandError(f"{role} is a superuser: superusers pass every privilege check.")
    cursor.execute("SELECT pg_has_role(%s, %s, 'MEMBER')", [role, owner])
    if cursor.fetchone()[0]:
        raise CommandError(f"{role} is a member of {owner}, the owner: it could alter audit rows.")
    audit = ", ".join(f"{schema_q}.{quote(t)}" for t in AUDIT_TABLES)
    statements = [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {quote(database)} TO {name}",
        f"GRANT USAGE ON SCHEMA {schema_q} TO {name}",
        f"GRANT {ORDINARY} ON ALL TABLES IN SCHEMA {schema_q} TO {name}",
        f"REVOKE ALL ON {audit} FROM {name}",
        f"GRANT {AUDIT} ON {audit} TO {name}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema_q} TO {name}",
        f"GRANT EXECUTE ON FUNCTION {schema_q}.{REDACT_SIGNATURE} TO {name}",
        # Tables and sequences that later migrations create (as this role) get the same.
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
        f"GRANT {ORDINARY} ON TABLES TO {name}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner_q} IN SCHEMA {schema_q} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {name}",
    ]
    for statement in statements:
        cursor.execute(statement)
    cursor.execute(
        "SELECT count(*) FROM pg_tables WHERE schemaname = %s AND tableowner <> %s",
        [schema, owner],
    )
    foreign = cursor.fetchone()[0]
    done.append(
        f"{role}: {ORDINARY} on the tables of schema {schema}, {AUDIT} only on "
        f"{', '.join(AUDIT_TABLES)}, EXECUTE on {REDACT_SIGNATURE}; the same by default on "
        f"tables {owner} creates later."
    )
    if foreign:
        done.append(
            f"Warning: {foreign} tables of {schema} are not owned by {owner}; run migrate and "
            "this command as one role."
        )
    for table in AUDIT_TABLES:
        for privilege in REFUSED_ON_AUDIT:
            cursor.execute(
                "SELECT has_table_privilege(%s, %s, %s)",
                [role, f"{schema_q}.{quote(table)}", privilege],
            )
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{role} still has {privilege} on {table} (granted to PUBLIC or through "
                    "another role): revoke it, then run this command again."
                )
    done.append(f"Checked: {role} cannot update, delete or truncate audit rows.")
    return done
