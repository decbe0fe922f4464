"""PostgreSQL privileges for the application's role: everything it needs, and on the access log
only INSERT and SELECT, so that no workstation (nor anyone holding its database password) can
change, delete or truncate an entry. The tables belong to a separate owner role (the DBA's, which
ran `init` and `db upgrade`): an owner or a superuser is never restricted by grants.

`ppda-tracker db grants --role NAME` prints the statements; `--apply` runs them (an
administrator's sign-in; logged). Run it again after every `db upgrade` that adds a table.
"""

from __future__ import annotations

import re

from sqlalchemy import inspect, text

from app.domain.errors import InvalidInput, RuleRefused
from app.persistence.database import Database

LOG_TABLE = "access_log"
READ_ONLY = ("alembic_version",)  # the application only reads the schema version
_ROLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,62}$")


def statements(db: Database, role: str) -> list[str]:
    """The GRANT and REVOKE statements that give `role` exactly the application's privileges."""
    if db.is_sqlite:
        raise RuleRefused("An SQLite file has no database roles: it is protected by the file's permissions "
                          "(readable by its owner only). `db grants` is for PostgreSQL.")
    if not _ROLE.match(role):
        raise InvalidInput(f"'{role[:70]}' is not a PostgreSQL role name (letters, digits, '_' and '$').")
    quote = db.engine.dialect.identifier_preparer.quote
    with db.engine.connect() as conn:
        tables = sorted(inspect(conn).get_table_names())
    if LOG_TABLE not in tables:
        raise RuleRefused("The database has not been set up: run `init` (or `db upgrade`) first.")
    r = quote(role)
    others = ", ".join(quote(t) for t in tables if t != LOG_TABLE and t not in READ_ONLY)
    return [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {r}",
        f"REVOKE CREATE ON SCHEMA public FROM {r}",
        f"GRANT CONNECT ON DATABASE {quote(str(db.url.database))} TO {r}",
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {others} TO {r}",
        f"GRANT SELECT ON {', '.join(quote(t) for t in READ_ONLY)} TO {r}",
        f"GRANT SELECT, INSERT ON {LOG_TABLE} TO {r}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {r}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {LOG_TABLE} FROM PUBLIC",
    ]


def apply(db: Database, role: str) -> list[str]:
    """Run the statements in one transaction (as the tables' owner); refused for a role that owns
    the tables or is a superuser, which no grant can restrict."""
    sql = statements(db, role)
    with db.engine.begin() as conn:
        found = conn.execute(text(
            "SELECT r.rolsuper, pg_get_userbyid(c.relowner) = r.rolname FROM pg_roles r, pg_class c "
            "WHERE r.rolname = :role AND c.relname = :log AND c.relkind = 'r'"),
            {"role": role, "log": LOG_TABLE}).first()
        if found is None:
            raise InvalidInput(f"There is no PostgreSQL role '{role}': the DBA creates it first (CREATE ROLE … LOGIN).")
        if found[0] or found[1]:
            raise RuleRefused(f"'{role}' {'is a superuser' if found[0] else 'owns the tables'}: no grant can stop it "
                              "changing the access log. Give the application a role of its own, and keep the tables "
                              "owned by the DBA's role.")
        for statement in sql:
            conn.execute(text(statement))
    return sql
